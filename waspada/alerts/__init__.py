"""Alert rules that call analysts in: YAML rules evaluated over the index, persisted state,
investigations opened or updated, and email/webhook notifications (see engine.py for the
semantics, rules.py for the rule format)."""
from __future__ import annotations

from pathlib import Path

from waspada import config
from waspada.alerts.rules import Rule, RuleError, load_rules

DEFAULT_RULES_DIR = Path(__file__).resolve().parent / "default_rules"

__all__ = ["Rule", "RuleError", "load_rules", "rules_dir", "open_engine", "DEFAULT_RULES_DIR"]


def rules_dir() -> Path:
    return Path(config.get("ALERT_RULES_DIR") or DEFAULT_RULES_DIR)


def open_engine(index=None):
    """An AlertEngine on the configured index and operations database (WEB_DB)."""
    from waspada.alerts.engine import AlertEngine
    from waspada.alerts.store import AlertStore
    from waspada.index import open_index
    from waspada.investigations import InvestigationStore

    db = config.get("WEB_DB")
    if index is None:
        index = open_index()
        index.ensure()
    return AlertEngine(index, AlertStore(db), InvestigationStore(db))
