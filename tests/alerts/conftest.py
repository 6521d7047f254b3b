"""Fixtures for the alert tests: an index of each kind and engines on one operations database."""
from __future__ import annotations

import uuid

import pytest

from waspada.alerts.engine import AlertEngine
from waspada.alerts.store import AlertStore
from waspada.index import open_index
from waspada.investigations import InvestigationStore


@pytest.fixture(params=["sqlite", pytest.param("elasticsearch", marks=pytest.mark.elasticsearch)])
def index(request, tmp_path):
    if request.param == "sqlite":
        idx = open_index("sqlite", path=tmp_path / "index.db")
    else:
        url = request.getfixturevalue("es_url")
        idx = open_index("elasticsearch", url=url, alias=f"waspada-alerts-{uuid.uuid4().hex[:12]}", replicas=0,
                         retry_seconds=30)
    idx.ensure()
    yield idx
    if hasattr(idx, "alias"):
        names = list(idx.client.indices.get(index=f"{idx.alias}-*", allow_no_indices=True).body)
        if names:
            idx.client.indices.delete(index=",".join(names))
        idx.client.indices.delete_index_template(name=idx.alias)
    idx.close()


@pytest.fixture
def engine_factory(index, tmp_path, monkeypatch):
    """Engines on one operations database: a new engine is what a restarted process gets."""
    monkeypatch.setenv("WASPADA_ALERT_EMAIL_TO", "")
    monkeypatch.setenv("WASPADA_ALERT_WEBHOOK_URL", "")
    db = tmp_path / "ops.db"
    opened = []

    def make() -> AlertEngine:
        engine = AlertEngine(index, AlertStore(db), InvestigationStore(db))
        opened.append(engine)
        return engine

    yield make
    for engine in opened:
        engine.alerts.close()
        engine.investigations.close()
