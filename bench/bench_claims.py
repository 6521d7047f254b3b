"""Claim-matching benchmark: posts matched per second against a claims index of real size.

    .venv/bin/python bench/bench_claims.py                 # every fact-check title in the shared datasets
    .venv/bin/python bench/bench_claims.py --posts 2000

The index is every distinct fact-check title of the shared TurnBackHoax and Mafindo sets (about
8,600 claims, what a year of fact-check crawling gathers); the posts are their circulating texts
and ordinary 2024 election tweets, as the pipeline would see them. Prints the index build time,
posts/s and p50/p95 per post, and the peak memory of the process.
"""
from __future__ import annotations

import argparse
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
from waspada.claims.matcher import ClaimMatcher, Weights  # noqa: E402


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--posts", type=int, default=3000, help="posts to match (default 3000)")
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
    return 0


if __name__ == "__main__":
    sys.exit(main())
