"""A search as a STIX 2.1 bundle, for sharing with partners' threat-intelligence platforms.

Mapping: one ``indicator`` per post (pattern ``[url:value = '<the post's URL>']``, so a partner can
watch or block the URL; name = title; labels = our labels; confidence = highest score × 100),
one ``report`` that wraps them and names the query, and the ``identity`` that produced them.
Ids are UUIDv5 of the post id, so exporting the same post twice gives the same indicator.
Built as plain dicts (no runtime dependency); tests validate the output with the stix2 library.
"""
from __future__ import annotations

import uuid
from datetime import datetime, timezone
from typing import Any

# Fixed namespace so ids are stable across exports and installations.
_NAMESPACE = uuid.UUID("6b1f2a8e-52c4-4c47-9d0e-8a3f0f7b2d11")
_IDENTITY = f"identity--{uuid.uuid5(_NAMESPACE, 'waspada')}"
_TEXT_MAX = 2000


def _time(value: str | datetime | None) -> str:
    """STIX timestamps: UTC, 'Z', milliseconds."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value.replace("Z", "+00:00"))
    moment = (value or datetime.now(timezone.utc))
    moment = moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def _quote(value: str) -> str:
    """A string literal inside a STIX pattern: backslash and single quote escaped."""
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def indicator(doc: dict[str, Any], now: str) -> dict[str, Any]:
    w = doc["waspada"]
    text = doc.get("text") or ""
    return {
        "type": "indicator", "spec_version": "2.1", "id": f"indicator--{uuid.uuid5(_NAMESPACE, w['id'])}",
        "created_by_ref": _IDENTITY, "created": now, "modified": now,
        "name": (w.get("post") or {}).get("title") or text[:120] or w["id"],
        "description": text[:_TEXT_MAX],
        "indicator_types": ["malicious-activity"],
        "pattern": f"[url:value = {_quote(doc['url']['original'])}]", "pattern_type": "stix",
        "valid_from": _time(doc["@timestamp"]),
        "labels": sorted(w.get("labels") or []) or ["unlabelled"],
        "confidence": int(round(max([float(v) for v in (w.get("scores") or {}).values()] or [0]) * 100)),
        "external_references": [{"source_name": "waspada", "external_id": w["id"],
                                 "description": f"{w['source']['name']} ({w['source']['platform']})"}],
    }


def bundle(docs: list[dict[str, Any]], *, query: str, by: str) -> dict[str, Any]:
    now = _time(None)
    indicators = [indicator(doc, now) for doc in docs]
    identity = {"type": "identity", "spec_version": "2.1", "id": _IDENTITY, "created": "2024-01-01T00:00:00.000Z",
                "modified": "2024-01-01T00:00:00.000Z", "name": "Waspada", "identity_class": "system"}
    objects: list[dict[str, Any]] = [identity, *indicators]
    if indicators:  # a report must reference at least one object
        objects.append({
            "type": "report", "spec_version": "2.1", "id": f"report--{uuid.uuid4()}", "created_by_ref": _IDENTITY,
            "created": now, "modified": now, "published": now, "name": f"Waspada: {query or 'semua pos'}"[:250],
            "description": f"Ekspor pencarian oleh {by}: {len(indicators)} pos.", "report_types": ["threat-report"],
            "object_refs": [i["id"] for i in indicators]})
    return {"type": "bundle", "id": f"bundle--{uuid.uuid4()}", "objects": objects}
