"""Investigations: a case opened by an analyst (from an item) or by an alert rule, linking the
posts it is about, with a status, an assignee and a timeline of everything that happened to it.

They live in the operations database (``WEB_DB``, the SQLite file that also holds users and the
audit log), not in the index: cases must survive re-indexing, and both index backends share them.
Every change appends an event; nothing is edited in place without a trace.
"""
from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterable

from waspada.opsdb import open_ops_db

#: Status -> Indonesian label shown in the web app and the digest.
STATUSES = {"open": "Terbuka", "in_progress": "Ditangani", "closed": "Ditutup"}
_MAX_TEXT = 4000

_SCHEMA = """
CREATE TABLE IF NOT EXISTS investigations (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'open',
    assignee TEXT,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    closed_at TEXT,
    rule TEXT,                       -- the alert rule that opened it, if any
    rule_key TEXT                    -- the key (region, account, ...) that rule fired for
);
CREATE INDEX IF NOT EXISTS investigations_rule ON investigations (rule, rule_key, status);
CREATE INDEX IF NOT EXISTS investigations_created ON investigations (created_at);
CREATE TABLE IF NOT EXISTS investigation_items (
    investigation_id INTEGER NOT NULL REFERENCES investigations (id),
    doc_id TEXT NOT NULL,
    added_at TEXT NOT NULL,
    added_by TEXT NOT NULL,
    PRIMARY KEY (investigation_id, doc_id)
);
CREATE INDEX IF NOT EXISTS investigation_items_doc ON investigation_items (doc_id);
CREATE TABLE IF NOT EXISTS investigation_events (
    id INTEGER PRIMARY KEY,
    investigation_id INTEGER NOT NULL REFERENCES investigations (id),
    at TEXT NOT NULL,
    who TEXT NOT NULL,
    kind TEXT NOT NULL,
    details TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX IF NOT EXISTS investigation_events_inv ON investigation_events (investigation_id, id);
"""


class InvestigationError(ValueError):
    """An investigation request is not valid; the message names the bad value."""


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


@dataclass
class Investigation:
    id: int
    title: str
    status: str
    assignee: str | None
    created_by: str
    created_at: str
    closed_at: str | None
    rule: str | None
    rule_key: str | None
    items: list[dict[str, Any]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)

    @property
    def status_label(self) -> str:
        return STATUSES.get(self.status, self.status)


