"""Investigations: list, open (from an item or blank), read (items, alerts, timeline), change
(status, assignee, note, link posts) and export (CSV, JSON, STIX 2.1).

Analysts open and work investigations; exporting one is a supervisor's call, as for searches.
Every view, change and export is audited. Alert rules open investigations too (waspada.alerts),
so the page also lists the alerts that fed this case.
"""
from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from waspada.investigations import STATUSES, InvestigationError
from waspada.web.render import render
from waspada.web.auth import check_csrf, client_ip, require
from waspada.web.errors import WebError
from waspada.web.numbers import RecordId
from waspada.web.users import User
from waspada.web.views.exports import csv_response, json_response, stix_response

router = APIRouter()
_MAX_ITEMS_SHOWN = 500


def _investigation(request: Request, inv_id: int):
    inv = request.app.state.investigations.get(inv_id)
    if inv is None:
        raise WebError(404, f"Tidak ada investigasi #{inv_id}; lihat daftar di /investigations.")
    return inv


def _docs(request: Request, inv) -> tuple[list[dict], list[str]]:
    """The linked posts still in the index (in linking order) and the ids that are not."""
    index = request.app.state.index
    found, missing = [], []
    for item in inv.items[:_MAX_ITEMS_SHOWN]:
        doc = index.get(item["doc_id"])
        (found if doc is not None else missing).append(doc if doc is not None else item["doc_id"])
    return found, missing


@router.get("/investigations")
def investigation_list(request: Request, status: str = "", mine: str = "",
                       user: User = Depends(require("analyst"))) -> Response:
    if status and status not in STATUSES:
        raise WebError(400, f"Status {status!r} tidak dikenal; pilih salah satu: {', '.join(STATUSES)}.")
    store = request.app.state.investigations
    rows = store.list(status=status or None, assignee=user.name if mine else None)
    request.app.state.users.audit(user.name, "investigation.list", status, {"mine": bool(mine)}, client_ip(request))
    return render(request, "investigations.html", investigations=rows, statuses=STATUSES, status_filter=status,
                  mine=bool(mine))


@router.post("/investigations")
def investigation_open(request: Request, title: str = Form(""), doc_id: str = Form(""), note: str = Form(""),
                       csrf: str = Form(""), user: User = Depends(require("analyst"))) -> Response:
    check_csrf(request, csrf)
    doc_ids = [doc_id] if doc_id else []
    if doc_id and request.app.state.index.get(doc_id) is None:
        raise WebError(404, f"Tidak ada pos dengan id {doc_id!r} untuk dibuka sebagai investigasi.")
    try:
        inv_id = request.app.state.investigations.open(title, user.name, doc_ids=doc_ids, note=note)
    except InvestigationError as exc:
        raise WebError(400, f"Investigasi tidak dapat dibuka: {exc}.") from None
    request.app.state.users.audit(user.name, "investigation.open", str(inv_id), {"title": title[:200], "doc_id": doc_id},
                                  client_ip(request))
    return RedirectResponse(f"/investigations/{inv_id}", status_code=303)


@router.get("/investigations/{inv_id}")
def investigation_page(request: Request, inv_id: RecordId, user: User = Depends(require("analyst"))) -> Response:
    state = request.app.state
    inv = _investigation(request, inv_id)
    docs, missing = _docs(request, inv)
    alerts = [a for a in state.alerts.alerts(rule=inv.rule, limit=200) if a.investigation_id == inv.id] if inv.rule else []
    state.users.audit(user.name, "investigation.view", str(inv_id), {}, client_ip(request))
    return render(request, "investigation.html", inv=inv, docs=docs, missing=missing, alerts=alerts,
                  statuses=STATUSES, users=state.users.names())


@router.post("/investigations/{inv_id}")
def investigation_update(request: Request, inv_id: RecordId, status: str = Form(""), assignee: str = Form(None),
                         note: str = Form(""), link: str = Form(""), csrf: str = Form(""),
                         user: User = Depends(require("analyst"))) -> Response:
    """One form, several optional changes; each becomes its own timeline event."""
    check_csrf(request, csrf)
    state = request.app.state
    store = state.investigations
    _investigation(request, inv_id)
    changes: dict = {}
    try:
        if status:
            store.set_status(inv_id, status, user.name)
            changes["status"] = status
        if assignee is not None:
            if assignee and state.users.get(assignee) is None:
                raise WebError(400, f"Penugasan ke {assignee!r} gagal: pengguna itu tidak ada.")
            store.assign(inv_id, assignee, user.name)
            changes["assignee"] = assignee or None
        if link.strip():
            ids = [x for x in link.replace(",", " ").split() if x]
            unknown = [x for x in ids if state.index.get(x) is None]
            if unknown:
                raise WebError(400, f"Pos {unknown[0]!r} tidak ada di indeks; salin id dari halaman pos.")
            changes["linked"] = store.link(inv_id, ids, user.name)
        if note.strip():
            store.note(inv_id, note, user.name)
            changes["note"] = note.strip()[:200]
    except InvestigationError as exc:
        raise WebError(400, f"Perubahan ditolak: {exc}.") from None
    state.users.audit(user.name, "investigation.update", str(inv_id), changes, client_ip(request))
    return RedirectResponse(f"/investigations/{inv_id}", status_code=303)


def _export(request: Request, inv_id: int, user: User, kind: str):
    inv = _investigation(request, inv_id)
    docs, missing = _docs(request, inv)
    request.app.state.users.audit(user.name, f"investigation.export.{kind}", str(inv_id),
                                  {"rows": len(docs), "missing": len(missing)}, client_ip(request))
    return inv, docs


@router.get("/investigations/{inv_id}/export.csv")
def investigation_csv(request: Request, inv_id: RecordId, user: User = Depends(require("supervisor"))) -> Response:
    _, docs = _export(request, inv_id, user, "csv")
    return csv_response(docs)


@router.get("/investigations/{inv_id}/export.json")
def investigation_json(request: Request, inv_id: RecordId, user: User = Depends(require("supervisor"))) -> Response:
    inv, docs = _export(request, inv_id, user, "json")
    about = {"investigation": {"id": inv.id, "title": inv.title, "status": inv.status, "assignee": inv.assignee,
                               "created_by": inv.created_by, "created_at": inv.created_at, "rule": inv.rule,
                               "rule_key": inv.rule_key, "events": inv.events}}
    return json_response(docs, user.name, about)


@router.get("/investigations/{inv_id}/export.stix.json")
def investigation_stix(request: Request, inv_id: RecordId, user: User = Depends(require("supervisor"))) -> Response:
    inv, docs = _export(request, inv_id, user, "stix")
    return stix_response(docs, user.name, f"Investigasi #{inv.id}: {inv.title}")
