"""How much of a page's stable text is still there, and what changed.

**Measure.** Word 3-shingles of the visible text (lower case, every token with a digit read as
``0``, so dates, times, view counters and visitor counts never count as change), hashed to
63-bit integers. The page's *stable region* is the set of shingles present at baseline and in
every good check since: a news list, a "latest" box or a rotating banner drops out of it the
first time it changes, the menus, headings, addresses and standing texts stay. A check scores
the share of the stable region still present (containment, |stable ∩ now| / |stable|).

Why this and not difflib's ratio or plain Jaccard: containment ignores what was *added*
(a longer news list, a new announcement), which is ordinary, and both injected markers and
redirects are judged separately; and learning the stable region means a page that changes its
news list every hour stays near 1.0 instead of sliding towards the threshold as the list turns
over. difflib's ratio is order-sensitive and quadratic on long pages; Jaccard against the
baseline falls with every added headline.

Defacement replaces the page, so the score falls to about 0; a news-list change on the bundled
test page scores about 0.6 on its first occurrence and about 1.0 afterwards (tests/threats).

**Also against the last good check** (`drift_score`). A page that is mostly a fast news list has
little standing text, so for a while after its baseline the stable region is mostly the
baseline's own headlines; as the last of them scroll off it drops to almost nothing and the score
collapses (measured: 0.14, about 9 false alerts a day on such a page at 0.5;
bench/bench_defacement_drift.py). A check therefore scores the larger of the stable-region
containment and the containment of the previous good check's shingles: a list that turns over a
few items per check stays well above the threshold, while a replacement, which differs from both,
still scores about 0. The price: a page changed a little at every check, never much at once,
is judged against its recent self; markers still catch a defacer's signature whatever the pace.
"""
from __future__ import annotations

import difflib
import hashlib
import re

SHINGLE_WORDS = 3
#: Below this many stable shingles containment is too coarse to judge a page by (see similarity()).
MIN_STABLE = 20
_TOKEN = re.compile(r"\w+")


def tokens(text: str) -> list[str]:
    return ["0" if any(c.isdigit() for c in t) else t for t in _TOKEN.findall(text.lower())]


def _hash(words: tuple[str, ...]) -> int:
    return int.from_bytes(hashlib.blake2b(" ".join(words).encode(), digest_size=8).digest(), "big") >> 1


def shingles(text: str) -> set[int]:
    words = tokens(text)
    if len(words) < SHINGLE_WORDS:
        return {_hash(tuple(words))} if words else set()
    return {_hash(tuple(words[i:i + SHINGLE_WORDS])) for i in range(len(words) - SHINGLE_WORDS + 1)}


def jaccard(a: set[int], b: set[int]) -> float:
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)


def similarity(stable: set[int], baseline: set[int], now: set[int]) -> float | None:
    """Share of the stable region still present in ``now``. None when there is too little stable
    text to judge drift by (markers and redirects are still judged): an app shell drawn by
    scripts, both at baseline and now; or a page whose stable region wore away because nearly
    all of it changes (re-baseline it, or give it its own drift_threshold). An app shell that
    suddenly serves text is scored by plain Jaccard against its baseline, so it is replaced."""
    if len(stable) >= MIN_STABLE:
        return len(stable & now) / len(stable)
    if len(baseline) >= MIN_STABLE or len(now) < MIN_STABLE:
        return None
    return jaccard(baseline, now)


def drift_score(stable: set[int], baseline: set[int], recent: set[int] | None, now: set[int]) -> float | None:
    """The check's score: the larger of ``similarity()`` to the stable region and the share of the
    last good check's shingles (``recent``) still present; None when neither can be judged."""
    scores = [similarity(stable, baseline, now)]
    if recent is not None and len(recent) >= MIN_STABLE:
        scores.append(len(recent & now) / len(recent))
    judged = [s for s in scores if s is not None]
    return max(judged) if judged else None


def diff_excerpt(before: str, after: str, max_lines: int = 80, max_chars: int = 6000) -> str:
    """A unified diff of the visible text, lines only, cut to a readable size."""
    lines = list(difflib.unified_diff(before.splitlines(), after.splitlines(), "sebelum", "sesudah",
                                      n=1, lineterm=""))
    excerpt, size = [], 0
    for line in lines[:max_lines]:
        line = line[:300]
        if size + len(line) > max_chars:
            break
        excerpt.append(line)
        size += len(line) + 1
    if len(excerpt) < len(lines):
        excerpt.append(f"... ({len(lines) - len(excerpt)} baris lagi)")
    return "\n".join(excerpt)
