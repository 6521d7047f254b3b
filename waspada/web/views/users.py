"""User administration for admins: list accounts, add one, change a role, deactivate or
reactivate, reset a password, log an account out everywhere. Every change is audited; the last
active admin cannot be demoted or deactivated (nobody could manage users any more). A change of
role, activity or password also ends the account's sessions (``UserStore.change``)."""
from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from waspada.web.render import render
from waspada.web.auth import check_csrf, client_ip, require
from waspada.web.errors import WebError
from waspada.web.users import ROLES, User, UserError

router = APIRouter()
ROLE_LABELS = {"analyst": "Analis: cari, baca, triase", "supervisor": "Penyelia: juga ekspor",
               "admin": "Admin: juga log audit dan pengguna"}


@router.get("/users")
def users_page(request: Request, user: User = Depends(require("admin"))) -> Response:
    request.app.state.users.audit(user.name, "users.view", "", {}, client_ip(request))
    return render(request, "users.html", accounts=request.app.state.users.all(), roles=ROLE_LABELS)


@router.post("/users")
def add_user(request: Request, name: str = Form(""), role: str = Form("analyst"), password: str = Form(""),
             csrf: str = Form(""), user: User = Depends(require("admin"))) -> Response:
    check_csrf(request, csrf)
    try:
        request.app.state.users.add(name, password, role)
    except UserError as exc:
        raise WebError(400, f"Pengguna tidak dibuat: {exc}.") from None
    request.app.state.users.audit(user.name, "users.add", name, {"role": role}, client_ip(request))
    return RedirectResponse("/users", status_code=303)


@router.post("/users/{name}")
def change_user(request: Request, name: str, role: str = Form(""), active: str = Form(""), password: str = Form(""),
                csrf: str = Form(""), user: User = Depends(require("admin"))) -> Response:
    check_csrf(request, csrf)
    if role and role not in ROLES:
        raise WebError(400, f"Peran {role!r} tidak dikenal; pilih salah satu: {', '.join(ROLES)}.")
    if active not in ("", "0", "1"):
        raise WebError(400, f"Nilai aktif {active!r} harus 0 atau 1.")
    changes = {"role": role or None, "active": None if active == "" else active == "1",
               "password": password or None}
    try:
        ended = request.app.state.users.change(name, **changes)
    except UserError as exc:
        raise WebError(400, f"Perubahan ditolak: {exc}.") from None
    request.app.state.users.audit(user.name, "users.change", name,
                                  {"role": changes["role"], "active": changes["active"],
                                   "password_reset": bool(password), "sessions_ended": ended}, client_ip(request))
    return RedirectResponse("/users", status_code=303)


@router.post("/users/{name}/logout")
def logout_everywhere(request: Request, name: str, csrf: str = Form(""),
                      user: User = Depends(require("admin"))) -> Response:
    """End every session of ``name``, e.g. after a lost laptop or a leaked cookie."""
    check_csrf(request, csrf)
    users = request.app.state.users
    if not users.exists(name):
        raise WebError(404, f"Tidak ada pengguna {name!r}; lihat daftar di /users.")
    ended = users.end_sessions(name)
    users.audit(user.name, "users.logout_all", name, {"sessions_ended": ended}, client_ip(request))
    return RedirectResponse("/users", status_code=303)
