"""Reading the crawl spool, and remembering which spool files are done.

Crawlers write ``<SPOOL_DIR>/<source_id>/<window>.jsonl`` (a ``.part`` file while the crawl runs,
renamed when it closes), and raw page bytes under ``<SPOOL_DIR>/blobs/``. A spool file counts as
done only after every record in it was indexed, dead-lettered or skipped for a reason; until then
it is picked up again by the next run, so a crash between crawl and index loses nothing.
A file is recorded by path *and* content hash: the same bytes are never processed twice, and a
re-crawl that rewrote the window's file is processed again (its ids overwrite the earlier ones).
"""
from __future__ import annotations

import hashlib
import json
import re
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, BinaryIO, Iterator

from waspada.evidence import sha256_file as file_digest  # a spool file is known by its SHA-256 too

RESERVED_DIRS = {"blobs", "_stats"}
#: Longest spool line read. The crawler keeps pages up to CRAWL_MAX_BYTES (10 MB) and JSON may
#: escape every character as six bytes; a longer line is dead-lettered by its hash unread.
MAX_LINE_BYTES = 64 * 1024 * 1024
#: Deepest JSON nesting read. Records nest two or three levels; json.loads recurses per level,
#: so a line of 100,000 "[" must be refused before it is parsed, not by a RecursionError after.
MAX_DEPTH = 64
#: Most digits of a JSON integer. Counts and versions need a dozen; Python refuses to convert
#: more than 4,300 (ValueError), and fewer still are already absurd.
MAX_INT_DIGITS = 40

# Checked on the raw line, cheaply: strings (where brackets and digits mean nothing) are blanked
# first; what is left of a real record is a few hundred characters.
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"')
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_EMPTY_PAIR = re.compile(r"\[\]|\{\}")
_LONG_INT = re.compile(r"(?<![\d.])-?\d{%d,}(?![\d.eE])" % (MAX_INT_DIGITS + 1))


@dataclass
class SpoolLine:
    origin: str  # "<file>:<line>" for dead-letter entries and logs
    raw: str
    record: dict[str, Any] | None  # None when the line is not a JSON object
    error: str | None
    #: Short reason for a refused line (``not_json``, ``too_deep`` ...), as the dead-letter files it.
    code: str | None = None
    #: The line exactly as read (None when it was too long to keep: then only its size and SHA-256).
    raw_bytes: bytes | None = None
    size: int = 0
    sha256: str = ""


def spool_files(spool_dir: Path) -> list[Path]:
    """Complete spool files, oldest window first."""
    if not spool_dir.exists():
        return []
    files = [p for p in spool_dir.glob("*/*.jsonl") if p.parent.name not in RESERVED_DIRS]
    return sorted(files, key=lambda p: (p.stem, p.parent.name))


def structure_problem(raw: str) -> tuple[str, str] | None:
    """(code, reason) when the line nests deeper than MAX_DEPTH or holds an integer longer than
    MAX_INT_DIGITS, checked without parsing it; None when it may be parsed."""
    skeleton = _STRING.sub('""', raw)
    long_int = _LONG_INT.search(skeleton)
    if long_int:
        return "number_too_long", (f"line holds an integer of {len(long_int.group(0).lstrip('-'))} digits "
                                   f"(at most {MAX_INT_DIGITS}): {long_int.group(0)[:20]}...")
    brackets = _NOT_BRACKET.sub("", skeleton)
    # Each pass removes the innermost level; balanced brackets are gone after `depth` passes.
    for _ in range(MAX_DEPTH):
        if not brackets:
            return None
        shorter = _EMPTY_PAIR.sub("", brackets)
        if shorter == brackets:
            return None  # unbalanced: not JSON, and json.loads says where (it fails before recursing far)
        brackets = shorter
    if brackets and _EMPTY_PAIR.search(brackets):
        return "too_deep", f"line nests deeper than {MAX_DEPTH} levels of arrays and objects"
    return None


def _lines(fh: BinaryIO) -> Iterator[tuple[bytes | None, int, str]]:
    """(bytes, size, sha256) per line; bytes is None for a line over MAX_LINE_BYTES, which is
    hashed while it is skipped rather than held in memory."""
    while True:
        chunk = fh.readline(MAX_LINE_BYTES + 1)
        if not chunk:
            return
        if len(chunk) <= MAX_LINE_BYTES or chunk.endswith(b"\n"):
            yield chunk, len(chunk), ""
            continue
        digest, size = hashlib.sha256(chunk), len(chunk)
        while not chunk.endswith(b"\n"):
            chunk = fh.readline(1 << 20)
            if not chunk:
                break
            digest.update(chunk)
            size += len(chunk)
        yield None, size, digest.hexdigest()


def read_spool(path: Path) -> Iterator[SpoolLine]:
    """Every non-blank line of a spool file, parsed when it can be, never raising on content."""
    with open(path, "rb") as fh:
        for number, (raw_bytes, size, digest) in enumerate(_lines(fh), start=1):
            origin = f"{path.parent.name}/{path.name}:{number}"
            if raw_bytes is None:
                yield SpoolLine(origin, "", None, f"line is {size} bytes, over the {MAX_LINE_BYTES} read",
                                "line_too_large", None, size, digest)
                continue
            raw = raw_bytes.decode("utf-8", errors="replace").strip()
            if not raw:
                continue
            line = SpoolLine(origin, raw, None, None, None, raw_bytes.rstrip(b"\r\n"), size)
            problem = structure_problem(raw)
            if problem:
                line.code, line.error = problem
                yield line
                continue
            try:
                record = json.loads(raw)
            except json.JSONDecodeError as exc:
                line.code, line.error = "not_json", f"line is not JSON ({exc.msg} at column {exc.colno})"
            except (ValueError, RecursionError) as exc:  # what the checks above should already catch
                line.code, line.error = "not_json", f"line cannot be parsed: {type(exc).__name__}: {exc}"
            else:
                if isinstance(record, dict):
                    line.record = record
                else:
                    line.code, line.error = "not_object", f"line is JSON {type(record).__name__}, expected an object"
            yield line


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
