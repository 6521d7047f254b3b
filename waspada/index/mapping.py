"""The Elasticsearch index template: explicit mappings for the document of DESIGN.md §3.

``dynamic: false`` at the top: a field the schema grows later is kept in ``_source`` (nothing is
lost) but not indexed until it is mapped here, so a typo cannot silently create a mapping that
then conflicts across monthly indices. Scores are the exception: a new label's score is a float.
"""
from __future__ import annotations

from typing import Any

from waspada.schema import LABELS

_KEYWORD = {"type": "keyword", "ignore_above": 1024}
_URL = {"type": "keyword", "ignore_above": 8191}
_DATE = {"type": "date"}
_FLOAT = {"type": "float"}


def mappings(analyzer: str) -> dict[str, Any]:
    text = {"type": "text", "analyzer": analyzer}
    return {
        "dynamic": False,
        "dynamic_templates": [{"label_scores": {"path_match": "waspada.scores.*", "mapping": _FLOAT}}],
        "properties": {
            "@timestamp": _DATE,
            "ecs": {"properties": {"version": _KEYWORD}},
            "event": {"properties": {"kind": _KEYWORD, "created": _DATE, "ingested": _DATE, "dataset": _KEYWORD}},
            "url": {"properties": {"original": _URL, "domain": _KEYWORD}},
            "text": text,
            "waspada": {"properties": {
                "id": _KEYWORD,
                "cluster": _KEYWORD,
                "canonical_url": _URL,
                "published_known": {"type": "boolean"},
                "source": {"properties": {"id": _KEYWORD, "name": _KEYWORD, "platform": _KEYWORD}},
                # deleted_*: the platform reported the post gone (waspada.engagement.refresh); we keep it.
                "post": {"properties": {"title": text, "author": _KEYWORD, "lang": _KEYWORD, "kind": _KEYWORD,
                                         "hashtags": _KEYWORD, "links": _URL, "deleted_at": _DATE,
                                         "deleted_reason": _KEYWORD,
                                         # The text was cut at TEXT_MAX_CHARS; its length as crawled.
                                         "text_truncated": {"type": "boolean"}, "text_length": {"type": "long"}}},
                # What was cut or dropped from the record on the way in (waspada.limits).
                "warnings": _KEYWORD,
                "engagement": {"properties": {**{k: {"type": "long"} for k in ("likes", "shares", "replies", "views")},
                                              "refreshed_at": _DATE}},
                "relevance": {"properties": {"terms": _KEYWORD, "regions": _KEYWORD, "entities": _KEYWORD}},
                "scores": {"dynamic": True, "properties": {label: _FLOAT for label in LABELS}},
                "max_score": _FLOAT,
                "severity": _FLOAT,
                "labels": _KEYWORD,
                "model": {"properties": {"id": _KEYWORD}},
                # Why the post is or is not flagged hoax (waspada/hoax_rule.py); the sentence stays in _source.
                "hoax_decision": {"type": "object", "dynamic": False, "properties": {
                    "flagged": {"type": "boolean"}, "rule": _KEYWORD, "source_class": _KEYWORD}},
                # A debunked claim the post repeats (waspada.claims); absent when it matches none.
                "claim_match": {"type": "object", "dynamic": False, "properties": {
                    "claim_id": _KEYWORD, "title": text, "verdict": _KEYWORD, "url": _URL, "source_id": _KEYWORD,
                    "published": _KEYWORD, "similarity": _FLOAT, "model_hoax": _FLOAT}},
                # Look-alike domains the post is hosted on or links to (waspada.threats); ``detail``
                # is for people and stays in _source only. Cyber-threat findings sit beside them.
                "threats": {"type": "object", "dynamic": False, "properties": {
                    "lookalike": {"type": "object", "dynamic": False, "properties": {
                        "domain": _KEYWORD, "official": _KEYWORD, "kind": _KEYWORD, "where": _KEYWORD}},
                    # The cyber-threat finding (waspada.threats.cyber): ``kind`` is the first kind
                    # that fired, ``kinds`` all of them; ``reason`` is for people.
                    "cyber": {"type": "object", "dynamic": False, "properties": {
                        "kind": _KEYWORD, "kinds": _KEYWORD, "target": _KEYWORD, "act": _KEYWORD,
                        "detector": _KEYWORD}}}},
                "evidence": {"type": "object", "dynamic": False, "properties": {"sha256": _KEYWORD, "path": _KEYWORD}},
                "triage": {"properties": {
                    "status": _KEYWORD, "verdict": _KEYWORD, "assignee": _KEYWORD, "updated_by": _KEYWORD,
                    "updated_at": _DATE,
                    # Free-form notes (strings or objects): kept, shown, never queried.
                    "notes": {"type": "object", "enabled": False},
                }},
            }},
        },
    }


def index_template(alias: str, analyzer: str, replicas: int) -> dict[str, Any]:
    """Keyword arguments for ``indices.put_index_template`` covering ``<alias>-*``."""
    return {
        "index_patterns": [f"{alias}-*"],
        # Above the built-in templates (priority 100-200 for logs-*, metrics-* ...).
        "priority": 500,
        "template": {
            "settings": {"number_of_shards": 1, "number_of_replicas": replicas},
            "mappings": mappings(analyzer),
            "aliases": {alias: {}},
        },
        "meta": {"managed_by": "waspada", "description": "monthly indices of flagged election posts"},
    }
