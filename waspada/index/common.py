"""Rules both backends share, so they cannot drift apart: derived fields, merging, validation."""
from __future__ import annotations

import copy
import math
from datetime import datetime, timezone
from typing import Any

from waspada.index.base import SearchQuery
from waspada.schema import LABELS, SchemaError, parse_time

#: Keyword fields ``Index.facets`` accepts, by dotted path (also the names alert rules and the
#: digest group by).
FACET_FIELDS = (
    "waspada.labels",
    "waspada.source.id",
    "waspada.source.platform",
    "waspada.relevance.regions",
    "waspada.relevance.terms",
    "waspada.relevance.entities",
    "waspada.triage.status",
    "waspada.triage.verdict",
    "waspada.triage.assignee",
    "waspada.post.author",
    "waspada.post.hashtags",
    "waspada.post.links",
    "waspada.cluster",
    "waspada.claim_match.claim_id",
    # Look-alike domains on the post and the official domains they imitate (waspada.threats).
    "waspada.threats.lookalike.domain",
    "waspada.threats.lookalike.official",
    # Every cyber-threat kind that fired on the post (waspada.threats.cyber).
    "waspada.threats.cyber.kinds",
    "url.domain",
)

#: Fields the index adds to every stored document (both backends, so sorting agrees).
DERIVED = ("max_score", "severity")


def reach(doc: dict[str, Any]) -> int:
    engagement = doc.get("waspada", {}).get("engagement") or {}
    return sum(int(engagement.get(k) or 0) for k in ("views", "likes", "shares", "replies"))


def max_score(doc: dict[str, Any]) -> float:
    scores = doc.get("waspada", {}).get("scores") or {}
    return max((float(v) for v in scores.values() if v is not None), default=0.0)


#: The score a threat finding (a cyber-threat claim, a look-alike domain: ``waspada.threats``)
#: stands for in severity. Those posts are items whatever the model scored them, and a leaked-DPT
#: offer the model scored 0.1 must not sink below every mildly provocative tweet in a
#: severity-sorted list. 0.9: as urgent as a confident model flag, not above the most confident.
THREAT_SCORE = 0.9


def severity(doc: dict[str, Any]) -> float:
    """How urgently an analyst should look: the highest label score, amplified by audience.

    ``severity = max(max_score, THREAT_SCORE if the post carries a threat finding) × (1 + log10(1 + reach))``
    with reach = views + likes + shares + replies. A post nobody saw keeps its score; every
    tenfold growth in reach adds one score's worth, so a 0.6 post seen 100k times outranks a 0.9
    post seen 10 times, but not a 0.9 seen 10k times.
    """
    score = max_score(doc)
    if doc.get("waspada", {}).get("threats"):
        score = max(score, THREAT_SCORE)
    return round(score * (1.0 + math.log10(1 + reach(doc))), 6)


def with_derived(doc: dict[str, Any]) -> dict[str, Any]:
    """A copy of ``doc`` with ``waspada.max_score`` and ``waspada.severity`` (re)computed."""
    out = copy.deepcopy(doc)
    project = out.setdefault("waspada", {})
    project["max_score"] = round(max_score(out), 6)
    project["severity"] = severity(out)
    return out


def deep_merge(base: dict[str, Any], partial: dict[str, Any]) -> dict[str, Any]:
    """``partial`` merged into a copy of ``base``: objects merge key by key, everything else
    (lists, scalars, None) replaces. This is what Elasticsearch's partial update does."""
    out = copy.deepcopy(base)
    for key, value in partial.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = deep_merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def doc_id_of(doc: Any) -> str:
    """The document's id, or SchemaError saying what is missing."""
    if not isinstance(doc, dict):
        raise SchemaError(f"a document must be a dict, got {type(doc).__name__}")
    value = (doc.get("waspada") or {}).get("id")
    if not isinstance(value, str) or not value:
        raise SchemaError(f"document has no waspada.id (got {value!r}); build it with waspada.schema.build_document")
    return value


def timestamp_of(doc: dict[str, Any]) -> datetime:
    value = doc.get("@timestamp")
    if not isinstance(value, str):
        raise SchemaError(f"document {doc_id_of(doc)} has no @timestamp string (got {value!r})")
    return parse_time(value, "@timestamp").astimezone(timezone.utc)


def utc(moment: datetime) -> datetime:
    """Naive datetimes in queries are taken as UTC, like naive times in spool records."""
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def check_query(query: SearchQuery) -> None:
    """Reject what one backend would silently treat differently from the other."""
    for label in query.labels:
        if label not in LABELS:
            raise ValueError(f"label {label!r} is not one of {', '.join(LABELS)}")


def score_labels(query: SearchQuery) -> tuple[str, ...]:
    """The labels whose highest score ``min_score`` applies to."""
    return query.labels or LABELS


def check_facet_field(field: str) -> None:
    if field not in FACET_FIELDS:
        raise ValueError(f"cannot facet on {field!r}; choose one of {', '.join(FACET_FIELDS)}")


def check_facet_size(size: int) -> None:
    if not 0 < size <= 1000:
        raise ValueError(f"facet size {size} must be between 1 and 1000")
