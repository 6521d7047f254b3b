"""Document builders for the alert tests (imported by name: tests/alerts is on sys.path)."""
from __future__ import annotations

import itertools
from datetime import datetime, timedelta, timezone

from waspada.alerts.rules import parse_rule
from waspada.schema import build_document

DAY = datetime(2024, 2, 10, tzinfo=timezone.utc)
_counter = itertools.count()


def at(hour: float) -> datetime:
    """A moment on the test day, in hours after midnight UTC."""
    return DAY + timedelta(hours=hour)


def post(when: datetime, *, labels=("hoax",), score: float = 0.9, region: str = "Jawa Timur", author: str = "",
         source: str = "kanal", platform: str = "telegram", views: int = 0, text: str | None = None,
         cluster: str | None = None, hashtags=()) -> dict:
    n = next(_counter)
    record = {"url": f"https://t.example/{source}/{n}", "native_id": str(n), "source_id": source,
              "platform": platform, "published": when.isoformat(), "fetched": when.isoformat(),
              "author": author, "title": f"Pos {n}",
              "text": text or f"Pos nomor {n} tentang surat suara pemilu {' '.join(hashtags)}",
              "engagement": {"views": views}}
    scores = {"hoax": score if "hoax" in labels else 0.05, "provocation": score if "provocation" in labels else 0.05}
    doc = build_document(record, relevance={"terms": ["pemilu"], "regions": [region] if region else [], "entities": []},
                         scores=scores, labels=list(labels), model_id="test-model", evidence={}, ingested=when.isoformat())
    if cluster is not None:
        doc["waspada"]["cluster"] = cluster
    return doc


def rule(**fields):
    """A rule as parsed from YAML; a field given as None is left out."""
    raw = {"name": "r", "type": "frequency", "window": "1h", "query_delay": "15m", "realert": "0", **fields}
    raw = {k: v for k, v in raw.items() if v is not None}
    return parse_rule(raw, "test.yaml", 0)


def add(index, *docs) -> None:
    result = index.upsert(list(docs))
    assert result.failed == [], result.failed
    index.refresh()
