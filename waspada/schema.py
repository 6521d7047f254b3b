"""The two record shapes everything else agrees on.

*Spool records* are what crawlers write, one JSON object per line, before anything is judged.
*Documents* are what the index holds: ECS-style (``@timestamp`` is the post's publication time,
``event.created`` the fetch time, ``event.ingested`` the index time) with project fields under
``waspada.*``. Searchable text is ``text``. Ids derive from the canonical URL (or the platform's
native id) so a re-run overwrites instead of duplicating.

Crawlers import only this module (and ``waspada.config``), so it must stay free of heavy imports.
"""
from __future__ import annotations

import hashlib
import math
import re
from datetime import datetime, timedelta, timezone
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from waspada.evidence import is_sha256  # stdlib-only, like this module

ECS_VERSION = "8.17.0"
SPOOL_VERSION = 1
LABELS = ("hoax", "provocation")

# Query parameters that only track the reader; two URLs differing only in these are one article.
_TRACKING_PARAMS = {"fbclid", "gclid", "utm_source", "utm_medium", "utm_campaign", "utm_term",
                    "utm_content", "ref", "_ga", "amp", "s", "source"}

# Hashtags as platforms write them: '#' then letters/digits/underscore, not inside a word or URL.
_HASHTAG = re.compile(r"(?<![\w/&#])#(\w{2,60})", re.UNICODE)
MAX_HASHTAGS = 30
# Links a post pushes: http(s) URLs in its text, trailing punctuation trimmed.
_LINK = re.compile(r"https?://[^\s<>\"'`]+", re.IGNORECASE)
MAX_LINKS = 20

#: Fields a spool record must carry, with their type. Optional fields may be absent or null.
SPOOL_REQUIRED = {"url": str, "source_id": str, "platform": str, "text": str, "fetched": str}
SPOOL_OPTIONAL = {"canonical_url": str, "source_name": str, "kind": str, "title": str,
                  "author": str, "published": str, "lang": str, "native_id": str,
                  # Where "published" was read: "jsonld", "meta:<name>", "page-text", "page-text over jsonld" …
                  "published_source": str,
                  "engagement": dict, "raw_sha256": str, "http": dict, "spool_version": int,
                  # Social posts: the thread around them (in_reply_to, forwarded_from, subreddit, tags).
                  "context": dict}


#: Longest URL kept: what the Elasticsearch mapping still indexes (``ignore_above`` 8191).
MAX_URL_CHARS = 8191
#: Longest identity or label field (source id, platform, native id, kind, lang, author): these are
#: keywords, not prose; anything longer is a broken record, not a long name.
MAX_KEYWORD_CHARS = 1024
#: Sane times: nothing we monitor was published before the web was, and a date years ahead is a
#: parsing accident. Outside this window a time cannot even be trusted to convert to UTC.
EARLIEST_TIME = datetime(1990, 1, 1, tzinfo=timezone.utc)
LATEST_AHEAD = timedelta(days=3653)  # ten years
#: Largest engagement count kept (a trillion views is beyond any platform); bigger is garbage.
MAX_COUNT = 10 ** 12
_DIGITS = re.compile(r"\s*\d{1,13}\s*")


class SchemaError(ValueError):
    """A spool record or document is malformed; the message names the field and the bad value.
    ``code`` is the short reason a dead-letter entry files it under (``invalid_url`` ...)."""

    def __init__(self, message: str, code: str = "invalid_field") -> None:
        super().__init__(message)
        self.code = code


def utcnow() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def canonical_url(url: str) -> str:
    """Lower-case scheme and host, drop fragments, default ports and tracking parameters,
    sort the rest, and strip a trailing slash, so one article has one id however it was linked."""
    if len(url) > MAX_URL_CHARS:
        raise SchemaError(f"url {url[:80]!r}... is {len(url)} characters, over the {MAX_URL_CHARS} kept", "invalid_url")
    try:
        # urllib raises ValueError for a malformed IPv6 host ("http://[::1") and, from .port, for
        # a port that is out of range or not a number: crawled links carry all of these.
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as exc:
        raise SchemaError(f"url {url!r:.200} cannot be parsed: {exc}", "invalid_url") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise SchemaError(f"url {url!r:.200} is not an absolute http(s) URL", "invalid_url")
    host = parts.hostname.lower()
    if port and port not in (80, 443):
        host = f"{host}:{port}"
    query = sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
                   if k.lower() not in _TRACKING_PARAMS)
    path = parts.path or "/"
    if len(path) > 1 and path.endswith("/"):
        path = path[:-1]
    return urlunsplit(("https" if parts.scheme == "https" else "http", host, path, urlencode(query), ""))


