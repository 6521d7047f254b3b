"""Match a post against the debunked claims: lexical candidates, then one calibrated similarity.

Candidates are the union of the BM25 top hits and, with an embedder, the nearest claims in the
encoder's sentence space (paraphrases that share few words). Each candidate gets three cosines:
- words:      TF-IDF over normalised words (slang already mapped to formal words),
- characters: TF-IDF over character 3-5-grams inside words, robust to misspellings, affixes and
              a post cut off mid-word,
- embedding:  the classifier encoder's pooled vector, centred on the claims' mean (raw vectors of
              a classifier all point one way) and re-normalised.
The similarity is a logistic regression over these signals (plus BM25 relative to the query's
best hit); its coefficients and the threshold come from `calibration.json`, fitted by
`python -m waspada.claims.evaluate` on validation pairs (docs/claim_matching.md).
"""
from __future__ import annotations

import dataclasses
import json
import math
import re
from collections import Counter
from pathlib import Path
from typing import Protocol

import numpy as np

from waspada.claims.extract import Claim

CALIBRATION_PATH = Path(__file__).with_name("calibration.json")
_WORD = re.compile(r"[a-z0-9]+")
_MASKS = {"url", "user", "httpurl"}


class Embedder(Protocol):
    model_id: str

    def embed_normalised(self, normalised: list[str], batch_size: int = 32) -> np.ndarray: ...


PARTS = ("words", "chars", "words_cover", "chars_cover", "bm25_rel", "bm25_self", "embedding")


@dataclasses.dataclass
class Weights:
    """similarity = sigmoid(intercept + sum(coef[part] * part)): a logistic regression over the
    signals, fitted on validation pairs, so the similarity ranks candidates and reads as the
    chance that the post repeats the claim. The defaults are hand-set for tests and demos only."""

    coef: dict[str, float] = dataclasses.field(default_factory=lambda: {
        "words": 3.0, "chars": 3.0, "words_cover": 2.0, "chars_cover": 3.0, "bm25_rel": 1.0})
    intercept: float = -6.0
    threshold: float = 0.5

    @classmethod
    def calibrated(cls, path: Path = CALIBRATION_PATH) -> "Weights":
        if not path.is_file():
            raise FileNotFoundError(f"{path} is missing: run `python -m waspada.claims.evaluate --write` to calibrate claim matching")
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(coef=dict(data["coef"]), intercept=float(data["intercept"]), threshold=float(data["threshold"]))

    @property
    def uses_embedding(self) -> bool:
        return abs(self.coef.get("embedding", 0.0)) > 0

    def similarity(self, parts: dict[str, float]) -> float:
        z = self.intercept + sum(c * parts.get(p, 0.0) for p, c in self.coef.items())
        return 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, z))))


@dataclasses.dataclass
class Match:
    claim: Claim
    similarity: float
    parts: dict[str, float]

    def as_dict(self) -> dict:
        c = self.claim
        return {"claim_id": c.id, "title": c.title, "verdict": c.verdict, "url": c.url, "published": c.published,
                "source_id": c.source_id, "similarity": round(self.similarity, 4),
                "parts": {k: round(v, 4) for k, v in self.parts.items()}}


def normalised(text: str) -> str:
    from models.normalise import normalise  # lazily, as the pipeline does

    return normalise(text)


def words(norm: str) -> list[str]:
    return [w for w in _WORD.findall(norm) if len(w) > 1 and w not in _MASKS]


def char_grams(tokens: list[str]) -> list[str]:
    grams = []
    for w in tokens:
        padded = f" {w} "
        for n in (3, 4, 5):
            grams += [padded[i : i + n] for i in range(max(1, len(padded) - n + 1))]
    return grams


class _TfIdf:
    """Sparse TF-IDF vectors (dicts) with document frequencies from the claims."""

    def __init__(self, docs: list[list[str]]):
        df = Counter()
        for d in docs:
            df.update(set(d))
        self.n = len(docs)
        self.idf = {t: math.log((1 + self.n) / (1 + c)) + 1.0 for t, c in df.items()}
        self.default_idf = math.log(1 + self.n) + 1.0  # a feature no claim has
        self.vectors = [self.vector(d) for d in docs]

    def vector(self, features: list[str]) -> dict[str, float]:
        tf = Counter(features)
        v = {t: (1.0 + math.log(c)) * self.idf.get(t, self.default_idf) for t, c in tf.items()}
        norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
        return {t: x / norm for t, x in v.items()}

    @staticmethod
    def cosine(a: dict[str, float], b: dict[str, float]) -> float:
        if len(a) > len(b):
            a, b = b, a
        return sum(x * b.get(t, 0.0) for t, x in a.items())

    @staticmethod
    def coverage(query: dict[str, float], claim: dict[str, float]) -> float:
        """Share of the claim's TF-IDF mass that the post contains. Asymmetric on purpose: a long
        post that carries a short claim whole scores 1, where its cosine would be small."""
        return sum(x * x for t, x in claim.items() if t in query)


