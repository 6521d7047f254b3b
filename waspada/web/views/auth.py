"""Login and logout."""
from __future__ import annotations

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from waspada.web.render import render
from waspada.web.auth import check_csrf, client_ip, current_user, end_session, start_session
from waspada.web.errors import WebError

router = APIRouter()


def _safe_next(target: str | None) -> str:
    # Only local paths: an attacker's link must not turn our login into an open redirect.
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"


@router.get("/login")
def login_form(request: Request, next: str = "/") -> Response:
    return render(request, "login.html", next=_safe_next(next))


@router.post("/login")
def login(request: Request, username: str = Form(""), password: str = Form(""), csrf: str = Form(""),
          next: str = Form("/")) -> Response:
    check_csrf(request, csrf)
    app = request.app.state
    ip, name = client_ip(request), username.strip()
    wait = app.limiter.retry_after(ip, name)
    if wait:
        app.users.audit(name or "?", "login.blocked", name, {"retry_after": wait}, ip)
        raise WebError(429, f"Terlalu banyak percobaan masuk yang gagal. Coba lagi dalam {wait} detik.",
                       {"Retry-After": str(wait)})
    user = app.users.authenticate(name, password)
    if user is None:
        app.limiter.failed(ip, name)
        app.users.audit(name or "?", "login.failed", name, {}, ip)
        return render(request, "login.html", status=401, next=_safe_next(next),
                      error="Nama pengguna atau kata sandi salah.", username=name)
    app.limiter.succeeded(ip, name)
    start_session(request, user)
    app.users.audit(user.name, "login", user.name, {"role": user.role}, ip)
    return RedirectResponse(_safe_next(next), status_code=303)


@router.post("/logout")
def logout(request: Request, csrf: str = Form("")) -> Response:
    user = current_user(request)
    check_csrf(request, csrf)
    request.app.state.users.audit(user.name, "logout", user.name, {}, client_ip(request))
    end_session(request)
    return RedirectResponse("/login", status_code=303)


@router.get("/healthz")
def healthz() -> dict[str, str]:
    return {"status": "ok"}
