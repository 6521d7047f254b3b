"""The production index: Elasticsearch 9 through the official client.

Documents live in monthly indices ``<alias>-YYYY.MM`` chosen by ``@timestamp``; a composable
index template gives every such index the mappings and puts it behind the alias, which is what
reads (and analysts, and Kibana) use. Ids come from the document, so a re-run overwrites.

Writes survive a flaky cluster: 429s are retried per document by ``streaming_bulk``; a server
that goes away (connection refused, timeouts, 5xx) makes the whole remaining batch wait and
retry with backoff until ``retry_seconds`` have passed. Re-sending a document that was already
acknowledged only overwrites it, so a retry can neither lose nor duplicate. Only permanent
refusals (a mapping error, a malformed document) come back in ``BulkResult.failed``.

The server needs no plugins: mappings use whatever analyzer is configured (``standard`` works
on the bare integration-test distribution; use ``indonesian`` on a full one), and partial
updates use the ``doc`` form of the update API because core has no scripting.
"""
from __future__ import annotations

import logging
import time
from datetime import datetime
from typing import Any, Iterable

from elasticsearch import ApiError, ConnectionError, ConnectionTimeout, Elasticsearch, NotFoundError
from elasticsearch.helpers import streaming_bulk

from waspada import config
from waspada.index import query as q
from waspada.index.base import BulkResult, Hit, IndexError_, SearchQuery, SearchResult
from waspada.index.common import (DERIVED, check_facet_field, check_facet_size, check_query, deep_merge,
                                  doc_id_of, score_labels, timestamp_of, utc, with_derived)
from waspada.index.mapping import index_template, mappings
from waspada.schema import SchemaError

log = logging.getLogger(__name__)

#: Statuses worth waiting out: rejected for load, or the cluster is (re)starting.
_TRANSIENT = (429, 502, 503, 504)
_TEXT_FIELDS = ["waspada.post.title^2", "text"]
_MISSING_OK = {"ignore_unavailable": True, "allow_no_indices": True}  # an alias with no month yet is empty


class _Retry(Exception):
    """Some of the batch must be sent again later."""


def _public(doc: dict[str, Any]) -> dict[str, Any]:
    for name in DERIVED:
        doc.get("waspada", {}).pop(name, None)
    return doc


