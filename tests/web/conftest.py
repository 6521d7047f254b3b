"""Fixtures for the web app tests: the app over a loaded index on each backend."""
from __future__ import annotations

import pytest

from waspada.index import open_index
from web_fixtures import drop, make_env, open_backend


@pytest.fixture(params=["sqlite", "elasticsearch"])
def env(request, tmp_path):
    """(app, index, ids) on each backend."""
    index = open_backend(request, request.param, tmp_path)
    yield make_env(index, tmp_path)
    drop(index)


@pytest.fixture
def sqlite_env(tmp_path):
    """The same on SQLite only, for tests about the app rather than the backend."""
    index = open_index("sqlite", path=tmp_path / "index.db")
    yield make_env(index, tmp_path)
    index.close()
