"""Bulk work from the search results: triage, assign or add to an investigation the posts ticked
on one page, in one request.

Each post is changed and audited exactly as its single-post form would do it (``triage`` per post,
``investigation.update`` per investigation), marked ``bulk`` in the audit details, so the log reads
the same whichever way a change was made. Ids the index does not hold are skipped and named in the
summary; nothing is dropped silently.
"""
from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import QueryParams

from waspada.web.auth import check_csrf, client_ip, require
from waspada.web.errors import WebError
from waspada.web.flash import flash
from waspada.web.numbers import SQLITE_MAX_INT
from waspada.web.triage import ACTION_LABELS, triage_update
from waspada.web.users import User
from waspada.web.views.params import encode, form_from

router = APIRouter()
#: Posts one bulk request may change: a few result pages. Each post is one index update and one
#: audit row, so the cap keeps a request (and the lock it holds on the audit log) short.
MAX_BULK = 100
#: Unknown ids named in the summary; the rest are counted (the summary rides in the session cookie).
_UNKNOWN_SHOWN = 5
ASSIGN, INVESTIGATION = "assign", "investigation"


def selected_ids(ids: list[str], page_ids: list[str], all_on_page: bool) -> list[str]:
    """The ticked ids, plus every id of the page when "semua di halaman ini" is ticked (that box
    needs no script), each once, in order."""
    chosen = [*ids, *(page_ids if all_on_page else [])]
    return list(dict.fromkeys(i.strip() for i in chosen if i.strip()))


def back_to_search(back: str) -> str:
    """The search the form came from, rebuilt from its known parameters only: the redirect can
    only ever go to this app's search page."""
    params = QueryParams(back)
    extra = {}
    if params.get("page", "").isdigit():
        extra["page"] = int(params["page"])
    if params.get("after"):
        extra["after"] = params["after"]
    query = encode(form_from(params), **extra)
    return f"/?{query}" if query else "/"


def _shown(ids: list[str]) -> str:
    named = ", ".join(repr(i[:64]) for i in ids[:_UNKNOWN_SHOWN])
    more = f" dan {len(ids) - _UNKNOWN_SHOWN} lainnya" if len(ids) > _UNKNOWN_SHOWN else ""
    return named + more


def _apply_triage(request: Request, user: User, docs: dict[str, dict], action: str | None,
                  assignee: str | None) -> None:
    """The single-post triage change on each post (same partial update, same audit row); one
    refresh at the end instead of one per post."""
    state = request.app.state
    for doc_id, doc in docs.items():
        before = doc["waspada"].get("triage") or {}
        partial = triage_update(doc, action=action, note="", assignee=assignee, by=user.name)
        state.index.update(doc_id, partial, refresh=False)
        changed = partial["waspada"]["triage"]
        state.users.audit(user.name, "triage", doc_id, {
            "action": action, "status": [before.get("status"), changed.get("status", before.get("status"))],
            "assignee": changed.get("assignee", before.get("assignee")), "note": None, "bulk": True},
            client_ip(request))
    state.index.refresh()
    state.facet_cache.clear()  # the status and assignee counts beside the results move at once


def _investigation_id(raw: str) -> int:
    if not raw.isdigit() or not 1 <= int(raw) <= SQLITE_MAX_INT:
        raise WebError(400, f"Investigasi {raw[:40]!r} tidak valid; pilih satu dari daftar investigasi terbuka.")
    return int(raw)


@router.post("/bulk")
def bulk_action(request: Request, action: str = Form(""), ids: list[str] = Form([], alias="id"),
                page_ids: list[str] = Form([], alias="page_id"), all_on_page: str = Form(""),
                assignee: str = Form(""), investigation: str = Form(""), back: str = Form(""),
                csrf: str = Form(""), user: User = Depends(require("analyst"))) -> Response:
    check_csrf(request, csrf)
    state = request.app.state
    if action not in (*ACTION_LABELS, ASSIGN, INVESTIGATION):
        raise WebError(400, f"Tindakan massal {action[:40]!r} tidak dikenal; tekan salah satu tombol di atas hasil "
                            "pencarian.")
    chosen = selected_ids(ids, page_ids, bool(all_on_page))
    if not chosen:
        raise WebError(400, "Belum ada pos yang dipilih; centang pos di daftar hasil atau \"semua di halaman ini\", "
                            "lalu ulangi.")
    if len(chosen) > MAX_BULK:
        raise WebError(400, f"Terpilih {len(chosen)} pos; tindakan massal paling banyak {MAX_BULK} pos sekaligus. "
                            "Pilih lebih sedikit, lalu ulangi.")
    # Checked before anything changes: a bad assignee or investigation must not leave half the posts done.
    if action == ASSIGN and assignee and state.users.get(assignee) is None:
        raise WebError(400, f"Penugasan ke {assignee[:64]!r} gagal: pengguna itu tidak ada.")
    inv = None
    if action == INVESTIGATION:
        inv = state.investigations.get(_investigation_id(investigation))
        if inv is None:
            raise WebError(404, f"Tidak ada investigasi #{investigation}; pilih satu dari daftar investigasi terbuka.")

    docs = {doc_id: doc for doc_id in chosen if (doc := state.index.get(doc_id)) is not None}
    unknown = [doc_id for doc_id in chosen if doc_id not in docs]
    if not docs:
        summary = "Tidak ada yang diubah."
    elif inv is not None:
        new = state.investigations.link(inv.id, list(docs), user.name)
        state.users.audit(user.name, "investigation.update", str(inv.id), {"linked": list(docs), "bulk": True},
                          client_ip(request))
        already = f" ({len(docs) - new} sudah ada di sana)" if new < len(docs) else ""
        summary = f"{len(docs)} pos ditambahkan ke investigasi #{inv.id} «{inv.title[:80]}»{already}."
    elif action == ASSIGN:
        _apply_triage(request, user, docs, None, assignee)
        whom = f"ditugaskan ke {assignee}" if assignee else "dilepas dari penanggung jawabnya"
        summary = f"{len(docs)} pos {whom}."
    else:
        _apply_triage(request, user, docs, action, None)
        summary = f"{ACTION_LABELS[action]}: diterapkan ke {len(docs)} pos."
    if unknown:
        summary += f" {len(unknown)} id tidak ada di indeks dan dilewati: {_shown(unknown)}."
    flash(request, summary)
    return RedirectResponse(back_to_search(back), status_code=303)
