"""When an article was published: from every source the page offers, most trusted first.

Sources, in order: JSON-LD ``datePublished`` (article types first), publication meta tags
(``article:published_time``, ``dtk:publishdate``, ``content_PublishedDate`` …), ``<time datetime>``,
and the date line printed next to the headline ("Kamis, 02 Nov 2023 20:59 WIB",
"Kompas.com - 02/11/2023, 21:34 WIB", "PERISTIWA | 17 Juni 2021 11:38").

The printed line corrects the metadata where Indonesian portals get it wrong in practice:

* metadata with a date and no time (stored as midnight) takes the printed time;
* metadata with the printed wall-clock time but another offset (merdeka's "11:38:29-07:00", a stray
  "Z") takes the printed zone: WIB +07:00 unless the page says WITA +08:00 or WIT +09:00;
* metadata that disagrees with the printed time on the same day yields to it, because the printed
  time is what readers and the newsroom cite (the metadata is then a CMS record or update time).

Metadata on another day than the printed line is kept: the line found may belong to something else.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from scrapy.selector import Selector

from crawlers.dates import DEFAULT_ZONE, MONTHS, ZONES, parse_datetime

_ARTICLE_TYPES = {"newsarticle", "article", "reportagenewsarticle", "blogposting", "analysisnewsarticle",
                  "opinionnewsarticle", "reviewnewsarticle", "backgroundnewsarticle", "liveblogposting"}
PUBLISHED_META = ("article:published_time", "og:published_time", "dtk:publishdate", "content_PublishedDate",
                  "publishdate", "publish-date", "pubdate", "datePublished", "parsely-pub-date", "dc.date.issued",
                  "dcterms.created", "dc.date", "date")
_HAS_TIME = re.compile(r"\d{1,2}[:.]\d{2}")

_DAY = (r"(?:(?:senin|selasa|rabu|kamis|jum'?at|sabtu|minggu|ahad|monday|tuesday|wednesday|thursday|friday|"
        r"saturday|sunday|mon|tue|wed|thu|fri|sat|sun)\.?,?\s+)?")
_DATE = (r"(?:(?P<day>\d{1,2})\s+(?P<month>[a-z]{3,9})\.?,?\s+(?P<year>\d{4}|\d{2})"
         r"|(?P<nday>\d{1,2})[/.-](?P<nmonth>\d{1,2})[/.-](?P<nyear>\d{4}|\d{2})"
         r"|(?P<emonth>[a-z]{3,9})\.?\s+(?P<eday>\d{1,2}),?\s+(?P<eyear>\d{4}))")
_SEP = r"\s*(?:[,|\u2013\u2014-]\s*)*(?:(?:at|pukul|jam)\s+)?"
_CLOCK = r"(?P<hour>\d{1,2})[:.](?P<minute>\d{2})(?:[:.](?P<second>\d{2}))?(?:\s*(?P<zone>WITA|WIB|WIT|GMT|UTC)\b)?"
#: A printed publication date with its time of day, anywhere in a stretch of text.
DATE_LINE = re.compile(r"(?<![\w/.-])" + _DAY + _DATE + _SEP + _CLOCK, re.I)

# How much visible text around the headline is searched for the printed date line.
_AFTER_HEADLINE_CHARS = 700
_BEFORE_HEADLINE_CHARS = 300


@dataclass(frozen=True)
class Published:
    value: str  # ISO 8601 with offset
    source: str  # "jsonld", "meta:<name>", "time-element", "page-text", or "page-text over <source>"


def find_date_line(text: str) -> datetime | None:
    """The first printed date-and-time in ``text``, timezone-aware (WIB unless it says otherwise).

    >>> find_date_line("Selasa, 23 Februari 2016 | 16:37 WIB").isoformat()
    '2016-02-23T16:37:00+07:00'
    >>> find_date_line("Kompas.com - 02/11/2023, 21:34 WITA").isoformat()
    '2023-11-02T21:34:00+08:00'
    >>> find_date_line("Senin (4/5/2020)") is None
    True
    """
    for match in DATE_LINE.finditer(text or ""):
        parsed = _from_match(match)
        if parsed is not None:
            return parsed
    return None


def read_published(page: Selector, headline_node=None, fallback: str | None = None) -> Published | None:
    """The publication time of ``page``; ``headline_node`` is the visible ``<h1>`` (its neighbourhood
    holds the printed date line); ``fallback`` is another extractor's guess, used last."""
    metadata = _metadata(page)
    printed = _printed(page, headline_node)
    if metadata is None:
        if printed is not None:
            return Published(printed.isoformat(timespec="seconds"), "page-text")
        guess = parse_datetime(fallback)
        return Published(guess.isoformat(timespec="seconds"), "extractor") if guess else None
    value, raw, source = metadata
    if printed is None:
        return Published(value.isoformat(timespec="seconds"), source)
    return _reconcile(value, raw, source, printed)


