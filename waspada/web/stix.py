"""A search as a STIX 2.1 bundle, for sharing with partners' threat-intelligence platforms.

Mapping: one ``indicator`` per post (pattern ``[url:value = '<the post's URL>']``, so a partner can
watch or block the URL; name = title; labels = our labels; confidence = highest score × 100),
one ``report`` that wraps them and names the query, and the ``identity`` that produced them.
Ids are UUIDv5 of the post id, so exporting the same post twice gives the same indicator.

Threat findings on the posts (waspada.threats):
- a look-alike domain becomes a ``domain-name`` observable, an ``indicator`` with the pattern
  ``[domain-name:value = '<domain>']`` (what a partner blocks), and an ``impersonates``
  ``relationship`` from it to the ``domain-name`` of the official domain it imitates. One set per
  domain however many posts carry it; the post's indicator and the look-alike's are tied by a
  ``related-to`` relationship.
- a cyber-threat finding becomes a ``note`` on the post's indicator: the kind in its labels and
  abstract, the Indonesian reason as content. A note rather than a custom property, so strict
  STIX consumers (``allow_custom=False``) still accept the bundle.
Built as plain dicts (no runtime dependency); tests validate the output with the stix2 library.
"""
from __future__ import annotations

import json
import uuid
from datetime import datetime, timezone
from typing import Any

from waspada.threats.names_id import cyber_kind_name, lookalike_kind_name

# Fixed namespace so ids are stable across exports and installations.
_NAMESPACE = uuid.UUID("6b1f2a8e-52c4-4c47-9d0e-8a3f0f7b2d11")
# The namespace STIX 2.1 fixes for cyber-observable ids: anyone who sees the same domain derives the same id.
_SCO_NAMESPACE = uuid.UUID("00abedb4-aa42-466c-9c01-fed23315a9b7")
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
        "labels": _labels(w),
        "confidence": int(round(max([float(v) for v in (w.get("scores") or {}).values()] or [0]) * 100)),
        "external_references": [{"source_name": "waspada", "external_id": w["id"],
                                 "description": f"{w['source']['name']} ({w['source']['platform']})"}],
    }


def _labels(w: dict[str, Any]) -> list[str]:
    """The model's labels plus the threat findings, so a post flagged only as a look-alike or a
    cyber threat is not exported as "unlabelled"."""
    threats = w.get("threats") or {}
    found = set(w.get("labels") or []) | set((threats.get("cyber") or {}).get("kinds") or [])
    if threats.get("lookalike"):
        found.add("lookalike-domain")
    return sorted(found) or ["unlabelled"]


def _domain_sco(domain: str) -> dict[str, Any]:
    # Deterministic id as STIX 2.1 defines it: UUIDv5 of the canonical JSON of {"value": ...}.
    key = json.dumps({"value": domain}, ensure_ascii=False, separators=(",", ":"))
    return {"type": "domain-name", "spec_version": "2.1", "id": f"domain-name--{uuid.uuid5(_SCO_NAMESPACE, key)}",
            "value": domain}


def _relationship(kind: str, source: str, target: str, now: str, description: str) -> dict[str, Any]:
    return {"type": "relationship", "spec_version": "2.1",
            "id": f"relationship--{uuid.uuid5(_NAMESPACE, f'{kind}:{source}:{target}')}",
            "created_by_ref": _IDENTITY, "created": now, "modified": now, "relationship_type": kind,
            "source_ref": source, "target_ref": target, "description": description}


