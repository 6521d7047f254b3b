"""The claims database: one row per debunked claim, filled by the pipeline from fact-check posts.

Kept apart from the post index because claims are matched in memory on every run and their
sentence vectors are cached here, keyed by the model that computed them (a new model recomputes).
"""
from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np

from waspada.claims.extract import Claim
from waspada.opsdb import open_ops_db

SCHEMA = """
CREATE TABLE IF NOT EXISTS claims (
    id TEXT PRIMARY KEY,
    url TEXT NOT NULL,
    source_id TEXT NOT NULL,
    title TEXT NOT NULL,
    verdict TEXT NOT NULL,
    claim TEXT NOT NULL,
    explanation TEXT NOT NULL,
    published TEXT NOT NULL,
    vector BLOB,
    vector_model TEXT
);
"""
_FIELDS = [f.name for f in dataclasses.fields(Claim)]


class ClaimStore:
    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.db, self.lock = open_ops_db(self.path, SCHEMA)

    def add(self, claims: list[Claim]) -> int:
        """Insert or update by id (a re-crawled fact-check may have been corrected); returns how many."""
        rows = [tuple(getattr(c, f) for f in _FIELDS) for c in claims]
        with self.lock, self.db:
            self.db.executemany(
                f"INSERT INTO claims ({', '.join(_FIELDS)}) VALUES ({', '.join('?' for _ in _FIELDS)}) "
                f"ON CONFLICT(id) DO UPDATE SET {', '.join(f'{f}=excluded.{f}' for f in _FIELDS[1:])}, "
                "vector=CASE WHEN claims.title=excluded.title AND claims.claim=excluded.claim THEN claims.vector END",
                rows)
        return len(rows)

    def all(self) -> list[Claim]:
        with self.lock:
            rows = self.db.execute(f"SELECT {', '.join(_FIELDS)} FROM claims ORDER BY published, id").fetchall()
        return [Claim(**dict(r)) for r in rows]

    def get(self, claim_id: str) -> Claim | None:
        with self.lock:
            row = self.db.execute(f"SELECT {', '.join(_FIELDS)} FROM claims WHERE id = ?", (claim_id,)).fetchone()
        return Claim(**dict(row)) if row else None

    def count(self) -> int:
        with self.lock:
            return self.db.execute("SELECT COUNT(*) FROM claims").fetchone()[0]

    def vectors(self, model_id: str) -> dict[str, np.ndarray]:
        """Cached sentence vectors computed by ``model_id``."""
        with self.lock:
            rows = self.db.execute("SELECT id, vector FROM claims WHERE vector IS NOT NULL AND vector_model = ?", (model_id,)).fetchall()
        return {r["id"]: np.frombuffer(r["vector"], dtype=np.float32) for r in rows}

    def save_vectors(self, model_id: str, vectors: dict[str, np.ndarray]) -> None:
        with self.lock, self.db:
            self.db.executemany("UPDATE claims SET vector = ?, vector_model = ? WHERE id = ?",
                                [(np.asarray(v, dtype=np.float32).tobytes(), model_id, k) for k, v in vectors.items()])

    def close(self) -> None:
        self.db.close()
