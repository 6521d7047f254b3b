"""Exact and near-duplicate detection that remembers across runs.

The same post reaches us through several feeds, syndicated portals and copy-paste accounts.
Exact duplicates are caught by a hash of the normalised text; near-duplicates (a headline
changed, a paragraph added) by MinHash over word 3-shingles with LSH banding, so a new post is
compared only with the few earlier posts that share a band, not with all of them.

State lives in a small SQLite file so a duplicate seen yesterday is still a duplicate today. A
post that comes back under its *own* id (a re-run of the same spool) is not a duplicate: re-runs
must overwrite, not vanish.
"""
from __future__ import annotations

import hashlib
import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import numpy as np

NUM_PERM = 128
BANDS = 32  # 32 bands x 4 rows: a pair at Jaccard 0.8 shares some band with p > 0.9999
ROWS = NUM_PERM // BANDS
SHINGLE = 3
_MERSENNE = np.uint64((1 << 61) - 1)
_rng = np.random.default_rng(20240214)  # fixed: signatures must be comparable across runs
_A = _rng.integers(1, 1 << 32, NUM_PERM, dtype=np.uint64)
_B = _rng.integers(0, 1 << 32, NUM_PERM, dtype=np.uint64)
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class Duplicate:
    kind: str  # "exact" or "near"
    of: str  # id of the earlier document
    similarity: float


def text_hash(text: str) -> str:
    words = _WORD.findall(text.lower())
    return hashlib.sha256(" ".join(words).encode("utf-8")).hexdigest()


def signature(text: str) -> np.ndarray | None:
    """MinHash signature of the word shingles, or None for texts too short to judge."""
    words = _WORD.findall(text.lower())
    if len(words) < SHINGLE + 2:
        return None
    shingles = {" ".join(words[i:i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)}
    hashes = np.fromiter((int.from_bytes(hashlib.blake2b(s.encode(), digest_size=8).digest(), "little")
                          for s in shingles), dtype=np.uint64, count=len(shingles))
    # 32-bit shingle hashes and 32-bit multipliers keep a*x + b inside uint64 (no silent wrap).
    hashes &= np.uint64(0xFFFFFFFF)
    perms = (hashes[:, None] * _A[None, :] + _B[None, :]) % _MERSENNE
    return perms.min(axis=0)


class DedupStore:
    def __init__(self, path: str | Path, threshold: float = 0.9) -> None:
        if not 0.0 < threshold <= 1.0:
            raise ValueError(f"near-duplicate threshold {threshold} must be in (0, 1]")
        self.threshold = threshold
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(str(path))
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.executescript("""
            CREATE TABLE IF NOT EXISTS texts (hash TEXT PRIMARY KEY, doc_id TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS sigs (doc_id TEXT PRIMARY KEY, sig BLOB NOT NULL);
            CREATE TABLE IF NOT EXISTS bands (band TEXT NOT NULL, doc_id TEXT NOT NULL,
                                              PRIMARY KEY (band, doc_id));
        """)

    def check_and_add(self, doc_id: str, text: str) -> Duplicate | None:
        """The earlier document this text duplicates, or None (and remember this one)."""
        digest = text_hash(text)
        row = self.db.execute("SELECT doc_id FROM texts WHERE hash=?", (digest,)).fetchone()
        if row and row[0] != doc_id:
            return Duplicate("exact", row[0], 1.0)
        sig = signature(text)
        bands = [] if sig is None else [f"{i}:{sig[i * ROWS:(i + 1) * ROWS].tobytes().hex()}" for i in range(BANDS)]
        if sig is not None:
            best = self._nearest(doc_id, sig, bands)
            if best is not None:
                return best
        with self.db:
            self.db.execute("INSERT OR REPLACE INTO texts VALUES (?, ?)", (digest, doc_id))
            if sig is not None:
                self.db.execute("INSERT OR REPLACE INTO sigs VALUES (?, ?)", (doc_id, sig.tobytes()))
                self.db.executemany("INSERT OR IGNORE INTO bands VALUES (?, ?)", [(b, doc_id) for b in bands])
        return None

    def _nearest(self, doc_id: str, sig: np.ndarray, bands: list[str]) -> Duplicate | None:
        marks = ",".join("?" * len(bands))
        candidates = [r[0] for r in self.db.execute(
            f"SELECT DISTINCT doc_id FROM bands WHERE band IN ({marks}) AND doc_id != ?", (*bands, doc_id))]
        best: Duplicate | None = None
        for cand in candidates:
            row = self.db.execute("SELECT sig FROM sigs WHERE doc_id=?", (cand,)).fetchone()
            if not row:
                continue
            similarity = float(np.mean(np.frombuffer(row[0], dtype=np.uint64) == sig))
            if similarity >= self.threshold and (best is None or similarity > best.similarity):
                best = Duplicate("near", cand, similarity)
        return best

    def close(self) -> None:
        self.db.close()
