"""Index backends behind one protocol (``base.Index``): SQLite embedded, Elasticsearch in production.

    >>> from waspada.index import open_index
    >>> index = open_index("sqlite", path="/tmp/waspada.db")   # or open_index() to follow the settings

Backends are imported lazily so that using SQLite never imports the Elasticsearch client.
"""
from __future__ import annotations

from typing import Any

from waspada import config
from waspada.index.base import BulkResult, Hit, Index, IndexError_, SearchQuery, SearchResult
from waspada.index.query import QuerySyntaxError

BACKENDS = ("sqlite", "elasticsearch")

__all__ = ["BACKENDS", "BulkResult", "Hit", "Index", "IndexError_", "QuerySyntaxError", "SearchQuery",
           "SearchResult", "open_index"]


def open_index(backend: str | None = None, **kwargs: Any) -> Index:
    """The configured index, created if missing. ``backend`` defaults to the INDEX_BACKEND setting;
    keyword arguments override the settings (``path`` for SQLite; ``url``, ``alias``, ``api_key``,
    ... for Elasticsearch, see ``ElasticIndex``)."""
    name = (backend or config.get("INDEX_BACKEND")).strip().lower()
    if name == "sqlite":
        from waspada.index.sqlite import SqliteIndex
        return SqliteIndex(kwargs.pop("path", None) or config.get("SQLITE_PATH"), **kwargs)
    if name in ("elasticsearch", "es"):
        from waspada.index.elastic import ElasticIndex
        return ElasticIndex.from_settings(**kwargs)
    raise ValueError(f"index backend {name!r} is unknown; choose one of {', '.join(BACKENDS)} "
                     f"(setting WASPADA_INDEX_BACKEND)")
