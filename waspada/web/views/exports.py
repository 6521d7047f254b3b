"""Exports of a search (CSV, JSON, a STIX 2.1 bundle) and of the triage feedback (JSON Lines).

Who may export: supervisors and admins. Analysts search, read and triage; taking flagged
content out of the system in bulk is a supervisor's decision. Every export is audited with
the query and the number of rows.
"""
from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from datetime import datetime, timezone

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from waspada.index.base import SearchQuery
from waspada.web.auth import client_ip, require
from waspada.web.triage import write_feedback
from waspada.web.users import User
from waspada.web.views.params import audit_details, form_from, query_from
from waspada.web.views.search import run_search

router = APIRouter()
CSV_COLUMNS = ("id", "published", "fetched", "source", "platform", "title", "url", "labels", "hoax",
               "provocation", "severity", "status", "verdict", "assignee", "regions", "terms", "model", "sha256")
_PAGE = 500


def _rows(request: Request, query: SearchQuery) -> list[dict]:
    limit = request.app.state.export_max
    docs: list[dict] = []
    offset = 0
    while len(docs) < limit:
        page = run_search(request, replace(query, size=_PAGE, offset=offset))
        docs.extend(hit.doc for hit in page.hits)
        offset += _PAGE
        if offset >= page.total or not page.hits:
            break
    return docs[:limit]


def _flat(doc: dict) -> dict:
    w = doc["waspada"]
    triage = w.get("triage") or {}
    return {"id": w["id"], "published": doc.get("@timestamp"), "fetched": (doc.get("event") or {}).get("created"),
            "source": w["source"]["id"], "platform": w["source"]["platform"], "title": w["post"].get("title", ""),
            "url": doc["url"]["original"], "labels": " ".join(w.get("labels") or []),
            "hoax": w["scores"].get("hoax"), "provocation": w["scores"].get("provocation"),
            "severity": w.get("severity"), "status": triage.get("status"), "verdict": triage.get("verdict"),
            "assignee": triage.get("assignee"), "regions": " ".join(w["relevance"].get("regions") or []),
            "terms": " ".join(w["relevance"].get("terms") or []), "model": (w.get("model") or {}).get("id"),
            "sha256": (w.get("evidence") or {}).get("sha256")}


def _cell(value) -> str:
    """Spreadsheets run cells that start with = + - @ as formulas; crawled titles must not."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _attachment(body: str | bytes, media_type: str, ext: str) -> Response:
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    return Response(body, media_type=media_type,
                    headers={"Content-Disposition": f'attachment; filename="waspada-{stamp}.{ext}"'})


def _export(request: Request, user: User, kind: str) -> tuple[list[dict], dict]:
    form = form_from(request.query_params)
    docs = _rows(request, query_from(form, size=_PAGE))
    request.app.state.users.audit(user.name, f"export.{kind}", form["q"],
                                  {**audit_details(form), "rows": len(docs)}, client_ip(request))
    return docs, form


def csv_response(docs: list[dict]) -> Response:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS)
    writer.writeheader()
    for doc in docs:
        writer.writerow({k: _cell(v) for k, v in _flat(doc).items()})
    # A BOM so Excel opens Indonesian text as UTF-8.
    return _attachment("\ufeff" + buffer.getvalue(), "text/csv; charset=utf-8", "csv")


def json_response(docs: list[dict], by: str, about: dict) -> Response:
    body = {"exported_at": datetime.now(timezone.utc).isoformat(timespec="seconds"), "exported_by": by,
            **about, "count": len(docs), "documents": docs}
    return _attachment(json.dumps(body, ensure_ascii=False, indent=1), "application/json", "json")


def stix_response(docs: list[dict], by: str, about: str) -> Response:
    from waspada.web.stix import bundle
    return _attachment(json.dumps(bundle(docs, query=about, by=by), ensure_ascii=False, indent=1),
                       "application/stix+json;version=2.1", "stix.json")


@router.get("/export.csv")
def export_csv(request: Request, user: User = Depends(require("supervisor"))) -> Response:
    docs, _ = _export(request, user, "csv")
    return csv_response(docs)


@router.get("/export.json")
def export_json(request: Request, user: User = Depends(require("supervisor"))) -> Response:
    docs, form = _export(request, user, "json")
    return json_response(docs, user.name, {"query": audit_details(form)})


@router.get("/export.stix.json")
def export_stix(request: Request, user: User = Depends(require("supervisor"))) -> Response:
    docs, form = _export(request, user, "stix")
    return stix_response(docs, user.name, form["q"])


@router.get("/feedback.jsonl")
def export_feedback(request: Request, user: User = Depends(require("supervisor"))) -> Response:
    buffer = io.StringIO()
    count = write_feedback(request.app.state.index, buffer)
    request.app.state.users.audit(user.name, "export.feedback", "", {"rows": count}, client_ip(request))
    return _attachment(buffer.getvalue(), "application/x-ndjson", "jsonl")
