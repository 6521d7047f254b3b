"""The operations database (``WEB_DB``): one SQLite file for users, the audit log,
investigations, alert state and saved searches, each store owning its own tables.

Every store opens it the same way, here: one connection shared by threads (the web app serves
requests from a thread pool, so callers hold the store's lock around each use), WAL so readers
never wait for a writer, a 30-second busy timeout for the Airflow task and the web app writing at
once, rows by column name.
"""
from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

#: Tries, 0.1 s apart, to switch a new database file to WAL while another process does the same.
_WAL_TRIES = 100


def enable_wal(db: sqlite3.Connection) -> None:
    """Put the database in WAL mode (it stays so, in the file). Switching needs an exclusive lock,
    and SQLite answers "database is locked" at once, without waiting for its busy timeout, when two
    processes open a new file together (the feed and article spiders do): so retry, boundedly."""
    for attempt in range(_WAL_TRIES):
        try:
            if db.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                db.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or attempt == _WAL_TRIES - 1:
                raise
            time.sleep(0.1)


def open_ops_db(path: str | Path, schema: str) -> tuple[sqlite3.Connection, threading.Lock]:
    """(connection, lock) for ``path``, with ``schema`` (CREATE ... IF NOT EXISTS) applied."""
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(str(path), check_same_thread=False, timeout=30)
    db.row_factory = sqlite3.Row
    enable_wal(db)
    db.executescript(schema)
    return db, threading.Lock()
