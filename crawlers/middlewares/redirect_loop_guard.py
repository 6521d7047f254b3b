"""Name redirect loops as such instead of letting them vanish.

In a loop A -> B -> A, Scrapy's duplicate filter silently drops the second request for A, so the
page is neither fetched nor reported. This middleware sits just before RedirectMiddleware and
refuses a redirect whose target was already visited in the same chain, as a ``redirect_loop``
skip. Long chains that never repeat are still cut by REDIRECT_MAX_TIMES.
"""
from __future__ import annotations

from urllib.parse import urljoin

from crawlers.skips import SkipResponse


class RedirectLoopGuardMiddleware:
    def process_response(self, request, response):
        location = response.headers.get(b"Location")
        if response.status not in (301, 302, 303, 307, 308) or not location:
            return response
        target = urljoin(request.url, location.decode("latin-1"))
        chain = [*request.meta.get("redirect_urls", []), request.url]
        if target in chain:
            raise SkipResponse("redirect_loop", f"{request.url} redirects back to {target} (chain of {len(chain)})")
        return response
