"""An index of each kind for the look-alike tests (imported by name: tests/threats is on sys.path)."""
from __future__ import annotations

import pytest

from conftest_helpers import BACKENDS, backend_index


@pytest.fixture(params=BACKENDS)
def index(request, tmp_path):
    with backend_index(request, tmp_path / "index.db", "waspada-lookalike") as idx:
        yield idx
