"""The digest's numbers from the index: the day's flagged posts by label, platform, source and
region, each against the average of the seven days before, and the daily counts the trend chart
draws.

Everything is asked of the ``Index`` protocol (``count`` and ``facets`` over ``@timestamp``, the
publication time), so SQLite and Elasticsearch give the same digest.
"""
from __future__ import annotations

from typing import Any

from waspada.digest.period import BASELINE_DAYS, TREND_DAYS, Day
from waspada.index import Index, SearchQuery
from waspada.schema import LABELS

#: Breakdown name -> (the facet field it groups by, its Indonesian heading).
DIMENSIONS = {
    "label": ("waspada.labels", "Label"),
    "platform": ("waspada.source.platform", "Platform"),
    "source": ("waspada.source.id", "Sumber"),
    "region": ("waspada.relevance.regions", "Wilayah"),
}
#: How the report names the labels.
LABEL_NAMES = {"hoax": "Hoaks", "provocation": "Provokasi"}
#: Facet size: the most values one breakdown can hold. The index caps facets at 1000; a day with
#: more distinct sources or regions than that is far beyond what a report can show anyway.
_FACET_SIZE = 1000


def window(day: Day, days_before: int = 0, days: int = 1) -> SearchQuery:
    """The query for ``days`` WIB days starting ``days_before`` days before ``day``."""
    first = day.shifted(-days_before)
    return SearchQuery(date_from=first.start, date_to=first.shifted(days - 1).end, size=1)


def baseline(day: Day) -> SearchQuery:
    """The seven WIB days before ``day`` (not including it)."""
    return window(day, days_before=BASELINE_DAYS, days=BASELINE_DAYS)


def compare(count: int, baseline_total: int) -> dict[str, Any]:
    """The day's count against the baseline's daily average.

    ``change`` is the difference from the average; ``change_pct`` is that difference as a share of
    the average, or None when the average is 0 (a percentage of nothing means nothing: the report
    says "baru" instead).
    """
    average = round(baseline_total / BASELINE_DAYS, 2)
    change = round(count - baseline_total / BASELINE_DAYS, 2)
    pct = round(100.0 * (count * BASELINE_DAYS - baseline_total) / baseline_total, 1) if baseline_total else None
    return {"day": count, "avg7": average, "change": change, "change_pct": pct}


def totals(index: Index, day: Day) -> dict[str, Any]:
    """All flagged posts of the day against the seven-day average."""
    return compare(index.count(window(day)), index.count(baseline(day)))


def breakdown(index: Index, day: Day, dimension: str) -> list[dict[str, Any]]:
    """One row per value seen on the day or in the seven days before, most frequent today first.

    A value with no posts today still gets a row when it had posts in the baseline: a source or
    region that went silent is news for a supervisor too.
    """
    if dimension not in DIMENSIONS:
        raise ValueError(f"breakdown {dimension!r} is unknown; choose one of {', '.join(DIMENSIONS)}")
    field = DIMENSIONS[dimension][0]
    today = index.facets(field, window(day), size=_FACET_SIZE)
    before = index.facets(field, baseline(day), size=_FACET_SIZE)
    rows = []
    for key in {*today, *before}:
        row = {"key": key, "name": LABEL_NAMES.get(key, key) if dimension == "label" else key,
               **compare(today.get(key, 0), before.get(key, 0))}
        rows.append(row)
    rows.sort(key=lambda r: (-r["day"], -r["avg7"], r["key"]))
    return rows


def trend(index: Index, day: Day) -> dict[str, Any]:
    """Flagged posts per WIB day, per label and in all, for the ``TREND_DAYS`` days ending on ``day``."""
    days = [day.shifted(-back) for back in range(TREND_DAYS - 1, -1, -1)]
    per_label: dict[str, list[int]] = {label: [] for label in LABELS}
    total: list[int] = []
    for each in days:
        query = window(each)
        counts = index.facets("waspada.labels", query, size=len(LABELS) + 1)
        for label in LABELS:
            per_label[label].append(int(counts.get(label, 0)))
        total.append(index.count(query))
    return {"days": [d.iso for d in days], "day_labels": [d.short_label() for d in days],
            "labels": per_label, "total": total}


def source_names(index: Index, day: Day, source_ids: list[str]) -> dict[str, str]:
    """Display names of ``source_ids`` as the documents carry them (the id when none is found).

    One tiny query per source: only the rows the report shows are looked up.
    """
    names = {}
    for source_id in source_ids:
        result = index.search(SearchQuery(sources=(source_id,), date_to=day.end, sort="time", size=1))
        doc = result.hits[0].doc if result.hits else {}
        names[source_id] = ((doc.get("waspada") or {}).get("source") or {}).get("name") or source_id
    return names
