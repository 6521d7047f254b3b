"""Gather everything one digest says into one JSON-ready dict (archived as ``digest.json``).

The renderers (HTML, PDF, text) only format this dict; they ask nothing of the index or the
stores, so the archived JSON is exactly the numbers the people read.
"""
from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from waspada.digest import activity, counts
from waspada.digest.claim_matches import claim_matches
from waspada.digest.crawl_failures import failed_sources
from waspada.digest.cyber_threats import cyber_threats
from waspada.digest.dark_sources import dark_sources
from waspada.digest.lookalike_domains import lookalike_domains
from waspada.digest.period import BASELINE_DAYS, Day, iso_utc
from waspada.digest.top_items import top_items
from waspada.index import Index

#: Version of the digest.json shape; bump it when a field changes meaning.
FORMAT = 1
#: Rows per breakdown table in the HTML and PDF; digest.json keeps every row.
TABLE_ROWS = 20


def collect(index: Index, day: Day, *, web_db: str | Path, stats_dir: str | Path, sources_path: str | Path | None,
            top: int, backend: str, now: datetime | None = None, state_dir: str | Path | None = None) -> dict[str, Any]:
    """``state_dir`` holds the source health store (dark sources); None leaves that list empty."""
    now = now or datetime.now(timezone.utc)
    breakdowns = {name: counts.breakdown(index, day, name) for name in counts.DIMENSIONS}
    shown_sources = [row["key"] for row in breakdowns["source"][:TABLE_ROWS]]
    names = counts.source_names(index, day, shown_sources)
    for row in breakdowns["source"]:
        row["name"] = names.get(row["key"], row["key"])
    investigations = activity.investigations(web_db, day)
    alerts = activity.alerts_fired(web_db, day)
    failures = failed_sources(stats_dir, day, sources_path)
    total = counts.totals(index, day)
    dark = dark_sources(state_dir, sources_path, now) if state_dir else {"as_of": iso_utc(now), "sources": []}
    claims = claim_matches(index, day)
    cyber = cyber_threats(index, day)
    lookalikes = lookalike_domains(index, day)
    return {
        "format": FORMAT,
        "date": day.iso,
        "date_label": day.label(),
        "timezone": "Asia/Jakarta (WIB, UTC+7)",
        "window": {"start": iso_utc(day.start), "end": iso_utc(day.end)},
        "baseline": {"start": iso_utc(day.shifted(-BASELINE_DAYS).start), "end": iso_utc(day.start),
                     "days": BASELINE_DAYS},
        "generated_at": iso_utc(now),
        "backend": backend,
        "total": total,
        "no_data": total["day"] == 0,
        "breakdowns": breakdowns,
        "trend": counts.trend(index, day),
        "top_items": top_items(index, day, top),
        "claim_matches": claims,
        "cyber_threats": cyber,
        "lookalike_domains": lookalikes,
        "alerts": alerts,
        "investigations": investigations,
        "failed_sources": failures,
        "dark_sources": dark,
        "headline": {"flagged": total["day"], "avg7": total["avg7"], "alerts": len(alerts),
                     "investigations_opened": len(investigations["opened"]),
                     "investigations_closed": len(investigations["closed"]),
                     "failed_sources": len({s for f in failures for s in f["sources"]}),
                     "dark_sources": len(dark["sources"]),
                     "debunked_claims_circulating": len(claims),
                     "cyber_threats": cyber["total"],
                     "lookalike_domains": lookalikes["total"]},
    }
