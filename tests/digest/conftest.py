"""Fixtures for the digest tests: the seeded index of each kind, and settings pointing into tmp_path."""
from __future__ import annotations

import uuid

import pytest

from digest_helpers import seed_index, settings_env
from waspada.index import open_index


@pytest.fixture
def data(tmp_path, monkeypatch):
    """DATA_DIR for one test, with the digest's settings pointing into it."""
    root = tmp_path / "data"
    settings_env(monkeypatch, root)
    return root


def _open(kind: str, request, tmp_path):
    if kind == "sqlite":
        return open_index("sqlite", path=tmp_path / "data" / "waspada.db")
    url = request.getfixturevalue("es_url")
    return open_index("elasticsearch", url=url, alias=f"waspada-digest-{uuid.uuid4().hex[:12]}", replicas=0,
                      retry_seconds=30)


@pytest.fixture(params=["sqlite", pytest.param("elasticsearch", marks=pytest.mark.elasticsearch)])
def index(request, tmp_path, data):
    """An empty index of each backend (an Elasticsearch alias of its own, removed afterwards)."""
    idx = _open(request.param, request, tmp_path)
    idx.ensure()
    idx.backend_name = request.param  # what the digest reports as its source
    yield idx
    if hasattr(idx, "alias"):
        names = list(idx.client.indices.get(index=f"{idx.alias}-*", allow_no_indices=True).body)
        if names:
            idx.client.indices.delete(index=",".join(names))
        idx.client.indices.delete_index_template(name=idx.alias)
    idx.close()


@pytest.fixture
def seeded(index):
    """The index of each backend holding the fixed fortnight (digest_helpers.seed_documents)."""
    docs = seed_index(index)
    return index, docs


@pytest.fixture
def sqlite_seeded(tmp_path, data):
    """SQLite only, seeded: for the tests whose subject does not depend on the backend."""
    idx = open_index("sqlite", path=data / "waspada.db")
    idx.ensure()
    docs = seed_index(idx)
    yield idx, docs
    idx.close()
