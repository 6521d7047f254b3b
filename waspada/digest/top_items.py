"""The day's most severe posts: what a supervisor should open first.

The index already orders by severity (highest label score × (1 + log10(1 + reach)), see
``waspada.index.common.severity``), so this only picks the fields the report shows and adds the
link to the item page in the web app.
"""
from __future__ import annotations

from typing import Any

from waspada import config
from waspada.digest.period import Day
from waspada.index import Index, SearchQuery
from waspada.index.common import max_score, reach, severity


def item_link(doc_id: str) -> str:
    return f"{str(config.get('PUBLIC_URL')).rstrip('/')}/item/{doc_id}"


def top_items(index: Index, day: Day, limit: int) -> list[dict[str, Any]]:
    """The ``limit`` most severe flagged posts published on ``day``, most severe first."""
    if not 0 < limit <= 1000:
        raise ValueError(f"top items limit {limit} must be between 1 and 1000 (setting WASPADA_DIGEST_TOP_ITEMS)")
    result = index.search(SearchQuery(date_from=day.start, date_to=day.end, sort="severity", size=limit))
    return [summarise(hit.doc) for hit in result.hits]


def summarise(doc: dict[str, Any]) -> dict[str, Any]:
    project = doc.get("waspada") or {}
    source = project.get("source") or {}
    post = project.get("post") or {}
    title = (post.get("title") or "").strip() or _first_words(doc.get("text") or "")
    return {
        "id": project.get("id"),
        "title": title,
        "source_id": source.get("id"),
        "source_name": source.get("name") or source.get("id"),
        "platform": source.get("platform"),
        "published": doc.get("@timestamp"),
        "labels": list(project.get("labels") or []),
        "scores": {k: round(float(v), 3) for k, v in (project.get("scores") or {}).items() if v is not None},
        "max_score": round(max_score(doc), 3),
        "reach": reach(doc),
        # Recomputed rather than read back: both backends store it, but the formula is the contract.
        "severity": round(severity(doc), 3),
        "url": (doc.get("url") or {}).get("original"),
        "link": item_link(project.get("id") or ""),
    }


def _first_words(text: str, limit: int = 120) -> str:
    """A post without a title (most social posts) is named by the start of its text."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rsplit(" ", 1)[0] + "…"
