"""Look-alike domains on one post: the address it is hosted on and the links it pushes.

The pipeline records them on the document (``waspada.threats.lookalike``), so a post pushing a
copy of kpu.go.id is an item analysts see and alert rules key on, whatever the model made of its
words. Each record says which official domain is imitated, how (lookalike.py's kinds) and where
on the post the domain sits: ``post`` (the post itself is hosted there) or ``link`` (it links there).
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from waspada.threats.lookalike import ascii_domain, check, official_domains

#: Distinct hosts remembered per finder: a run sees the same portals and link hosts again and again.
_CACHE_SIZE = 50_000


class LookalikeFinder:
    """Checks posts against ``officials`` (default: the bodies' domains and the configured ones)."""

    def __init__(self, officials: list[str] | tuple[str, ...] | None = None) -> None:
        self.officials = tuple(official_domains() if officials is None else officials)
        self.check_host = lru_cache(maxsize=_CACHE_SIZE)(lambda host: check(host, self.officials))

    def find(self, url: str, links: list[str]) -> list[dict[str, Any]]:
        """One record per look-alike domain on the post, the post's own address first.

        >>> LookalikeFinder(["kpu.go.id"]).find("https://portal.test/a", ["https://kpu-go-id.net/dpt"])[0]["kind"]
        'embedded'
        """
        found: dict[str, dict[str, Any]] = {}
        for where, address in [("post", url), *(("link", link) for link in links)]:
            hit = self.check_host((urlsplit(address).hostname or "").lower())
            if hit is None:
                continue
            domain = ascii_domain(hit.domain)
            found.setdefault(domain, {"domain": domain, "official": hit.official, "kind": hit.kind,
                                      "detail": hit.detail, "where": where})
        return list(found.values())
