"""The embedded index: one SQLite file, FTS5 for text, so a fresh machine needs no server.

Layout: ``posts`` holds each document as JSON plus the columns filters and sorts need;
``post_values`` holds one row per value of the multi-valued keyword fields (labels, regions,
terms, entities) so they can be filtered and counted with an index; ``posts_fts`` is an FTS5
table over title and text whose rowid is the post's rowid. All three change in one transaction.

Concurrency: WAL lets readers run while one writer writes. Each thread gets its own connection
(sqlite3 connections must not be shared across threads mid-statement) and writes take a lock so
two threads in this process never fight over the write lock (``busy_timeout`` covers other
processes, e.g. an Airflow task writing while the web app reads).
"""
from __future__ import annotations

import html
import json
import sqlite3
import threading
from pathlib import Path
from typing import Any, Iterable

from waspada.index import query as q
from waspada.index.base import BulkResult, Hit, SearchQuery, SearchResult
from waspada.index.common import (DERIVED, FACET_FIELDS, check_facet_field, check_facet_size, check_query,
                                  doc_id_of, deep_merge, score_labels, timestamp_of, utc, with_derived)
from waspada.schema import LABELS, SchemaError

# Snippet markers: private-use characters, stripped from indexed text so crawled content cannot
# forge them; they become <mark> only after the snippet has been HTML-escaped.
_OPEN, _CLOSE = "\ue000", "\ue001"
_SNIPPET_TOKENS = 24
_BATCH = 500

#: Single-valued keyword fields kept as columns: dotted path -> column.
_COLUMNS = {
    "waspada.source.id": "source_id",
    "waspada.source.platform": "platform",
    "waspada.triage.status": "status",
    "waspada.triage.verdict": "verdict",
    "waspada.triage.assignee": "assignee",
    "waspada.post.author": "author",
    "waspada.cluster": "cluster",
    "url.domain": "domain",
}
#: Multi-valued keyword fields kept in post_values.
_MULTI = ("waspada.labels", "waspada.relevance.regions", "waspada.relevance.terms", "waspada.relevance.entities",
          "waspada.post.hashtags", "waspada.post.links", "waspada.claim_match.claim_id",
          "waspada.threats.lookalike.domain", "waspada.threats.lookalike.official", "waspada.threats.cyber.kinds")
assert set(_COLUMNS) | set(_MULTI) == set(FACET_FIELDS)

def _as_list(value: Any) -> list:
    """A multi-valued field's values; a single value (a matched claim's id) is a list of one."""
    if value is None or value == "":
        return []
    return value if isinstance(value, list) else [value]


