"""The search page: query, filters, facets with counts, sort, highlighted hits, pagination."""
from __future__ import annotations

import json
from dataclasses import replace

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import QueryParams

from waspada.index.query import QuerySyntaxError
from waspada.web.render import render
from waspada.web.auth import check_csrf, client_ip, require
from waspada.web.labels_id import FACET_NAMES, SORTS
from waspada.web.query_errors import query_error_message
from waspada.web.saved import SavedSearchError
from waspada.web.errors import WebError
from waspada.web.flash import take_flash
from waspada.web.triage import ACTION_LABELS
from waspada.web.numbers import RecordId
from waspada.web.investigation_choices import open_investigations
from waspada.web.users import User
from waspada.web.views.date_ranges import date_ranges
from waspada.web.views.params import FACETS, PAGE_SIZE, audit_details, encode, form_from, query_from

router = APIRouter()
# Elasticsearch refuses from+size beyond 10,000 by default: deeper pages follow a cursor (the last
# hit's sort values), which costs the same at any depth on both backends.
MAX_OFFSET_DEPTH = 10_000


def parse_cursor(raw: str | None) -> tuple | None:
    if not raw:
        return None
    try:
        value = json.loads(raw)
    except ValueError:
        value = None
    if not isinstance(value, list) or not value or len(value) > 5 or \
            not all(isinstance(v, (str, int, float)) and not isinstance(v, bool) for v in value):
        raise WebError(400, "Penanda halaman (after) tidak valid; mulai lagi dari halaman pertama.")
    return tuple(value)


def run_search(request: Request, query):
    try:
        return request.app.state.index.search(query)
    except QuerySyntaxError as exc:
        raise WebError(400, query_error_message(exc, query.text)) from None
    except ValueError as exc:
        if query.after:  # a cursor from another sort order, or edited by hand
            raise WebError(400, "Penanda halaman (after) tidak cocok dengan urutan ini; mulai lagi dari halaman "
                                "pertama.") from None
        raise WebError(400, f"Pencarian tidak dapat dijalankan dengan isian ini ({exc}); periksa filternya.") from None


def _page(request: Request) -> int:
    try:
        return max(1, int(request.query_params.get("page", "1")))
    except ValueError:
        raise WebError(400, f"Halaman {request.query_params.get('page')!r} harus bilangan bulat, misalnya 2.") from None


def _facets(request: Request, form: dict, query) -> list[dict]:
    """Each facet's values with counts under ``query``; with no query (the form has an error) only
    the chosen values, without counts, so the form keeps every filter the analyst set."""
    facets = []
    for field, name, heading in FACETS:
        if query is None:
            counts = dict.fromkeys(form[name])
        else:
            counts = request.app.state.facet_cache.counts(request.app.state.index, field, query, 15)
            for chosen in form[name]:  # a chosen value stays visible even if the other filters hide it
                counts.setdefault(chosen, 0)
        facets.append({"name": name, "heading": heading, "counts": counts, "names": FACET_NAMES.get(name, {})})
    return facets


def _page_links(form: dict, page: int, pages: int, after, result) -> tuple[str | None, str | None]:
    next_link = None
    if page < pages and result.hits:
        if after or (page + 1) * PAGE_SIZE > MAX_OFFSET_DEPTH:
            next_link = "/?" + encode(form, page=page + 1, after=json.dumps(result.hits[-1].cursor))
        else:
            next_link = "/?" + encode(form, page=page + 1)
    prev_link = None if page <= 1 else ("/?" + encode(form) if after else "/?" + encode(form, page=page - 1))
    return prev_link, next_link


def _search_form(request: Request, user: User, form: dict, **context) -> Response:
    """The search page: the form as filled in, the quick date ranges, the saved searches, and
    whatever the caller found (results, or an error shown above them)."""
    state = request.app.state
    return render(request, "search.html", form=form, sorts=SORTS, date_ranges=date_ranges(form),
                  export_query=encode(form), saved=state.saved.list(user.name), notice=take_flash(request),
                  bulk_actions=ACTION_LABELS, users=state.users.names(),
                  open_investigations=open_investigations(state.investigations), **context)


@router.get("/")
def search_page(request: Request, user: User = Depends(require("analyst"))) -> Response:
    form = form_from(request.query_params)
    try:
        page = _page(request)
        after = parse_cursor(request.query_params.get("after"))
        if after is None and page * PAGE_SIZE > MAX_OFFSET_DEPTH:
            raise WebError(400, f"Halaman {page} hanya bisa dicapai dengan tombol Berikutnya; atau persempit pencarian.")
        query = query_from(form, page=1 if after else page)
        if after:
            query = replace(query, after=after)
        result = run_search(request, query)
    except WebError as exc:
        # A mistake in the form is shown above it, with everything the analyst typed and ticked
        # still there to correct, rather than on an error page that loses it.
        if exc.status != 400:
            raise
        return _search_form(request, user, form, status=400, error=exc.message, facets=_facets(request, form, None))
    request.app.state.users.audit(user.name, "search", form["q"], {**audit_details(form), "page": page,
                                                                     "total": result.total}, client_ip(request))
    pages = max(1, -(-result.total // PAGE_SIZE))
    # The bulk form sends the analyst back to exactly this page of this search.
    here = encode(form, page=page, **({"after": request.query_params["after"]} if after else {}))
    prev_link, next_link = _page_links(form, page, pages, after, result)
    return _search_form(request, user, form, result=result, facets=_facets(request, form, query), page=page,
                        pages=pages, next_link=next_link, prev_link=prev_link, cursor_page=bool(after), here=here)


@router.post("/saved")
def save_search(request: Request, name: str = Form(""), query: str = Form(""), csrf: str = Form(""),
                user: User = Depends(require("analyst"))) -> Response:
    check_csrf(request, csrf)
    form_from(QueryParams(query))  # the same parsing as the search page: nothing else gets stored
    try:
        request.app.state.saved.save(user.name, name, query)
    except SavedSearchError as exc:
        raise WebError(400, f"Pencarian tidak disimpan: {exc}.") from None
    request.app.state.users.audit(user.name, "saved_search.save", name[:100], {"query": query[:500]}, client_ip(request))
    return RedirectResponse(f"/?{query}", status_code=303)


@router.post("/saved/{saved_id}/delete")
def delete_saved_search(request: Request, saved_id: RecordId, csrf: str = Form(""),
                        user: User = Depends(require("analyst"))) -> Response:
    check_csrf(request, csrf)
    if not request.app.state.saved.delete(user.name, saved_id):
        raise WebError(404, f"Tidak ada pencarian tersimpan #{saved_id} milik Anda.")
    request.app.state.users.audit(user.name, "saved_search.delete", str(saved_id), {}, client_ip(request))
    return RedirectResponse("/", status_code=303)
