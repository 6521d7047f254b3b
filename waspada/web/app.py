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
from markupsafe import escape
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.sessions import SessionMiddleware

from waspada import config
from waspada.evidence import EvidenceStore
from waspada.web import render as filters
from waspada.web.auth import LoginLimiter, LoginRequired
from waspada.web.errors import ShownHTTPException, WebError, status_message
from waspada.web.headers import SecurityHeaders
from waspada.web.users import UserStore

HERE = Path(__file__).resolve().parent
_MIN_SECRET = 32


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


class WaspadaApp(FastAPI):
    """FastAPI with the security headers around the whole middleware stack, so they reach even
    the page Starlette's outermost error middleware sends for an unhandled exception."""

    def build_middleware_stack(self):
        return SecurityHeaders(super().build_middleware_stack())


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

    app = WaspadaApp(title="Waspada", debug=False, docs_url=None, redoc_url=None, openapi_url=None)
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
    from waspada.sources.store import HealthStore
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

    # Middleware added last runs first: sessions, then the body cap, so its 413 reaches the route's
    # error handling. The security headers wrap all of it (WaspadaApp).
    from waspada.web.body_limit import BodyLimit
    app.add_middleware(BodyLimit, max_bytes=config.get("WEB_MAX_BODY_BYTES"))
    app.add_middleware(SessionMiddleware, secret_key=secret, session_cookie="waspada_session",
                       max_age=app.state.session_hours * 3600, same_site="lax",
                       https_only=config.get("WEB_COOKIE_SECURE"))

    _install_error_handlers(app)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    from waspada.web.views import (audit, auth, bulk, exports, investigations, item, page_evidence, search, sources,
                                   users as user_admin)
    for module in (auth, search, bulk, item, exports, audit, investigations, page_evidence, sources, user_admin):
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


#: Parameter names as the user knows them, for validation errors.
_FIELD_NAMES = {"inv_id": "Nomor investigasi", "investigation": "Nomor investigasi",
                "saved_id": "Nomor pencarian tersimpan", "page": "Nomor halaman"}


def _number(value: Any) -> str:
    return filters.number(value) if isinstance(value, int) else str(value)


def validation_message(errors: list[dict[str, Any]]) -> str:
    """One Indonesian sentence per bad parameter, naming its value and what would be accepted."""
    sentences = []
    for error in errors:
        name = str(error["loc"][-1]) if error.get("loc") else "?"
        field = _FIELD_NAMES.get(name, f"Isian {name!r}")
        value, limits = error.get("input"), error.get("ctx") or {}
        shown = repr(value[:80] if isinstance(value, str) else value)
        if error["type"] == "missing":
            sentences.append(f"{field} belum diisi.")
        elif "le" in limits:
            sentences.append(f"{field} {shown} terlalu besar; paling besar {_number(limits['le'])}.")
        elif "ge" in limits:
            sentences.append(f"{field} {shown} terlalu kecil; paling kecil {_number(limits['ge'])}.")
        elif error["type"].startswith("int_"):
            sentences.append(f"{field} {shown} harus bilangan bulat, misalnya 1.")
        else:
            sentences.append(f"{field} {shown} tidak valid.")
    return " ".join(sentences) or status_message(400)


def _install_error_handlers(app: FastAPI) -> None:
    """Every error page comes from ``error_page``: the same template, Indonesian words, and the
    security headers (added around the whole stack, see WaspadaApp)."""

    def error_page(request: Request, status: int, message: str, headers: dict[str, str] | None = None) -> Response:
        try:
            response = filters.render(request, "error.html", status=status, status_code=status, message=message)
        except Exception:  # noqa: BLE001 - the page for a broken request must still go out
            response = HTMLResponse(f"<!doctype html><html lang=\"id\"><title>Galat {status}</title>"
                                    f"<h1>Galat {status}</h1><p>{escape(message)}</p></html>", status_code=status)
        response.headers.update(headers or {})
        return response

    @app.exception_handler(LoginRequired)
    async def login_required(request: Request, exc: LoginRequired) -> Response:
        if request.method == "GET":
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            from urllib.parse import quote
            return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)
        return error_page(request, 401, status_message(401))

    @app.exception_handler(WebError)
    async def web_error(request: Request, exc: WebError) -> Response:
        return error_page(request, exc.status, exc.message, exc.headers)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        # The framework's details are English; ours (ShownHTTPException) are written for the user.
        message = exc.detail if isinstance(exc, ShownHTTPException) else status_message(exc.status_code)
        return error_page(request, exc.status_code, message, exc.headers)

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError) -> Response:
        return error_page(request, 400, validation_message(exc.errors()))

    @app.exception_handler(Exception)
    async def server_error(request: Request, exc: Exception) -> Response:
        # Starlette still re-raises the exception after this page, so the server logs it.
        return error_page(request, 500, status_message(500))
