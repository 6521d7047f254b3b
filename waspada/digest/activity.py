"""What people and rules did on the day: alerts fired and investigations opened or closed.

Both live in the operations database (setting ``WEB_DB``), which the stores compare as ISO-8601 UTC
strings; the WIB day is turned into such strings here.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from waspada import config
from waspada.digest.period import Day, iso_utc
from waspada.investigations import STATUSES


def _public(path: str) -> str:
    return f"{str(config.get('PUBLIC_URL')).rstrip('/')}{path}"


def alerts_fired(db: str | Path, day: Day) -> list[dict[str, Any]]:
    """Alerts whose ``fired_at`` falls in the day, oldest first."""
    from waspada.alerts.store import AlertStore

    store = AlertStore(db)
    try:
        # AlertStore.alerts caps its answer; a day with more alerts than this is an incident the
        # alert list in the web app shows in full, the digest counts what it got.
        records = store.alerts(since=iso_utc(day.start), until=iso_utc(day.end), limit=5000)
    finally:
        store.close()
    out = []
    for alert in sorted(records, key=lambda a: (a.fired_at, a.id)):
        out.append({
            "id": alert.id, "rule": alert.rule, "rule_type": alert.rule_type, "key": alert.key,
            "summary": alert.summary, "count": alert.count, "fired_at": alert.fired_at,
            "window_start": alert.window_start, "window_end": alert.window_end,
            "investigation_id": alert.investigation_id,
            "link": _public(f"/investigations/{alert.investigation_id}") if alert.investigation_id else None,
        })
    return out


def investigations(db: str | Path, day: Day) -> dict[str, list[dict[str, Any]]]:
    """Investigations opened on the day and those closed on it (one may be in both)."""
    from waspada.investigations import InvestigationStore

    store = InvestigationStore(db)
    try:
        opened = store.opened_between(iso_utc(day.start), iso_utc(day.end))
        closed = store.closed_between(iso_utc(day.start), iso_utc(day.end))
    finally:
        store.close()
    return {"opened": [_investigation(i) for i in opened], "closed": [_investigation(i) for i in closed]}


def _investigation(inv) -> dict[str, Any]:
    return {"id": inv.id, "title": inv.title, "status": inv.status, "status_label": STATUSES.get(inv.status, inv.status),
            "assignee": inv.assignee, "created_by": inv.created_by, "created_at": inv.created_at,
            "closed_at": inv.closed_at, "rule": inv.rule, "rule_key": inv.rule_key,
            "link": _public(f"/investigations/{inv.id}")}