def doc_id(record: dict[str, Any]) -> str:
    """Stable id: the platform's native id where it has one, else the canonical URL."""
    if record.get("native_id"):
        key = f"{record['platform']}:{record['source_id']}:{record['native_id']}"
    else:
        key = record.get("canonical_url") or canonical_url(record["url"])
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


def hashtags(*texts: str) -> list[str]:
    """The distinct hashtags in ``texts``, lower-cased, without '#', in order of appearance."""
    found: dict[str, None] = {}
    for text in texts:
        for match in _HASHTAG.finditer(text or ""):
            tag = match.group(1).lower()
            if not tag.isdigit():
                found.setdefault(tag)
    return list(found)[:MAX_HASHTAGS]


def links(text: str, own_url: str | None = None) -> list[str]:
    """Canonical URLs linked in ``text`` (not the post's own), distinct, in order of appearance.
    Coordinated campaigns push one URL from many accounts; alert rules group posts by these."""
    found: dict[str, None] = {}
    for match in _LINK.finditer(text or ""):
        raw = match.group(0).rstrip(".,;:!?)]}»”’")
        try:
            url = canonical_url(raw)
        except SchemaError:
            continue
        if url != own_url:
            found.setdefault(url)
    return list(found)[:MAX_LINKS]


def validate_spool_record(record: Any) -> dict[str, Any]:
    """Return the record if well-formed, else raise SchemaError naming the first bad field."""
    if not isinstance(record, dict):
        raise SchemaError(f"spool record must be a JSON object, got {type(record).__name__}")
    for field, kind in SPOOL_REQUIRED.items():
        value = record.get(field)
        if not isinstance(value, kind) or (kind is str and not value.strip()):
            raise SchemaError(f"spool record field {field!r} must be a non-empty {kind.__name__}, got {_show(value)}")
    for field, kind in SPOOL_OPTIONAL.items():
        value = record.get(field)
        # bool is an int to Python, not to JSON readers: spool_version true is a broken record.
        if value is not None and (not isinstance(value, kind) or isinstance(value, bool)):
            raise SchemaError(f"spool record field {field!r} must be {kind.__name__} or null, got {_show(value)}")
    for field in ("source_id", "platform", "native_id", "kind", "lang", "author", "source_name"):
        value = record.get(field)
        if isinstance(value, str) and len(value) > MAX_KEYWORD_CHARS:
            raise SchemaError(f"spool record field {field!r} is {len(value)} characters, over the "
                              f"{MAX_KEYWORD_CHARS} a name or id may have: {value[:80]!r}...", "field_too_long")
    sha = record.get("raw_sha256")
    if sha is not None and not is_sha256(sha):
        # It names a file under the spool's blobs/: anything but a hash could name any file.
        raise SchemaError(f"raw_sha256 {sha!r:.100} is not 64 lower-case hex digits", "invalid_raw_sha256")
    if record.get("published"):
        parse_time(record["published"], "published")  # a time out of the sane window is dropped later
    check_time(record["fetched"], "fetched")
    canonical_url(record.get("canonical_url") or record["url"])
    return record


def _show(value: Any) -> str:
    """A bad value as an error message shows it: short, whatever it is."""
    if isinstance(value, (dict, list)):
        return f"a {type(value).__name__} of {len(value)}"
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > 10 ** 40:
        return "an integer of over 40 digits"
    return f"{value!r:.80}"


def parse_time(value: str, field: str = "time") -> datetime:
    """ISO 8601 to an aware datetime; naive times are taken as UTC."""
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except (TypeError, ValueError):
        raise SchemaError(f"{field} {value!r} is not an ISO 8601 time (e.g. 2024-02-14T08:00:00+07:00)") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def check_time(value: str, field: str = "time", now: datetime | None = None) -> datetime:
    """``value`` as an aware datetime if it lies between 1990 and ten years from ``now``, else
    SchemaError (code ``invalid_date``). Checked on the year first: year 9999 at -05:00 or year 1
    at +07:00 overflows when converted to UTC."""
    parsed = parse_time(value, field)
    now = now or datetime.now(timezone.utc)
    latest = now + LATEST_AHEAD
    if not EARLIEST_TIME.year <= parsed.year <= latest.year or not (
            EARLIEST_TIME <= parsed.astimezone(timezone.utc) <= latest):
        raise SchemaError(f"{field} {value!r:.80} is outside {EARLIEST_TIME.year}..{latest.year}", "invalid_date")
    return parsed