_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS posts (
    rowid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    ts REAL NOT NULL,                 -- @timestamp, seconds since the epoch (UTC)
    {", ".join(f"{col} TEXT" for col in _COLUMNS.values())},
    {", ".join(f"score_{label} REAL NOT NULL DEFAULT 0" for label in LABELS)},
    max_score REAL NOT NULL DEFAULT 0,
    severity REAL NOT NULL DEFAULT 0,
    doc TEXT NOT NULL                 -- the document as JSON, derived fields included
);
CREATE INDEX IF NOT EXISTS posts_ts ON posts (ts);
CREATE INDEX IF NOT EXISTS posts_severity ON posts (severity);
CREATE INDEX IF NOT EXISTS posts_status ON posts (status, ts);
CREATE INDEX IF NOT EXISTS posts_source ON posts (source_id, ts);
CREATE TABLE IF NOT EXISTS post_values (
    post INTEGER NOT NULL REFERENCES posts (rowid) ON DELETE CASCADE,
    field TEXT NOT NULL,
    value TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS post_values_field ON post_values (field, value, post);
CREATE INDEX IF NOT EXISTS post_values_post ON post_values (post);
CREATE VIRTUAL TABLE IF NOT EXISTS posts_fts USING fts5 (
    title, text, tokenize = 'unicode61 remove_diacritics 2'
);
"""


def _keyset(keys: list[tuple[str, str]], after: tuple | None) -> tuple[str, list[Any]]:
    """``WHERE`` clause selecting rows strictly after the cursor ``after`` in the order ``keys``:
    (k1 beyond v1) OR (k1 = v1 AND k2 beyond v2) OR ..."""
    if after is None:
        return "", []
    if len(after) != len(keys):
        raise ValueError(f"cursor {list(after)!r} does not fit this sort ({len(keys)} values expected); "
                         "start again from the first page")
    ors, params = [], []
    for i, (key, direction) in enumerate(keys):
        parts = [f"{k} = ?" for k, _ in keys[:i]] + [f"{key} {'<' if direction == 'DESC' else '>'} ?"]
        ors.append("(" + " AND ".join(parts) + ")")
        params.extend([*after[:i], after[i]])
    return "WHERE " + " OR ".join(ors), params


def _get_path(doc: dict[str, Any], dotted: str) -> Any:
    """The value at ``dotted``; through a list of objects (look-alike records), each one's value."""
    value: Any = doc
    for part in dotted.split("."):
        if isinstance(value, list):
            value = [item.get(part) for item in value if isinstance(item, dict) and item.get(part) is not None]
        else:
            value = value.get(part) if isinstance(value, dict) else None
    return value


def _fts_text(value: Any) -> str:
    return str(value or "").replace(_OPEN, "").replace(_CLOSE, "")


def _highlight(snippet: str | None) -> str | None:
    if not snippet or _OPEN not in snippet:
        return None
    return html.escape(snippet, quote=True).replace(_OPEN, "<mark>").replace(_CLOSE, "</mark>")


def _public(doc: dict[str, Any]) -> dict[str, Any]:
    """The document as it was given: derived fields are for sorting, not for readers."""
    for name in DERIVED:
        doc.get("waspada", {}).pop(name, None)
    return doc


class SqliteIndex:
    """``Index`` on an SQLite file. ``path`` may be ``":memory:"`` only for single-threaded use."""

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        self._write_lock = threading.Lock()
        self.ensure()

    # --- connections ----------------------------------------------------------------------

    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, timeout=30, check_same_thread=False, isolation_level=None)
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")  # WAL + NORMAL: durable across app crashes
            conn.execute("PRAGMA foreign_keys = ON")
            self._local.conn = conn
            with self._lock:
                self._connections.append(conn)
        return conn

    def ensure(self) -> None:
        with self._write_lock:
            conn = self._conn()
            conn.executescript(_SCHEMA)
            # Keyword columns added in later versions: an older index file gains them empty
            # (documents indexed before keep NULL there until they are re-indexed).
            have = {row[1] for row in conn.execute("PRAGMA table_info(posts)")}
            for column in _COLUMNS.values():
                if column not in have:
                    conn.execute(f"ALTER TABLE posts ADD COLUMN {column} TEXT")
            conn.commit()

    def close(self) -> None:
        with self._lock:
            for conn in self._connections:
                conn.close()
            self._connections.clear()
        self._local = threading.local()

    def refresh(self) -> None:
        """Nothing to do: a committed write is visible to the next read."""

    # --- writes -----------------------------------------------------------------------------

    def upsert(self, docs: Iterable[dict[str, Any]]) -> BulkResult:
        result = BulkResult()
        batch: list[dict[str, Any]] = []
        for doc in docs:
            batch.append(doc)
            if len(batch) >= _BATCH:
                self._write(batch, result)
                batch = []
        if batch:
            self._write(batch, result)
        return result

    def _write(self, docs: list[dict[str, Any]], result: BulkResult) -> None:
        rows = []
        for doc in docs:
            try:
                rows.append(self._row(doc))
            except (SchemaError, TypeError, ValueError) as exc:
                doc_id = (doc.get("waspada") or {}).get("id") if isinstance(doc, dict) else None
                result.failed.append((str(doc_id), str(exc)))
        conn = self._conn()
        with self._write_lock:
            conn.execute("BEGIN IMMEDIATE")
            try:
                for row in rows:
                    self._store(conn, row)
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
        result.indexed += len(rows)

    def _row(self, doc: dict[str, Any]) -> dict[str, Any]:
        doc_id = doc_id_of(doc)
        stored = with_derived(doc)
        row = {
            "id": doc_id,
            "ts": timestamp_of(doc).timestamp(),
            "max_score": stored["waspada"]["max_score"],
            "severity": stored["waspada"]["severity"],
            "doc": json.dumps(stored, ensure_ascii=False, allow_nan=False),
            "title": _fts_text(_get_path(doc, "waspada.post.title")),
            "text": _fts_text(doc.get("text")),
        }
        for label in LABELS:
            row[f"score_{label}"] = float((stored["waspada"].get("scores") or {}).get(label) or 0.0)
        for path, column in _COLUMNS.items():
            value = _get_path(doc, path)
            row[column] = None if value is None else str(value)
        row["values"] = [(path, str(v)) for path in _MULTI for v in _as_list(_get_path(doc, path))]
        return row

    def _store(self, conn: sqlite3.Connection, row: dict[str, Any]) -> None:
        columns = ["id", "ts", *_COLUMNS.values(), *(f"score_{label}" for label in LABELS),
                   "max_score", "severity", "doc"]
        updates = ", ".join(f"{c} = excluded.{c}" for c in columns[1:])
        rowid = conn.execute(
            f"INSERT INTO posts ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))}) "
            f"ON CONFLICT (id) DO UPDATE SET {updates} RETURNING rowid",
            [row[c] for c in columns]).fetchone()[0]
        conn.execute("DELETE FROM post_values WHERE post = ?", (rowid,))
        conn.executemany("INSERT INTO post_values (post, field, value) VALUES (?, ?, ?)",
                         [(rowid, field, value) for field, value in row["values"]])
        conn.execute("DELETE FROM posts_fts WHERE rowid = ?", (rowid,))
        conn.execute("INSERT INTO posts_fts (rowid, title, text) VALUES (?, ?, ?)",
                     (rowid, row["title"], row["text"]))

    def update(self, doc_id: str, partial: dict[str, Any], refresh: bool = True) -> None:
        # ``refresh`` does not matter here: a committed write is visible to the next read.
        conn = self._conn()
        with self._write_lock:
            conn.execute("BEGIN IMMEDIATE")
            try:
                found = conn.execute("SELECT doc FROM posts WHERE id = ?", (doc_id,)).fetchone()
                if found is None:
                    raise KeyError(f"no document with id {doc_id!r} in {self.path}")
                merged = deep_merge(_public(json.loads(found[0])), partial)
                self._store(conn, self._row(merged))
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise

    # --- reads --------------------------------------------------------------------------------

    def get(self, doc_id: str) -> dict[str, Any] | None:
        found = self._conn().execute("SELECT doc FROM posts WHERE id = ?", (doc_id,)).fetchone()
        return _public(json.loads(found[0])) if found else None

    def _where(self, query: SearchQuery) -> tuple[str, list[Any], str | None]:
        """SQL conditions on ``p`` (posts) for ``query``, their parameters, and the FTS5 MATCH
        expression (None when the text has nothing positive to match)."""
        check_query(query)
        match, exclude = q.to_fts5(q.parse(query.text))
        where: list[str] = []
        params: list[Any] = []
        if exclude:
            where.append("p.rowid NOT IN (SELECT rowid FROM posts_fts WHERE posts_fts MATCH ?)")
            params.append(exclude)
        if query.labels:
            where.append(f"p.rowid IN (SELECT post FROM post_values WHERE field = 'waspada.labels' "
                         f"AND value IN ({', '.join('?' * len(query.labels))}))")
            params.extend(query.labels)
        if query.min_score is not None:
            where.append("(" + " OR ".join(f"p.score_{label} >= ?" for label in score_labels(query)) + ")")
            params.extend([query.min_score] * len(score_labels(query)))
        if query.max_score is not None:  # the highest score is at most max: every score is
            where.append("(" + " AND ".join(f"p.score_{label} <= ?" for label in score_labels(query)) + ")")
            params.extend([query.max_score] * len(score_labels(query)))
        if query.date_from is not None:
            where.append("p.ts >= ?")
            params.append(utc(query.date_from).timestamp())
        if query.date_to is not None:
            where.append("p.ts < ?")
            params.append(utc(query.date_to).timestamp())
        for values, column in ((query.sources, "source_id"), (query.platforms, "platform"),
                               (query.statuses, "status"), (query.assignees, "assignee"),
                               (query.clusters, "cluster"), (query.domains, "domain")):
            if values:
                where.append(f"p.{column} IN ({', '.join('?' * len(values))})")
                params.extend(values)
        for values, field in ((query.regions, "waspada.relevance.regions"), (query.claims, "waspada.claim_match.claim_id"),
                              (query.lookalikes, "waspada.threats.lookalike.domain"),
                              (query.cyber, "waspada.threats.cyber.kinds")):
            if values:
                where.append(f"p.rowid IN (SELECT post FROM post_values WHERE field = '{field}' "
                             f"AND value IN ({', '.join('?' * len(values))}))")
                params.extend(values)
        if match:
            where.append("posts_fts MATCH ?")
            params.append(match)
        return (" AND ".join(where) or "1"), params, match

    def _from(self, match: str | None) -> str:
        return "posts_fts JOIN posts p ON p.rowid = posts_fts.rowid" if match else "posts p"

    def search(self, query: SearchQuery) -> SearchResult:
        where, params, match = self._where(query)
        conn = self._conn()
        # bm25 is "lower is better"; weigh a title match twice a body match.
        rank = "-bm25(posts_fts, 2.0, 1.0)" if match else "0.0"
        # Sort keys, most significant first, and their direction; the last is unique (the id).
        keys = {"relevance": [("rank", "DESC"), ("ts", "DESC"), ("id", "ASC")],
                "time": [("ts", "DESC"), ("id", "ASC")],
                "severity": [("severity", "DESC"), ("ts", "DESC"), ("id", "ASC")]}[query.sort]
        order = ", ".join(f"{k} {d}" for k, d in keys)
        after_sql, after_params = _keyset(keys, query.after)
        try:
            # Rank only rowids; fetch documents and snippets for the page alone, or the sorter
            # would carry them for every match.
            page = conn.execute(
                f"SELECT rowid, rank, {', '.join(k for k, _ in keys if k != 'rank')} FROM ("
                f"SELECT p.rowid AS rowid, {rank} AS rank, p.ts AS ts, p.id AS id, p.severity AS severity "
                f"FROM {self._from(match)} WHERE {where}) {after_sql} ORDER BY {order} LIMIT ? OFFSET ?",
                [*params, *after_params, query.size, query.offset]).fetchall()
            total = conn.execute(f"SELECT count(*) FROM {self._from(match)} WHERE {where}", params).fetchone()[0]
            rowids = [row[0] for row in page]
            marks = ", ".join("?" * len(rowids))
            docs = dict(conn.execute(f"SELECT rowid, doc FROM posts WHERE rowid IN ({marks})", rowids).fetchall())
            snippets: dict[int, tuple[str, str]] = {}
            if match and rowids:
                for rowid, title, text in conn.execute(
                        f"SELECT rowid, snippet(posts_fts, 0, '{_OPEN}', '{_CLOSE}', '…', {_SNIPPET_TOKENS}), "
                        f"snippet(posts_fts, 1, '{_OPEN}', '{_CLOSE}', '…', {_SNIPPET_TOKENS}) "
                        f"FROM posts_fts WHERE posts_fts MATCH ? AND rowid IN ({marks})", [match, *rowids]):
                    snippets[rowid] = (title, text)
        except sqlite3.OperationalError as exc:
            # The parser quotes every term, so this is an engine limit, not user syntax.
            raise q.QuerySyntaxError(f"search {query.text!r} could not be run: {exc}", "engine", query.text,
                                     detail=str(exc)) from None
        hits = []
        for rowid, score, *rest in page:
            doc = _public(json.loads(docs[rowid]))
            title, text = snippets.get(rowid, (None, None))
            values = dict(zip([k for k, _ in keys if k != "rank"], rest), rank=score)
            hits.append(Hit(id=doc["waspada"]["id"], score=float(score), doc=doc,
                            highlights=[h for h in (_highlight(title), _highlight(text)) if h],
                            cursor=[values[k] for k, _ in keys]))
        return SearchResult(total=total, hits=hits)

    def count(self, query: SearchQuery | None = None) -> int:
        where, params, match = self._where(query or SearchQuery())
        return self._conn().execute(f"SELECT count(*) FROM {self._from(match)} WHERE {where}", params).fetchone()[0]

    def facets(self, field: str, query: SearchQuery | None = None, size: int = 20) -> dict[str, int]:
        check_facet_field(field)
        check_facet_size(size)
        where, params, match = self._where(query or SearchQuery())
        matching = f"SELECT p.rowid FROM {self._from(match)} WHERE {where}"
        if field in _COLUMNS:
            column = _COLUMNS[field]
            sql = (f"SELECT {column}, count(*) AS n FROM posts WHERE rowid IN ({matching}) "
                   f"AND {column} IS NOT NULL GROUP BY {column} ORDER BY n DESC, {column} LIMIT ?")
            rows = self._conn().execute(sql, [*params, size]).fetchall()
        else:
            sql = (f"SELECT value, count(DISTINCT post) AS n FROM post_values WHERE field = ? "
                   f"AND post IN ({matching}) GROUP BY value ORDER BY n DESC, value LIMIT ?")
            rows = self._conn().execute(sql, [field, *params, size]).fetchall()
        return {value: n for value, n in rows}
