"""Fixtures for the alert tests: an index of each kind and engines on one operations database."""
from __future__ import annotations

import pytest

from conftest_helpers import BACKENDS, backend_index
from waspada.alerts.engine import AlertEngine
from waspada.alerts.store import AlertStore
from waspada.investigations import InvestigationStore


@pytest.fixture(params=BACKENDS)
def index(request, tmp_path):
    with backend_index(request, tmp_path / "index.db", "waspada-alerts") as idx:
        yield idx


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