def count(value: Any) -> int | None:
    """An engagement count as a non-negative int up to MAX_COUNT, or None when it is not one
    (text, a list, a bool, NaN, infinity, negative or absurdly large).

    >>> [count(v) for v in (12, 3.0, " 40 ", "1,2 rb", float("inf"), -1, True)]
    [12, 3, 40, None, None, None, None]
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        value = int(value) if _DIGITS.fullmatch(value) else None
    elif isinstance(value, float):
        value = int(value) if math.isfinite(value) else None
    if not isinstance(value, int) or not 0 <= value <= MAX_COUNT:
        return None
    return value


def event_kind(labels, lookalikes, cyber) -> str:
    """ECS ``event.kind``: "alert" for an item of interest (a model label, a look-alike domain or a
    cyber-threat finding), "event" for a post indexed only for context (INDEX_ALL)."""
    return "alert" if labels or lookalikes or cyber else "event"


def build_document(record: dict[str, Any], *, relevance: dict[str, Any], scores: dict[str, float],
                   labels: list[str], model_id: str, evidence: dict[str, Any] | None,
                   ingested: str | None = None, cluster: str | None = None,
                   claim_match: dict[str, Any] | None = None,
                   lookalikes: list[dict[str, Any]] | None = None,
                   cyber: dict[str, Any] | None = None, text_length: int | None = None,
                   warnings: list[str] | None = None) -> dict[str, Any]:
    """The indexed document for one classified spool record (DESIGN.md §3).

    ``cluster`` is the id of the first post whose text this one repeats (exact or near copy);
    a post that repeats nothing is its own cluster. Alert rules group copies by it.
    ``claim_match`` is the debunked claim the post repeats (waspada.claims.rule), if any.
    ``lookalikes`` are the look-alike domains the post is hosted on or links to
    (waspada.threats.lookalike.posts), stored as ``waspada.threats.lookalike``; they make the
    post an alert (``event.kind``) like a label does, but are not labels: they carry no score.
    ``cyber`` is the cyber-threat finding (waspada.threats.cyber ``CyberFinding.as_document()``),
    stored as ``waspada.threats.cyber``; like a look-alike it makes the post an alert. It is a
    rule finding, not a model score, so it stays apart from ``labels`` and ``scores``.
    ``text_length`` is the length of the text as crawled when ``record["text"]`` was cut to the
    TEXT_MAX_CHARS setting (``waspada.post.text_truncated``); ``warnings`` name what was dropped or
    cut from the record on the way in (waspada.limits), stored as ``waspada.warnings``."""
    url = record.get("canonical_url") or canonical_url(record["url"])
    published = record.get("published") or record["fetched"]
    doc = {
        "@timestamp": parse_time(published).astimezone(timezone.utc).isoformat(timespec="seconds"),
        "ecs": {"version": ECS_VERSION},
        "event": {"kind": event_kind(labels, lookalikes, cyber), "created": record["fetched"],
                  "ingested": ingested or utcnow(), "dataset": "waspada.posts"},
        "url": {"original": record["url"], "domain": (urlsplit(url).hostname or "")},
        "text": record["text"],
        "waspada": {
            "id": doc_id(record),
            "cluster": cluster or doc_id(record),
            "canonical_url": url,
            "published_known": bool(record.get("published")),
            "source": {"id": record["source_id"], "name": record.get("source_name") or record["source_id"],
                       "platform": record["platform"]},
            "post": {"title": record.get("title") or "", "author": record.get("author") or "",
                     "lang": record.get("lang") or "id", "kind": record.get("kind") or "article",
                     "hashtags": hashtags(record.get("title") or "", record["text"]),
                     "links": links(record["text"], url),
                     "text_length": max(text_length or 0, len(record["text"])),
                     "text_truncated": (text_length or 0) > len(record["text"])},
            "engagement": {k: count((record.get("engagement") or {}).get(k)) or 0
                           for k in ("likes", "shares", "replies", "views")},
            "relevance": {"terms": relevance.get("terms", []), "regions": relevance.get("regions", []),
                          "entities": relevance.get("entities", [])},
            "scores": {label: round(float(scores.get(label, 0.0)), 6) for label in LABELS},
            "labels": sorted(labels),
            "model": {"id": model_id},
            "evidence": evidence or {},
            "triage": {"status": "new", "verdict": None, "assignee": None, "notes": [],
                       "updated_by": None, "updated_at": None},
        },
    }
    if warnings:
        doc["waspada"]["warnings"] = sorted(set(warnings))
    if claim_match:
        doc["waspada"]["claim_match"] = claim_match
    threats = {k: v for k, v in (("lookalike", lookalikes), ("cyber", cyber)) if v}
    if threats:
        doc["waspada"]["threats"] = threats
    return doc
