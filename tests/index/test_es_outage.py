"""Indexing through a real outage and real overload: nothing lost, nothing duplicated.

These tests start their own Elasticsearch (not the session's shared one): one test SIGKILLs it
mid-write and brings it back on the same data directory and port. Its write thread pool is one
thread with a one-slot queue, so concurrent bulk requests are genuinely rejected with 429.
"""
from __future__ import annotations

import threading
import time
import uuid

import pytest

from es_server import EsServer, EsUnavailable
from conftest_helpers import es_unavailable
from waspada.index import SearchQuery
from waspada.index.elastic import ElasticIndex
from waspada.schema import build_document

pytestmark = [pytest.mark.elasticsearch, pytest.mark.slow]


@pytest.fixture(scope="module")
def fragile_es():
    try:
        server = EsServer(settings={"thread_pool.write.size": "1", "thread_pool.write.queue_size": "1"})
        server.start()
        server.wait_healthy(timeout=90)
    except EsUnavailable as exc:
        if "server" in locals():
            server.cleanup()
        es_unavailable(str(exc))
    yield server
    server.cleanup()


def synthetic_docs(count: int, prefix: str) -> list[dict]:
    docs = []
    for i in range(count):
        month = 1 + i % 2  # two monthly indices
        record = {"url": f"https://t.me/s/kanal/{i}", "native_id": f"{prefix}-{i}", "source_id": "kanal",
                  "platform": "telegram", "published": f"2024-0{month}-{1 + i % 28:02d}T10:00:00+07:00",
                  "fetched": "2024-03-01T00:00:00+00:00",
                  "text": f"Pesan nomor {i}: awas kecurangan pemilu di TPS {i % 97}, sebarkan!"}
        docs.append(build_document(record, relevance={"terms": ["pemilu"]}, scores={"hoax": (i % 100) / 100},
                                   labels=["hoax"] if i % 3 == 0 else [], model_id="test", evidence=None,
                                   ingested="2024-03-01T00:00:00+00:00"))
    return docs


def make_index(server: EsServer, **kwargs) -> ElasticIndex:
    index = ElasticIndex(server.url, alias=f"waspada-test-{uuid.uuid4().hex[:12]}", replicas=0,
                         max_backoff=4, **kwargs)
    index.ensure()
    return index


def assert_each_present_once(index: ElasticIndex, docs: list[dict]) -> None:
    index.refresh()
    ids = [doc["waspada"]["id"] for doc in docs]
    assert len(set(ids)) == len(ids)
    assert index.count() == len(ids)  # no duplicates (one id in two places would count twice)...
    present = sum(index.client.count(index=index.alias, query={"ids": {"values": ids[i:i + 5000]}})["count"]
                  for i in range(0, len(ids), 5000))
    assert present == len(ids)  # ...and none missing
    assert index.count(SearchQuery(labels=("hoax",))) == sum(1 for doc in docs if doc["waspada"]["labels"])


def indexing_ops(index: ElasticIndex) -> int:
    stats = index.client.options(request_timeout=2).indices.stats(
        index=f"{index.alias}-*", metric="indexing")
    return stats["_all"]["primaries"].get("indexing", {}).get("index_total", 0)


def test_bulk_upsert_survives_the_server_being_killed_mid_write(fragile_es):
    docs = synthetic_docs(12_000, "outage")
    index = make_index(fragile_es, chunk_size=250, retry_seconds=240)
    outcome: dict = {}

    def write():
        try:
            outcome["result"] = index.upsert(docs)
        except BaseException as exc:  # reported by the assertion below
            outcome["error"] = exc

    writer = threading.Thread(target=write, daemon=True)
    writer.start()
    deadline = time.monotonic() + 60
    while indexing_ops(index) < 500:
        assert time.monotonic() < deadline, "the bulk write never got going"
        time.sleep(0.05)
    assert writer.is_alive(), "the write finished before the kill: the test proved nothing"
    fragile_es.kill()
    time.sleep(2)  # the writer now sees connection refused and backs off
    assert writer.is_alive()
    fragile_es.start()
    fragile_es.wait_healthy(timeout=90)
    writer.join(timeout=300)
    assert not writer.is_alive(), "the write did not finish after the server came back"
    assert "error" not in outcome, outcome.get("error")
    assert outcome["result"].failed == []
    assert outcome["result"].indexed == len(docs)
    assert_each_present_once(index, docs)
    index.close()


def test_bulk_upsert_rides_out_429_rejections(fragile_es):
    index = make_index(fragile_es, chunk_size=100, retry_seconds=240)
    before = rejected_writes(index)
    batches = [synthetic_docs(4_000, f"busy{n}") for n in range(4)]
    results: list = [None] * len(batches)

    def write(n):
        results[n] = index.upsert(batches[n])

    writers = [threading.Thread(target=write, args=(n,)) for n in range(len(batches))]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join(timeout=300)
    assert rejected_writes(index) > before, "no 429 happened: the test proved nothing"
    assert all(r is not None and r.failed == [] and r.indexed == 4_000 for r in results)
    assert_each_present_once(index, [doc for batch in batches for doc in batch])
    index.close()


def rejected_writes(index: ElasticIndex) -> int:
    nodes = index.client.nodes.stats(metric="thread_pool")["nodes"]
    return sum(node["thread_pool"]["write"]["rejected"] for node in nodes.values())
