"""Look-alike domains of the election bodies seen on the day: the domains the day's posts were
hosted on or linked to that imitate kpu.go.id, bawaslu.go.id and the like
(waspada.threats.lookalike.posts).

One row per look-alike domain (``waspada.threats.lookalike.domain``), most posts first, with the
official domain it imitates, how, and the newest post carrying it as the example to open. Shown
as text, never as a link: a supervisor must not click through to a phishing page from the report.
"""
from __future__ import annotations

from typing import Any

from waspada.digest.period import Day
from waspada.digest.top_items import summarise
from waspada.index import Index, SearchQuery
from waspada.threats.names_id import lookalike_kind_name

DOMAIN_FIELD = "waspada.threats.lookalike.domain"
#: The index caps facets at 1000; more distinct look-alikes in one day than that is not a report.
_FACET_SIZE = 1000


def lookalike_domains(index: Index, day: Day, limit: int = 50) -> dict[str, Any]:
    """``{"total", "domains"}``: how many distinct look-alikes the day's posts carried, and the
    ``limit`` carried by most posts."""
    window = SearchQuery(date_from=day.start, date_to=day.end)
    seen = index.facets(DOMAIN_FIELD, window, size=_FACET_SIZE)
    rows = [row for domain, posts in list(seen.items())[:limit] if (row := _row(index, day, domain, posts))]
    return {"total": len(seen), "domains": rows}


def _row(index: Index, day: Day, domain: str, posts: int) -> dict[str, Any] | None:
    hits = index.search(SearchQuery(date_from=day.start, date_to=day.end, lookalikes=(domain,), sort="time", size=1)).hits
    if not hits:
        return None
    records = (hits[0].doc["waspada"].get("threats") or {}).get("lookalike") or []
    found = next((r for r in records if r.get("domain") == domain), {})
    kind = found.get("kind") or ""
    return {"domain": domain, "official": found.get("official") or "", "kind": kind,
            "kind_name": lookalike_kind_name(kind), "detail": found.get("detail") or "", "posts": posts,
            "example": summarise(hits[0].doc)}
