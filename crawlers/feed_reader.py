"""RSS 0.9x/2.0, RDF and Atom bodies to plain entries, tolerant of what real feeds get wrong.

feedparser does the XML; this module decides what to trust. The body is decoded by
``crawlers.charset`` first (feeds lie about their encoding as often as pages do), dates go through
``crawlers.dates`` (feedparser does not know "Rabu, 14 Februari 2024 08:30 WIB"), and a feed that is
not well-formed keeps whatever entries feedparser recovered from it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timezone

import feedparser

from crawlers.charset import decodings
from crawlers.dates import parse_date
from crawlers.text import html_to_text, normalize_space
from waspada.sources.health import advertised_minutes

_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)


@dataclass
class FeedEntry:
    link: str | None
    title: str
    text: str
    author: str | None
    published: str | None
    native_id: str | None
    #: Counts the feed itself publishes (YouTube's media:statistics views, media:starRating count).
    engagement: dict | None = None


@dataclass
class FeedResult:
    entries: list[FeedEntry] = field(default_factory=list)
    #: Why feedparser called the feed malformed (None when it is well-formed).
    problem: str | None = None
    encoding: str = "utf-8"
    title: str = ""
    #: Minutes between updates the feed advertises (RSS <ttl>, sy:updatePeriod/updateFrequency);
    #: None when it says nothing (Atom never does). The crawl schedule uses it (waspada.sources).
    update_minutes: int | None = None


def read_feed(body: bytes, content_type: str | None, url: str) -> FeedResult:
    """Parse a feed body fetched from ``url``; never raises on bad input.

    A decoding the XML does not parse in (a Content-Type charset that lies, say UTF-16 for a
    UTF-8 body) is not the end: the next candidate (the document's own declaration, detection)
    is tried before the feed is called malformed, and then the one that recovered most entries wins."""
    best = None
    for text, encoding in decodings(body, content_type):
        parsed = _parse(text, url)
        if best is None or len(parsed.entries) > len(best[0].entries):
            best = parsed, encoding
        if not parsed.get("bozo"):
            best = parsed, encoding
            break
    parsed, encoding = best
    problem = None
    if parsed.get("bozo"):
        problem = f"{type(parsed.bozo_exception).__name__}: {parsed.bozo_exception}"
    entries = [entry for entry in (_entry(raw) for raw in parsed.entries) if entry.title or entry.text]
    channel = parsed.feed
    return FeedResult(entries=entries, problem=problem, encoding=encoding,
                      title=normalize_space(channel.get("title", "")),
                      update_minutes=advertised_minutes(channel.get("ttl"), channel.get("sy_updateperiod"),
                                                        channel.get("sy_updatefrequency")))


def _parse(text: str, url: str):
    # Hand feedparser UTF-8 with no encoding claim left to contradict it: we already decoded.
    utf8 = _XML_DECLARATION.sub("", text, count=1).encode("utf-8")
    return feedparser.parse(utf8, response_headers={"content-type": "application/xml; charset=utf-8",
                                                    "content-location": url})


def _entry(raw) -> FeedEntry:
    title = _plain(raw.get("title_detail"), raw.get("title"))
    content = raw.get("content") or []
    # Full content beats the summary when the feed carries both (content:encoded, atom:content).
    body = content[0] if content else raw.get("summary_detail")
    text = _plain(body, body.get("value") if body else raw.get("summary"))
    return FeedEntry(link=_link(raw), title=title, text=text,
                     author=normalize_space(raw.get("author", "")) or None,
                     published=_published(raw), native_id=raw.get("id") or None,
                     engagement=_engagement(raw))


def _engagement(raw) -> dict | None:
    """YouTube channel feeds carry views and likes (starRating count) in Media RSS; None elsewhere."""
    counts = {"views": (raw.get("media_statistics") or {}).get("views"),
              "likes": (raw.get("media_starrating") or {}).get("count")}
    found = {key: int(value) for key, value in counts.items() if str(value or "").isdigit()}
    return found or None


def _plain(detail, value: str | None) -> str:
    if not value:
        return ""
    kind = (detail or {}).get("type", "text/html")
    return normalize_space(value) if kind == "text/plain" else html_to_text(value)


def _link(raw) -> str | None:
    for link in raw.get("links", []):
        if link.get("rel", "alternate") == "alternate" and link.get("href"):
            return link["href"].strip()
    link = (raw.get("link") or "").strip()
    # feedparser copies a guid into `link` (guidislink); a guid like "tag:site,2024:1" is no URL.
    if raw.get("guidislink") and not link.startswith(("http://", "https://")):
        return None
    return link or None


def _published(raw) -> str | None:
    for key in ("published", "updated", "created", "dc_date"):
        if raw.get(key):
            iso = parse_date(raw[key])
            if iso:
                return iso
            # feedparser may know a format we do not; it reports UTC without the original offset.
            parsed = raw.get(f"{key}_parsed")
            if parsed:
                return datetime(*parsed[:6], tzinfo=timezone.utc).isoformat(timespec="seconds")
    return None
