"""Fixtures for the digest tests: the seeded index of each kind, and settings pointing into tmp_path."""
from __future__ import annotations

import pytest

from conftest_helpers import BACKENDS, backend_index
from digest_helpers import seed_index, settings_env
from waspada.index import open_index


@pytest.fixture
def data(tmp_path, monkeypatch):
    """DATA_DIR for one test, with the digest's settings pointing into it."""
    root = tmp_path / "data"
    settings_env(monkeypatch, root)
    return root


@pytest.fixture(params=BACKENDS)
def index(request, tmp_path, data):
    """An empty index of each backend (an Elasticsearch alias of its own, removed afterwards)."""
    with backend_index(request, tmp_path / "data" / "waspada.db", "waspada-digest") as idx:
        idx.backend_name = request.param  # what the digest reports as its source
        yield idx


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
