"""Skips: every input the crawl refuses ends here, as one log line and one counted reason.

The reasons are a small fixed vocabulary so the stats JSON, alerts ("a source went quiet") and
dashboards can count them; ``detail`` carries the specifics for a human.
"""
from __future__ import annotations

import logging

from scrapy.exceptions import IgnoreRequest
from scrapy.spidermiddlewares.httperror import HttpError

logger = logging.getLogger(__name__)

#: reason -> what it means; the stats JSON uses these keys.
REASONS = {
    "http_<status>": "the server answered 4xx/5xx, after retries for 5xx (e.g. http_404, http_500)",
    "timeout": "the server did not answer within WASPADA_CRAWL_TIMEOUT seconds",
    "too_large": "the body exceeded WASPADA_CRAWL_MAX_BYTES",
    "redirect_loop": "more redirects than REDIRECT_MAX_TIMES",
    "robots_disallowed": "robots.txt forbids the URL",
    "connection_error": "DNS failure, refused or dropped connection",
    "binary_content": "the Content-Type is not text (image, PDF, archive...)",
    "malformed_feed": "the feed is not parseable XML and has no entries",
    "empty_feed": "the feed parsed but has no entries",
    "no_text": "no title or text could be extracted",
    "duplicate": "the canonical URL was already written in this crawl",
    "invalid_record": "the record failed schema validation",
    "download_error": "any other download failure",
    "rate_limited": "a 429 Retry-After or rate-limit reset longer than WASPADA_CRAWL_MAX_RETRY_AFTER; the source is stopped for this crawl",
    "deleted": "a social post deleted or removed by its author or moderators",
    "empty_channel": "a Telegram channel preview with no messages",
    "changed_markup": "a page or API answer whose structure the spider no longer recognises (check the spider)",
}
#: Detail lines kept in the stats JSON; counts are exact, the list is a sample.
MAX_SKIP_DETAILS = 200


class SkipResponse(IgnoreRequest):
    """Raised by Waspada's downloader middlewares to refuse a response; ``reason`` is one of REASONS."""

    def __init__(self, reason: str, detail: str):
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


def record_skip(crawler, reason: str, url: str, detail: str = "") -> None:
    """Count the skip under ``waspada/skipped/<reason>`` and log it once."""
    stats = crawler.stats
    stats.inc_value(f"waspada/skipped/{reason}")
    # Kept on the spider, not in the stats, so Scrapy's closing stats dump stays readable.
    details = crawler.spider.__dict__.setdefault("skip_details", [])
    if len(details) < MAX_SKIP_DETAILS:
        details.append({"url": url, "reason": reason, "detail": detail[:300]})
    logger.warning("Skipped %s (%s): %s", url, reason, detail)


def classify_failure(failure) -> tuple[str, str]:
    """(reason, detail) for a request's errback failure."""
    exc = failure.value
    name = type(exc).__name__
    text = str(exc) or name
    if isinstance(exc, SkipResponse):
        return exc.reason, exc.detail
    if isinstance(exc, HttpError):
        return f"http_{exc.response.status}", f"HTTP {exc.response.status}"
    if isinstance(exc, IgnoreRequest):
        if "redirection" in text:
            return "redirect_loop", text
        if "robots.txt" in text:
            return "robots_disallowed", text
        return "download_error", text
    if "Timeout" in name or "timed out" in text.lower():
        return "timeout", text
    if "Cancelled" in name or "max size" in text.lower() or "maxsize" in text.lower():
        return "too_large", text if text != name else "response larger than the download size cap"
    if any(word in name for word in ("Connect", "DNS", "Resolve", "ConnectionLost", "ConnectionDone")):
        return "connection_error", text
    return "download_error", f"{name}: {text}"
