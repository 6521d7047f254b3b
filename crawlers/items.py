"""The item every spider yields: a spool record plus the raw bytes it came from.

Keys without a leading underscore are the spool record (``waspada.schema.SPOOL_REQUIRED`` and
``SPOOL_OPTIONAL``). ``_raw`` carries the fetched body to ``BlobStorePipeline``, which stores it
content-addressed and replaces it with ``raw_sha256``; nothing private reaches the spool file.
"""
from __future__ import annotations

from waspada.schema import SPOOL_VERSION, SchemaError, canonical_url, utcnow


def spool_item(*, source, response, url: str, title: str, text: str, author: str | None = None,
               published: str | None = None, published_source: str | None = None, canonical: str | None = None, lang: str | None = None,
               kind: str = "article", native_id: str | None = None, engagement: dict | None = None,
               context: dict | None = None) -> dict:
    """Build the item for one post of ``source`` found in ``response``."""
    return {
        "spool_version": SPOOL_VERSION,
        "url": url,
        "canonical_url": canonical or _canonical_or_none(url),
        "source_id": source.id,
        "source_name": source.name,
        "platform": source.platform,
        "kind": kind,
        "title": title or None,
        # The spool requires text; a feed item with only a headline is still worth judging.
        "text": text or title,
        "author": author or None,
        "published": published,
        **({"published_source": published_source} if published and published_source else {}),
        "lang": lang or "id",
        # Posts without a URL of their own (a feed entry with no link), and social posts, whose
        # platform id is their identity; document ids then use it.
        **({"native_id": native_id} if native_id else {}),
        # Social posts: likes/shares/replies/views as the platform showed them at fetch time.
        **({"engagement": engagement} if engagement else {}),
        **({"context": context} if context else {}),
        "fetched": utcnow(),
        "http": http_summary(response),
        "_raw": response.body,
    }


def http_summary(response) -> dict:
    """What an investigator needs to show how the page was served."""
    def header(name: bytes) -> str | None:
        value = response.headers.get(name)
        return value.decode("latin-1") if value else None
    return {"status": response.status, "content_type": header(b"Content-Type"),
            "etag": header(b"ETag"), "last_modified": header(b"Last-Modified")}


def _canonical_or_none(url: str) -> str | None:
    try:
        return canonical_url(url)
    except SchemaError:
        return None