def lookalike_objects(found: dict[str, Any], post_indicator: str, doc: dict[str, Any], now: str) -> list[dict[str, Any]]:
    """The observables, indicator and relationships of one look-alike record on one post."""
    domain, official = found["domain"], found["official"]
    kind = lookalike_kind_name(found.get("kind") or "")
    fake, real = _domain_sco(domain), _domain_sco(official)
    said = f"{domain} meniru domain resmi {official} ({kind})"
    watch = {
        "type": "indicator", "spec_version": "2.1", "id": f"indicator--{uuid.uuid5(_NAMESPACE, 'lookalike:' + domain)}",
        "created_by_ref": _IDENTITY, "created": now, "modified": now, "name": f"Domain tiruan {domain}",
        "description": f"{said}; kemungkinan phishing atau situs palsu atas nama penyelenggara pemilu.",
        "indicator_types": ["malicious-activity"], "pattern": f"[domain-name:value = {_quote(domain)}]",
        "pattern_type": "stix", "valid_from": _time(doc["@timestamp"]),
        "labels": sorted({"lookalike-domain", found.get("kind") or "lookalike"})}
    how = "pos ini dimuat di domain tiruan itu" if found.get("where") == "post" else "pos ini menautkan domain tiruan itu"
    return [fake, real, watch,
            _relationship("impersonates", fake["id"], real["id"], now, said),
            _relationship("based-on", watch["id"], fake["id"], now, f"Pola indikator ini mengamati {domain}."),
            _relationship("related-to", post_indicator, watch["id"], now, how)]


def cyber_note(cyber: dict[str, Any], post_indicator: str, now: str) -> dict[str, Any]:
    """A cyber-threat finding as a note on the post's indicator (rule evidence, not a score)."""
    kinds = cyber.get("kinds") or [cyber["kind"]]
    return {"type": "note", "spec_version": "2.1", "id": f"note--{uuid.uuid5(_NAMESPACE, 'cyber:' + post_indicator)}",
            "created_by_ref": _IDENTITY, "created": now, "modified": now,
            "abstract": f"Ancaman siber: {', '.join(cyber_kind_name(k) for k in kinds)}"[:250],
            "content": f"{cyber.get('reason') or ''} (sasaran: {cyber.get('target')}; tindakan: {cyber.get('act')}; "
                       f"aturan {cyber.get('detector')})",
            "labels": sorted({"cyber-threat", *kinds}), "object_refs": [post_indicator]}


def threat_objects(doc: dict[str, Any], post_indicator: str, now: str) -> list[dict[str, Any]]:
    threats = doc["waspada"].get("threats") or {}
    out = [obj for found in threats.get("lookalike") or [] for obj in lookalike_objects(found, post_indicator, doc, now)]
    if threats.get("cyber"):
        out.append(cyber_note(threats["cyber"], post_indicator, now))
    return out


def _unique(objects: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One object per id: a domain on many posts is one observable and one indicator (the first)."""
    seen: dict[str, dict[str, Any]] = {}
    for obj in objects:
        seen.setdefault(obj["id"], obj)
    return list(seen.values())


def bundle(docs: list[dict[str, Any]], *, query: str, by: str) -> dict[str, Any]:
    now = _time(None)
    indicators = [indicator(doc, now) for doc in docs]
    threats = _unique([obj for doc, ind in zip(docs, indicators) for obj in threat_objects(doc, ind["id"], now)])
    identity = {"type": "identity", "spec_version": "2.1", "id": _IDENTITY, "created": "2024-01-01T00:00:00.000Z",
                "modified": "2024-01-01T00:00:00.000Z", "name": "Waspada", "identity_class": "system"}
    objects: list[dict[str, Any]] = [identity, *indicators, *threats]
    if indicators:  # a report must reference at least one object
        objects.append({
            "type": "report", "spec_version": "2.1", "id": f"report--{uuid.uuid4()}", "created_by_ref": _IDENTITY,
            "created": now, "modified": now, "published": now, "name": f"Waspada: {query or 'semua pos'}"[:250],
            "description": f"Ekspor pencarian oleh {by}: {len(indicators)} pos.", "report_types": ["threat-report"],
            "object_refs": [o["id"] for o in (*indicators, *threats)]})
    return {"type": "bundle", "id": f"bundle--{uuid.uuid4()}", "objects": objects}
