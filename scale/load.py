"""The posts the scale check indexes, and the id count that proves what arrived.

The posts are the bundled demo site's (waspada.demosite), scaled up by serving every post again
from more fictional portals: copy ``k`` of portal ``kabarnusantara`` is ``kabarnusantara-k``, its
own source with its own URLs, so every copy is a distinct document with its own id. Documents are
built by ``waspada.schema.build_document`` (ids from the canonical URL, as the pipeline does) and
written by ``ElasticIndex.upsert``, the pipeline's own write path with its retries.
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import Any

from elasticsearch.helpers import scan

from waspada.demosite.content import generate_posts
from waspada.schema import build_document

MODEL_ID = "scale-check"


def demo_records(count: int) -> list[dict[str, Any]]:
    """``count`` spool-shaped records: the demo posts, portal copy after portal copy."""
    posts = generate_posts()
    records = []
    for n in range(count):
        post, copy = posts[n % len(posts)], n // len(posts)
        source = f"{post.site.slug}-{copy}"
        records.append({
            "url": f"https://{source}.demo.invalid{post.path}", "source_id": source,
            "source_name": f"{post.site.name} {copy}", "platform": post.site.platform,
            "published": post.published.isoformat(), "fetched": "2024-03-01T00:00:00+00:00",
            "title": post.title, "text": "\n\n".join(post.paragraphs), "author": post.author,
        })
    return records


def documents(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [build_document(record, relevance={"terms": ["pemilu"]}, scores={"hoax": 0.0, "provocation": 0.0},
                           labels=[], model_id=MODEL_ID, evidence=None, ingested="2024-03-01T00:00:00+00:00")
            for record in records]


@dataclass
class Writer:
    """Upserts ``docs`` from a thread, ``batch`` at a time, spread over at least ``duration``
    seconds the way spool files arrive from crawls. ``gates`` maps a position in ``docs`` to an
    event the writer waits for before going past it, so a check can pin which writes happen
    before a fault, during it and after the recovery, however fast the machine is."""

    index: Any
    docs: list[dict[str, Any]]
    batch: int = 250
    duration: float = 0.0
    acknowledged: int = 0
    failed: list = field(default_factory=list)
    error: BaseException | None = None
    seconds: float = 0.0
    gates: dict[int, threading.Event] = field(default_factory=dict)
    gate_timeout: float = 600.0

    def __post_init__(self) -> None:
        self.thread = threading.Thread(target=self._run, name="scale-writer", daemon=True)

    def start(self) -> None:
        self.thread.start()

    def _run(self) -> None:
        start = time.monotonic()
        try:
            for first in range(0, len(self.docs), self.batch):
                for position, gate in sorted(self.gates.items()):
                    if first >= position and not gate.wait(self.gate_timeout):
                        raise TimeoutError(f"writer waited {self.gate_timeout:.0f}s at post {position}")
                due = start + self.duration * first / len(self.docs)
                time.sleep(max(0.0, due - time.monotonic()))
                result = self.index.upsert(self.docs[first:first + self.batch])
                self.acknowledged += result.indexed
                self.failed.extend(result.failed)
        except BaseException as exc:  # reported by the check
            self.error = exc
        self.seconds = time.monotonic() - start

    def alive(self) -> bool:
        return self.thread.is_alive()


@dataclass
class IdCount:
    expected: int
    indexed: int  # documents found, copies included
    lost: int  # expected ids not found
    duplicated: int  # documents beyond one per expected id: a second copy, or an id nobody sent


def count_ids(client, alias: str, expected_ids: set[str]) -> IdCount:
    """Read every document id behind ``alias`` and compare with ``expected_ids``."""
    client.indices.refresh(index=alias)
    found = [hit["_id"] for hit in scan(client, index=alias, query={"query": {"match_all": {}}, "_source": False},
                                        size=2000)]
    distinct = set(found)
    return IdCount(expected=len(expected_ids), indexed=len(found), lost=len(expected_ids - distinct),
                   duplicated=len(found) - len(distinct) + len(distinct - expected_ids))
