"""Claim-matching benchmark: posts matched per second against a claims index of real size.

    .venv/bin/python bench/bench_claims.py                 # every fact-check title in the shared datasets
    .venv/bin/python bench/bench_claims.py --posts 2000

The index is every distinct fact-check title of the shared TurnBackHoax and Mafindo sets (about
8,600 claims, what a year of fact-check crawling gathers); the posts are their circulating texts
and ordinary 2024 election tweets, as the pipeline would see them. Prints the index build time,
posts/s and p50/p95 per post, and the peak memory of the process; then, on the first --compare
posts, the rate of the per-candidate Python scoring the matcher used before #17 (kept below as
`old_best`), of today's `best` one post at a time, and of `best_many` over the whole list, with
the ratios and whether all three chose the same claims.
"""
from __future__ import annotations

import argparse
import math
import random
import resource
import statistics
import sys
import time
from pathlib import Path

# The repository first: tests/models/ would otherwise shadow the models package.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from models.settings import datasets_dir  # noqa: E402
from waspada.claims.evaluate import load_factchecks, load_negatives  # noqa: E402
from waspada.claims.extract import Claim  # noqa: E402
from waspada.claims.matcher import ClaimMatcher, Match, Weights, char_grams, normalised, words  # noqa: E402

import numpy as np  # noqa: E402


class OldScoring:
    """The matcher's scoring before #17: a Python dict per TF-IDF vector, cosine and coverage
    summed per candidate. The same as the reference in tests/claims/test_claim_matcher_batch.py."""

    def __init__(self, matcher: ClaimMatcher):
        self.m = matcher
        self.word_vectors = [matcher._word_tfidf.vector(w) for w in matcher._words]
        self.char_vectors = [matcher._char_tfidf.vector(char_grams(w)) for w in matcher._words]

    @staticmethod
    def cosine(a: dict, b: dict) -> float:
        if len(a) > len(b):
            a, b = b, a
        return sum(x * b.get(t, 0.0) for t, x in a.items())

    @staticmethod
    def coverage(query: dict, claim: dict) -> float:
        return sum(x * x for t, x in claim.items() if t in query)

    def search(self, text: str, k: int) -> list[Match]:
        m = self.m
        q_words = words(normalised(text))
        if not m.claims or not q_words:
            return []
        bm25 = m._bm25.scores(q_words)
        pool = set(np.argsort(-bm25, kind="stable")[: m.candidates].tolist())
        q_word_vec = m._word_tfidf.vector(q_words)
        q_char_vec = m._char_tfidf.vector(char_grams(q_words))
        best_bm25 = float(bm25.max()) or 1.0
        out = []
        for i in pool:
            wv, cv = self.word_vectors[i], self.char_vectors[i]
            parts = {"words": self.cosine(q_word_vec, wv), "chars": self.cosine(q_char_vec, cv),
                     "words_cover": self.coverage(q_word_vec, wv), "chars_cover": self.coverage(q_char_vec, cv),
                     "bm25_rel": float(bm25[i]) / best_bm25,
                     "bm25_self": min(1.5, float(bm25[i]) / max(float(m._bm25.self_scores[i]), 1e-6))}
            out.append(Match(m.claims[i], m.weights.similarity(parts), parts))
        out.sort(key=lambda x: (-x.similarity, x.claim.id))
        return out[:k]

    def best(self, text: str) -> Match | None:
        top = self.search(text, 1)
        return top[0] if top and top[0].similarity >= self.m.weights.threshold else None


def compare(matcher: ClaimMatcher, posts: list[str]) -> None:
    """Old and new scoring on the same posts, in this process: rates, ratios, agreement."""
    old = OldScoring(matcher)
    timed = {}
    for name, run in (("old: per-candidate Python, one post at a time", lambda: [old.best(p) for p in posts]),
                      ("new: numpy, one post at a time (best)", lambda: [matcher.best(p) for p in posts]),
                      ("new: numpy, whole list (best_many)", lambda: matcher.best_many(posts))):
        started = time.perf_counter()
        result = run()
        timed[name] = (len(posts) / (time.perf_counter() - started), result)
    base_rate, base = next(iter(timed.values()))
    print(f"old and new scoring on the same {len(posts):,} posts:")
    for name, (rate, result) in timed.items():
        same = all((a is None) == (b is None) and (a is None or (a.claim.id == b.claim.id and math.isclose(
            a.similarity, b.similarity, abs_tol=1e-6))) for a, b in zip(result, base))
        print(f"  {name:<48} {rate:8,.0f} posts/s  {rate / base_rate:6.2f}x  same matches as old: {same}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--posts", type=int, default=3000, help="posts to match (default 3000)")
    parser.add_argument("--compare", type=int, default=1000,
                        help="posts to score with the old and the new scoring side by side (default 1000; 0: skip)")
    args = parser.parse_args(argv)
    root = datasets_dir()
    rows = load_factchecks(root)
    claims = {}
    for i, (source, title, _, date) in enumerate(rows):
        claims.setdefault(title.strip().lower(), Claim(f"c{i}", "", source, title, "SALAH", "", "", date))
    posts = [r[2] for r in rows] + load_negatives(root)
    random.Random(13).shuffle(posts)
    posts = posts[: args.posts]

    started = time.perf_counter()
    matcher = ClaimMatcher(list(claims.values()), weights=Weights.calibrated())
    build_s = time.perf_counter() - started
    times, matched = [], 0
    for post in posts:
        t = time.perf_counter()
        matched += matcher.best(post) is not None
        times.append(time.perf_counter() - t)
    total = sum(times)
    q = statistics.quantiles(times, n=20)
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"claims index: {len(matcher):,} claims built in {build_s:.1f} s")
    print(f"matched {len(posts):,} posts: {len(posts) / total:,.0f} posts/s, p50 {statistics.median(times) * 1000:.1f} ms, "
          f"p95 {q[18] * 1000:.1f} ms; {matched:,} at or above the threshold")
    print(f"peak RSS {peak_mib:,.0f} MiB")
    if args.compare:
        compare(matcher, posts[: args.compare])
    return 0


if __name__ == "__main__":
    sys.exit(main())
