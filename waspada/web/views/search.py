"""The search page: query, filters, facets with counts, sort, highlighted hits, pagination."""
from __future__ import annotations

import json
from dataclasses import replace
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import QueryParams

from waspada.index.query import QueryTooComplex
from waspada.web.app import render
from waspada.web.auth import check_csrf, client_ip, require
from waspada.web.render import number
from waspada.web.saved import SavedSearchError
from waspada.web.errors import WebError
from waspada.web.numbers import RecordId
from waspada.web.users import User
from waspada.web.views.params import FACET_NAMES, FACETS, PAGE_SIZE, audit_details, form_from, query_from

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


def encode(form: dict, **changes) -> str:
    merged = {**form, **changes}
    pairs = []
    for key, value in merged.items():
        for v in (value if isinstance(value, list) else [value]):
            if v not in ("", None) and not (key == "page" and v == 1):
                pairs.append((key, v))
    return urlencode(pairs)


#: How to fix a query past each limit of ``waspada.index.query`` (QueryTooComplex.limit).
_LIMIT_WORDS = {
    "chars": ("karakter", "Perpendek kueri, atau pindahkan syaratnya ke filter (label, sumber, wilayah, tanggal)."),
    "terms": ("kata dan frasa", "Hapus kata yang tidak menambah apa-apa, atau pecah menjadi beberapa pencarian "
                                "dan simpan masing-masing."),
    "depth": ("lapis tanda kurung bersarang", "Kurangi kurung di dalam kurung, misalnya tulis (a OR b) c, "
                                              "bukan ((a OR b) c)."),
}


def query_limit_message(exc: QueryTooComplex, text: str) -> str:
    unit, fix = _LIMIT_WORDS[exc.limit]
    shown = repr(text[:40]) + ("…" if len(text) > 40 else "")
    return f"Kueri {shown} memuat {number(exc.found)} {unit}; paling banyak {number(exc.allowed)}. {fix}"


def run_search(request: Request, query):
    try:
        return request.app.state.index.search(query)
    except QueryTooComplex as exc:
        raise WebError(400, query_limit_message(exc, query.text)) from None
    except ValueError as exc:  # query syntax errors name the problem
        raise WebError(400, f"Kueri tidak dapat dibaca: {exc}") from None


@router.get("/")
def search_page(request: Request, user: User = Depends(require("analyst"))) -> Response:
    form = form_from(request.query_params)
    try:
        page = max(1, int(request.query_params.get("page", "1")))
    except ValueError:
        raise WebError(400, f"Halaman {request.query_params.get('page')!r} harus bilangan bulat, misalnya 2.") from None
    after = parse_cursor(request.query_params.get("after"))
    if after is None and page * PAGE_SIZE > MAX_OFFSET_DEPTH:
        raise WebError(400, f"Halaman {page} hanya bisa dicapai dengan tombol Berikutnya; atau persempit pencarian.")
    query = query_from(form, page=1 if after else page)
    if after:
        query = replace(query, after=after)
    result = run_search(request, query)
    index = request.app.state.index
    facets = []
    for field, name, heading in FACETS:
        counts = request.app.state.facet_cache.counts(index, field, query, 15)
        for chosen in form[name]:  # a chosen value stays visible even if the other filters hide it
            counts.setdefault(chosen, 0)
        facets.append({"name": name, "heading": heading, "counts": counts, "names": FACET_NAMES.get(name, {})})
    request.app.state.users.audit(user.name, "search", form["q"], {**audit_details(form), "page": page,
                                                                     "total": result.total}, client_ip(request))
    pages = max(1, -(-result.total // PAGE_SIZE))
    next_link = None
    if page < pages and result.hits:
        if after or (page + 1) * PAGE_SIZE > MAX_OFFSET_DEPTH:
            next_link = "/?" + encode(form, page=page + 1, after=json.dumps(result.hits[-1].cursor))
        else:
            next_link = "/?" + encode(form, page=page + 1)
    prev_link = None if page <= 1 else ("/?" + encode(form) if after else "/?" + encode(form, page=page - 1))
    return render(request, "search.html", form=form, result=result, facets=facets, page=page, pages=pages,
                  next_link=next_link, prev_link=prev_link, cursor_page=bool(after),
                  export_query=encode(form), saved=request.app.state.saved.list(user.name))


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
