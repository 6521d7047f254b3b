"""What each rule type fires on, for one window: pure functions of the index and the window.

They read only (counts, facets, a bounded scan of matching posts) and never touch alert state, so
`waspada alerts test` can replay any past window with the very code the evaluator runs.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any, Callable, Iterator

from waspada.alerts.rules import GROUP_BY, Rule
from waspada.index.common import reach

#: Most posts one evaluation reads to pick example items or group them; counts stay exact.
MAX_SCAN = 5000
#: Most items linked to an investigation per firing (the most severe first).
MAX_LINKED = 50
_FACET_SIZE = 1000


@dataclass
class Firing:
    """One alert a rule would raise: for a key (or None), over [start, end)."""
    rule: str
    key: str | None
    start: datetime
    end: datetime
    count: int
    summary: str  # Indonesian, one line: what happened
    doc_ids: list[str] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)


def values_of(doc: dict[str, Any], dotted: str) -> list[str]:
    """The values at ``dotted``; through a list of objects (look-alike records), each one's value."""
    value: Any = doc
    for part in dotted.split("."):
        if isinstance(value, list):
            value = [item.get(part) for item in value if isinstance(item, dict)]
        else:
            value = value.get(part) if isinstance(value, dict) else None
    if value is None or value == "":
        return []
    return [str(v) for v in value if v not in (None, "")] if isinstance(value, list) else [str(value)]


def scan(index, query, limit: int = MAX_SCAN) -> Iterator[dict[str, Any]]:
    """Matching documents, most severe first, at most ``limit``."""
    page = 500
    offset = 0
    while offset < limit:
        result = index.search(replace(query, size=min(page, limit - offset), offset=offset, sort="severity"))
        yield from (hit.doc for hit in result.hits)
        offset += len(result.hits)
        if not result.hits or offset >= result.total:
            return


def _top_ids(docs: list[dict[str, Any]]) -> list[str]:
    return [d["waspada"]["id"] for d in docs[:MAX_LINKED]]


def _docs_by_key(rule: Rule, index, start: datetime, end: datetime) -> dict[str | None, list[dict[str, Any]]]:
    grouped: dict[str | None, list[dict[str, Any]]] = defaultdict(list)
    for doc in scan(index, rule.query(start, end)):
        for key in (values_of(doc, rule.key_field) if rule.key_field else [None]):
            grouped[key].append(doc)
    return grouped


def counts(rule: Rule, index, start: datetime, end: datetime) -> dict[str | None, int]:
    """Exact counts per key (or for the whole filter) from the index's own aggregation."""
    query = rule.query(start, end)
    if rule.key_field:
        return dict(index.facets(rule.key_field, query, size=_FACET_SIZE))
    return {None: index.count(query)}


def _label(rule: Rule, key: str | None) -> str:
    return f" untuk {rule.key} {key!r}" if key is not None else ""


def frequency(rule: Rule, index, start: datetime, end: datetime, **_) -> list[Firing]:
    threshold = rule.params["threshold"]
    hot = {k: c for k, c in counts(rule, index, start, end).items() if c >= threshold}
    if not hot:
        return []
    docs = _docs_by_key(rule, index, start, end)
    return [Firing(rule.name, key, start, end, count,
                   f"{count} pos terdeteksi dalam {_span(rule.window)}{_label(rule, key)} (ambang {threshold})",
                   _top_ids(docs.get(key, [])), {"threshold": threshold})
            for key, count in sorted(hot.items(), key=lambda kv: (-kv[1], str(kv[0])))]


def spike(rule: Rule, index, start: datetime, end: datetime, **_) -> list[Firing]:
    baseline = rule.duration("baseline")
    height, direction, min_count = rule.params["spike_height"], rule.params["direction"], rule.params["min_count"]
    current = counts(rule, index, start, end)
    before = counts(rule, index, start - baseline, start)
    scale = rule.window / baseline  # baseline counts scaled to the window's length
    firings, docs = [], None
    for key in sorted(set(current) | set(before), key=str):
        now_count, expected = current.get(key, 0), before.get(key, 0) * scale
        up = direction in ("up", "both") and now_count >= min_count and now_count >= height * max(expected, 1e-9)
        down = direction in ("down", "both") and expected >= min_count and now_count * height <= expected
        if not (up or down):
            continue
        if docs is None:
            docs = _docs_by_key(rule, index, start, end)
        ratio = now_count / expected if expected else None
        word = "naik" if up else "turun"
        ratio_text = f"{ratio:.1f}×" if ratio is not None else "dari nol"
        firings.append(Firing(rule.name, key, start, end, now_count,
                              f"Jumlah pos {word} {ratio_text}{_label(rule, key)}: {now_count} dalam "
                              f"{_span(rule.window)}, biasanya {expected:.1f}",
                              _top_ids(docs.get(key, [])),
                              {"expected": round(expected, 3), "ratio": None if ratio is None else round(ratio, 3),
                               "direction": "up" if up else "down", "baseline": str(rule.params["baseline"])}))
    return firings


