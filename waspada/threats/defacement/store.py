"""What the defacement watch remembers, in ``<STATE_DIR>/pages.db`` (SQLite, WAL):

- ``page_baselines``: per URL, the good fetch every check is compared with: final URL, title,
  normalised visible text and its SHA-256, the raw bytes' SHA-256 (the bytes themselves are in
  the evidence store), and the stable region (shingles still present in every good check).
- ``page_checks``: every check's verdict, score and reason (the history `pages status` reads);
  the visible text is kept only for defaced, drift and redirect checks, as evidence.
- ``page_state``: per URL, unreachable checks in a row, and which verdict last alerted and when
  (so a page that stays defaced alerts once, then again only after PAGES_REALERT_HOURS).
- ``page_recent``: per URL, the shingles of the last good check (or of the baseline), the second
  thing a check is compared with (compare.drift_score).
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from waspada import config
from waspada.opsdb import open_ops_db

_SCHEMA = """
CREATE TABLE IF NOT EXISTS page_baselines (
    url TEXT PRIMARY KEY,
    fetched_at TEXT NOT NULL,
    final_url TEXT NOT NULL,
    title TEXT NOT NULL,
    text TEXT NOT NULL,
    text_sha256 TEXT NOT NULL,
    raw_sha256 TEXT NOT NULL,
    evidence_path TEXT NOT NULL,
    stable TEXT NOT NULL,            -- JSON list of shingle hashes
    redirects TEXT NOT NULL,         -- JSON list of the page's own meta/script redirect targets
    reason TEXT NOT NULL             -- first good fetch | re-baselined by hand
);
CREATE TABLE IF NOT EXISTS page_checks (
    id INTEGER PRIMARY KEY,
    url TEXT NOT NULL,
    checked_at TEXT NOT NULL,
    verdict TEXT NOT NULL,           -- baselined | ok | defaced | drift | redirect | unreachable
    reason TEXT NOT NULL DEFAULT '',
    similarity REAL,
    http_status INTEGER,
    final_url TEXT,
    title TEXT,
    raw_sha256 TEXT,
    text_sha256 TEXT,
    text TEXT,                       -- kept for defaced, drift and redirect checks
    alert_id INTEGER
);
CREATE INDEX IF NOT EXISTS page_checks_url ON page_checks (url, id);
CREATE TABLE IF NOT EXISTS page_state (
    url TEXT PRIMARY KEY,
    failures INTEGER NOT NULL DEFAULT 0,
    alerted_verdict TEXT,
    alerted_at TEXT
);
CREATE TABLE IF NOT EXISTS page_recent (
    url TEXT PRIMARY KEY,
    shingles TEXT NOT NULL           -- JSON list of the last good check's shingle hashes
);
"""


@dataclass
class Baseline:
    url: str
    fetched_at: str
    final_url: str
    title: str
    text: str
    text_sha256: str
    raw_sha256: str
    evidence_path: str
    stable: set[int]
    redirects: list[str]
    reason: str


class PageStore:
    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.db, self._lock = open_ops_db(path, _SCHEMA)

    @classmethod
    def from_settings(cls) -> "PageStore":
        return cls(Path(config.get("STATE_DIR")) / "pages.db")

    # -- baselines -------------------------------------------------------------------------
    def baseline(self, url: str) -> Baseline | None:
        with self._lock:
            row = self.db.execute("SELECT * FROM page_baselines WHERE url=?", (url,)).fetchone()
        if row is None:
            return None
        data = dict(row)
        data["stable"] = set(json.loads(data["stable"]))
        data["redirects"] = json.loads(data["redirects"])
        return Baseline(**data)

    def save_baseline(self, base: Baseline) -> None:
        values = {**base.__dict__, "stable": json.dumps(sorted(base.stable)), "redirects": json.dumps(base.redirects)}
        columns = ", ".join(values)
        with self._lock, self.db:
            self.db.execute(f"INSERT OR REPLACE INTO page_baselines ({columns}) VALUES ({', '.join('?' * len(values))})",
                            tuple(values.values()))
            self.db.execute("INSERT INTO page_state (url) VALUES (?) ON CONFLICT (url) DO UPDATE SET failures=0,"
                            " alerted_verdict=NULL, alerted_at=NULL", (base.url,))
            self._set_recent(base.url, base.stable)

    def narrow_stable(self, url: str, stable: set[int], recent: set[int] | None = None) -> None:
        """Keep only the shingles a good check still had: what changed is not stable. ``recent``
        (that check's own shingles) becomes what the next check is also compared with."""
        with self._lock, self.db:
            self.db.execute("UPDATE page_baselines SET stable=? WHERE url=?", (json.dumps(sorted(stable)), url))
            if recent is not None:
                self._set_recent(url, recent)

    def recent(self, url: str) -> set[int] | None:
        """The last good check's shingles; None for a page stored before they were kept."""
        with self._lock:
            row = self.db.execute("SELECT shingles FROM page_recent WHERE url=?", (url,)).fetchone()
        return set(json.loads(row["shingles"])) if row else None

    def _set_recent(self, url: str, shingles: set[int]) -> None:
        self.db.execute("INSERT INTO page_recent (url, shingles) VALUES (?, ?) ON CONFLICT (url) DO UPDATE SET"
                        " shingles=excluded.shingles", (url, json.dumps(sorted(shingles))))

    # -- checks and state ------------------------------------------------------------------
    def record_check(self, url: str, checked_at: str, verdict: str, **fields: Any) -> int:
        values = {"url": url, "checked_at": checked_at, "verdict": verdict, **fields}
        with self._lock, self.db:
            cur = self.db.execute(f"INSERT INTO page_checks ({', '.join(values)}) VALUES ({', '.join('?' * len(values))})",
                                  tuple(values.values()))
        return int(cur.lastrowid)

    def set_check_alert(self, check_id: int, alert_id: int) -> None:
        with self._lock, self.db:
            self.db.execute("UPDATE page_checks SET alert_id=? WHERE id=?", (alert_id, check_id))

    def state(self, url: str) -> dict[str, Any]:
        with self._lock:
            row = self.db.execute("SELECT * FROM page_state WHERE url=?", (url,)).fetchone()
        return dict(row) if row else {"url": url, "failures": 0, "alerted_verdict": None, "alerted_at": None}

    def set_state(self, url: str, **fields: Any) -> None:
        current = {**self.state(url), **fields}
        with self._lock, self.db:
            self.db.execute("INSERT OR REPLACE INTO page_state (url, failures, alerted_verdict, alerted_at)"
                            " VALUES (?, ?, ?, ?)", (url, current["failures"], current["alerted_verdict"],
                                                     current["alerted_at"]))

    def last_checks(self) -> dict[str, dict[str, Any]]:
        """The latest check of every URL, by URL."""
        with self._lock:
            rows = self.db.execute("SELECT c.* FROM page_checks c JOIN (SELECT url, MAX(id) AS id FROM page_checks"
                                   " GROUP BY url) last ON last.id = c.id").fetchall()
        return {r["url"]: {k: r[k] for k in r.keys() if k != "text"} for r in rows}

    def checks(self, url: str, limit: int = 50) -> list[dict[str, Any]]:
        with self._lock:
            rows = self.db.execute("SELECT * FROM page_checks WHERE url=? ORDER BY id DESC LIMIT ?",
                                   (url, int(limit))).fetchall()
        return [dict(r) for r in rows]

    def close(self) -> None:
        with self._lock:
            self.db.close()
