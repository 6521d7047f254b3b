"""Fetch one watched page the way a visitor's browser would, with the crawler's manners:
the honest User-Agent (USER_AGENT), a timeout (CRAWL_TIMEOUT per network wait, twice that for
the whole body) and a size cap (CRAWL_MAX_BYTES).

Redirects are followed by hand, one hop at a time, so each hop can be judged: a hop the page
allows (its own registrable domain, or an ``allowed_domains`` entry) is followed; the first hop
anywhere else stops the fetch and is reported, without fetching the attacker's page.

The standard library's HTTP client is enough here (one GET per page every half hour) and keeps
``waspada`` free of Scrapy (DESIGN.md); it honours the usual proxy environment variables.
"""
from __future__ import annotations

import http.client
import socket
import ssl
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Callable
from urllib.parse import urljoin

from waspada import config

REDIRECTS = {301, 302, 303, 307, 308}
MAX_HOPS = 10
_CHUNK = 64 * 1024


@dataclass
class Fetched:
    url: str  # what was asked for
    final_url: str  # the last address reached (or the offsite redirect's source)
    fetched_at: str
    status: int | None = None
    content_type: str = ""
    body: bytes = b""
    hops: list[dict] = field(default_factory=list)  # [{url, status, location}] redirects followed or refused
    offsite: str | None = None  # the redirect target outside the page's domains, not followed
    error: str | None = None  # why the page could not be read: timeout, http_503, too_large, ...
    detail: str = ""


class _DoNotFollow(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None  # a 3xx then surfaces as HTTPError, and fetch() judges the hop itself


def _opener() -> urllib.request.OpenerDirector:
    return urllib.request.build_opener(_DoNotFollow, urllib.request.HTTPSHandler(context=ssl.create_default_context()))


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _failure(exc: BaseException) -> tuple[str, str]:
    """(reason, detail) for a network failure."""
    reason = getattr(exc, "reason", exc)
    if isinstance(reason, (socket.timeout, TimeoutError)) or "timed out" in str(reason):
        return "timeout", str(reason)
    if isinstance(reason, ssl.SSLError) or isinstance(exc, ssl.SSLError):
        return "tls_error", str(reason)  # an expired or wrong certificate on an official site is news too
    if isinstance(reason, socket.gaierror):
        return "dns", str(reason)
    return "connection", f"{type(reason).__name__}: {reason}"


def _read_capped(response, max_bytes: int, deadline: float) -> tuple[bytes | None, str | None]:
    """(body, None), or (None, reason) when the body is too large or too slow."""
    length = response.headers.get("Content-Length")
    if length and length.isdigit() and int(length) > max_bytes:
        return None, "too_large"
    parts, size = [], 0
    while True:
        if time.monotonic() > deadline:
            return None, "timeout"
        chunk = response.read(_CHUNK)
        if not chunk:
            return b"".join(parts), None
        size += len(chunk)
        if size > max_bytes:
            return None, "too_large"
        parts.append(chunk)


def fetch(url: str, allows: Callable[[str], bool], *, timeout: float | None = None, max_bytes: int | None = None,
          user_agent: str | None = None) -> Fetched:
    """GET ``url``, following redirects ``allows`` accepts; never raises for network trouble."""
    timeout = float(timeout or config.get("CRAWL_TIMEOUT"))
    max_bytes = int(max_bytes or config.get("CRAWL_MAX_BYTES"))
    headers = {"User-Agent": user_agent or config.get("USER_AGENT"),
               "Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5", "Accept-Encoding": "identity",
               "Cache-Control": "no-cache"}  # a cache in between must not hide a defacement, or its repair
    opener = _opener()
    result = Fetched(url=url, final_url=url, fetched_at=_now())
    deadline = time.monotonic() + 2 * timeout
    current = url
    for _ in range(MAX_HOPS + 1):
        result.final_url = current
        try:
            response = opener.open(urllib.request.Request(current, headers=headers), timeout=timeout)
        except urllib.error.HTTPError as exc:
            with exc:
                location = exc.headers.get("Location") if exc.code in REDIRECTS else None
                if location is None:
                    result.status, result.error, result.detail = exc.code, f"http_{exc.code}", str(exc.reason)
                    return result
                target = urljoin(current, location.strip())
                result.hops.append({"url": current, "status": exc.code, "location": target})
                if not allows(target):
                    body, _ = _read_capped(exc, max_bytes, deadline)
                    result.status, result.offsite, result.body = exc.code, target, body or b""
                    result.content_type = exc.headers.get("Content-Type", "")
                    return result
            current = target
            continue
        except (urllib.error.URLError, http.client.HTTPException, OSError, ValueError) as exc:
            result.error, result.detail = _failure(exc)
            return result
        try:
            with response:
                body, problem = _read_capped(response, max_bytes, deadline)
        except (http.client.HTTPException, OSError) as exc:
            body, (problem, result.detail) = None, _failure(exc)
        result.status, result.content_type = response.status, response.headers.get("Content-Type", "")
        if problem:
            result.error = problem
            if problem == "too_large":
                result.detail = f"larger than CRAWL_MAX_BYTES={max_bytes}"
            return result
        result.body = body
        return result
    result.error, result.detail = "redirect_loop", f"more than {MAX_HOPS} redirects"
    return result
