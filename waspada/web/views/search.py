"""The search page: query, filters, facets with counts, sort, highlighted hits, pagination."""
from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from waspada.web.app import render
from waspada.web.auth import client_ip, require
from waspada.web.errors import WebError
from waspada.web.users import User
from waspada.web.views.params import FACETS, PAGE_SIZE, audit_details, form_from, query_from

router = APIRouter()
# Elasticsearch refuses from+size beyond 10,000 by default; say so instead of failing.
_MAX_DEPTH = 10_000


def encode(form: dict, **changes) -> str:
    merged = {**form, **changes}
    pairs = []
    for key, value in merged.items():
        for v in (value if isinstance(value, list) else [value]):
            if v not in ("", None) and not (key == "page" and v == 1):
                pairs.append((key, v))
    return urlencode(pairs)


def run_search(request: Request, query):
    try:
        return request.app.state.index.search(query)
    except ValueError as exc:  # query syntax errors name the problem
        raise WebError(400, f"Kueri tidak dapat dibaca: {exc}") from None


@router.get("/")
def search_page(request: Request, user: User = Depends(require("analyst"))) -> Response:
    form = form_from(request.query_params)
    try:
        page = max(1, int(request.query_params.get("page", "1")))
    except ValueError:
        raise WebError(400, f"Halaman {request.query_params.get('page')!r} harus bilangan bulat, misalnya 2.") from None
    if page * PAGE_SIZE > _MAX_DEPTH:
        raise WebError(400, f"Halaman {page} terlalu dalam; persempit pencarian dengan filter atau kata kunci.")
    query = query_from(form, page=page)
    result = run_search(request, query)
    index = request.app.state.index
    facets = []
    for field, name, heading in FACETS:
        counts = index.facets(field, query, size=15)
        for chosen in form[name]:  # a chosen value stays visible even if the other filters hide it
            counts.setdefault(chosen, 0)
        facets.append({"name": name, "heading": heading, "counts": counts})
    request.app.state.users.audit(user.name, "search", form["q"], {**audit_details(form), "page": page,
                                                                     "total": result.total}, client_ip(request))
    pages = max(1, -(-result.total // PAGE_SIZE))
    return render(request, "search.html", form=form, result=result, facets=facets, page=page, pages=pages,
                  encode=encode, export_query=encode(form))
