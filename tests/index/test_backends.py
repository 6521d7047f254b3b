"""What is particular to one backend, or to choosing one."""
from __future__ import annotations

import threading
import uuid

import pytest

from waspada.index import IndexError_, SearchQuery, open_index
from waspada.index.elastic import ElasticIndex
from waspada.index.sqlite import SqliteIndex

from test_conformance import DOCS, make_doc


def test_open_index_follows_the_settings(monkeypatch, tmp_path):
    monkeypatch.setenv("WASPADA_INDEX_BACKEND", "sqlite")
    monkeypatch.setenv("WASPADA_SQLITE_PATH", str(tmp_path / "from-env.db"))
    index = open_index()
    assert isinstance(index, SqliteIndex) and index.path == str(tmp_path / "from-env.db")
    index.close()
    monkeypatch.setenv("WASPADA_INDEX_BACKEND", "elasticsearch")
    monkeypatch.setenv("WASPADA_ES_URL", "http://127.0.0.1:1")
    monkeypatch.setenv("WASPADA_ES_INDEX", "posts-test")
    index = open_index()  # opening does not connect: a down cluster is found on first use
    assert isinstance(index, ElasticIndex) and index.alias == "posts-test" and index.url == "http://127.0.0.1:1"
    index.close()


def test_unknown_backend_names_the_value_and_the_choices(monkeypatch):
    monkeypatch.setenv("WASPADA_INDEX_BACKEND", "mongodb")
    with pytest.raises(ValueError, match=r"'mongodb' is unknown; choose one of sqlite, elasticsearch"):
        open_index()


def test_sqlite_serves_readers_while_a_writer_writes(tmp_path):
    index = SqliteIndex(tmp_path / "threads.db")
    errors: list[BaseException] = []
    done = threading.Event()
    docs = [make_doc("script", native_id=f"n{i}", text=f"pesan {i} tentang pemilu") for i in range(600)]

    def writer():
        try:
            for start in range(0, len(docs), 50):
                index.upsert(docs[start:start + 50])
        except BaseException as exc:
            errors.append(exc)
        finally:
            done.set()

    def reader():
        try:
            while not done.is_set():
                index.search(SearchQuery(text="pemilu", sort="time"))
                index.facets("waspada.labels")
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=writer), *(threading.Thread(target=reader) for _ in range(3))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert index.count(SearchQuery(text="pemilu")) == len(docs)
    index.close()


def test_sqlite_index_survives_reopening(tmp_path):
    index = SqliteIndex(tmp_path / "reopen.db")
    index.upsert(DOCS.values())
    index.close()
    again = SqliteIndex(tmp_path / "reopen.db")
    assert again.count() == len(DOCS)
    assert again.count(SearchQuery(text="pemilu")) == 3
    again.close()


@pytest.mark.elasticsearch
def test_es_unavailable_analyzer_is_a_clear_error(es_url):
    index = ElasticIndex(es_url, alias=f"waspada-test-{uuid.uuid4().hex[:12]}", analyzer="indonesian")
    # The integration-test server has core analyzers only; production images have `indonesian`.
    with pytest.raises(IndexError_, match="WASPADA_ES_ANALYZER=standard"):
        index.ensure()
    index.close()


def test_es_unreachable_read_says_where_it_looked():
    index = ElasticIndex("http://127.0.0.1:1", alias="waspada-nowhere", timeout=2)
    with pytest.raises(IndexError_, match=r"127\.0\.0\.1:1 is unreachable"):
        index.count()
    index.close()


def test_es_unreachable_write_gives_up_after_the_deadline():
    index = ElasticIndex("http://127.0.0.1:1", alias="waspada-nowhere", timeout=2, retry_seconds=2, max_backoff=1)
    with pytest.raises(IndexError_, match=r"still unavailable after 2s.*6 documents not acknowledged"):
        index.upsert(DOCS.values())
    index.close()