def _reconcile(meta: datetime, raw: str, source: str, printed: datetime) -> Published:
    zone = printed.tzinfo
    if abs(meta - printed) < timedelta(minutes=1):
        # The same instant: keep the metadata's seconds, in the zone the page prints.
        return Published(meta.astimezone(zone).isoformat(timespec="seconds"), source)
    local_meta_day = meta.astimezone(zone).date()
    if not _HAS_TIME.search(raw):
        if local_meta_day == printed.date() or meta.date() == printed.date():
            return Published(printed.isoformat(timespec="seconds"), f"page-text over {source}")
        return Published(meta.isoformat(timespec="seconds"), source)
    if meta.replace(tzinfo=None, second=0, microsecond=0) == printed.replace(tzinfo=None, second=0):
        # Same wall clock, wrong offset: the printed zone is right.
        return Published(meta.replace(tzinfo=zone).isoformat(timespec="seconds"), f"page-text over {source}")
    if local_meta_day == printed.date():
        return Published(printed.isoformat(timespec="seconds"), f"page-text over {source}")
    return Published(meta.isoformat(timespec="seconds"), source)


def _metadata(page: Selector) -> tuple[datetime, str, str] | None:
    for raw, source in _metadata_candidates(page):
        parsed = parse_datetime(raw)
        if parsed is not None:
            return parsed, raw, source
    return None


def _metadata_candidates(page: Selector):
    articles, others = [], []
    for item in _jsonld_items(page):
        value = item.get("datePublished")
        if isinstance(value, str) and value.strip():
            kinds = item.get("@type")
            kinds = kinds if isinstance(kinds, list) else [kinds]
            (articles if any(str(k).lower() in _ARTICLE_TYPES for k in kinds) else others).append(value)
    for value in articles + others:
        yield value, "jsonld"
    for name in PUBLISHED_META:
        for value in page.xpath(f"//meta[@property='{name}' or @name='{name}' or @itemprop='{name}']/@content").getall():
            if value.strip():
                yield value.strip(), f"meta:{name}"
    for value in page.xpath("//time/@datetime").getall()[:3]:
        yield value, "time-element"


def _jsonld_items(page: Selector):
    for block in page.xpath("//script[@type='application/ld+json']/text()").getall():
        try:
            data = json.loads(block)
        except ValueError:
            continue
        stack = data if isinstance(data, list) else [data]
        while stack:
            item = stack.pop(0)
            if isinstance(item, dict):
                yield item
                graph = item.get("@graph")
                if isinstance(graph, list):
                    stack.extend(graph)


def _printed(page: Selector, headline_node) -> datetime | None:
    if headline_node is not None:
        after = _visible_text(headline_node.xpath("following::text()[position() <= 200]"), _AFTER_HEADLINE_CHARS)
        found = find_date_line(after)
        if found is None:
            before = _visible_text(headline_node.xpath("preceding::text()[position() <= 80]")[::-1], _BEFORE_HEADLINE_CHARS, reverse=True)
            found = find_date_line(before)
        if found is not None:
            return found
    # No headline, or no date near it: the elements portals name for their date line.
    for node in page.xpath("//*[contains(@class, 'date') or contains(@class, 'tanggal') or contains(@class, 'time')"
                           " or contains(@class, 'publish')][not(self::script)] | //time")[:8]:
        found = find_date_line(" ".join(node.xpath(".//text()").getall()))
        if found is not None:
            return found
    return None


def _visible_text(nodes, limit: int, reverse: bool = False) -> str:
    parts, size = [], 0
    for node in nodes:
        if node.xpath("ancestor::script or ancestor::style or ancestor::noscript").get() == "1":
            continue
        text = " ".join(node.get().split())
        if not text:
            continue
        parts.append(text)
        size += len(text) + 1
        if size >= limit:
            break
    if reverse:
        parts.reverse()
    return " ".join(parts)


def _from_match(match: re.Match) -> datetime | None:
    if match.group("day"):
        day, month_raw, year = match.group("day"), match.group("month"), match.group("year")
    elif match.group("nday"):
        day, month_raw, year = match.group("nday"), match.group("nmonth"), match.group("nyear")
    else:
        day, month_raw, year = match.group("eday"), match.group("emonth"), match.group("eyear")
    month = int(month_raw) if month_raw.isdigit() else MONTHS.get(month_raw.lower())
    if not month:
        return None
    year_number = int(year) + (2000 if len(year) == 2 else 0)
    zone = ZONES.get((match.group("zone") or "").upper(), DEFAULT_ZONE)
    try:
        parsed = datetime(year_number, month, int(day), int(match.group("hour")), int(match.group("minute")),
                          int(match.group("second") or 0), tzinfo=zone)
    except ValueError:
        return None  # 31/02, 25:61 and other things that only look like dates
    return parsed if 1990 <= parsed.year <= 2100 else None