class InvestigationStore:
    """Thread-safe (one connection, one lock): the web app serves requests from a thread pool."""

    def __init__(self, path: str | Path) -> None:
        self.db, self._lock = open_ops_db(path, _SCHEMA)

    # -- changes ---------------------------------------------------------------------------
    def open(self, title: str, by: str, *, doc_ids: Iterable[str] = (), rule: str | None = None,
             rule_key: str | None = None, note: str = "", assignee: str | None = None,
             at: str | None = None) -> int:
        title = " ".join((title or "").split())[:300]
        if not title:
            raise InvestigationError("an investigation needs a title")
        at = at or _now()
        with self._lock, self.db:
            cur = self.db.execute(
                "INSERT INTO investigations (title, status, assignee, created_by, created_at, rule, rule_key)"
                " VALUES (?, 'open', ?, ?, ?, ?, ?)", (title, assignee or None, by, at, rule, rule_key))
            inv = int(cur.lastrowid)
            self._event(inv, by, "opened", {"title": title, "rule": rule, "key": rule_key}, at)
            self._link(inv, doc_ids, by, at)
            if note.strip():
                self._event(inv, by, "note", {"text": note.strip()[:_MAX_TEXT]}, at)
        return inv

    def link(self, inv: int, doc_ids: Iterable[str], by: str, at: str | None = None) -> int:
        """Link posts to an investigation; returns how many were new to it."""
        self._require(inv)
        with self._lock, self.db:
            return self._link(inv, doc_ids, by, at or _now())

    def set_status(self, inv: int, status: str, by: str, at: str | None = None) -> None:
        if status not in STATUSES:
            raise InvestigationError(f"status {status!r} is not one of {', '.join(STATUSES)}")
        current = self._require(inv)
        if current["status"] == status:
            return
        at = at or _now()
        with self._lock, self.db:
            self.db.execute("UPDATE investigations SET status=?, closed_at=? WHERE id=?",
                            (status, at if status == "closed" else None, inv))
            self._event(inv, by, "status", {"from": current["status"], "to": status}, at)

    def assign(self, inv: int, assignee: str | None, by: str, at: str | None = None) -> None:
        current = self._require(inv)
        assignee = (assignee or "").strip() or None
        if current["assignee"] == assignee:
            return
        with self._lock, self.db:
            self.db.execute("UPDATE investigations SET assignee=? WHERE id=?", (assignee, inv))
            self._event(inv, by, "assigned", {"from": current["assignee"], "to": assignee}, at or _now())

    def note(self, inv: int, text: str, by: str, at: str | None = None) -> None:
        self._require(inv)
        text = (text or "").strip()
        if not text:
            raise InvestigationError("a note needs some text")
        with self._lock, self.db:
            self._event(inv, by, "note", {"text": text[:_MAX_TEXT]}, at or _now())

    def record(self, inv: int, kind: str, details: dict[str, Any], by: str, at: str | None = None) -> None:
        """Append any other event (an alert that fired again, a notification sent)."""
        self._require(inv)
        with self._lock, self.db:
            self._event(inv, by, kind, details, at or _now())

    # -- reads -----------------------------------------------------------------------------
    def get(self, inv: int) -> Investigation | None:
        with self._lock:
            row = self.db.execute("SELECT * FROM investigations WHERE id=?", (inv,)).fetchone()
            if row is None:
                return None
            items = [dict(r) for r in self.db.execute(
                "SELECT doc_id, added_at, added_by FROM investigation_items WHERE investigation_id=?"
                " ORDER BY added_at, doc_id", (inv,))]
            events = [{**dict(r), "details": json.loads(r["details"])} for r in self.db.execute(
                "SELECT at, who, kind, details FROM investigation_events WHERE investigation_id=? ORDER BY id",
                (inv,))]
        return Investigation(**dict(row), items=items, events=events)

    def find_open(self, rule: str, rule_key: str | None) -> int | None:
        """The open (not closed) investigation an alert rule opened for this key, if any."""
        with self._lock:
            row = self.db.execute(
                "SELECT id FROM investigations WHERE rule=? AND rule_key IS ? AND status != 'closed'"
                " ORDER BY id DESC LIMIT 1", (rule, rule_key)).fetchone()
        return int(row["id"]) if row else None

    def list(self, *, status: str | None = None, assignee: str | None = None, doc_id: str | None = None,
             limit: int = 200) -> list[Investigation]:
        sql, params = "SELECT i.* FROM investigations i", []
        where = []
        if doc_id:
            sql += " JOIN investigation_items x ON x.investigation_id = i.id"
            where.append("x.doc_id = ?")
            params.append(doc_id)
        if status:
            where.append("i.status = ?")
            params.append(status)
        if assignee:
            where.append("i.assignee = ?")
            params.append(assignee)
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY i.id DESC LIMIT ?"
        params.append(int(limit))
        with self._lock:
            rows = self.db.execute(sql, params).fetchall()
            counts = {r[0]: r[1] for r in self.db.execute(
                "SELECT investigation_id, COUNT(*) FROM investigation_items GROUP BY investigation_id")}
        out = []
        for row in rows:
            inv = Investigation(**dict(row))
            inv.items = [{}] * counts.get(inv.id, 0)  # only the count is needed in lists
            out.append(inv)
        return out

    def opened_between(self, start: str, end: str) -> list[Investigation]:
        """Investigations opened in [start, end) (ISO-8601 UTC strings), for the digest."""
        with self._lock:
            rows = self.db.execute("SELECT * FROM investigations WHERE created_at >= ? AND created_at < ?"
                                   " ORDER BY id", (start, end)).fetchall()
        return [Investigation(**dict(r)) for r in rows]

    def closed_between(self, start: str, end: str) -> list[Investigation]:
        with self._lock:
            rows = self.db.execute("SELECT * FROM investigations WHERE closed_at >= ? AND closed_at < ?"
                                   " ORDER BY id", (start, end)).fetchall()
        return [Investigation(**dict(r)) for r in rows]

    def close(self) -> None:
        with self._lock:
            self.db.close()

    # -- internals (caller holds the lock and the transaction) ------------------------------
    def _require(self, inv: int) -> sqlite3.Row:
        with self._lock:
            row = self.db.execute("SELECT * FROM investigations WHERE id=?", (inv,)).fetchone()
        if row is None:
            raise InvestigationError(f"investigation {inv} does not exist")
        return row

    def _event(self, inv: int, who: str, kind: str, details: dict[str, Any], at: str) -> None:
        self.db.execute("INSERT INTO investigation_events (investigation_id, at, who, kind, details)"
                        " VALUES (?, ?, ?, ?, ?)", (inv, at, who, kind, json.dumps(details, ensure_ascii=False)))

    def _link(self, inv: int, doc_ids: Iterable[str], by: str, at: str) -> int:
        new = []
        for doc_id in dict.fromkeys(d for d in doc_ids if d):
            cur = self.db.execute("INSERT OR IGNORE INTO investigation_items VALUES (?, ?, ?, ?)", (inv, doc_id, at, by))
            if cur.rowcount:
                new.append(doc_id)
        if new:
            self._event(inv, by, "linked", {"doc_ids": new}, at)
        return len(new)
