"""`waspada domains scan`: every domain in the index checked against the official ones.

The pipeline tags new posts as they are indexed; a scan catches up on the rest: posts indexed
before the check existed, or before a domain was added to LOOKALIKE_OFFICIAL_DOMAINS, get their
``waspada.threats.lookalike`` records (so they show as look-alike items and drive alert rules),
and every look-alike found is remembered in the store with its sightings.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timezone
from typing import Any, Iterator
from urllib.parse import urlsplit

from waspada.index.base import SearchQuery
from waspada.schema import event_kind, parse_time
from waspada.threats.lookalike.domains import Lookalike, ascii_domain
from waspada.threats.lookalike.store import KnownLookalike
from waspada.threats.lookalike.posts import LookalikeFinder

#: Distinct values read per field: facets stop at 1000 (the pipeline tags every post it indexes,
#: so this bounds only the catch-up over older posts).
_FACET_SIZE = 1000
_PAGE = 500
#: Most posts one scan reads per domain (a look-alike's post count stops there).
MAX_POSTS_PER_DOMAIN = 10_000


@dataclass
class ScanResult:
    checked: int  # distinct domains checked
    found: list[KnownLookalike]
    tagged: int  # posts whose look-alike records were added or corrected


def scan_index(index, finder: LookalikeFinder, now: datetime | None = None) -> ScanResult:
    """Check, tag and measure; the caller stores ``found`` (LookalikeStore.remember)."""
    now = now or datetime.now(timezone.utc)
    hosts = _hosts_in(index)
    hits: dict[str, Lookalike] = {}
    spellings: dict[str, set[str]] = {}  # ascii domain -> the hosts as indexed (Unicode or punycode)
    for host in hosts:
        hit = finder.check_host(host)
        if hit is not None:
            domain = ascii_domain(hit.domain)
            hits.setdefault(domain, hit)
            spellings.setdefault(domain, set()).add(host)
    # One visit per post: a post naming two look-alikes is found twice, and on Elasticsearch the
    # second search may still return it as it was before the first update.
    visited: set[str] = set()
    tagged = sum(_tag_posts(index, finder, host, visited) for names in spellings.values() for host in sorted(names))
    if tagged:
        index.refresh()
    scanned_at = now.astimezone(timezone.utc).isoformat(timespec="seconds")
    found = []
    for domain, hit in sorted(hits.items()):
        times = [_utc(doc["@timestamp"]) for doc in _every(index, SearchQuery(lookalikes=(domain,), sort="time"))]
        if not times:  # named only where no post of ours carries it as its address or a link
            continue
        found.append(KnownLookalike(domain=domain, official=hit.official, kind=hit.kind, detail=hit.detail,
                                    first_seen=min(times), last_seen=max(times), posts=len(times),
                                    last_scan=scanned_at))
    return ScanResult(checked=len(hosts), found=found, tagged=tagged)


def _hosts_in(index) -> set[str]:
    """The posts' own hosts, the hosts of the links they push, and the look-alikes already tagged."""
    hosts = set(index.facets("url.domain", size=_FACET_SIZE))
    hosts |= {urlsplit(link).hostname or "" for link in index.facets("waspada.post.links", size=_FACET_SIZE)}
    hosts |= set(index.facets("waspada.threats.lookalike.domain", size=_FACET_SIZE))
    return {h.lower() for h in hosts if h}


def _tag_posts(index, finder: LookalikeFinder, host: str, seen: set[str]) -> int:
    """Bring the look-alike records of the posts hosted on or naming ``host`` (and not in ``seen``) up to date."""
    changed = 0
    for query in (SearchQuery(domains=(host,), sort="time"), SearchQuery(text=f'"{host}"', sort="time")):
        for doc in _every(index, query):
            w = doc["waspada"]
            if w["id"] in seen:
                continue
            seen.add(w["id"])
            records = finder.find(w.get("canonical_url") or doc["url"]["original"], (w.get("post") or {}).get("links") or [],
                                  doc.get("text") or "")
            if records == ((w.get("threats") or {}).get("lookalike") or []):
                continue
            kind = event_kind(w.get("labels"), records, (w.get("threats") or {}).get("cyber"))
            index.update(w["id"], {"event": {"kind": kind}, "waspada": {"threats": {"lookalike": records}}},
                         refresh=False)
            changed += 1
    return changed


def _every(index, query: SearchQuery) -> Iterator[dict[str, Any]]:
    """Every matching document (up to MAX_POSTS_PER_DOMAIN), page by page along the sort."""
    query = replace(query, size=_PAGE)
    read = 0
    while read < MAX_POSTS_PER_DOMAIN:
        hits = index.search(query).hits
        yield from (hit.doc for hit in hits)
        read += len(hits)
        if len(hits) < _PAGE:
            return
        query = replace(query, after=tuple(hits[-1].cursor))


def _utc(value: str) -> str:
    return parse_time(value, "@timestamp").astimezone(timezone.utc).isoformat(timespec="seconds")
