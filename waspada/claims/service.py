"""The pipeline's side of claim matching: learn claims from fact-check posts, check other posts."""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from waspada import config
from waspada.claims.extract import Claim, claim_from_factcheck
from waspada.claims.matcher import ClaimMatcher, Match, Weights
from waspada.claims.store import ClaimStore

log = logging.getLogger(__name__)


class ClaimChecker:
    def __init__(self, store: ClaimStore, weights: Weights, embedder=None):
        self.store, self.weights = store, weights
        self.embedder = embedder if weights.uses_embedding else None  # unused signal: skip its cost
        model_id = getattr(self.embedder, "model_id", "")
        self.matcher = ClaimMatcher(store.all(), embedder=self.embedder, weights=weights,
                                    vector_cache=store.vectors(model_id) if self.embedder else None)
        self._save_vectors()
        self._pending: list[Claim] = []

    @classmethod
    def from_settings(cls, classifier=None) -> "ClaimChecker | None":
        if not config.get("CLAIM_MATCHING"):
            return None
        weights = Weights.calibrated()
        threshold = config.get("CLAIM_MATCH_THRESHOLD")
        if threshold is not None:
            weights.threshold = threshold
        embedder = classifier if getattr(classifier, "has_embedding", False) else None
        return cls(ClaimStore(config.get("CLAIMS_DB")), weights, embedder)

    def _save_vectors(self) -> None:
        if self.embedder is not None:
            self.store.save_vectors(self.embedder.model_id, self.matcher.new_vectors())

    def learn(self, doc_id: str, record: dict[str, Any]) -> Claim | None:
        """Queue the claim a fact-check record debunks; `flush` adds the queue to the matcher."""
        claim = claim_from_factcheck(doc_id, record)
        if claim is not None:
            self._pending.append(claim)
        return claim

    def flush(self) -> int:
        """Store and index the queued claims (one rebuild per spool file, not per claim)."""
        if not self._pending:
            return 0
        pending, self._pending = self._pending, []
        self.store.add(pending)
        self.matcher.add(pending)
        self._save_vectors()
        return len(pending)

    def check(self, text: str, *, norm: str | None = None) -> Match | None:
        """The debunked claim ``text`` repeats, or None; ``norm``: the text already normalised."""
        return self.matcher.best(text, norm=norm)

    def check_many(self, texts: list[str], *, norms: list[str] | None = None) -> list[Match | None]:
        """`check` for each of ``texts``, scored together: one call per spool file, not per post."""
        return self.matcher.best_many(texts, norms=norms)

    def close(self) -> None:
        self.store.close()
