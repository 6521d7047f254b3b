"""A spool writer and a real pipeline (the bundled model, SQLite) for the tests that feed it hostile
lines (imported by name: tests/core is on sys.path)."""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

from waspada.deadletter import DeadLetter
from waspada.dedup import DedupStore
from waspada.evidence import EvidenceStore
from waspada.index.sqlite import SqliteIndex
from waspada.pipeline import Pipeline
from waspada.relevance import Lexicon
from waspada.spool import SpoolLedger

FETCHED = "2024-02-10T03:00:00+00:00"
FILE = "portal/2024-02-10T03-00.jsonl"


def good(n: int, spool: Path | None = None, **extra) -> dict:
    """An election post that is indexed (with INDEX_ALL), unique by URL and by text; with
    ``spool``, its raw bytes are written as the spool blob its ``raw_sha256`` names."""
    # Three words: too short for near-duplicate shingles (waspada.dedup), so posts differing in
    # their number alone are never taken for copies of each other.
    text = f"KPU pemilu {n}"
    record = {"url": f"https://valid.test/berita/{n}", "source_id": "portal", "platform": "news",
              "title": f"Pemilu {n}", "text": text, "fetched": FETCHED, "published": "2024-02-10T09:00:00+07:00"}
    if spool is not None:
        raw = f"<html><body>{text}</body></html>".encode()
        record["raw_sha256"] = hashlib.sha256(raw).hexdigest()
        blob = spool / "blobs" / record["raw_sha256"][:2] / record["raw_sha256"]
        blob.parent.mkdir(parents=True, exist_ok=True)
        blob.write_bytes(raw)
    record.update(extra)
    return record


def line(record) -> bytes:
    """One spool line; lone surrogates become JSON escapes, as a crawler's json.dumps writes them."""
    return json.dumps(record).encode("ascii")


def write_spool(spool: Path, lines: list[bytes]) -> Path:
    path = spool / FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"".join(chunk + b"\n" for chunk in lines))
    return path


def make_pipeline(root: Path, classifier, lexicon: Lexicon | None = None, **kwargs) -> Pipeline:
    index = SqliteIndex(root / "index.db")
    return Pipeline(index=index, classifier=classifier, lexicon=lexicon or Lexicon.load(),
                    dedup=DedupStore(root / "state" / "dedup.db"), evidence=EvidenceStore(root / "evidence"),
                    deadletter=DeadLetter(root / "dead"), ledger=SpoolLedger(root / "state" / "spool.db"),
                    spool_dir=root / "spool", index_all=True, **kwargs)


def letters(root: Path) -> list[dict]:
    return [json.loads(text) for path in sorted((root / "dead").glob("*.jsonl"))
            for text in path.read_text(encoding="utf-8").splitlines()]