class ElasticIndex:
    """``Index`` on Elasticsearch. ``alias`` is what readers query; ``retry_seconds`` bounds how
    long writes wait for an unreachable or overloaded cluster before raising ``IndexError_``."""

    def __init__(self, url: str = "http://127.0.0.1:9200", alias: str = "waspada-posts", *,
                 api_key: str | None = None, analyzer: str = "standard", replicas: int = 1,
                 chunk_size: int = 500, retry_seconds: float = 300, timeout: float = 30,
                 max_backoff: float = 30, client: Elasticsearch | None = None) -> None:
        if not alias or alias != alias.lower() or alias.startswith(("_", "-", "+")):
            raise ValueError(f"Elasticsearch alias {alias!r} must be lower-case and not start with _, - or +")
        if chunk_size < 1:
            raise ValueError(f"bulk chunk size {chunk_size} must be at least 1")
        self.url = url
        self.alias = alias
        self.analyzer = analyzer
        self.replicas = replicas
        self.chunk_size = chunk_size
        self.retry_seconds = retry_seconds
        self.max_backoff = max_backoff
        self.client = client or Elasticsearch(
            [u.strip() for u in url.split(",") if u.strip()], api_key=api_key or None,
            request_timeout=timeout, retry_on_timeout=True, max_retries=2)
        self._ensured = False
        self._indices: set[str] = set()

    @classmethod
    def from_settings(cls, **overrides: Any) -> "ElasticIndex":
        """Built from the ES_* settings; keyword arguments override them."""
        kwargs: dict[str, Any] = {
            "url": config.get("ES_URL"), "alias": config.get("ES_INDEX"), "api_key": config.get("ES_API_KEY"),
            "analyzer": config.get("ES_ANALYZER"), "replicas": config.get("ES_REPLICAS"),
            "chunk_size": config.get("ES_BULK_CHUNK"), "retry_seconds": config.get("ES_RETRY_SECONDS"),
            "timeout": config.get("ES_TIMEOUT"),
        }
        kwargs.update(overrides)
        return cls(**kwargs)

    # --- setup --------------------------------------------------------------------------------

    def ensure(self) -> None:
        """Install (or update) the index template. Monthly indices are created as documents need them."""
        self._read(self._put_template)

    def _put_template(self) -> None:
        try:
            self.client.indices.put_index_template(
                name=self.alias, **index_template(self.alias, self.analyzer, self.replicas))
        except ApiError as exc:
            # The analyzer complaint sits in the error's causes, not its headline.
            if exc.status_code == 400 and f"analyzer [{self.analyzer}]" in str(exc.body):
                raise IndexError_(
                    f"Elasticsearch at {self.url} has no analyzer {self.analyzer!r}; "
                    "set WASPADA_ES_ANALYZER=standard on servers without the analysis-common module") from None
            raise
        # Monthly indices created before a field was added to the template gain its mapping too
        # (additive only; documents indexed before keep the field unindexed until re-indexed).
        try:
            self.client.indices.put_mapping(index=f"{self.alias}-*", allow_no_indices=True,
                                            **{k: v for k, v in mappings(self.analyzer).items()
                                               if k in ("properties", "dynamic_templates")})
        except ApiError as exc:
            log.warning("could not extend the mapping of existing %s-* indices (%s); new fields stay "
                        "unsearchable there until the next month's index", self.alias, exc)
        self._ensured = True

    def monthly_index(self, moment: datetime) -> str:
        return f"{self.alias}-{moment:%Y.%m}"

    def _create_indices(self, names: set[str]) -> None:
        for name in sorted(names - self._indices):
            try:
                self.client.indices.create(index=name)
            except ApiError as exc:
                if "resource_already_exists_exception" not in str(exc):
                    raise
            self._indices.add(name)

    def _alias_indices(self) -> list[str]:
        """Concrete indices behind the alias, newest month first."""
        def behind_alias() -> list[str]:
            try:
                return list(self.client.indices.get_alias(name=self.alias).body)
            except NotFoundError:  # no month indexed yet
                return []
        found = self._read(behind_alias)
        self._indices.update(found)
        return sorted(found, reverse=True)

    # --- writes -------------------------------------------------------------------------------

    def upsert(self, docs: Iterable[dict[str, Any]]) -> BulkResult:
        result = BulkResult()
        batch: list[dict[str, Any]] = []
        # Batches bound memory and how much a retry re-sends; many chunks per batch keep the
        # bulk requests back to back.
        for doc in docs:
            batch.append(doc)
            if len(batch) >= self.chunk_size * 10:
                self._upsert_batch(batch, result)
                batch = []
        if batch:
            self._upsert_batch(batch, result)
        return result

    def _upsert_batch(self, docs: list[dict[str, Any]], result: BulkResult) -> None:
        pending: dict[str, dict[str, Any]] = {}
        for doc in docs:
            try:
                doc_id = doc_id_of(doc)
                index = self.monthly_index(timestamp_of(doc))
                pending[doc_id] = {"_op_type": "index", "_index": index, "_id": doc_id, "_source": with_derived(doc)}
            except (SchemaError, TypeError, ValueError) as exc:
                doc_id = (doc.get("waspada") or {}).get("id") if isinstance(doc, dict) else None
                result.failed.append((str(doc_id), str(exc)))
        self._with_retries(lambda: self._send(pending, result), lambda: f"{len(pending)} documents",
                           progress=lambda: len(pending))

    def _send(self, pending: dict[str, dict[str, Any]], result: BulkResult) -> None:
        if not self._ensured:
            self._put_template()
        self._create_indices({action["_index"] for action in pending.values()})
        transient = 0
        for ok, item in streaming_bulk(
                self.client, list(pending.values()), chunk_size=self.chunk_size, max_retries=5,
                initial_backoff=1, max_backoff=self.max_backoff, retry_on_status=_TRANSIENT,
                raise_on_error=False, raise_on_exception=True, yield_ok=True):
            info = next(iter(item.values()))
            doc_id = info.get("_id")
            if ok:
                pending.pop(doc_id, None)
                result.indexed += 1
            elif info.get("status") in _TRANSIENT:
                transient += 1  # stays pending for the next round
            else:
                pending.pop(doc_id, None)
                error = info.get("error")
                reason = f"{error.get('type')}: {error.get('reason')}" if isinstance(error, dict) else str(error)
                result.failed.append((str(doc_id), reason))
        if transient:
            raise _Retry(f"{transient} documents were rejected for load")

    def _with_retries(self, attempt, what, progress=lambda: 0) -> None:
        """Run ``attempt`` until it succeeds, backing off while the cluster is away or overloaded.
        The deadline counts from the last attempt that got something acknowledged, so a long
        batch through a busy-but-working cluster is not abandoned half way."""
        deadline = time.monotonic() + self.retry_seconds
        delay = 1.0
        while True:
            left_before = progress()
            try:
                attempt()
                return
            except (ConnectionError, ConnectionTimeout, _Retry) as exc:
                reason = str(exc)
            except ApiError as exc:
                if exc.status_code not in _TRANSIENT:
                    raise IndexError_(f"Elasticsearch at {self.url} refused the request: {exc}") from None
                reason = str(exc)
            if progress() < left_before:
                deadline, delay = time.monotonic() + self.retry_seconds, 1.0
            left = deadline - time.monotonic()
            if left <= 0:
                raise IndexError_(
                    f"Elasticsearch at {self.url} still unavailable after {self.retry_seconds:.0f}s "
                    f"({reason}); {what()} not acknowledged — they stay in the spool for the next run; "
                    "check the cluster or raise WASPADA_ES_RETRY_SECONDS")
            log.warning("elasticsearch unavailable (%s); retrying %s in %.0fs", reason, what(), min(delay, left))
            time.sleep(min(delay, left))
            delay = min(delay * 2, self.max_backoff)

    def update(self, doc_id: str, partial: dict[str, Any], refresh: bool = True) -> None:
        found = self._locate(doc_id)
        if found is None:
            raise KeyError(f"no document with id {doc_id!r} behind alias {self.alias!r}")
        index, source = found
        merged = with_derived(deep_merge(_public(source), partial))
        body = deep_merge(partial, {"waspada": {name: merged["waspada"][name] for name in DERIVED}})
        # wait_for: the analyst who just triaged sees the change in the next list they load. A batch
        # (engagement refresh) skips the wait per document and refreshes once at its end.
        self._with_retries(lambda: self.client.update(index=index, id=doc_id, doc=body,
                                                      refresh="wait_for" if refresh else False,
                                                      retry_on_conflict=3), lambda: f"update of {doc_id}")

    # --- reads --------------------------------------------------------------------------------

    def _locate(self, doc_id: str) -> tuple[str, dict[str, Any]] | None:
        """(concrete index, source) of ``doc_id``. A multi-get over the monthly indices is
        real-time: it sees a document before the index refreshes, unlike a search."""
        for attempt in range(2):
            indices = sorted(self._indices, reverse=True) if attempt == 0 else self._alias_indices()
            if not indices:
                continue
            docs = self._read(lambda: self.client.mget(
                docs=[{"_index": index, "_id": doc_id} for index in indices]))["docs"]
            for doc in docs:
                if doc.get("found"):
                    return doc["_index"], doc["_source"]
        return None

    def get(self, doc_id: str) -> dict[str, Any] | None:
        found = self._locate(doc_id)
        return _public(found[1]) if found else None

    def _query(self, query: SearchQuery) -> tuple[dict[str, Any], bool]:
        check_query(query)
        node = q.parse(query.text)
        filters: list[dict[str, Any]] = []
        for values, field in ((query.labels, "waspada.labels"), (query.sources, "waspada.source.id"),
                              (query.platforms, "waspada.source.platform"),
                              (query.regions, "waspada.relevance.regions"), (query.statuses, "waspada.triage.status"),
                              (query.assignees, "waspada.triage.assignee"), (query.clusters, "waspada.cluster"),
                              (query.claims, "waspada.claim_match.claim_id"),
                              (query.lookalikes, "waspada.threats.lookalike.domain"),
                              (query.cyber, "waspada.threats.cyber.kinds"),
                              (query.domains, "url.domain")):
            if values:
                filters.append({"terms": {field: list(values)}})
        if query.min_score is not None:
            filters.append({"bool": {"should": [{"range": {f"waspada.scores.{label}": {"gte": query.min_score}}}
                                                for label in score_labels(query)], "minimum_should_match": 1}})
        if query.max_score is not None:
            filters.extend({"range": {f"waspada.scores.{label}": {"lte": query.max_score}}} for label in score_labels(query))
        when: dict[str, str] = {}
        if query.date_from is not None:
            when["gte"] = utc(query.date_from).isoformat()
        if query.date_to is not None:
            when["lt"] = utc(query.date_to).isoformat()
        if when:
            filters.append({"range": {"@timestamp": when}})
        text = q.to_elasticsearch(node, _TEXT_FIELDS)
        return {"bool": {"must": [text], "filter": filters}}, q.positive_terms(node)

    def search(self, query: SearchQuery) -> SearchResult:
        es_query, has_text = self._query(query)
        tiebreak = [{"@timestamp": "desc"}, {"waspada.id": "asc"}]
        sort = {"relevance": [{"_score": "desc"}, *tiebreak], "time": tiebreak,
                "severity": [{"waspada.severity": {"order": "desc", "unmapped_type": "float"}}, *tiebreak]}[query.sort]
        highlight = {"encoder": "html", "pre_tags": ["<mark>"], "post_tags": ["</mark>"],
                     "fields": {"waspada.post.title": {"number_of_fragments": 0},
                                "text": {"fragment_size": 160, "number_of_fragments": 3}}} if has_text else None
        if query.after is not None and len(query.after) != len(sort):
            raise ValueError(f"cursor {list(query.after)!r} does not fit this sort ({len(sort)} values expected); "
                             "start again from the first page")
        paging = {"search_after": list(query.after)} if query.after is not None else {"from_": query.offset}
        resp = self._read(lambda: self.client.search(
            index=self.alias, query=es_query, sort=sort, size=query.size,
            track_total_hits=True, track_scores=True, highlight=highlight, **paging, **_MISSING_OK))
        hits = []
        for hit in resp["hits"]["hits"]:
            marks = hit.get("highlight", {})
            hits.append(Hit(id=hit["_id"], score=float(hit.get("_score") or 0.0), doc=_public(hit["_source"]),
                            highlights=[*marks.get("waspada.post.title", []), *marks.get("text", [])],
                            cursor=hit.get("sort")))
        return SearchResult(total=resp["hits"]["total"]["value"], hits=hits)

    def count(self, query: SearchQuery | None = None) -> int:
        es_query, _ = self._query(query or SearchQuery())
        return self._read(lambda: self.client.count(index=self.alias, query=es_query, **_MISSING_OK))["count"]

    def facets(self, field: str, query: SearchQuery | None = None, size: int = 20) -> dict[str, int]:
        check_facet_field(field)
        check_facet_size(size)
        es_query, _ = self._query(query or SearchQuery())
        resp = self._read(lambda: self.client.search(
            index=self.alias, query=es_query, size=0,
            aggs={"values": {"terms": {"field": field, "size": size,
                                       "order": [{"_count": "desc"}, {"_key": "asc"}]}}}, **_MISSING_OK))
        buckets = resp.get("aggregations", {}).get("values", {}).get("buckets", [])
        return {bucket["key"]: bucket["doc_count"] for bucket in buckets}

    def _read(self, call):
        """Reads fail fast (an analyst is waiting), with an error that says where to look."""
        try:
            return call()
        except (ConnectionError, ConnectionTimeout) as exc:
            raise IndexError_(f"Elasticsearch at {self.url} is unreachable ({exc}); check that it is running") from None
        except ApiError as exc:
            raise IndexError_(f"Elasticsearch at {self.url} refused a request on {self.alias!r}: {exc}") from None

    def refresh(self) -> None:
        self._read(lambda: self.client.indices.refresh(index=self.alias, **_MISSING_OK))

    def close(self) -> None:
        self.client.close()
