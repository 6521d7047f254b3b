"""Where records go when they cannot be processed, with the reason, so nothing is lost silently.

One JSON Lines file per UTC day. Each line says which stage refused the record, why (a short
``code`` such as ``invalid_url`` and a sentence), which exception if one was raised, where the
record came from (spool file and line), and keeps the raw input so it can be fixed and replayed.

Writing a letter must not fail on what the record holds: a poisonous record that crashes the
dead-letter writer would stop the run it was meant to save. So every text is made writable
(lone surrogates escaped as ``\\udXXX``, control characters escaped by JSON), every field is capped
(the original length noted), and the raw line's exact bytes are kept as base64 when small and as
their SHA-256 always. Only the disk can make ``add`` raise.
"""
from __future__ import annotations

import base64
import hashlib
import json
import logging
import os
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)
RAW_CAP = 20_000  # characters of the raw input kept; a 50 MB line must not become a 50 MB letter
FIELD_CAP = 2_000  # characters of a reason, an origin or an error message
BASE64_CAP = 64 * 1024  # raw lines up to this many bytes are also kept byte for byte


def writable(text: str, cap: int) -> tuple[str, int | None]:
    """``text`` cut to ``cap`` characters with lone surrogates escaped, and its original length
    when it was cut (else None).

    >>> writable("a\\ud800b", 10)
    ('a\\\\ud800b', None)
    """
    length = len(text)
    text = text[:cap].encode("utf-8", "backslashreplace").decode("utf-8")
    return text, (length if length > cap else None)


def _as_text(raw: Any) -> str:
    """Any raw value as text. A record may hold what ``json.dumps`` refuses (an integer past
    Python's digit limit, nesting past the recursion limit), so every way has a fallback."""
    if isinstance(raw, str):
        return raw
    if isinstance(raw, (bytes, bytearray)):
        return bytes(raw).decode("utf-8", "backslashreplace")
    try:
        return json.dumps(raw, ensure_ascii=False, default=str)
    except (ValueError, TypeError, RecursionError):
        try:
            return repr(raw)
        except (ValueError, RecursionError):
            return f"<a {type(raw).__name__} that cannot be written out>"


class DeadLetter:
    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)
        self.count = 0

    def add(self, *, stage: str, reason: str, origin: str, raw: Any, code: str | None = None,
            error: BaseException | None = None, raw_bytes: bytes | None = None,
            line_size: int | None = None, line_sha256: str | None = None) -> dict[str, Any]:
        """Append one letter and return it. ``raw`` is what to show (the spool line, or the record);
        ``raw_bytes`` the line exactly as read, when the caller has it, or else ``line_size`` and
        ``line_sha256`` of a line too long to hold."""
        now = datetime.now(timezone.utc)
        entry: dict[str, Any] = {"at": now.isoformat(timespec="seconds")}
        code = code or ("exception" if error is not None else stage)
        for name, value in (("stage", stage), ("code", code), ("reason", reason), ("origin", origin)):
            entry[name], cut = writable(str(value), FIELD_CAP)
            if cut is not None:
                entry[f"{name}_length"] = cut
        if error is not None:
            entry["error"] = {"type": type(error).__name__, "message": writable(_message(error), FIELD_CAP)[0]}
        text = _as_text(raw)
        entry["raw"], cut = writable(text, RAW_CAP)
        entry["truncated"] = cut is not None
        if cut is not None:
            entry["raw_length"] = cut
        if raw_bytes is not None:
            entry["line_bytes"] = len(raw_bytes)
            entry["line_sha256"] = hashlib.sha256(raw_bytes).hexdigest()
            if len(raw_bytes) <= BASE64_CAP:
                entry["line_base64"] = base64.b64encode(raw_bytes).decode("ascii")
        elif line_sha256:
            entry["line_bytes"], entry["line_sha256"] = line_size, line_sha256
        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.root / f"{now:%Y-%m-%d}.jsonl", "a", encoding="utf-8") as fh:
            fh.write(_one_line(json.dumps(entry, ensure_ascii=False)) + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        self.count += 1
        log.warning("dead-letter [%s/%s] %s: %s", stage, entry["code"], entry["origin"], entry["reason"][:300])
        return entry


# Characters str.splitlines() breaks lines at that JSON leaves unescaped: a reader of the file
# must see one letter per line however it splits.
_LINE_BREAKS = str.maketrans({"\u2028": "\\u2028", "\u2029": "\\u2029", "\x85": "\\u0085"})


def _one_line(text: str) -> str:
    return text.translate(_LINE_BREAKS)


def _message(error: BaseException) -> str:
    try:
        return str(error)
    except Exception:  # noqa: BLE001 - an exception whose __str__ fails still gets a letter
        return f"<{type(error).__name__} whose message cannot be shown>"
