"""What one spool record may cost, and what becomes of a record that asks for more.

Crawled content is hostile or broken often enough that the pipeline bounds every record before
it reads it: text is made valid Unicode, a post's text is cut to TEXT_MAX_CHARS (its full length
kept on the document, its full bytes in the evidence), engagement counts become bounded
non-negative integers or are dropped, an impossible publication date is dropped, and oversized
side fields are dropped. Nothing here rejects a record: what cannot be repaired is refused by
``waspada.schema.validate_spool_record`` or by the spool reader (``waspada.spool``) instead.
Each repair is named in ``Bounded.warnings`` and ends up in the document's ``waspada.warnings``.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from waspada.schema import SchemaError, check_time, count

#: Characters of a title kept: a headline, not a second body.
MAX_TITLE_CHARS = 2_000
#: Largest ``http`` or ``context`` object kept, as JSON characters (headers and thread context
#: are small; a 10 MB one would be copied into every evidence sighting).
MAX_SIDE_CHARS = 64 * 1024
_SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass
class Bounded:
    record: dict[str, Any]
    #: Length of the text as crawled when it was cut (else None).
    text_length: int | None = None
    warnings: list[str] = field(default_factory=list)


def valid_unicode(value: Any) -> Any:
    """``value`` with every lone surrogate, in strings and keys at any depth, replaced by U+FFFD.

    JSON may escape half a surrogate pair ("\\ud800"); Python keeps it, and SQLite, UTF-8 files and
    Elasticsearch all refuse it later. Depth is bounded by the spool reader.

    >>> valid_unicode({"t\\ud800": ["a\\udfffb"]})
    {'t\ufffd': ['a\ufffdb']}
    """
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value) if not value.isascii() and _SURROGATE.search(value) else value
    if isinstance(value, dict):
        return {valid_unicode(k): valid_unicode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [valid_unicode(v) for v in value]
    return value


def bound_record(record: dict[str, Any], max_text_chars: int) -> Bounded:
    """Cut and repair a *validated* record in place so that what follows costs a bounded amount."""
    bounded = Bounded(record)
    text = record["text"]
    if len(text) > max_text_chars:
        record["text"] = text[:max_text_chars]
        bounded.text_length = len(text)
        bounded.warnings.append("text_truncated")
    title = record.get("title")
    if title and len(title) > MAX_TITLE_CHARS:
        record["title"] = title[:MAX_TITLE_CHARS]
        bounded.warnings.append("title_truncated")
    if record.get("engagement"):
        kept = {k: n for k, n in ((k, count(v)) for k, v in record["engagement"].items()) if n is not None}
        if len(kept) < len(record["engagement"]):
            bounded.warnings.append("engagement_dropped")
        record["engagement"] = kept
    if record.get("published"):
        try:
            check_time(record["published"], "published")
        except SchemaError:
            # The post still matters; its date does not hold. It is dated by its fetch time and
            # marked published_known: false, like a post without a date.
            record["published"] = None
            bounded.warnings.append("published_out_of_range")
    for name in ("http", "context"):
        if record.get(name) and len(json.dumps(record[name], ensure_ascii=False, default=str)) > MAX_SIDE_CHARS:
            record[name] = None
            bounded.warnings.append(f"{name}_too_large")
    return bounded
