"""The search form's parameters <-> ``SearchQuery``, shared by the search page and the exports."""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from starlette.datastructures import QueryParams

from waspada.index.base import SORTS, SearchQuery
from waspada.threats.cyber import KINDS as CYBER_KINDS
from waspada.web.errors import WebError
from waspada.web.labels_id import LABELS as LABEL_NAMES, SORTS as SORT_NAMES
from waspada.wib import FIRST_SEARCH_DAY, LAST_SEARCH_DAY, WIB

PAGE_SIZE = 20
#: Facets shown beside the results: (field, form parameter, Indonesian heading).
FACETS = (("waspada.labels", "label", "Label"), ("waspada.triage.status", "status", "Status triase"),
          ("waspada.source.platform", "platform", "Platform"), ("waspada.source.id", "source", "Sumber"),
          ("waspada.relevance.regions", "region", "Wilayah"), ("waspada.triage.assignee", "assignee", "Penanggung jawab"),
          ("waspada.threats.cyber.kinds", "cyber", "Ancaman siber"),
          ("waspada.threats.lookalike.domain", "lookalike", "Domain tiruan"))
#: Days the date filters accept (waspada.wib says why).
FIRST_DAY, LAST_DAY = FIRST_SEARCH_DAY, LAST_SEARCH_DAY


def parse_day(value: str, name: str, end: bool = False) -> datetime | None:
    """The start of WIB day ``value`` (YYYY-MM-DD, what a date field sends), or of the day after
    it when ``end``: the bounds of a date filter. None when empty; a 400 naming ``name`` when bad."""
    if not value:
        return None
    try:
        day = datetime.strptime(value, "%Y-%m-%d").replace(tzinfo=WIB)
    except ValueError:
        raise WebError(400, f"Tanggal {name} {value!r} tidak valid; gunakan format TTTT-BB-HH, misalnya 2024-02-14.") from None
    if not FIRST_DAY <= day.date() <= LAST_DAY:
        raise WebError(400, f"Tanggal {name} {value!r} di luar rentang yang didukung ({FIRST_DAY} s.d. {LAST_DAY}); "
                            "periksa tahunnya, misalnya 2024-02-14.")
    return day + timedelta(days=1) if end else day


def form_from(params: QueryParams) -> dict[str, Any]:
    """The form as the user filled it, to re-display it and to build links (pagination, facets)."""
    form: dict[str, Any] = {"q": params.get("q", ""), "min_score": params.get("min_score", ""),
                            "max_score": params.get("max_score", ""),
                            "date_from": params.get("date_from", ""), "date_to": params.get("date_to", ""),
                            "sort": params.get("sort", "relevance")}
    for _, name, _ in FACETS:
        form[name] = [v for v in params.getlist(name) if v]
    # Stored look-alikes are lower case (punycode for non-ASCII): a typed "KPU-go-id.NET" matches too.
    form["lookalike"] = [v.strip().lower() for v in form["lookalike"]]
    return form


def _cyber_kinds(values: list[str]) -> tuple[str, ...]:
    """Unknown kinds are refused rather than silently matching nothing."""
    for value in values:
        if value not in CYBER_KINDS:
            raise WebError(400, f"Jenis ancaman siber {value!r} tidak dikenal; pilih salah satu dari {', '.join(CYBER_KINDS)}.")
    return tuple(values)


def _either(names) -> str:
    """'a, b atau c': the choices as the form shows them (the codes are for URLs, not for people)."""
    names = list(names)
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} atau {names[-1]}"


def _labels(values: list[str]) -> tuple[str, ...]:
    """Unknown labels are refused in the form's words (the index would refuse them in English)."""
    for value in values:
        if value not in LABEL_NAMES:
            raise WebError(400, f"Label {value!r} tidak dikenal; centang {_either(LABEL_NAMES.values())} "
                                "di filter Label.")
    return tuple(values)


def _score(raw: str, which: str, example: str) -> float | None:
    if not raw:
        return None
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not 0.0 <= value <= 1.0:
        raise WebError(400, f"Skor {which} {raw!r} harus angka antara 0 dan 1, misalnya {example}.")
    return value


def query_from(form: dict[str, Any], size: int = PAGE_SIZE, page: int = 1) -> SearchQuery:
    if form["sort"] not in SORTS:
        raise WebError(400, f"Urutan {form['sort']!r} tidak dikenal; pilih {_either(SORT_NAMES[c] for c in SORTS)} "
                            "di daftar Urutkan.")
    min_score = _score(form["min_score"], "minimum", "0.8")
    max_score = _score(form.get("max_score", ""), "maksimum", "0.95")
    if min_score is not None and max_score is not None and min_score > max_score:
        raise WebError(400, f"Skor minimum {form['min_score']} lebih besar dari skor maksimum {form['max_score']}; "
                            "tukar keduanya.")
    try:
        return SearchQuery(text=form["q"], labels=_labels(form["label"]), min_score=min_score, max_score=max_score,
                           date_from=parse_day(form["date_from"], "awal"), date_to=parse_day(form["date_to"], "akhir", end=True),
                           sources=tuple(form["source"]), platforms=tuple(form["platform"]),
                           regions=tuple(form["region"]), statuses=tuple(form["status"]),
                           assignees=tuple(form["assignee"]), cyber=_cyber_kinds(form["cyber"]),
                           lookalikes=tuple(form["lookalike"]), sort=form["sort"],
                           size=size, offset=(page - 1) * size)
    except ValueError as exc:
        raise WebError(400, f"Filter tidak valid: {exc}") from None


def audit_details(form: dict[str, Any]) -> dict[str, Any]:
    """The non-empty parts of the form, as stored in the audit log."""
    return {k: v for k, v in form.items() if v and not (k == "sort" and v == "relevance")}


def encode(form: dict[str, Any], **changes: Any) -> str:
    """The query string of ``form`` with ``changes``, empty fields and page 1 left out: the links
    of the search page (pages, date ranges, exports, saved searches)."""
    merged = {**form, **changes}
    pairs = []
    for key, value in merged.items():
        for v in (value if isinstance(value, list) else [value]):
            if v not in ("", None) and not (key == "page" and v == 1):
                pairs.append((key, v))
    return urlencode(pairs)
