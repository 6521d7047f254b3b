"""Which crawled URLs may become a clickable link on a page we make: the web app's pages and the
digest's HTML both ask ``safe_href``, so a ``javascript:`` or ``data:`` address never becomes a link
in either."""
from __future__ import annotations

from urllib.parse import urlsplit


def safe_href(url: str | None) -> str | None:
    """``url`` if it is an absolute http(s) URL, else None (javascript:, data:, relative ...)."""
    if not url or not isinstance(url, str):
        return None
    cleaned = url.strip()
    if any(ord(c) < 33 for c in cleaned):  # control characters and spaces can hide a scheme
        return None
    parts = urlsplit(cleaned)
    return cleaned if parts.scheme.lower() in ("http", "https") and parts.netloc else None
