"""Refuse responses that are not text before any spider tries to parse them.

A feed URL that starts serving a PNG or a PDF (a moved file, a CDN error page) must become a
counted ``binary_content`` skip, not a parser crash or a record full of garbage.
"""
from __future__ import annotations

from scrapy.exceptions import NotConfigured

from crawlers.skips import SkipResponse

_TEXT_TYPES = ("text/", "application/xml", "application/rss", "application/atom", "application/rdf",
               "application/xhtml", "application/json", "application/ld+json", "application/feed")


class ContentTypeGuardMiddleware:
    """Downloader middleware: raises SkipResponse("binary_content") for non-text bodies."""

    def __init__(self, sniff_bytes: int = 512):
        self.sniff_bytes = sniff_bytes

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.getbool("WASPADA_CONTENT_TYPE_GUARD", True):
            raise NotConfigured("WASPADA_CONTENT_TYPE_GUARD is off")
        return cls()

    def process_response(self, request, response):
        if response.status >= 300:
            return response  # redirects and errors are handled (and counted) elsewhere
        content_type = response.headers.get(b"Content-Type", b"").decode("latin-1").lower().strip()
        if content_type.startswith(_TEXT_TYPES) or "xml" in content_type:
            return response
        # Misconfigured servers send feeds as application/octet-stream (or nothing): trust the
        # bytes when they look like markup, refuse them when they look binary.
        if self.looks_like_markup(response.body):
            return response
        shown = content_type or "missing"
        raise SkipResponse("binary_content", f"Content-Type {shown!r} is not text and the body does not look like HTML/XML")

    def looks_like_markup(self, body: bytes) -> bool:
        head = body[: self.sniff_bytes]
        return b"\x00" not in head and head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<")
