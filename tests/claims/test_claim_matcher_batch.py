"""The numpy matcher (`search`, `search_many`) against the per-candidate Python scoring it replaced,
kept here as the reference: same claims in the same order, same similarities and signals."""
import math
import random
import zlib

import numpy as np
import pytest

from waspada.claims.extract import Claim
from waspada.claims.matcher import ClaimMatcher, Match, Weights, _top_stable, char_grams, normalised, words

pytest.importorskip("models")

VOCAB = ("kpu bawaslu surat suara dicoblos paslon pemilu curang server diretas hacker tiongkok video "
         "kerusuhan kantor vaksin chip bantuan sosial link pendaftaran hasil diubah presiden partai "
         "oposisi ditangkap kotak kardus dibobol petugas kpps meninggal diracun gempa jakarta").split()
SLANG = ["gak", "udah", "bgt", "wkwk", "sblm", "yg", "dgn", "viral!!!", "sebarkan", "😀", "https://t.co/x", "@akun"]


def _claims(rng: random.Random, n: int) -> list[Claim]:
    claims = [Claim(f"r{i}", "", "cekfakta", " ".join(rng.choice(VOCAB) for _ in range(rng.randint(2, 12))),
                    "SALAH", "", "", "2024-01-01") for i in range(n)]
    # Duplicated texts under other ids: equal similarities, ordered by claim id.
    return claims + [Claim(f"dup{i}", "", "cekfakta", claims[i].title, "SALAH", "", "", "") for i in range(5)]


def _posts(rng: random.Random, claims: list[Claim], n: int) -> list[str]:
    posts = ["", " ", "a", "😀😀", "https://x.test/a @akun", "ご飯 пропаганда مرحبا", "x" * 5_000,
             " ".join(rng.choice(VOCAB) for _ in range(2_000))]
    for _ in range(n):
        title = rng.choice(claims).title.split()
        rng.shuffle(title)
        kept = [w[: rng.randint(1, len(w))] if rng.random() < 0.1 else w for w in title if rng.random() < 0.8]
        posts.append(" ".join(kept + [rng.choice(SLANG + VOCAB) for _ in range(rng.randint(0, 8))]).upper()
                     if rng.random() < 0.1 else " ".join(kept + [rng.choice(SLANG + VOCAB) for _ in range(rng.randint(0, 8))]))
    return posts


class HashEmbedder:
    """Deterministic stand-in for the encoder: a pseudo-random vector per text."""
    model_id = "hash-embedder"

    def embed_normalised(self, normalised: list[str], batch_size: int = 32) -> np.ndarray:
        return np.stack([np.random.default_rng(zlib.crc32(t.encode())).standard_normal(24).astype(np.float32)
                         for t in normalised])


# --- the reference: the matcher's scoring before it moved to numpy ---

def _cosine(a: dict, b: dict) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(x * b.get(t, 0.0) for t, x in a.items())


def _coverage(query: dict, claim: dict) -> float:
    return sum(x * x for t, x in claim.items() if t in query)


def reference_search(m: ClaimMatcher, text: str, k: int = 5, norm=None, vector=None) -> list[Match]:
    if not m.claims:
        return []
    norm = normalised(text) if norm is None else norm
    q_words = words(norm)
    if not q_words:
        return []
    word_vectors = [m._word_tfidf.vector(w) for w in m._words]
    char_vectors = [m._char_tfidf.vector(char_grams(w)) for w in m._words]
    bm25 = m._bm25.scores(q_words)
    pool = set(np.argsort(-bm25, kind="stable")[: m.candidates].tolist())
    emb = None
    if m._vectors is not None:
        if vector is None:
            vector = m.embedder.embed_normalised([norm])[0]
        emb = m._vectors @ m._centred(vector[None, :])[0]
        pool |= set(np.argsort(-emb, kind="stable")[: m.candidates].tolist())
    q_word_vec = m._word_tfidf.vector(q_words)
    q_char_vec = m._char_tfidf.vector(char_grams(q_words))
    best_bm25 = float(bm25.max()) or 1.0
    out = []
    for i in pool:
        wv, cv = word_vectors[i], char_vectors[i]
        parts = {"words": _cosine(q_word_vec, wv), "chars": _cosine(q_char_vec, cv),
                 "words_cover": _coverage(q_word_vec, wv), "chars_cover": _coverage(q_char_vec, cv),
                 "bm25_rel": float(bm25[i]) / best_bm25,
                 "bm25_self": min(1.5, float(bm25[i]) / max(float(m._bm25.self_scores[i]), 1e-6))}
        if emb is not None:
            parts["embedding"] = float(emb[i])
        out.append(Match(m.claims[i], m.weights.similarity(parts), parts))
    out.sort(key=lambda x: (-x.similarity, x.claim.id))
    return out[:k]


