"""Who is asking, and may they: the session's user, role checks, CSRF tokens and the login
rate limit.

The session is Starlette's signed cookie (itsdangerous; HttpOnly, SameSite=Lax). It holds only
the user name and the CSRF token; the role is read from the user store on every request, so a
demoted or removed user loses access at once rather than when the cookie expires.
"""
from __future__ import annotations

import hmac
import secrets
import threading
import time
from collections import defaultdict, deque

from fastapi import Request

from waspada.web.errors import WebError
from waspada.web.users import User


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


def current_user(request: Request) -> User:
    """FastAPI dependency: the logged-in user, or LoginRequired."""
    name = request.session.get("user")
    user = request.app.state.users.get(name) if name else None
    if user is None:
        request.session.pop("user", None)
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
    """At most ``max_failures`` failed logins per (IP, user name) in a sliding ``window`` of
    seconds. Keyed on both so one attacker cannot lock a real analyst out from elsewhere, and one
    IP cannot spray one user name. In memory: a restart forgets, which is acceptable for a single
    web process (several processes would need a shared store such as Redis)."""

    def __init__(self, max_failures: int, window: float) -> None:
        self.max_failures = max_failures
        self.window = window
        self._failures: dict[tuple[str, str], deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def _recent(self, key: tuple[str, str], now: float) -> deque[float]:
        times = self._failures[key]
        while times and now - times[0] > self.window:
            times.popleft()
        return times

    def retry_after(self, ip: str, name: str) -> int:
        """Seconds until another try is allowed; 0 when allowed now."""
        now = time.monotonic()
        with self._lock:
            times = self._recent((ip, name.lower()), now)
            if len(times) < self.max_failures:
                return 0
            return max(1, int(self.window - (now - times[0])) + 1)

    def failed(self, ip: str, name: str) -> None:
        with self._lock:
            self._failures[(ip, name.lower())].append(time.monotonic())

    def succeeded(self, ip: str, name: str) -> None:
        with self._lock:
            self._failures.pop((ip, name.lower()), None)
