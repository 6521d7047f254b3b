"""The analyst web app: ``create_app()`` wires the index, the user store, sessions, templates,
security headers and the routes in ``views/``.

    >>> from waspada.web import create_app
    >>> app = create_app()                 # follows the settings (WASPADA_INDEX_BACKEND, ...)
    >>> app = create_app(index=my_index, data_dir=tmp, secret="x" * 32)   # tests

Session secret: WASPADA_WEB_SECRET. Without it the app refuses to start, unless WEB_DEBUG is on
(the demo, a laptop): then a random secret is generated once and kept in DATA_DIR/web-secret
(mode 0600), so sessions survive a restart and nothing weak is ever hard-coded.
"""
from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.sessions import SessionMiddleware

from waspada import config
from waspada.evidence import EvidenceStore
from waspada.web import render as filters
from waspada.web.auth import LoginLimiter, LoginRequired, csrf_token
from waspada.web.errors import WebError
from waspada.web.users import UserStore

HERE = Path(__file__).resolve().parent
_MIN_SECRET = 32

#: Sent with every response. No inline script or style is allowed anywhere: crawled text that
#: slipped past escaping still could not run.
SECURITY_HEADERS = {
    "Content-Security-Policy": ("default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
                                "base-uri 'none'; frame-ancestors 'none'"),
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def session_secret(data_dir: Path, debug: bool) -> str:
    """WASPADA_WEB_SECRET, or in debug mode one generated and kept in DATA_DIR/web-secret."""
    secret = config.get("WEB_SECRET")
    if secret:
        if len(secret) < _MIN_SECRET:
            raise config.SettingError(f"WASPADA_WEB_SECRET has {len(secret)} characters; use at least {_MIN_SECRET}, "
                                      "e.g. python -c 'import secrets; print(secrets.token_urlsafe(48))'")
        return secret
    if not debug:
        raise config.SettingError("WASPADA_WEB_SECRET is not set: set it to a long random value "
                                  "(python -c 'import secrets; print(secrets.token_urlsafe(48))'), "
                                  "or set WASPADA_WEB_DEBUG=true for a local demo")
    path = data_dir / "web-secret"
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_urlsafe(48))
    return path.read_text().strip()


def create_app(index: Any = None, *, data_dir: Path | str | None = None, evidence_dir: Path | str | None = None,
               users: UserStore | None = None, secret: str | None = None, debug: bool | None = None) -> FastAPI:
    """The app. Everything not passed follows the settings; ``index`` defaults to ``open_index()``."""
    debug = config.get("WEB_DEBUG") if debug is None else debug
    explicit_dir = data_dir is not None
    data_dir = Path(data_dir) if explicit_dir else Path(config.get("DATA_DIR"))
    if index is None:
        from waspada.index import open_index
        index = open_index()
    secret = secret or session_secret(data_dir, debug)

    app = FastAPI(title="Waspada", debug=False, docs_url=None, redoc_url=None, openapi_url=None)
    app.state.index = index
    # An explicit data_dir (tests, embedding) holds everything; otherwise each path follows its setting.
    app.state.users = users or UserStore(data_dir / "web.db" if explicit_dir else config.get("WEB_DB"))
    app.state.evidence = EvidenceStore(evidence_dir or (data_dir / "evidence" if explicit_dir
                                                        else config.get("EVIDENCE_DIR")))
    # Investigations and alert state share the operations database with the users.
    ops_db = data_dir / "web.db" if explicit_dir else config.get("WEB_DB")
    from waspada.alerts.store import AlertStore
    from waspada.investigations import InvestigationStore
    app.state.investigations = InvestigationStore(ops_db)
    from waspada.web.saved import SavedSearches
    app.state.saved = SavedSearches(ops_db)
    from waspada.source_health import HealthStore
    app.state.source_health = HealthStore(data_dir / "state" if explicit_dir else config.get("STATE_DIR"))
    app.state.alerts = AlertStore(ops_db)
    app.state.limiter = LoginLimiter(config.get("WEB_LOGIN_MAX_FAILURES"), config.get("WEB_LOGIN_WINDOW"),
                                   config.get("WEB_LOGIN_MAX_FAILURES_PER_IP"))
    app.state.session_hours = config.get("WEB_SESSION_HOURS")
    app.state.export_max = config.get("WEB_EXPORT_MAX")
    app.state.explain = config.get("WEB_EXPLAIN")
    from waspada.web.facet_cache import FacetCache
    app.state.facet_cache = FacetCache(ttl=config.get("WEB_FACET_CACHE_SECONDS"))
    app.state.classifier = _lazy_classifier()
    templates = Jinja2Templates(directory=HERE / "templates")  # autoescape is on for .html
    filters.install(templates.env)
    app.state.templates = templates

    # Middleware added last runs first: headers wrap everything, sessions sit inside, and the body
    # cap innermost, so its 413 reaches the route's error handling unwrapped by the others.
    from waspada.web.body_limit import BodyLimit
    app.add_middleware(BodyLimit, max_bytes=config.get("WEB_MAX_BODY_BYTES"))
    app.add_middleware(SessionMiddleware, secret_key=secret, session_cookie="waspada_session",
                       max_age=app.state.session_hours * 3600, same_site="lax",
                       https_only=config.get("WEB_COOKIE_SECURE"))

    @app.middleware("http")
    async def security_headers(request: Request, call_next):
        response = await call_next(request)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        if not request.url.path.startswith("/static/"):
            response.headers.setdefault("Cache-Control", "no-store")  # flagged content stays off shared caches
        return response

    _install_error_handlers(app)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    from waspada.web.views import (audit, auth, exports, investigations, item, page_evidence, search, sources,
                                   users as user_admin)
    for module in (auth, search, item, exports, audit, investigations, page_evidence, sources, user_admin):
        app.include_router(module.router)
    return app


def _lazy_classifier():
    """The model, loaded on the first item page that needs an explanation (not at start-up)."""
    import threading
    lock, loaded = threading.Lock(), []

    def get():
        with lock:
            if not loaded:
                import models
                loaded.append(models.load())
        return loaded[0]
    return get


def render(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    """A page, with the user and the CSRF token every form needs."""
    context.setdefault("user", getattr(request.state, "user", None))
    context["csrf"] = csrf_token(request)
    return request.app.state.templates.TemplateResponse(request, template, context, status_code=status)


def _install_error_handlers(app: FastAPI) -> None:
    def page(request: Request, status: int, message: str, headers: dict[str, str] | None = None) -> Response:
        response = render(request, "error.html", status=status, status_code=status, message=message)
        response.headers.update(headers or {})
        return response

    @app.exception_handler(LoginRequired)
    async def login_required(request: Request, exc: LoginRequired) -> Response:
        if request.method == "GET":
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            from urllib.parse import quote
            return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)
        return page(request, 401, "Silakan masuk terlebih dahulu.")

    @app.exception_handler(WebError)
    async def web_error(request: Request, exc: WebError) -> Response:
        return page(request, exc.status, exc.message, exc.headers)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        message = {404: "Halaman tidak ditemukan.", 405: "Metode tidak diizinkan."}.get(exc.status_code, str(exc.detail))
        return page(request, exc.status_code, message)

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError) -> Response:
        fields = ", ".join(".".join(str(p) for p in e["loc"][1:]) for e in exc.errors())
        return page(request, 400, f"Permintaan tidak lengkap atau salah: {fields}.")
