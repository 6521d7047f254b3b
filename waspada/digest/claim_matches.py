"""Debunked claims circulating again on the day: what fact-checkers already answered, back in the feeds.

One row per claim (``waspada.claim_match.claim_id``), most posts first, with the fact-check's
verdict, title and link and the most severe matching post as the example to open.
"""
from __future__ import annotations

from typing import Any

from waspada.digest.period import Day
from waspada.digest.top_items import summarise
from waspada.index import Index, SearchQuery

CLAIM_FIELD = "waspada.claim_match.claim_id"


def claim_matches(index: Index, day: Day, limit: int = 20) -> list[dict[str, Any]]:
    window = SearchQuery(date_from=day.start, date_to=day.end)
    rows = []
    for claim_id, posts in index.facets(CLAIM_FIELD, window, size=limit).items():
        hits = index.search(SearchQuery(date_from=day.start, date_to=day.end, claims=(claim_id,), sort="severity", size=1)).hits
        if not hits:
            continue
        match = hits[0].doc["waspada"].get("claim_match") or {}
        rows.append({"claim_id": claim_id, "title": match.get("title") or "", "verdict": match.get("verdict") or "",
                     "url": match.get("url") or "", "published": match.get("published") or "", "posts": posts,
                     "similarity": match.get("similarity"), "example": summarise(hits[0].doc)})
    return rows
