"""Why did the model score a post this way? Word occlusion against the shipped model.

For each distinct word of the (normalised) text, the post is scored again without that word;
the drop in a label's score, measured on the logit (log-odds) scale, is that word's contribution.
On the probability scale a post scored 0.99 showed -0.00 for almost every word: the sigmoid is
saturated there, so removing a strong word moves 0.995 to 0.990. On the logit scale the same
change is 0.7, and words compare across posts scored 0.6 and 0.999 alike. It is model-agnostic (the same for the
ensemble, the ONNX encoder alone or a Hugging Face checkpoint: only ``predict`` is used), it
explains the very scores analysts see, and it costs one batched forward pass per distinct word,
so it runs on demand for one item page, not for every indexed post.

    >>> from models.explain import explain
    >>> explain(models.load(), "KPU curang, surat suara sudah dicoblos!")["hoax"][:2]
    [("dicoblos", 1.9), ("curang", 0.8)]
"""
from __future__ import annotations

import math

from models.normalise import normalise

#: Words beyond this many are not tried (the encoder reads ~128 tokens anyway).
MAX_WORDS = 120
#: Placeholders that normalisation puts in; removing them says nothing a person can act on.
_PLACEHOLDERS = {"url", "user", "rt"}
#: Probabilities are clipped this far from 0 and 1 before the logit, so a score of exactly 0 or 1
#: (an empty text, float rounding) gives a finite contribution.
_EPS = 1e-6


def logit(p: float) -> float:
    p = min(max(p, _EPS), 1 - _EPS)
    return math.log(p / (1 - p))


def _scores(classifier, normalised: list[str], batch_size: int) -> list[dict[str, float]]:
    """Scores of already-normalised texts: normalising twice is not always a no-op (slang
    expansions), so the ONNX classifier is asked directly; other classifiers through predict."""
    if hasattr(classifier, "scores_normalised"):
        rows = classifier.scores_normalised(normalised, batch_size)
        return [{name: float(row[j]) for j, name in enumerate(classifier.labels)} for row in rows]
    return [r["scores"] for r in classifier.predict(normalised, batch_size=batch_size)]


def explain(classifier, text: str, top: int = 8, batch_size: int = 32) -> dict[str, list[tuple[str, float]]]:
    """Per label, the words whose removal lowers the score most: [(word, logit drop)], largest
    first, only words that lower it. Empty lists for an empty text."""
    words = normalise(text).split()
    if not words:
        return {label: [] for label in classifier.predict(["-"])[0]["scores"]}
    candidates = list(dict.fromkeys(w for w in words[:MAX_WORDS] if w not in _PLACEHOLDERS and any(c.isalnum() for c in w)))
    variants = [" ".join(w for w in words if w != word) for word in candidates]
    results = _scores(classifier, [" ".join(words), *variants], batch_size)
    base, rest = results[0], results[1:]
    out = {}
    for label in base:
        drops = [(word, round(logit(base[label]) - logit(r[label]), 3)) for word, r in zip(candidates, rest)]
        out[label] = sorted((d for d in drops if d[1] > 0), key=lambda d: -d[1])[:top]
    return out
