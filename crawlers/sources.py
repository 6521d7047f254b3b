"""The sources file: which feeds and pages to crawl, read from YAML and checked up front.

The entry shape is documented at the top of ``crawlers/sources.yaml``. A bad entry stops the
crawl before any request is made, with a message naming the entry and the field to fix.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from waspada.sources.health import parse_interval

KINDS = ("feed", "article", "mastodon", "telegram", "reddit")
#: What the URLs of each social kind must look like, and an example to fix a wrong one with.
SOCIAL_URLS = {
    "mastodon": (re.compile(r"/api/v1/timelines/(tag/[^/?#]+|public)$"),
                 "https://mastodon.social/api/v1/timelines/tag/pemilu2024?limit=40"),
    "telegram": (re.compile(r"^/s/[A-Za-z0-9_]{3,64}$"), "https://t.me/s/<channel>"),
    "reddit": (re.compile(r"^/r/[A-Za-z0-9_]+/(new|hot|top|search)\.json$"),
               "https://www.reddit.com/r/indonesia/new.json?limit=100"),
}
#: Directory names under SPOOL_DIR that are not sources.
RESERVED_IDS = {"blobs"}
_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")


class SourcesError(ValueError):
    """The sources file cannot be used; the message names the entry and the fix."""


@dataclass(frozen=True)
class Source:
    id: str
    name: str
    platform: str
    kind: str
    urls: tuple[str, ...]
    follow: bool = False
    group: str = "default"
    region: str | None = None
    enabled: bool = True
    #: CSS (or ``xpath:``-prefixed XPath) selecting article links on a listing page (kind: article).
    link_selector: str | None = None
    #: (social kinds) pages followed back per URL and crawl; None means setting CRAWL_SOCIAL_MAX_PAGES.
    max_pages: int | None = None
    #: Minutes between crawls of this source; None: the feed's advertised interval or setting
    #: CRAWL_DEFAULT_INTERVAL (see waspada.sources).
    interval: int | None = None
    extra: dict = field(default_factory=dict, compare=False)


def load_sources(path: str | Path) -> list[Source]:
    """All entries of the sources file, enabled or not, in file order."""
    path = Path(path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SourcesError(f"sources file {str(path)!r} does not exist; pass sources=<path> or set WASPADA_SOURCES_PATH") from None
    except yaml.YAMLError as exc:
        raise SourcesError(f"sources file {str(path)!r} is not valid YAML: {exc}") from None
    entries = raw.get("sources") if isinstance(raw, dict) else raw
    if not isinstance(entries, list):
        raise SourcesError(f"sources file {str(path)!r} must hold a list of sources (under a `sources:` key)")
    sources = [_source(entry, index, path) for index, entry in enumerate(entries)]
    seen: set[str] = set()
    for source in sources:
        if source.id in seen:
            raise SourcesError(f"sources file {str(path)!r}: id {source.id!r} is used twice; ids must be unique")
        seen.add(source.id)
    return sources


def select_sources(sources: list[Source], *, kind: str | None = None, group: str | None = None,
                   source: str | None = None) -> list[Source]:
    """The enabled sources of ``kind``, narrowed to one ``group`` or one ``source`` id."""
    if source and source not in {s.id for s in sources}:
        raise SourcesError(f"source {source!r} is not in the sources file; known ids: {', '.join(s.id for s in sources)}")
    if group and group not in {s.group for s in sources}:
        raise SourcesError(f"group {group!r} is not in the sources file; known groups: {', '.join(sorted({s.group for s in sources}))}")
    return [s for s in sources if s.enabled and (kind is None or s.kind == kind)
            and (group is None or s.group == group) and (source is None or s.id == source)]


def _source(entry: object, index: int, path: Path) -> Source:
    where = f"sources file {str(path)!r}, entry {index + 1}"
    if not isinstance(entry, dict):
        raise SourcesError(f"{where} must be a mapping with id, name, platform, kind and url, got {entry!r:.80}")
    where += f" ({entry.get('id', '?')})"
    for key in ("id", "name", "platform", "kind"):
        if not isinstance(entry.get(key), str) or not entry[key].strip():
            raise SourcesError(f"{where}: field {key!r} is required and must be a non-empty string")
    if not _ID.match(entry["id"]):
        raise SourcesError(f"{where}: id {entry['id']!r} must be lower-case letters, digits, '-' or '_' (it names the spool directory)")
    if entry["id"] in RESERVED_IDS:
        raise SourcesError(f"{where}: id {entry['id']!r} is reserved (the spool keeps raw bytes there); choose another")
    if entry["kind"] not in KINDS:
        raise SourcesError(f"{where}: kind {entry['kind']!r} is not one of {', '.join(KINDS)}")
    urls = entry.get("urls") or ([entry["url"]] if entry.get("url") else [])
    if isinstance(urls, str):
        urls = [urls]
    if not urls or not all(isinstance(u, str) and u.startswith(("http://", "https://")) for u in urls):
        raise SourcesError(f"{where}: give `url` or `urls` as absolute http(s) URLs, got {urls!r:.120}")
    if entry["kind"] in SOCIAL_URLS:
        pattern, example = SOCIAL_URLS[entry["kind"]]
        for url in urls:
            if not pattern.search(urlsplit(url).path):
                raise SourcesError(f"{where}: url {url!r} is not a {entry['kind']} URL the spider can read; "
                                   f"use one like {example}")
    max_pages = entry.get("max_pages")
    if max_pages is not None and (isinstance(max_pages, bool) or not isinstance(max_pages, int) or max_pages < 1):
        raise SourcesError(f"{where}: max_pages must be a whole number of pages, 1 or more, got {max_pages!r}")
    try:
        interval = parse_interval(entry.get("interval"))
    except ValueError as exc:
        raise SourcesError(f"{where}: {exc} (e.g. `interval: 60` to crawl it hourly)") from None
    for key in ("follow", "enabled"):
        if key in entry and not isinstance(entry[key], bool):
            raise SourcesError(f"{where}: {key!r} must be true or false, got {entry[key]!r}")
    known = {"id", "name", "platform", "kind", "url", "urls", "follow", "group", "region", "enabled", "link_selector",
             "max_pages", "interval"}
    return Source(id=entry["id"], name=entry["name"].strip(), platform=entry["platform"].strip(),
                  kind=entry["kind"], urls=tuple(urls), follow=entry.get("follow", False),
                  group=str(entry.get("group") or "default"), region=entry.get("region"),
                  enabled=entry.get("enabled", True), link_selector=entry.get("link_selector"),
                  max_pages=max_pages, interval=interval,
                  extra={k: v for k, v in entry.items() if k not in known})
