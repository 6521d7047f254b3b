"""An index of each kind for the look-alike tests (imported by name: tests/threats is on sys.path)."""
from __future__ import annotations

import uuid

import pytest

from waspada.index import open_index


@pytest.fixture(params=["sqlite", pytest.param("elasticsearch", marks=pytest.mark.elasticsearch)])
def index(request, tmp_path):
    if request.param == "sqlite":
        idx = open_index("sqlite", path=tmp_path / "index.db")
    else:
        idx = open_index("elasticsearch", url=request.getfixturevalue("es_url"),
                         alias=f"waspada-lookalike-{uuid.uuid4().hex[:12]}", replicas=0, retry_seconds=30)
    idx.ensure()
    yield idx
    if hasattr(idx, "alias"):
        names = list(idx.client.indices.get(index=f"{idx.alias}-*", allow_no_indices=True).body)
        if names:
            idx.client.indices.delete(index=",".join(names))
        idx.client.indices.delete_index_template(name=idx.alias)
    idx.close()
