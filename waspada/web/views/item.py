"""One post: what was crawled, why it was flagged, its evidence, and the triage form."""
from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from waspada.evidence import EvidenceError
from waspada.index.base import SearchQuery
from waspada.web.render import render
from waspada.web.auth import check_csrf, client_ip, require
from waspada.web.errors import WebError
from waspada.web.evidence_download import evidence_download
from waspada.web.numbers import RecordIdForm
from waspada.web.triage import ACTION_LABELS, STATUSES, TriageError, triage_update
from waspada.web.investigation_choices import open_investigations
from waspada.web.users import User

router = APIRouter()
_COPIES_SHOWN = 20


def copies_of(request: Request, doc: dict) -> tuple[list[dict], int]:
    """Other indexed posts with the same text (the same ``waspada.cluster``): the original and its
    copies on other accounts, newest first, and how many there are in all."""
    w = doc["waspada"]
    cluster = w.get("cluster") or w["id"]
    result = request.app.state.index.search(SearchQuery(clusters=(cluster,), sort="time", size=_COPIES_SHOWN + 1))
    others = [hit.doc for hit in result.hits if hit.id != w["id"]][:_COPIES_SHOWN]
    return others, max(0, result.total - 1)


def explanation(request: Request, doc: dict) -> tuple[dict | None, str]:
    """Words that pushed each score most, by occlusion against the model that scored the post;
    (None, reason) when that model is not the one loaded here or explanations are off."""
    state = request.app.state
    if not state.explain:
        return None, "Penjelasan dimatikan (WASPADA_WEB_EXPLAIN=false)."
    model_id = (doc["waspada"].get("model") or {}).get("id")
    try:
        classifier = state.classifier()
    except Exception as exc:  # noqa: BLE001 - the page still works without explanations
        return None, f"Model tidak dapat dimuat untuk penjelasan: {exc}"
    if classifier.model_id != model_id:
        return None, (f"Pos ini dinilai oleh model {model_id!r}, bukan model yang dimuat sekarang "
                      f"({classifier.model_id!r}); penjelasan tidak tersedia.")
    from models.explain import explain
    title = (doc["waspada"].get("post") or {}).get("title") or ""
    from waspada.post_text import classification_text
    text = classification_text({"title": title, "text": doc.get("text") or ""})
    return explain(classifier, text, top=8), ""


def _doc(request: Request, doc_id: str) -> dict:
    doc = request.app.state.index.get(doc_id)
    if doc is None:
        raise WebError(404, f"Tidak ada pos dengan id {doc_id!r}; id tercantum di hasil pencarian.")
    return doc


@router.get("/item/{doc_id}")
def item_page(request: Request, doc_id: str, user: User = Depends(require("analyst"))) -> Response:
    doc = _doc(request, doc_id)
    state = request.app.state
    sha = (doc["waspada"].get("evidence") or {}).get("sha256")
    sightings = []
    if sha:
        try:
            sightings = state.evidence.sightings(sha)
        except EvidenceError:
            sightings = []
    state.users.audit(user.name, "item.view", doc_id, {}, client_ip(request))
    copies, copy_count = copies_of(request, doc)
    why, why_not = explanation(request, doc)
    linked = state.investigations.list(doc_id=doc_id)
    open_ones = open_investigations(state.investigations, exclude={inv.id for inv in linked})
    return render(request, "item.html", doc=doc, w=doc["waspada"], sightings=sightings, actions=ACTION_LABELS,
                  statuses=STATUSES, users=state.users.names(), investigations=linked, open_investigations=open_ones,
                  copies=copies, copy_count=copy_count, why=why, why_not=why_not)


@router.post("/item/{doc_id}/investigation")
def add_to_investigation(request: Request, doc_id: str, investigation: RecordIdForm, csrf: str = Form(""),
                         user: User = Depends(require("analyst"))) -> Response:
    check_csrf(request, csrf)
    _doc(request, doc_id)
    state = request.app.state
    if state.investigations.get(investigation) is None:
        raise WebError(404, f"Tidak ada investigasi #{investigation}.")
    state.investigations.link(investigation, [doc_id], user.name)
    state.users.audit(user.name, "investigation.update", str(investigation), {"linked": doc_id}, client_ip(request))
    return RedirectResponse(f"/investigations/{investigation}", status_code=303)


@router.get("/item/{doc_id}/evidence")
def evidence(request: Request, doc_id: str, user: User = Depends(require("analyst"))) -> Response:
    """The exact raw bytes we fetched, always as a download: crawled HTML must never render on
    our origin, so no inline disposition and no sniffing."""
    doc = _doc(request, doc_id)
    sha = (doc["waspada"].get("evidence") or {}).get("sha256")
    if not sha:
        raise WebError(404, "Pos ini tidak menyimpan bukti mentah.")
    return evidence_download(request, user, sha, doc_id)


@router.post("/item/{doc_id}/triage")
def triage(request: Request, doc_id: str, action: str = Form(""), note: str = Form(""),
           assignee: str = Form(None), csrf: str = Form(""), user: User = Depends(require("analyst"))) -> Response:
    check_csrf(request, csrf)
    state = request.app.state
    doc = _doc(request, doc_id)
    if assignee and state.users.get(assignee) is None:
        raise WebError(400, f"Penugasan ke {assignee!r} gagal: pengguna itu tidak ada.")
    before = doc["waspada"].get("triage") or {}
    try:
        partial = triage_update(doc, action=action or None, note=note, assignee=assignee, by=user.name)
    except TriageError as exc:
        raise WebError(400, f"Aksi triase tidak dikenal: {exc}") from None
    state.index.update(doc_id, partial)
    state.index.refresh()
    state.facet_cache.clear()  # the analyst who triaged sees the status counts move at once
    changed = partial["waspada"]["triage"]
    state.users.audit(user.name, "triage", doc_id, {
        "action": action or None, "status": [before.get("status"), changed.get("status", before.get("status"))],
        "assignee": changed.get("assignee", before.get("assignee")), "note": note.strip()[:200] or None},
        client_ip(request))
    return RedirectResponse(f"/item/{doc_id}", status_code=303)
