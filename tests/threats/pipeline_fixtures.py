"""A quiet model, a spool writer and a pipeline for the threat tests that run posts end to end
(imported by name: tests/threats is on sys.path)."""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

from waspada.deadletter import DeadLetter
from waspada.dedup import DedupStore
from waspada.evidence import EvidenceStore
from waspada.index.base import SearchQuery
from waspada.pipeline import Pipeline
from waspada.relevance import Lexicon
from waspada.spool import SpoolLedger


class NeverFlags:
    """A model that flags nothing: what the model says must not matter for threat findings."""
    model_id = "quiet-test-model"
    thresholds = {"hoax": 0.5, "provocation": 0.5}

    def predict(self, texts, batch_size=32):
        return [{"scores": {"hoax": 0.1, "provocation": 0.05}, "labels": [], "model_id": self.model_id}
                for _ in texts]


def spool(spool: Path, window: str, published: str, posts) -> Path:
    lines = []
    for url, text in posts:
        raw = f"<html><body>{text}</body></html>".encode()
        sha = hashlib.sha256(raw).hexdigest()
        (spool / "blobs" / sha[:2]).mkdir(parents=True, exist_ok=True)
        (spool / "blobs" / sha[:2] / sha).write_bytes(raw)
        lines.append(json.dumps({"url": url, "source_id": "kanal", "platform": "telegram", "text": text,
                                 "author": "@" + url.rsplit("/", 2)[-2], "fetched": published,
                                 "published": published, "raw_sha256": sha}, ensure_ascii=False))
    path = spool / "kanal" / f"{window}.jsonl"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def pipeline(index, tmp_path) -> Pipeline:
    return Pipeline(index=index, classifier=NeverFlags(), lexicon=Lexicon.load(),
                    dedup=DedupStore(tmp_path / "dedup.db"), evidence=EvidenceStore(tmp_path / "evidence"),
                    deadletter=DeadLetter(tmp_path / "dead"), ledger=SpoolLedger(tmp_path / "spool.db"),
                    spool_dir=tmp_path / "spool")


def by_url(index) -> dict[str, dict]:
    """Every indexed document, by the post's URL."""
    return {h.doc["url"]["original"]: h.doc for h in index.search(SearchQuery(size=100, sort="time")).hits}
