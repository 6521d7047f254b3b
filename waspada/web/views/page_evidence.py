"""Raw bytes of the official pages the defacement watch kept (the baseline and the defaced
page), downloadable from the investigation their alert opened.

Only hashes an alert of that investigation names are served: the route cannot be used to fetch
arbitrary blobs by guessing. Like post evidence, the bytes always download as
``application/octet-stream`` with a sandboxing CSP: a defaced page must never render on our origin.
"""
from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from waspada.web.auth import require
from waspada.web.errors import WebError
from waspada.web.evidence_download import evidence_download
from waspada.web.numbers import RecordId
from waspada.web.users import User

router = APIRouter()


def _named_hashes(request: Request, inv_id: int) -> set[str]:
    state = request.app.state
    inv = state.investigations.get(inv_id)
    if inv is None:
        raise WebError(404, f"Tidak ada investigasi #{inv_id}; lihat daftar di /investigations.")
    found = set()
    for alert in state.alerts.alerts(rule=inv.rule, limit=500) if inv.rule else []:
        if alert.investigation_id == inv.id and alert.details.get("page"):
            found |= {(alert.details.get(side) or {}).get("sha256") for side in ("before", "after")}
    return found - {None}


@router.get("/investigations/{inv_id}/page-evidence/{sha256}")
def page_evidence(request: Request, inv_id: RecordId, sha256: str, user: User = Depends(require("analyst"))) -> Response:
    if sha256 not in _named_hashes(request, inv_id):
        raise WebError(404, f"Investigasi #{inv_id} tidak menyimpan bukti halaman {sha256[:64]!r}.")
    return evidence_download(request, user, sha256, f"investigation/{inv_id}")