def flatline(rule: Rule, index, start: datetime, end: datetime, **_) -> list[Firing]:
    """Too few posts in the window: for the whole filter, or for each key that was active in the
    week before (a key never seen cannot go quiet)."""
    threshold = rule.params["threshold"]
    current = counts(rule, index, start, end)
    if rule.key_field:
        known = counts(rule, index, start - timedelta(days=7), start)
        quiet = {k: current.get(k, 0) for k in known if current.get(k, 0) < threshold}
    else:
        quiet = {None: current[None]} if current[None] < threshold else {}
    return [Firing(rule.name, key, start, end, count,
                   f"Sepi: hanya {count} pos dalam {_span(rule.window)}{_label(rule, key)} (minimal {threshold}); "
                   "periksa crawler dan sumbernya", [], {"threshold": threshold})
            for key, count in sorted(quiet.items(), key=lambda kv: str(kv[0]))]


def severity(rule: Rule, index, start: datetime, end: datetime, **_) -> list[Firing]:
    """One alert per post whose highest score and reach are both above the rule's thresholds."""
    min_score, min_reach = float(rule.params["min_score"]), rule.params["min_reach"]
    query = rule.query(start, end)
    query = replace(query, min_score=max(min_score, query.min_score or 0.0))
    firings = []
    for doc in scan(index, query):
        w = doc["waspada"]
        if reach(doc) < min_reach:
            continue
        score = max((float(v) for v in (w.get("scores") or {}).values()), default=0.0)
        title = (w.get("post") or {}).get("title") or doc.get("text", "")[:80]
        firings.append(Firing(rule.name, w["id"], start, end, 1,
                              f"Pos berisiko tinggi (skor {score:.2f}, jangkauan {reach(doc)}): {title}",
                              [w["id"]], {"score": round(score, 4), "reach": reach(doc)}))
    return firings


def new_term(rule: Rule, index, start: datetime, end: datetime, *, known_terms: set[str] | None = None,
             **_) -> list[Firing]:
    """Values of the key field seen in the window but not in the lookback before it.

    ``known_terms`` comes from the evaluator's persisted memory of terms; without it (a dry run)
    the lookback window's own aggregation stands in."""
    lookback = rule.duration("lookback")
    current = counts(rule, index, start, end)
    if known_terms is None:
        known_terms = set(counts(rule, index, start - lookback, start))
    new = {k: c for k, c in current.items() if k not in known_terms and c >= rule.params["min_count"]}
    if not new:
        return []
    docs = _docs_by_key(rule, index, start, end)
    return [Firing(rule.name, key, start, end, count,
                   f"{rule.key} baru {key!r}: {count} pos, tidak terlihat dalam {_span(lookback)} sebelumnya",
                   _top_ids(docs.get(key, [])), {"lookback": str(rule.params["lookback"])})
            for key, count in sorted(new.items(), key=lambda kv: (-kv[1], str(kv[0])))]


def cardinality(rule: Rule, index, start: datetime, end: datetime, **_) -> list[Firing]:
    """Many distinct accounts posting the same text (near-duplicate cluster) or the same URL."""
    field_path = GROUP_BY[rule.params["group_by"]]
    minimum = rule.params["distinct_accounts"]
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for doc in scan(index, rule.query(start, end)):
        for value in values_of(doc, field_path) or [doc["waspada"]["id"]]:
            groups[value].append(doc)
    firings = []
    for group, docs in sorted(groups.items()):
        accounts = {(d["waspada"]["source"]["id"], (d["waspada"].get("post") or {}).get("author") or "")
                    for d in docs}
        accounts = {a for a in accounts if a[1]} or accounts
        if len(accounts) < minimum:
            continue
        sample = (docs[0]["waspada"].get("post") or {}).get("title") or docs[0].get("text", "")[:80]
        firings.append(Firing(rule.name, group, start, end, len(docs),
                              f"{len(accounts)} akun berbeda menyebarkan konten yang sama ({len(docs)} pos): {sample}",
                              _top_ids(docs), {"accounts": sorted(f"{s}:{a}" for s, a in accounts)[:100],
                                               "group_by": rule.params["group_by"]}))
    return firings


CONDITIONS: dict[str, Callable[..., list[Firing]]] = {
    "frequency": frequency, "spike": spike, "flatline": flatline, "severity": severity,
    "new_term": new_term, "cardinality": cardinality,
}


def evaluate(rule: Rule, index, start: datetime, end: datetime, **state) -> list[Firing]:
    return CONDITIONS[rule.type](rule, index, start, end, **state)


def _span(delta: timedelta) -> str:
    seconds = int(delta.total_seconds())
    for unit, size in (("hari", 86400), ("jam", 3600), ("menit", 60)):
        if seconds % size == 0:
            return f"{seconds // size} {unit}"
    return f"{seconds} detik"
