"""Honour platforms' rate limits: HTTP 429 ``Retry-After`` and ``X-RateLimit-Remaining/Reset``.

Mastodon and Reddit announce their budgets in response headers. When the remaining budget hits
zero, further requests to that host wait until the announced reset; a 429 waits ``Retry-After``
seconds and is tried again (at most ``MAX_429_RETRIES`` times). A wait longer than
``WASPADA_MAX_RETRY_AFTER`` seconds (setting CRAWL_MAX_RETRY_AFTER) is not worth holding a crawl
for: the source is stopped for this crawl, with one ``rate_limited`` skip and a WARNING line, and
its other requests are refused as ``rate_limited`` too. The next scheduled crawl tries again.
"""
from __future__ import annotations

import logging
import time
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

from scrapy.exceptions import NotConfigured
from scrapy.utils.asyncio import sleep

from crawlers.skips import SkipResponse

logger = logging.getLogger(__name__)
#: A server that keeps answering 429 after waiting is not going to let us in this crawl.
MAX_429_RETRIES = 2
#: Wait when a 429 names no Retry-After and no reset: short, since we do not know better.
DEFAULT_RETRY_AFTER = 5.0


class RateLimitMiddleware:
    """Downloader middleware: waits out announced rate limits, stops sources that would wait too long."""

    def __init__(self, crawler, max_wait: float):
        self.crawler = crawler
        self.max_wait = max_wait
        self.host_free_at: dict[str, float] = {}  # host -> epoch seconds when its budget resets
        self.stopped: dict[str, str] = {}  # source id -> why it was stopped

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.getbool("WASPADA_RATE_LIMIT_ENABLED", True):
            raise NotConfigured("WASPADA_RATE_LIMIT_ENABLED is off")
        return cls(crawler, crawler.settings.getfloat("WASPADA_MAX_RETRY_AFTER", 60))

    async def process_request(self, request):
        source = request.meta.get("waspada_source")
        if source in self.stopped:
            raise SkipResponse("rate_limited", f"not fetched, {self.stopped[source]}")
        wait = self.host_free_at.get(_host(request.url), 0) - time.time()
        if wait > 0:
            self.crawler.stats.inc_value("waspada/rate_limit/waits")
            logger.info("Rate limit of %s exhausted; waiting %.1f s before %s", _host(request.url), wait, request.url)
            await sleep(wait)
        return None

    async def process_response(self, request, response):
        source = request.meta.get("waspada_source") or "?"
        if response.status == 429:
            wait = retry_after(response.headers)
            if wait is None:
                wait = reset_wait(response.headers)
            wait = DEFAULT_RETRY_AFTER if wait is None else wait
            tries = request.meta.get("waspada_429_tries", 0)
            if wait > self.max_wait or tries >= MAX_429_RETRIES:
                why = (f"HTTP 429 asked to wait {wait:.0f} s, more than WASPADA_CRAWL_MAX_RETRY_AFTER={self.max_wait:g}"
                       if wait > self.max_wait else f"still HTTP 429 after {tries} waits")
                self.stopped[source] = f"stopped for this crawl: {why} (raise the setting to wait longer)"
                raise SkipResponse("rate_limited", self.stopped[source])
            self.crawler.stats.inc_value("waspada/rate_limit/retried_429")
            logger.warning("HTTP 429 from %s (source %s); waiting %.1f s as Retry-After asks, then retrying",
                           request.url, source, wait)
            self.host_free_at[_host(request.url)] = time.time() + wait
            await sleep(wait)
            retry = request.replace(dont_filter=True)
            retry.meta["waspada_429_tries"] = tries + 1
            return retry
        remaining = _number(response.headers.get(b"X-RateLimit-Remaining"))
        if remaining is not None and remaining < 1:
            wait = reset_wait(response.headers)
            if wait is not None and wait > self.max_wait:
                self.stopped[source] = (f"stopped for this crawl: the rate limit resets in {wait:.0f} s, more than "
                                        f"WASPADA_CRAWL_MAX_RETRY_AFTER={self.max_wait:g} (raise the setting to wait longer)")
                logger.warning("Source %s %s; the page just fetched is kept", source, self.stopped[source])
            elif wait:
                self.host_free_at[_host(request.url)] = time.time() + wait
        return response


def retry_after(headers) -> float | None:
    """Seconds a ``Retry-After`` header asks for (delta-seconds or an HTTP date), else None."""
    raw = headers.get(b"Retry-After")
    if not raw:
        return None
    value = raw.decode("latin-1").strip()
    seconds = _number(raw)
    if seconds is not None:
        return max(0.0, seconds)
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError):
        return None


def reset_wait(headers) -> float | None:
    """Seconds until ``X-RateLimit-Reset``: Mastodon sends an ISO time, Reddit seconds, others epoch."""
    raw = headers.get(b"X-RateLimit-Reset")
    if not raw:
        return None
    number = _number(raw)
    if number is not None:
        # Epoch timestamps are huge; small numbers are seconds from now (Reddit).
        return max(0.0, number - time.time()) if number > 1_000_000_000 else max(0.0, number)
    try:
        reset = datetime.fromisoformat(raw.decode("latin-1").strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if reset.tzinfo is None:
        reset = reset.replace(tzinfo=timezone.utc)
    return max(0.0, reset.timestamp() - time.time())


def _number(raw: bytes | None) -> float | None:
    try:
        return float(raw.decode("latin-1").strip()) if raw else None
    except ValueError:
        return None


def _host(url: str) -> str:
    return urlsplit(url).netloc.lower()
