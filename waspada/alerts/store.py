"""Persisted alert state, in the operations database (``WEB_DB``) next to the investigations.

- ``alert_rule_state``: the end of the last window evaluated per rule, so a restarted evaluator
  catches up on the windows it missed and never evaluates one twice.
- ``alerts``: every alert fired, unique per (rule, key, window end): running the evaluator twice
  over the same window fires once, even if two evaluators race.
- ``alert_terms``: the values a new_term rule has seen and when it last saw them.
- ``notifications``: the outbox. A notification is queued in the same transaction as its alert,
  then delivered; failures are retried with backoff and recorded, and after the last attempt it
  stays in the table as ``failed`` with the error, for the web app and the digest to show.
"""
from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Iterable

from waspada.alerts.conditions import Firing
from waspada.opsdb import open_ops_db

#: Delivery attempts before a notification is marked failed, and the wait before each retry.
MAX_ATTEMPTS = 6
BACKOFF = (timedelta(0), timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=15), timedelta(hours=1),
           timedelta(hours=3))

_SCHEMA = """
CREATE TABLE IF NOT EXISTS alert_rule_state (
    rule TEXT PRIMARY KEY,
    last_end TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS alerts (
    id INTEGER PRIMARY KEY,
    rule TEXT NOT NULL,
    rule_type TEXT NOT NULL,
    key TEXT,                        -- NULL for rules without a key
    key_norm TEXT NOT NULL,          -- key or '' : UNIQUE cannot see NULLs as equal
    window_start TEXT NOT NULL,
    window_end TEXT NOT NULL,
    fired_at TEXT NOT NULL,
    count INTEGER NOT NULL,
    summary TEXT NOT NULL,
    doc_ids TEXT NOT NULL,           -- JSON list
    details TEXT NOT NULL,           -- JSON object
    investigation_id INTEGER,        -- NULL until linked (a crash in between is repaired next run)
    UNIQUE (rule, key_norm, window_end)
);
CREATE INDEX IF NOT EXISTS alerts_rule_key ON alerts (rule, key_norm, window_end);
CREATE INDEX IF NOT EXISTS alerts_fired ON alerts (fired_at);
CREATE TABLE IF NOT EXISTS alert_terms (
    rule TEXT NOT NULL,
    term TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    PRIMARY KEY (rule, term)
);
CREATE TABLE IF NOT EXISTS notifications (
    id INTEGER PRIMARY KEY,
    alert_id INTEGER NOT NULL REFERENCES alerts (id),
    channel TEXT NOT NULL,           -- email | webhook
    target TEXT NOT NULL,            -- address or URL
    status TEXT NOT NULL DEFAULT 'pending',   -- pending | sent | failed
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    next_try_at TEXT NOT NULL,
    sent_at TEXT,
    created_at TEXT NOT NULL,
    UNIQUE (alert_id, channel, target)
);
CREATE INDEX IF NOT EXISTS notifications_due ON notifications (status, next_try_at);
"""


def iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).isoformat(timespec="seconds")


def parse_iso(value: str) -> datetime:
    return datetime.fromisoformat(value).astimezone(timezone.utc)


@dataclass
class AlertRecord:
    id: int
    rule: str
    rule_type: str
    key: str | None
    window_start: str
    window_end: str
    fired_at: str
    count: int
    summary: str
    doc_ids: list[str]
    details: dict[str, Any]
    investigation_id: int | None


@dataclass
class Notification:
    id: int
    alert_id: int
    channel: str
    target: str
    status: str
    attempts: int
    last_error: str | None
    next_try_at: str
    sent_at: str | None


def _alert(row: sqlite3.Row) -> AlertRecord:
    data = dict(row)
    data.pop("key_norm")
    data["doc_ids"] = json.loads(data["doc_ids"])
    data["details"] = json.loads(data["details"])
    return AlertRecord(**data)