def _assert_same(got: list[Match], want: list[Match], post: str) -> None:
    assert [x.claim.id for x in got] == [x.claim.id for x in want], post
    for g, w in zip(got, want):
        assert math.isclose(g.similarity, w.similarity, rel_tol=0, abs_tol=1e-6), post
        assert list(g.parts) == list(w.parts), post
        for name in w.parts:
            assert math.isclose(g.parts[name], w.parts[name], rel_tol=0, abs_tol=1e-6), (post, name)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_search_finds_what_the_per_candidate_scoring_found(seed):
    rng = random.Random(seed)
    claims = _claims(rng, 300)
    m = ClaimMatcher(claims, weights=Weights.calibrated(), candidates=rng.choice([5, 50, 400]))
    posts = _posts(rng, claims, 120)
    k = rng.choice([1, 5, 10_000])
    batched = m.search_many(posts, k=k)
    for post, got in zip(posts, batched):
        want = reference_search(m, post, k=k)
        _assert_same(got, want, post)
        _assert_same(m.search(post, k=k), want, post)
    assert [b is not None and b.claim.id for b in m.best_many(posts)] == \
           [b is not None and b.claim.id for b in map(m.best, posts)]


def test_with_an_embedder_the_nearest_claims_join_the_candidates():
    rng = random.Random(7)
    claims = _claims(rng, 200)
    weights = Weights(coef={**Weights().coef, "embedding": 2.0})
    m = ClaimMatcher(claims, embedder=HashEmbedder(), weights=weights, candidates=10)
    posts = _posts(rng, claims, 60)
    for post, got in zip(posts, m.search_many(posts, k=20)):
        want = reference_search(m, post, k=20)
        assert "embedding" in want[0].parts if want else True
        _assert_same(got, want, post)
    norms = [normalised(p) for p in posts]
    vectors = [None if i % 2 else v for i, v in enumerate(HashEmbedder().embed_normalised(norms))]
    for post, norm, vector, got in zip(posts, norms, vectors, m.search_many(["?"] * len(posts), k=3, norms=norms,
                                                                              vectors=vectors)):
        _assert_same(got, reference_search(m, "?", k=3, norm=norm, vector=vector), post)


def test_search_many_rejects_norms_that_do_not_pair_with_the_texts():
    m = ClaimMatcher(_claims(random.Random(1), 10), weights=Weights.calibrated())
    with pytest.raises(ValueError, match="2 texts but 1 norms"):
        m.search_many(["a", "b"], norms=["a"])
    assert m.search_many([]) == [] and ClaimMatcher([], weights=Weights.calibrated()).search_many(["kpu"]) == [[]]


@pytest.mark.parametrize("k", [0, 1, 3, 50, 200])
def test_top_candidates_break_ties_as_a_stable_sort_does(k):
    rng = np.random.default_rng(k)
    for scores in (rng.integers(0, 4, 120).astype(np.float32), np.zeros(120, np.float32), rng.random(120)):
        assert sorted(_top_stable(scores, k).tolist()) == sorted(np.argsort(-scores, kind="stable")[:k].tolist())
