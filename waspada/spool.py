"""Reading the crawl spool, and remembering which spool files are done.

Crawlers write ``<SPOOL_DIR>/<source_id>/<window>.jsonl`` (a ``.part`` file while the crawl runs,
renamed when it closes), and raw page bytes under ``<SPOOL_DIR>/blobs/``. A spool file counts as
done only after every record in it was indexed, dead-lettered or skipped for a reason; until then
it is picked up again by the next run, so a crash between crawl and index loses nothing.
A file is recorded by path *and* content hash: the same bytes are never processed twice, and a
re-crawl that rewrote the window's file is processed again (its ids overwrite the earlier ones).
"""
from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterator

from waspada.evidence import sha256_file as file_digest  # a spool file is known by its SHA-256 too

RESERVED_DIRS = {"blobs", "_stats"}


@dataclass
class SpoolLine:
    origin: str  # "<file>:<line>" for dead-letter entries and logs
    raw: str
    record: dict[str, Any] | None  # None when the line is not a JSON object
    error: str | None


def spool_files(spool_dir: Path) -> list[Path]:
    """Complete spool files, oldest window first."""
    if not spool_dir.exists():
        return []
    files = [p for p in spool_dir.glob("*/*.jsonl") if p.parent.name not in RESERVED_DIRS]
    return sorted(files, key=lambda p: (p.stem, p.parent.name))


def read_spool(path: Path) -> Iterator[SpoolLine]:
    with open(path, "rb") as fh:
        for number, raw_bytes in enumerate(fh, start=1):
            origin = f"{path.name}:{number}" if path.parent is None else f"{path.parent.name}/{path.name}:{number}"
            raw = raw_bytes.decode("utf-8", errors="replace").strip()
            if not raw:
                continue
            try:
                record = json.loads(raw)
            except json.JSONDecodeError as exc:
                yield SpoolLine(origin, raw, None, f"line is not JSON ({exc.msg} at column {exc.colno})")
                continue
            if not isinstance(record, dict):
                yield SpoolLine(origin, raw, None, f"line is JSON {type(record).__name__}, expected an object")
                continue
            yield SpoolLine(origin, raw, record, None)


class SpoolLedger:
    """Which spool files (by path and content) were fully processed, and what came of them."""

    def __init__(self, db_path: Path) -> None:
        db_path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(str(db_path))
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("""CREATE TABLE IF NOT EXISTS processed (
            path TEXT NOT NULL, sha256 TEXT NOT NULL, done_at TEXT NOT NULL, summary TEXT NOT NULL,
            PRIMARY KEY (path, sha256))""")

    def is_done(self, path: Path, digest: str) -> bool:
        return self.db.execute("SELECT 1 FROM processed WHERE path=? AND sha256=?",
                               (str(path), digest)).fetchone() is not None

    def mark_done(self, path: Path, digest: str, summary: dict[str, Any]) -> None:
        with self.db:
            self.db.execute("INSERT OR REPLACE INTO processed VALUES (?, ?, ?, ?)",
                            (str(path), digest, datetime.now(timezone.utc).isoformat(timespec="seconds"),
                             json.dumps(summary)))

    def close(self) -> None:
        self.db.close()