class _Bm25:
    """Okapi BM25 (k1=1.2, b=0.75) with postings held as numpy arrays per term."""

    def __init__(self, docs: list[list[str]], k1: float = 1.2, b: float = 0.75):
        lengths = np.array([len(d) for d in docs], dtype=np.float32)
        avg = float(lengths.mean()) if len(docs) else 1.0
        postings: dict[str, list[tuple[int, int]]] = {}
        for i, d in enumerate(docs):
            for t, c in Counter(d).items():
                postings.setdefault(t, []).append((i, c))
        self.n = len(docs)
        self.postings = {}
        #: Each document's score against its own words: the most a post can reach on it.
        self.self_scores = np.zeros(self.n, dtype=np.float32)
        for t, plist in postings.items():
            idx = np.array([p[0] for p in plist], dtype=np.int32)
            tf = np.array([p[1] for p in plist], dtype=np.float32)
            idf = math.log(1 + (self.n - len(plist) + 0.5) / (len(plist) + 0.5))
            self.postings[t] = (idx, idf * tf * (k1 + 1) / (tf + k1 * (1 - b + b * lengths[idx] / avg)))
            self.self_scores[idx] += self.postings[t][1]

    def scores(self, query: list[str]) -> np.ndarray:
        out = np.zeros(self.n, dtype=np.float32)
        for t in set(query):
            if t in self.postings:
                idx, w = self.postings[t]
                out[idx] += w
        return out


class ClaimMatcher:
    def __init__(self, claims: list[Claim], embedder: Embedder | None = None, weights: Weights | None = None,
                 candidates: int = 50, vector_cache: dict[str, np.ndarray] | None = None):
        self.embedder = embedder
        self.weights = weights or Weights.calibrated()
        self.candidates = candidates
        self.claims: list[Claim] = []
        self._vector_cache = dict(vector_cache or {})
        self.add(claims)

    def add(self, claims: list[Claim]) -> None:
        """Add or replace claims (by id) and rebuild the lexical indexes (thousands of claims: ~1 s)."""
        by_id = {c.id: c for c in self.claims}
        for c in claims:
            if c.id in by_id and (by_id[c.id].title, by_id[c.id].claim) != (c.title, c.claim):
                self._vector_cache.pop(c.id, None)
            by_id[c.id] = c
        self.claims = list(by_id.values())
        norms = [normalised(c.match_text) for c in self.claims]
        self._words = [words(n) for n in norms]
        self._bm25 = _Bm25(self._words)
        self._word_tfidf = _TfIdf(self._words)
        self._char_tfidf = _TfIdf([char_grams(w) for w in self._words])
        self._vectors = None
        if self.embedder is not None and self.claims:
            missing = [i for i, c in enumerate(self.claims) if c.id not in self._vector_cache]
            if missing:
                fresh = self.embedder.embed_normalised([norms[i] for i in missing])
                for i, v in zip(missing, fresh):
                    self._vector_cache[self.claims[i].id] = v
            raw = np.stack([self._vector_cache[c.id] for c in self.claims])
            self._centre = raw.mean(axis=0)
            self._vectors = self._centred(raw)

    def new_vectors(self) -> dict[str, np.ndarray]:
        """Vectors computed by this matcher, to cache in the store."""
        return dict(self._vector_cache)

    def _centred(self, raw: np.ndarray) -> np.ndarray:
        v = raw - self._centre
        return v / np.maximum(np.linalg.norm(v, axis=-1, keepdims=True), 1e-9)

    def __len__(self) -> int:
        return len(self.claims)

    def bm25(self, text: str, k: int = 5) -> list[tuple[Claim, float]]:
        """Plain BM25: the baseline the matcher is measured against."""
        if not self.claims:
            return []
        scores = self._bm25.scores(words(normalised(text)))
        top = np.argsort(-scores, kind="stable")[:k]
        return [(self.claims[i], float(scores[i])) for i in top if scores[i] > 0]

    def search(self, text: str, k: int = 5, *, norm: str | None = None, vector: np.ndarray | None = None) -> list[Match]:
        """The k most similar claims, best first."""
        if not self.claims:
            return []
        norm = normalised(text) if norm is None else norm
        q_words = words(norm)
        if not q_words:
            return []
        bm25 = self._bm25.scores(q_words)
        pool = set(np.argsort(-bm25, kind="stable")[: self.candidates].tolist())
        emb = None
        if self._vectors is not None:
            if vector is None:
                vector = self.embedder.embed_normalised([norm])[0]
            emb = self._vectors @ self._centred(vector[None, :])[0]
            pool |= set(np.argsort(-emb, kind="stable")[: self.candidates].tolist())
        q_word_vec = self._word_tfidf.vector(q_words)
        q_char_vec = self._char_tfidf.vector(char_grams(q_words))
        best_bm25 = float(bm25.max()) or 1.0
        out = []
        for i in pool:
            wv, cv = self._word_tfidf.vectors[i], self._char_tfidf.vectors[i]
            parts = {"words": _TfIdf.cosine(q_word_vec, wv), "chars": _TfIdf.cosine(q_char_vec, cv),
                     "words_cover": _TfIdf.coverage(q_word_vec, wv), "chars_cover": _TfIdf.coverage(q_char_vec, cv),
                     # BM25 relative to the query's best hit: how far ahead of the rest this claim is.
                     "bm25_rel": float(bm25[i]) / best_bm25,
                     # ... and relative to the claim's own words: how much of it the post says.
                     "bm25_self": min(1.5, float(bm25[i]) / max(float(self._bm25.self_scores[i]), 1e-6))}
            if emb is not None:
                parts["embedding"] = float(emb[i])
            out.append(Match(self.claims[i], self.weights.similarity(parts), parts))
        out.sort(key=lambda m: (-m.similarity, m.claim.id))
        return out[:k]

    def best(self, text: str, **kwargs) -> Match | None:
        """The best claim if its similarity reaches the calibrated threshold, else None."""
        top = self.search(text, k=1, **kwargs)
        return top[0] if top and top[0].similarity >= self.weights.threshold else None
