"""The shipped fast path: the cheap ensemble screens every post, the fine-tuned e5 decides.

The fine-tuned multilingual-e5 (models/e5_finetune.py) reads what is said about a group or a
person far better than the small from-scratch encoder and the n-gram model, but on two cores it
scores tens of posts a second, not hundreds. Almost every post of a real stream is neither hoax
nor provocation, and the fast ensemble (small encoder + n-gram, models/onnx_classifier.py) already
scores most of them low. So:

1. every post is scored by the fast ensemble;
2. a post goes on to e5 when any label's fast score reaches that label's *screen* threshold;
3. a post that goes on gets e5's scores (mixed with the fast ones by a weight chosen on the
   validation split, as the fast ensemble's own weight is), and the thresholds (calibrated on the cascade's own
   validation output for a real stream) decide; a post that does not keeps its fast scores, which
   are below the screen and therefore below every decision threshold (`choose_screen` keeps the
   screen at or under the threshold), so it is never flagged.

The screen thresholds are chosen on the validation split so the first stage passes on at least
`TARGET_RECALL` of the posts e5 would flag; the recall actually kept is measured again on the
held-out sets and on a real-stream sample, and written into the model card.
"""
from __future__ import annotations

from collections.abc import Callable

import numpy as np

#: Share of e5's flags (on validation) that the screen must pass on.
TARGET_RECALL = 0.995
#: The screen never sits below this: a floor keeps near-zero fast scores from all going to e5.
MIN_SCREEN = 0.01

ScoreFn = Callable[[list[str]], np.ndarray]


def choose_screen(fast: np.ndarray, full_flags: np.ndarray, labels: list[str],
                  target_recall: float = TARGET_RECALL) -> dict[str, float]:
    """Per label, the highest fast-score threshold that still passes `target_recall` of the posts
    the full model flags for that label (a post flagged for a label must reach that label's screen;
    passing on another label's screen only adds recall)."""
    screen = {}
    for j, name in enumerate(labels):
        flagged = np.sort(fast[full_flags[:, j], j])
        if flagged.size == 0:
            screen[name] = MIN_SCREEN
            continue
        # The k-th lowest flagged score, k = the misses allowed.
        allowed = int(np.floor((1.0 - target_recall) * flagged.size))
        screen[name] = float(max(MIN_SCREEN, flagged[allowed]))
    return screen


def screened(fast: np.ndarray, screen: dict[str, float], labels: list[str]) -> np.ndarray:
    """True where any label's fast score reaches its screen."""
    bars = np.array([screen[name] for name in labels], dtype=np.float32)
    return (fast >= bars).any(axis=1)


def cascade_scores(fast_fn: ScoreFn, full_fn: ScoreFn, screen: dict[str, float], labels: list[str],
                   texts: list[str], weight: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
    """(scores [n, labels], passed [n] bool): where the screen passed, `weight` x e5's score +
    (1 - weight) x the fast score; elsewhere the fast scores (all under their screens)."""
    fast = fast_fn(texts)
    passed = screened(fast, screen, labels)
    out = fast.copy()
    if passed.any():
        out[passed] = weight * full_fn([t for t, p in zip(texts, passed) if p]) + (1.0 - weight) * fast[passed]
    return out, passed


def cap_screen(screen: dict[str, float], thresholds: dict[str, float]) -> dict[str, float]:
    """A screen above a decision threshold could leave a post unflagged that the fast scores alone
    would flag: keep every screen at or under its threshold."""
    return {name: min(value, float(thresholds[name])) for name, value in screen.items()}


def screen_recall(fast: np.ndarray, full: np.ndarray, thresholds: dict[str, float], screen: dict[str, float],
                  labels: list[str]) -> dict:
    """On one set: how many of the full model's flags the screen passes on, and how many posts it
    sends to the full model at all (the throughput cost)."""
    bars = np.array([thresholds[name] for name in labels], dtype=np.float32)
    flags = full >= bars
    passed = screened(fast, screen, labels)
    out = {"n": int(len(fast)), "passed_share": round(float(passed.mean()), 4) if len(fast) else 0.0}
    for j, name in enumerate(labels):
        n = int(flags[:, j].sum())
        out[name] = {"full_flags": n, "recall": round(float(passed[flags[:, j]].mean()), 4) if n else None}
    any_flag = flags.any(axis=1)
    out["any_label_recall"] = round(float(passed[any_flag].mean()), 4) if any_flag.any() else None
    return out
