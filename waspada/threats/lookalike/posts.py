"""Look-alike domains on one post: the address it is hosted on and the links it pushes.

The pipeline records them on the document (``waspada.threats.lookalike``), so a post pushing a
copy of kpu.go.id is an item analysts see and alert rules key on, whatever the model made of its
words. Each record says which official domain is imitated, how (domains.py's kinds) and where
on the post the domain sits: ``post`` (the post itself is hosted there) or ``link`` (it links there).
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from waspada.threats.lookalike.domains import ascii_domain, check, official_domains

#: Distinct hosts remembered per finder: a run sees the same portals and link hosts again and again.
_CACHE_SIZE = 50_000

#: A domain written without http(s):// ("daftar di kpu-pemilu.info", "email ke admin@bawaslu-ri.org"):
#: phishing posts write them so, and chat apps turn them into links. Labels of letters (any script:
#: a Cyrillic "kрu.com" too), digits and hyphens; the last label must be a known top-level domain
#: (below), so "KPU.Hasyim" (a missing space) or "Rp5.000" never read as domains.
_BARE_DOMAIN = re.compile(r"(?<![\w.\-/])((?:[^\W_](?:[^\W_]|-){0,62}\.)+([a-z]{2,12}))(?![\w\-])")
_SCHEME_URL = re.compile(r"https?://\S+", re.IGNORECASE)
#: Top-level domains a bare mention must end in: the common generic ones, those cheap domains
#: used for phishing favour, and Indonesia's.
BARE_TLDS = frozenset("""com net org info biz id co io me xyz site online top live click link
    website web app store shop vip club pro icu buzz cc tk ml ga cf gq""".split())
MAX_BARE_DOMAINS = 20


def bare_domains(text: str) -> list[str]:
    """Domains written in ``text`` without a scheme, lower-case, distinct, in order; links with
    http(s):// are left to the caller (they are the post's links)."""
    found: dict[str, None] = {}
    for match in _BARE_DOMAIN.finditer(_SCHEME_URL.sub(" ", text or "").lower()):
        if match.group(2) in BARE_TLDS:
            found.setdefault(match.group(1))
        if len(found) >= MAX_BARE_DOMAINS:
            break
    return list(found)


class LookalikeFinder:
    """Checks posts against ``officials`` (default: the bodies' domains and the configured ones)."""

    def __init__(self, officials: list[str] | tuple[str, ...] | None = None) -> None:
        self.officials = tuple(official_domains() if officials is None else officials)
        self.check_host = lru_cache(maxsize=_CACHE_SIZE)(lambda host: check(host, self.officials))

    def find(self, url: str, links: list[str], text: str = "") -> list[dict[str, Any]]:
        """One record per look-alike domain on the post, the post's own address first, then its
        links, then domains its ``text`` names without a scheme (recorded as links: readers
        reach them the same way).

        >>> LookalikeFinder(["kpu.go.id"]).find("https://portal.test/a", ["https://kpu-go-id.net/dpt"])[0]["kind"]
        'embedded'
        """
        found: dict[str, dict[str, Any]] = {}
        hosts = [("post", urlsplit(url).hostname), *(("link", urlsplit(link).hostname) for link in links),
                 *(("link", domain) for domain in bare_domains(text))]
        for where, host in hosts:
            hit = self.check_host((host or "").lower())
            if hit is None:
                continue
            domain = ascii_domain(hit.domain)
            found.setdefault(domain, {"domain": domain, "official": hit.official, "kind": hit.kind,
                                      "detail": hit.detail, "where": where})
        return list(found.values())