class AlertStore:
    def __init__(self, path: str | Path) -> None:
        self.db, self._lock = open_ops_db(path, _SCHEMA)

    # -- rule progress ---------------------------------------------------------------------
    def last_end(self, rule: str) -> datetime | None:
        with self._lock:
            row = self.db.execute("SELECT last_end FROM alert_rule_state WHERE rule=?", (rule,)).fetchone()
        return parse_iso(row["last_end"]) if row else None

    def set_last_end(self, rule: str, end: datetime) -> None:
        with self._lock, self.db:
            self.db.execute("INSERT INTO alert_rule_state VALUES (?, ?, ?) ON CONFLICT (rule) DO UPDATE SET "
                            "last_end=excluded.last_end, updated_at=excluded.updated_at",
                            (rule, iso(end), iso(datetime.now(timezone.utc))))

    # -- alerts ----------------------------------------------------------------------------
    def last_fired_end(self, rule: str, key: str | None) -> datetime | None:
        """End of the latest window this rule fired for this key (realert is measured from it)."""
        with self._lock:
            row = self.db.execute("SELECT MAX(window_end) AS e FROM alerts WHERE rule=? AND key_norm=?",
                                  (rule, key or "")).fetchone()
        return parse_iso(row["e"]) if row and row["e"] else None

    def record(self, firing: Firing, rule_type: str, notify: Iterable[tuple[str, str]],
               now: datetime | None = None) -> int | None:
        """Store the alert and queue its notifications in one transaction. None if this rule, key
        and window already fired (a second evaluator, or a re-run). ``now`` is the evaluation
        time (the wall clock in production; a fixed moment in tests and replays)."""
        now = iso(now or datetime.now(timezone.utc))
        with self._lock, self.db:
            cur = self.db.execute(
                "INSERT OR IGNORE INTO alerts (rule, rule_type, key, key_norm, window_start, window_end, fired_at, count,"
                " summary, doc_ids, details) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (firing.rule, rule_type, firing.key, firing.key or "", iso(firing.start), iso(firing.end), now,
                 firing.count, firing.summary, json.dumps(firing.doc_ids),
                 json.dumps(firing.details, ensure_ascii=False, default=str)))
            if not cur.rowcount:
                return None
            alert_id = int(cur.lastrowid)
            self.db.executemany(
                "INSERT OR IGNORE INTO notifications (alert_id, channel, target, next_try_at, created_at)"
                " VALUES (?, ?, ?, ?, ?)", [(alert_id, channel, target, now, now) for channel, target in notify])
        return alert_id

    def set_investigation(self, alert_id: int, inv: int) -> None:
        with self._lock, self.db:
            self.db.execute("UPDATE alerts SET investigation_id=? WHERE id=?", (inv, alert_id))

    def unlinked(self) -> list[AlertRecord]:
        with self._lock:
            rows = self.db.execute("SELECT * FROM alerts WHERE investigation_id IS NULL ORDER BY id").fetchall()
        return [_alert(r) for r in rows]

    def get(self, alert_id: int) -> AlertRecord | None:
        with self._lock:
            row = self.db.execute("SELECT * FROM alerts WHERE id=?", (alert_id,)).fetchone()
        return _alert(row) if row else None

    def alerts(self, *, since: str | None = None, until: str | None = None, rule: str | None = None,
               limit: int = 500) -> list[AlertRecord]:
        """Alerts fired in [since, until) by fired_at, newest first."""
        where, params = [], []
        if since:
            where.append("fired_at >= ?")
            params.append(since)
        if until:
            where.append("fired_at < ?")
            params.append(until)
        if rule:
            where.append("rule = ?")
            params.append(rule)
        sql = "SELECT * FROM alerts" + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY id DESC LIMIT ?"
        with self._lock:
            rows = self.db.execute(sql, (*params, int(limit))).fetchall()
        return [_alert(r) for r in rows]

    # -- new_term memory -------------------------------------------------------------------
    def has_terms(self, rule: str) -> bool:
        with self._lock:
            return self.db.execute("SELECT 1 FROM alert_terms WHERE rule=? LIMIT 1", (rule,)).fetchone() is not None

    def known_terms(self, rule: str, since: datetime) -> set[str]:
        with self._lock:
            rows = self.db.execute("SELECT term FROM alert_terms WHERE rule=? AND last_seen >= ?",
                                   (rule, iso(since))).fetchall()
        return {r["term"] for r in rows}

    def remember_terms(self, rule: str, terms: Iterable[str], seen: datetime) -> None:
        with self._lock, self.db:
            self.db.executemany("INSERT INTO alert_terms VALUES (?, ?, ?) ON CONFLICT (rule, term) DO UPDATE SET "
                                "last_seen=MAX(last_seen, excluded.last_seen)",
                                [(rule, t, iso(seen)) for t in terms])

    # -- notifications ---------------------------------------------------------------------
    def due(self, now: datetime) -> list[Notification]:
        with self._lock:
            rows = self.db.execute("SELECT id, alert_id, channel, target, status, attempts, last_error, next_try_at,"
                                   " sent_at FROM notifications WHERE status='pending' AND next_try_at <= ?"
                                   " ORDER BY id", (iso(now),)).fetchall()
        return [Notification(**dict(r)) for r in rows]

    def notifications(self, *, status: str | None = None, alert_id: int | None = None) -> list[Notification]:
        where, params = [], []
        if status:
            where.append("status=?")
            params.append(status)
        if alert_id is not None:
            where.append("alert_id=?")
            params.append(alert_id)
        sql = ("SELECT id, alert_id, channel, target, status, attempts, last_error, next_try_at, sent_at"
               " FROM notifications" + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY id")
        with self._lock:
            return [Notification(**dict(r)) for r in self.db.execute(sql, params).fetchall()]

    def mark_sent(self, note_id: int, now: datetime) -> None:
        with self._lock, self.db:
            self.db.execute("UPDATE notifications SET status='sent', attempts=attempts+1, sent_at=?, last_error=NULL"
                            " WHERE id=?", (iso(now), note_id))

    def mark_failed_attempt(self, note: Notification, error: str, now: datetime) -> str:
        """Record a failed delivery; returns the new status (pending again, or failed for good)."""
        attempts = note.attempts + 1
        status = "failed" if attempts >= MAX_ATTEMPTS else "pending"
        next_try = now + BACKOFF[min(attempts, len(BACKOFF) - 1)]
        with self._lock, self.db:
            self.db.execute("UPDATE notifications SET status=?, attempts=?, last_error=?, next_try_at=? WHERE id=?",
                            (status, attempts, error[:1000], iso(next_try), note.id))
        return status

    def close(self) -> None:
        with self._lock:
            self.db.close()
