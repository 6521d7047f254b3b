"""The Index protocol both backends implement, and the query/result shapes they share.

Documents are the dicts built by ``waspada.schema.build_document``; a document's id is
``doc["waspada"]["id"]``. Every backend must pass ``tests/index/test_conformance.py``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Iterable, Protocol

SORTS = ("relevance", "time", "severity")


class IndexError_(RuntimeError):
    """The index refused or could not be reached; the message says which and what to check."""


@dataclass(frozen=True)
class SearchQuery:
    """What an analyst asks for. ``text`` uses the syntax analysts know: bare words (all must
    match), "quoted phrases", OR, NOT / a leading minus, and a trailing * wildcard. Filters AND together;
    values inside one filter OR together. ``min_score`` and ``max_score`` bound the highest score
    among ``labels`` (or among all labels when ``labels`` is empty). ``clusters`` selects copies of
    one text (``waspada.cluster``, see schema.build_document)."""
    text: str = ""
    labels: tuple[str, ...] = ()
    min_score: float | None = None
    max_score: float | None = None
    date_from: datetime | None = None
    date_to: datetime | None = None
    sources: tuple[str, ...] = ()
    platforms: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    assignees: tuple[str, ...] = ()
    clusters: tuple[str, ...] = ()
    #: Posts matched to these debunked claims (``waspada.claim_match.claim_id``, waspada.claims).
    claims: tuple[str, ...] = ()
    #: Posts hosted on or linking to these look-alike domains (``waspada.threats.lookalike.domain``,
    #: punycode for non-ASCII names; waspada.threats.lookalike.posts).
    lookalikes: tuple[str, ...] = ()
    #: Posts with these cyber-threat kinds (``waspada.threats.cyber.kinds``: phishing, data_leak,
    #: hacking_claim; waspada.threats.cyber).
    cyber: tuple[str, ...] = ()
    #: Posts hosted on these domains (``url.domain``).
    domains: tuple[str, ...] = ()
    sort: str = "relevance"
    size: int = 20
    offset: int = 0
    #: Keyset pagination: the ``cursor`` of the previous page's last hit. Pages after it cost the
    #: same however deep they are (Elasticsearch refuses offsets beyond 10,000). Not with ``offset``.
    after: tuple | None = None

    def __post_init__(self) -> None:
        if self.sort not in SORTS:
            raise ValueError(f"sort {self.sort!r} is not one of {', '.join(SORTS)}")
        if not 0 < self.size <= 1000:
            raise ValueError(f"size {self.size} must be between 1 and 1000")
        if self.offset < 0:
            raise ValueError(f"offset {self.offset} must not be negative")
        if self.after is not None and self.offset:
            raise ValueError("use either offset or after (a cursor), not both")
        for name in ("min_score", "max_score"):
            value = getattr(self, name)
            if value is not None and not 0.0 <= value <= 1.0:
                raise ValueError(f"{name} {value} must be between 0 and 1")
        if self.min_score is not None and self.max_score is not None and self.min_score > self.max_score:
            raise ValueError(f"min_score {self.min_score} is above max_score {self.max_score}; swap them")


@dataclass
class Hit:
    id: str
    score: float
    doc: dict[str, Any]
    #: Snippets of ``text``/title around the matches: HTML-escaped, matches wrapped in <mark></mark>.
    highlights: list[str] = field(default_factory=list)
    #: Where this hit sits in the sort order: pass it as ``SearchQuery.after`` for the next page.
    #: Opaque and backend-specific (JSON-serialisable).
    cursor: list | None = None


@dataclass
class SearchResult:
    total: int
    hits: list[Hit]


@dataclass
class BulkResult:
    indexed: int = 0
    #: (doc id, reason) for each document the index refused for good.
    failed: list[tuple[str, str]] = field(default_factory=list)


class Index(Protocol):
    def ensure(self) -> None:
        """Create tables / templates / aliases if missing. Idempotent."""

    def upsert(self, docs: Iterable[dict[str, Any]]) -> BulkResult:
        """Insert or overwrite documents by id. Transient failures are retried inside;
        only permanent refusals come back in ``failed``."""

    def get(self, doc_id: str) -> dict[str, Any] | None: ...

    def search(self, query: SearchQuery) -> SearchResult: ...

    def count(self, query: SearchQuery | None = None) -> int: ...

    def facets(self, field: str, query: SearchQuery | None = None, size: int = 20) -> dict[str, int]:
        """Counts per value of a keyword field given by dotted path (``waspada.labels``,
        ``waspada.source.id``, ``waspada.source.platform``, ``waspada.relevance.regions``,
        ``waspada.triage.status``), most frequent first."""

    def update(self, doc_id: str, partial: dict[str, Any], refresh: bool = True) -> None:
        """Deep-merge ``partial`` into the stored document (triage, engagement refresh). KeyError if
        absent. ``refresh=False`` does not wait until searches see the change (a batch of updates
        calls ``refresh()`` once at its end instead)."""

    def refresh(self) -> None: ...

    def close(self) -> None: ...
