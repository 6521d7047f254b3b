"""An index of each kind for the claim-matching tests."""
from __future__ import annotations

import pytest

from conftest_helpers import BACKENDS, backend_index


@pytest.fixture(params=BACKENDS)
def index(request, tmp_path):
    with backend_index(request, tmp_path / "index.db", "waspada-claims") as idx:
        yield idx
