"""The audit log, for admins: filtered by user, action (named in Indonesian) and WIB days, with
readable details, and exported as CSV (itself audited: who took the log out, with which filters)."""
from __future__ import annotations

import csv
import io
import json
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from waspada.web.render import render
from waspada.web.audit_details import detail_rows
from waspada.web.auth import client_ip, require
from waspada.web.labels_id import AUDIT_ACTIONS, nama
from waspada.web.numbers import PageNumber
from waspada.web.users import User
from waspada.web.views.exports import _attachment, _cell
from waspada.web.views.params import encode, parse_day

router = APIRouter()
_PAGE = 100
#: Most rows one CSV export holds; a longer period is exported in parts (narrow the dates).
EXPORT_MAX = 100_000
CSV_COLUMNS = ("id", "waktu_utc", "pengguna", "aksi", "nama_aksi", "sasaran", "rincian_json", "ip")


def _filters(request: Request) -> tuple[dict[str, str], dict[str, Any]]:
    """The filter form as filled in, and the same as ``UserStore.audit_entries`` arguments."""
    params = request.query_params
    form = {name: params.get(name, "").strip() for name in ("who", "action", "date_from", "date_to")}
    return form, {"who": form["who"] or None, "action": form["action"] or None,
                  "since": parse_day(form["date_from"], "awal"),
                  "until": parse_day(form["date_to"], "akhir", end=True)}


@router.get("/audit")
def audit_page(request: Request, page: PageNumber = 1, user: User = Depends(require("admin"))) -> Response:
    users = request.app.state.users
    form, where = _filters(request)
    entries = users.audit_entries(limit=_PAGE, offset=(page - 1) * _PAGE, **where)
    for entry in entries:
        entry["rows"] = detail_rows(entry["action"], entry["details"])
    # Reading the log is itself recorded: who looked at whose activity matters too.
    users.audit(user.name, "audit.view", form["action"], {"page": page, **{k: v for k, v in form.items() if v}},
                client_ip(request))
    return render(request, "audit.html", entries=entries, page=page, form=form, more=len(entries) == _PAGE,
                  actions=AUDIT_ACTIONS, accounts=[a["name"] for a in users.all()] + ["cli"], query=encode(form))


@router.get("/audit.csv")
def audit_csv(request: Request, user: User = Depends(require("admin"))) -> Response:
    """The filtered log, newest first: the codes and the raw JSON details (for tools), with the
    Indonesian action name beside the code (for people)."""
    users = request.app.state.users
    form, where = _filters(request)
    entries = users.audit_entries(limit=EXPORT_MAX, **where)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for e in entries:
        writer.writerow([e["id"], e["at"], _cell(e["who"]), e["action"], nama(e["action"], "action"), _cell(e["target"]),
                         _cell(json.dumps(e["details"], ensure_ascii=False)), e["ip"]])
    # Recorded after reading, so the export does not list itself.
    users.audit(user.name, "audit.export", form["action"], {"rows": len(entries), **{k: v for k, v in form.items() if v}},
                client_ip(request))
    return _attachment("\ufeff" + buffer.getvalue(), "text/csv; charset=utf-8", "audit.csv")
