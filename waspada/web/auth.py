"""Who is asking, and may they: the session's user, role checks, CSRF tokens and the login
rate limit.

The session is Starlette's signed cookie (itsdangerous; HttpOnly, SameSite=Lax). It holds only
a session token and the CSRF token. The token names a row in the user store's session table,
looked up with the user's role on every request: logging out, a password reset, a role change,
deactivation or "log out everywhere" deletes the row, so a copy of the cookie stops working at
once rather than when it expires.
"""
from __future__ import annotations

import hmac
import secrets
import threading
import time
from collections import deque

from fastapi import Request

from waspada.web.errors import WebError
from waspada.web.users import NAME_MAX, User


class LoginRequired(Exception):
    """No valid session: HTML pages redirect to the login form, other requests get 401."""


def csrf_token(request: Request) -> str:
    """The session's CSRF token, created on first use (also for the login form, before login)."""
    token = request.session.get("csrf")
    if not token:
        token = request.session["csrf"] = secrets.token_urlsafe(32)
    return token


def check_csrf(request: Request, submitted: str | None) -> None:
    expected = request.session.get("csrf")
    if not expected or not submitted or not hmac.compare_digest(expected, submitted):
        raise WebError(403, "Token formulir (CSRF) tidak valid atau kedaluwarsa. Muat ulang halaman lalu coba lagi.")


def start_session(request: Request, user: User) -> None:
    """Log ``user`` in: a fresh cookie (and CSRF token, so no session fixation) naming a new
    server-side session."""
    request.session.clear()
    lifetime = request.app.state.session_hours * 3600
    request.session["sid"] = request.app.state.users.open_session(user.name, lifetime, client_ip(request))


def end_session(request: Request) -> None:
    """Log out this browser: the server forgets the session, so a copied cookie is worthless too."""
    token = request.session.get("sid")
    if token:
        request.app.state.users.end_session(token)
    request.session.clear()


def current_user(request: Request) -> User:
    """FastAPI dependency: the logged-in user, or LoginRequired."""
    token = request.session.get("sid")
    user = request.app.state.users.session_user(token) if isinstance(token, str) else None
    if user is None:
        request.session.pop("sid", None)
        raise LoginRequired()
    request.state.user = user
    return user


def require(role: str):
    """FastAPI dependency factory: the logged-in user if they hold ``role`` or stronger, else 403."""
    def dependency(request: Request) -> User:
        user = current_user(request)
        if not user.can(role):
            raise WebError(403, f"Peran Anda ({user.role}) tidak boleh melakukan ini; perlu peran {role} atau lebih tinggi.")
        return user
    dependency.__name__ = f"require_{role}"
    return dependency


def client_ip(request: Request) -> str:
    return request.client.host if request.client else "?"


class LoginLimiter:
    """Failed logins in a sliding ``window`` of seconds: at most ``max_failures`` per (IP, user
    name), so one attacker cannot lock a real analyst out from elsewhere, and at most
    ``max_per_ip`` per IP over all names, so one address cannot spray a common password across
    many names.

    In memory: a restart forgets, which suits the single web process `waspada web` runs (several
    processes would need a shared store such as Redis). Keys whose failures have all aged out are
    dropped, so a flood of made-up names cannot grow the table without bound. Behind a reverse
    proxy every request comes from the proxy's address: set WASPADA_WEB_TRUSTED_PROXIES so the
    limits (and the audit log) see the real client."""

    def __init__(self, max_failures: int, window: float, max_per_ip: int | None = None) -> None:
        if max_failures < 1 or window <= 0:
            raise ValueError(f"login limit needs max_failures >= 1 and window > 0, got {max_failures}, {window}")
        self.max_failures = max_failures
        self.window = window
        self.max_per_ip = max_per_ip if max_per_ip is not None else 10 * max_failures
        self._failures: dict[tuple[str, str], deque[float]] = {}
        self._per_ip: dict[str, deque[float]] = {}
        self._sweep_at = 1024
        self._lock = threading.Lock()

    @staticmethod
    def _key(ip: str, name: str) -> tuple[str, str]:
        # Cut just past the longest possible user name: a longer try can never succeed, and a
        # megabyte of form field should not become a megabyte of key.
        return ip, name.lower()[:NAME_MAX + 1]

    def _recent(self, table: dict, key, now: float) -> int:
        """Failures for ``key`` still inside the window; forgets the key once none are."""
        times = table.get(key)
        if times is None:
            return 0
        while times and now - times[0] > self.window:
            times.popleft()
        if not times:
            del table[key]
            return 0
        return len(times)

    def _wait(self, times: deque[float] | None, now: float) -> int:
        return max(1, int(self.window - (now - times[0])) + 1) if times else 1

    def retry_after(self, ip: str, name: str) -> int:
        """Seconds until another try is allowed; 0 when allowed now."""
        now = time.monotonic()
        key = self._key(ip, name)
        with self._lock:
            if self._recent(self._failures, key, now) >= self.max_failures:
                return self._wait(self._failures.get(key), now)
            if self._recent(self._per_ip, ip, now) >= self.max_per_ip:
                return self._wait(self._per_ip.get(ip), now)
            return 0

    def failed(self, ip: str, name: str) -> None:
        now = time.monotonic()
        with self._lock:
            self._failures.setdefault(self._key(ip, name), deque()).append(now)
            self._per_ip.setdefault(ip, deque()).append(now)
            if len(self._failures) > self._sweep_at:
                self._sweep(now)

    def _sweep(self, now: float) -> None:
        """Drop every key with no failure left in the window; amortised by doubling the size
        that triggers the next sweep."""
        for table in (self._failures, self._per_ip):
            for key in list(table):
                self._recent(table, key, now)
        self._sweep_at = max(1024, 2 * len(self._failures))

    def tracked(self) -> int:
        """How many (IP, name) keys are held: for tests and the curious."""
        with self._lock:
            return len(self._failures)

    def succeeded(self, ip: str, name: str) -> None:
        """A right password clears that name's failures from that IP; the per-IP count stays,
        so logging in to one's own account between tries does not reset a spray."""
        with self._lock:
            self._failures.pop(self._key(ip, name), None)
