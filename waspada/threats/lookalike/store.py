"""The memory of look-alike domains: one row per domain `waspada domains scan` found in the index,
with the official domain it imitates, when posts carrying it were published (earliest and latest
seen so far) and how many indexed posts carry it now.

Kept apart from the index so a domain seen once stays known after its posts age out of the index
or are deleted: the first sighting is never forgotten, only pushed earlier.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from waspada import config
from waspada.opsdb import open_ops_db

SCHEMA = """
CREATE TABLE IF NOT EXISTS lookalike_domains (
    domain TEXT PRIMARY KEY,       -- punycode for non-ASCII names (lookalike.ascii_domain)
    official TEXT NOT NULL,        -- the election body's domain it imitates
    kind TEXT NOT NULL,            -- homoglyph | tld_swap | embedded | added_words | typosquat
    detail TEXT NOT NULL,
    first_seen TEXT NOT NULL,      -- publication time (UTC) of the earliest post seen carrying it
    last_seen TEXT NOT NULL,       -- ... of the latest
    posts INTEGER NOT NULL,        -- indexed posts carrying it at the last scan that found it
    last_scan TEXT NOT NULL        -- when a scan last found it in the index
);
"""
_FIELDS = ("domain", "official", "kind", "detail", "first_seen", "last_seen", "posts", "last_scan")


@dataclass(frozen=True)
class KnownLookalike:
    domain: str
    official: str
    kind: str
    detail: str
    first_seen: str
    last_seen: str
    posts: int
    last_scan: str


class LookalikeStore:
    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.db, self.lock = open_ops_db(self.path, SCHEMA)

    @classmethod
    def from_settings(cls) -> "LookalikeStore":
        return cls(config.get("LOOKALIKE_DB"))

    def remember(self, found: list[KnownLookalike]) -> None:
        """Insert or update by domain: sightings widen (earliest stays earliest), the rest is the latest scan's."""
        rows = [tuple(getattr(f, name) for name in _FIELDS) for f in found]
        with self.lock, self.db:
            self.db.executemany(
                f"INSERT INTO lookalike_domains ({', '.join(_FIELDS)}) VALUES ({', '.join('?' for _ in _FIELDS)}) "
                "ON CONFLICT(domain) DO UPDATE SET official=excluded.official, kind=excluded.kind, "
                "detail=excluded.detail, posts=excluded.posts, last_scan=excluded.last_scan, "
                "first_seen=min(first_seen, excluded.first_seen), last_seen=max(last_seen, excluded.last_seen)",
                rows)

    def all(self) -> list[KnownLookalike]:
        """Every remembered domain, the most recently seen first."""
        with self.lock:
            rows = self.db.execute(f"SELECT {', '.join(_FIELDS)} FROM lookalike_domains "
                                   "ORDER BY last_seen DESC, domain").fetchall()
        return [KnownLookalike(**dict(row)) for row in rows]

    def close(self) -> None:
        self.db.close()
