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
# Posts scored together by search_many: the batch's dense query block stays within a few MB.
SEARCH_BATCH = 64


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

    def similarities(self, parts: dict[str, np.ndarray]) -> np.ndarray:
        """`similarity` of many candidates at once; each part is an array over the candidates."""
        n = len(next(iter(parts.values()))) if parts else 0
        z = np.full(n, self.intercept, dtype=np.float64)
        for p, c in self.coef.items():
            if p in parts:
                z += c * parts[p]
        return 1.0 / (1.0 + np.exp(-np.clip(z, -60.0, 60.0)))


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


def _top_stable(scores: np.ndarray, k: int) -> np.ndarray:
    """The indices of `np.argsort(-scores, kind="stable")[:k]`, unordered, in linear time: the
    k highest scores, ties at the cut broken by the lower index."""
    if k >= len(scores):
        return np.arange(len(scores))
    if k <= 0:
        return np.arange(0)
    cut = np.partition(scores, len(scores) - k)[len(scores) - k]
    above = np.flatnonzero(scores > cut)
    return np.concatenate([above, np.flatnonzero(scores == cut)[: k - len(above)]])


class _TfIdf:
    """TF-IDF with document frequencies from the claims. The claims' vectors are one row-normalised
    sparse matrix (CSR arrays in numpy, no scipy: inference needs numpy only); the posts of a
    batch are weighted the same way (`vector`), in numpy, by `pair_scores`."""

    def __init__(self, docs: list[list[str]]):
        df = Counter()
        for d in docs:
            df.update(set(d))
        self.n = len(docs)
        self.idf = {t: math.log((1 + self.n) / (1 + c)) + 1.0 for t, c in df.items()}
        self.default_idf = math.log(1 + self.n) + 1.0  # a feature no claim has
        self.column = {t: j for j, t in enumerate(df)}
        self.idf_by_column = np.array([self.idf[t] for t in df], dtype=np.float64)
        vectors = [self.vector(d) for d in docs]
        self.indptr = np.cumsum([0] + [len(v) for v in vectors], dtype=np.int64)
        self.indices = np.fromiter((self.column[t] for v in vectors for t in v), dtype=np.int64, count=int(self.indptr[-1]))
        self.data = np.fromiter((x for v in vectors for x in v.values()), dtype=np.float64, count=int(self.indptr[-1]))

    def vector(self, features: list[str]) -> dict[str, float]:
        tf = Counter(features)
        v = {t: (1.0 + math.log(c)) * self.idf.get(t, self.default_idf) for t, c in tf.items()}
        norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
        return {t: x / norm for t, x in v.items()}

    def pair_scores(self, queries: list[list[str]], post: np.ndarray, claim: np.ndarray
                    ) -> tuple[np.ndarray, np.ndarray]:
        """(cosine, coverage) of each pair (the TF-IDF vector of the features queries[post[i]],
        claim vector claim[i]).

        Coverage is the share of the claim's TF-IDF mass that the post contains. Asymmetric on
        purpose: a long post that carries a short claim whole scores 1, where its cosine would be
        small."""
        dense, column_of = self._dense_queries(queries)
        lengths = self.indptr[claim + 1] - self.indptr[claim]
        # Every stored entry of every pair's claim row, laid out pair after pair.
        entry_pair = np.repeat(np.arange(len(claim), dtype=np.int64), lengths)
        offset = np.arange(len(entry_pair), dtype=np.int64) - (np.cumsum(lengths) - lengths)[entry_pair]
        position = self.indptr[claim][entry_pair] + offset
        x = self.data[position]
        # column_of is -1 for a feature no post in the batch has: the all-zero last column.
        q = dense[post[entry_pair], column_of[self.indices[position]]]
        cosine = np.bincount(entry_pair, weights=x * q, minlength=len(claim))
        coverage = np.bincount(entry_pair, weights=x * x * (q != 0), minlength=len(claim))
        return cosine, coverage

    def _dense_queries(self, queries: list[list[str]]) -> tuple[np.ndarray, np.ndarray]:
        """The batch's query vectors (`vector` of each post's features) as a dense (posts,
        features the batch shares with the claims + 1) matrix, and the map from a claim feature
        column to its column there (-1: the zero column)."""
        rows, columns, counts = [], [], []
        for r, features in enumerate(queries):
            tf = Counter(features)
            rows += [r] * len(tf)
            columns += [self.column.get(t, -1) for t in tf]
            counts += tf.values()
        rows, columns = np.array(rows, dtype=np.int64), np.array(columns, dtype=np.int64)
        # A feature no claim has still weighs in the post's norm, at the largest idf.
        idf = np.where(columns >= 0, self.idf_by_column[columns], self.default_idf)
        values = (1.0 + np.log(np.array(counts, dtype=np.float64))) * idf
        norms = np.sqrt(np.bincount(rows, weights=values * values, minlength=len(queries)))
        norms[norms == 0] = 1.0
        values /= norms[rows]
        known = columns >= 0  # only features a claim has add to a dot product
        used, local = np.unique(columns[known], return_inverse=True)
        column_of = np.full(len(self.column), -1, dtype=np.int64)
        column_of[used] = np.arange(len(used))
        dense = np.zeros((len(queries), len(used) + 1), dtype=np.float64)
        dense[rows[known], local.ravel()] = values[known]
        return dense, column_of


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
        return self.search_many([text], k, norms=None if norm is None else [norm],
                                vectors=None if vector is None else [vector])[0]

    def search_many(self, texts: list[str], k: int = 5, *, norms: list[str] | None = None,
                    vectors: list[np.ndarray | None] | None = None) -> list[list[Match]]:
        """`search` for each of `texts`, scored a batch of posts at a time: the same matches and
        similarities as one call per post, for a fraction of the time."""
        for name, given in (("norms", norms), ("vectors", vectors)):
            if given is not None and len(given) != len(texts):
                raise ValueError(f"search_many got {len(texts)} texts but {len(given)} {name}: pass one per text, or none")
        out: list[list[Match]] = []
        for start in range(0, len(texts), SEARCH_BATCH):
            stop = start + SEARCH_BATCH
            out += self._search_batch(texts[start:stop], k, None if norms is None else norms[start:stop],
                                      None if vectors is None else vectors[start:stop])
        return out

    def _search_batch(self, texts: list[str], k: int, norms: list[str] | None,
                      vectors: list[np.ndarray | None] | None) -> list[list[Match]]:
        results: list[list[Match]] = [[] for _ in texts]
        if not self.claims:
            return results
        norms = [normalised(t) for t in texts] if norms is None else norms
        q_words = [words(n) for n in norms]
        live = [i for i, w in enumerate(q_words) if w]  # a post with no words matches nothing
        if not live:
            return results
        bm25 = np.stack([self._bm25.scores(q_words[i]) for i in live])
        emb = self._embedding_scores([norms[i] for i in live], [None if vectors is None else vectors[i] for i in live])
        pools = [self._pool(bm25[r], None if emb is None else emb[r]) for r in range(len(live))]
        post = np.repeat(np.arange(len(live), dtype=np.int64), [len(p) for p in pools])
        claim = np.concatenate(pools)
        parts = self._parts([q_words[i] for i in live], bm25, emb, post, claim)
        similarity = self.weights.similarities(parts)
        ends = np.cumsum([len(p) for p in pools])
        for r, i in enumerate(live):
            rows = slice(ends[r] - len(pools[r]), ends[r])
            results[i] = self._top(claim[rows], similarity[rows], {p: v[rows] for p, v in parts.items()}, k)
        return results

    def _embedding_scores(self, norms: list[str], vectors: list[np.ndarray | None]) -> np.ndarray | None:
        """Cosine of each post's centred embedding to every claim's, (posts, claims), or None
        without an embedder."""
        if self._vectors is None:
            return None
        # One post per call, as `search` always did: the int8 encoder quantises a batch as a whole,
        # so a post's vector would shift with the posts embedded beside it.
        vectors = [self.embedder.embed_normalised([n])[0] if v is None else v for n, v in zip(norms, vectors)]
        # A matrix-vector product per post rather than one matrix product: BLAS may round two equal
        # claim rows differently inside a matrix product, and equal claims must tie (then rank by id).
        return np.stack([self._vectors @ self._centred(v[None, :])[0] for v in vectors])

    def _pool(self, bm25: np.ndarray, emb: np.ndarray | None) -> np.ndarray:
        """Candidate claims of one post: the BM25 top hits and the nearest in embedding space."""
        pool = _top_stable(bm25, self.candidates)
        return pool if emb is None else np.union1d(pool, _top_stable(emb, self.candidates))

    def _parts(self, q_words: list[list[str]], bm25: np.ndarray, emb: np.ndarray | None, post: np.ndarray,
               claim: np.ndarray) -> dict[str, np.ndarray]:
        """The similarity's signals for each (post, claim) pair, as arrays over the pairs."""
        words_cos, words_cover = self._word_tfidf.pair_scores(q_words, post, claim)
        chars_cos, chars_cover = self._char_tfidf.pair_scores([char_grams(w) for w in q_words], post, claim)
        hit = bm25[post, claim].astype(np.float64)
        best = bm25.max(axis=1).astype(np.float64)
        best[best == 0] = 1.0
        own = np.maximum(self._bm25.self_scores[claim].astype(np.float64), 1e-6)
        parts = {"words": words_cos, "chars": chars_cos, "words_cover": words_cover, "chars_cover": chars_cover,
                 # BM25 relative to the query's best hit: how far ahead of the rest this claim is.
                 "bm25_rel": hit / best[post],
                 # ... and relative to the claim's own words: how much of it the post says.
                 "bm25_self": np.minimum(1.5, hit / own)}
        if emb is not None:
            parts["embedding"] = emb[post, claim].astype(np.float64)
        return parts

    def _top(self, claim: np.ndarray, similarity: np.ndarray, parts: dict[str, np.ndarray], k: int) -> list[Match]:
        """The k best candidates, ordered by similarity, then claim id."""
        keep = np.arange(len(claim))
        if 0 < k < len(claim):
            cut = np.partition(similarity, len(claim) - k)[len(claim) - k]
            keep = np.flatnonzero(similarity >= cut)  # ties at the cut stay: the claim id decides
        sims = similarity.tolist()
        order = sorted(keep.tolist(), key=lambda j: (-sims[j], self.claims[claim[j]].id))[:k]
        return [Match(self.claims[claim[j]], sims[j], {p: float(v[j]) for p, v in parts.items()}) for j in order]

    def best_many(self, texts: list[str], **kwargs) -> list[Match | None]:
        """`best` for each of `texts`, scored together (`search_many`)."""
        return [top[0] if top and top[0].similarity >= self.weights.threshold else None
                for top in self.search_many(texts, k=1, **kwargs)]

    def best(self, text: str, **kwargs) -> Match | None:
        """The best claim if its similarity reaches the calibrated threshold, else None."""
        top = self.search(text, k=1, **kwargs)
        return top[0] if top and top[0].similarity >= self.weights.threshold else None
