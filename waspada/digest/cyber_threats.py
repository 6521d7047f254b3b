"""Cyber-threat posts of the day: leaked election data offered or claimed, claimed hacks of
election systems, phishing in an election body's name (waspada.threats.cyber).

A rule finding, not a model score: such a post is indexed even when its hoax and provocation
scores are low, so it would rarely reach "the most severe posts". This section lists every one
(newest first, up to ``limit``; ``total`` counts them all) with the kind and the reason the rule gave.
"""
from __future__ import annotations

from typing import Any

from waspada.digest.period import Day
from waspada.digest.top_items import summarise
from waspada.index import Index, SearchQuery
from waspada.threats.cyber import KINDS
from waspada.threats.names_id import cyber_kind_name

KINDS_FIELD = "waspada.threats.cyber.kinds"


def cyber_threats(index: Index, day: Day, limit: int = 50) -> dict[str, Any]:
    """``{"total", "by_kind", "posts"}`` for the posts published on ``day`` that carry a finding."""
    window = SearchQuery(date_from=day.start, date_to=day.end, cyber=KINDS, sort="time", size=limit)
    result = index.search(window)
    by_kind = index.facets(KINDS_FIELD, window, size=len(KINDS))  # a post with two kinds counts under each
    return {"total": result.total, "by_kind": {k: by_kind[k] for k in KINDS if by_kind.get(k)},
            "posts": [_row(hit.doc) for hit in result.hits]}


def _row(doc: dict[str, Any]) -> dict[str, Any]:
    finding = (doc["waspada"].get("threats") or {}).get("cyber") or {}
    kind = finding.get("kind") or ""
    return {**summarise(doc), "kind": kind, "kind_name": cyber_kind_name(kind),
            "kinds": list(finding.get("kinds") or [kind]), "reason": finding.get("reason") or "",
            "target": finding.get("target") or "", "act": finding.get("act") or ""}
