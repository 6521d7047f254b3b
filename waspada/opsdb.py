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
from pathlib import Path


def open_ops_db(path: str | Path, schema: str) -> tuple[sqlite3.Connection, threading.Lock]:
    """(connection, lock) for ``path``, with ``schema`` (CREATE ... IF NOT EXISTS) applied."""
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(str(path), check_same_thread=False, timeout=30)
    db.row_factory = sqlite3.Row
    db.execute("PRAGMA journal_mode=WAL")
    db.executescript(schema)
    return db, threading.Lock()
