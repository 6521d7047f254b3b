"""The audit log, for admins."""
from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from waspada.web.app import render
from waspada.web.auth import client_ip, require
from waspada.web.numbers import PageNumber
from waspada.web.users import User

router = APIRouter()
_PAGE = 100


@router.get("/audit")
def audit_page(request: Request, page: PageNumber = 1, action: str = "", user: User = Depends(require("admin"))) -> Response:
    users = request.app.state.users
    entries = users.audit_entries(limit=_PAGE, offset=(page - 1) * _PAGE, action=action or None)
    # Reading the log is itself recorded: who looked at whose activity matters too.
    users.audit(user.name, "audit.view", action, {"page": page}, client_ip(request))
    return render(request, "audit.html", entries=entries, page=page, action=action, more=len(entries) == _PAGE)
