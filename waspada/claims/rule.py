"""How a match with a debunked claim changes a post's hoax score (documented in docs/claim_matching.md).

A post that repeats a claim fact-checkers already rated false is a hoax whatever its writing style,
so a match at or above the calibrated threshold flags it:

    hoax = max(model hoax score, T + (1 - T) * similarity)

where T is the model's hoax threshold. The result is at least T (so "hoax" is among the labels)
and grows with the similarity, so a close copy outranks a loose one in search and alerts. The
model's own score is kept beside the match (``waspada.claim_match.model_hoax``), and posts from
fact-check sources are never raised (they quote claims to debunk them).
"""
from __future__ import annotations

from typing import Any

from waspada.claims.matcher import Match


def raised_hoax_score(model_score: float, similarity: float, hoax_threshold: float) -> float:
    return max(float(model_score), hoax_threshold + (1.0 - hoax_threshold) * float(similarity))


def apply_match(prediction: dict[str, Any], match: Match, hoax_threshold: float) -> tuple[dict[str, Any], dict[str, Any]]:
    """(new prediction, the ``claim_match`` record for the document)."""
    scores = dict(prediction["scores"])
    model_score = float(scores.get("hoax", 0.0))
    scores["hoax"] = round(raised_hoax_score(model_score, match.similarity, hoax_threshold), 6)
    labels = list(prediction["labels"])
    if "hoax" not in labels:
        labels.append("hoax")
    record = match.as_dict() | {"model_hoax": round(model_score, 6)}
    return {**prediction, "scores": scores, "labels": labels}, record
