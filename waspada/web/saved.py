"""Saved searches: an analyst's named searches (the search form's query string), kept in the
operations database beside the users, private to their owner."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from waspada.opsdb import open_ops_db

_SCHEMA = """
CREATE TABLE IF NOT EXISTS saved_searches (
    id INTEGER PRIMARY KEY,
    owner TEXT NOT NULL,
    name TEXT NOT NULL,
    query TEXT NOT NULL,            -- the search page's URL query string
    created_at TEXT NOT NULL,
    UNIQUE (owner, name)
);
"""
MAX_PER_USER = 100


class SavedSearchError(ValueError):
    """A saved search cannot be stored as asked; the message says why."""


@dataclass
class SavedSearch:
    id: int
    owner: str
    name: str
    query: str
    created_at: str


class SavedSearches:
    def __init__(self, path: str | Path) -> None:
        self.db, self._lock = open_ops_db(path, _SCHEMA)

    def save(self, owner: str, name: str, query: str) -> int:
        """Store (or replace, by name) one of ``owner``'s searches."""
        name = " ".join((name or "").split())[:100]
        if not name:
            raise SavedSearchError("beri nama pencarian yang disimpan")
        if len(query) > 4000:
            raise SavedSearchError("pencarian terlalu panjang untuk disimpan")
        with self._lock, self.db:
            count = self.db.execute("SELECT COUNT(*) FROM saved_searches WHERE owner=? AND name != ?",
                                    (owner, name)).fetchone()[0]
            if count >= MAX_PER_USER:
                raise SavedSearchError(f"sudah ada {MAX_PER_USER} pencarian tersimpan; hapus yang tidak dipakai")
            self.db.execute("INSERT INTO saved_searches (owner, name, query, created_at) VALUES (?, ?, ?, ?) "
                            "ON CONFLICT (owner, name) DO UPDATE SET query=excluded.query, created_at=excluded.created_at",
                            (owner, name, query, datetime.now(timezone.utc).isoformat(timespec="seconds")))
            return int(self.db.execute("SELECT id FROM saved_searches WHERE owner=? AND name=?",
                                       (owner, name)).fetchone()[0])

    def list(self, owner: str) -> list[SavedSearch]:
        with self._lock:
            rows = self.db.execute("SELECT * FROM saved_searches WHERE owner=? ORDER BY name", (owner,)).fetchall()
        return [SavedSearch(**dict(r)) for r in rows]

    def delete(self, owner: str, saved_id: int) -> bool:
        """Delete one of ``owner``'s searches; False if it is not theirs or not there."""
        with self._lock, self.db:
            return bool(self.db.execute("DELETE FROM saved_searches WHERE id=? AND owner=?",
                                        (saved_id, owner)).rowcount)
