"""Threshold calibration and the metrics reported in metrics.json and the model card.

Calibration rule (per label, on the validation split): the threshold with the highest recall
among those whose precision is at least the label's TARGET_PRECISION; if no threshold reaches
that precision, the threshold with the best F1. The rule used is recorded next to each threshold.

Why these targets: validation hoax rows are more than half positives, far more than a real feed,
so precision measured there overstates production precision. At a 0.8 target the shipped model
flagged a third of ordinary test negatives as hoax; 0.9 for hoax (0.85 for provocation, whose
cross-register recall falls fastest) cut false alarms by half or more and raised in-domain F1
(see metrics.json "operating_points" for the whole trade-off).
"""
from __future__ import annotations

import numpy as np

TARGET_PRECISION = {"hoax": 0.9, "provocation": 0.85}
#: Targets reported side by side in metrics.json "operating_points".
OPERATING_POINTS = (0.8, 0.85, 0.9, 0.95)


def target_for(label: str) -> float:
    return TARGET_PRECISION[label]


def cumulative_counts(y: np.ndarray, s: np.ndarray):
    """(true positives, false positives, threshold) when flagging at each distinct score, highest first."""
    order = np.argsort(-s, kind="stable")
    y, s = y[order], s[order]
    tp = np.cumsum(y)
    fp = np.cumsum(1 - y)
    last = np.r_[np.diff(s) != 0, True]  # one point per distinct score
    return tp[last], fp[last], s[last]


def _curve(y: np.ndarray, s: np.ndarray):
    tp, fp, thr = cumulative_counts(y, s)
    precision = tp / np.maximum(tp + fp, 1)
    recall = tp / max(y.sum(), 1)
    return precision, recall, thr


def calibrate_threshold(y, scores, target_precision: float) -> dict:
    y = np.asarray(y, dtype=float)
    s = np.asarray(scores, dtype=float)
    precision, recall, thr = _curve(y, s)
    ok = precision >= target_precision
    if ok.any():
        i = int(np.flatnonzero(ok)[np.argmax(recall[ok])])
        rule = f"max recall with precision >= {target_precision}"
    else:
        f1 = 2 * precision * recall / np.maximum(precision + recall, 1e-9)
        i = int(np.argmax(f1))
        rule = f"best F1 (precision {target_precision} unreachable)"
    return {"threshold": float(thr[i]), "rule": rule, "val_precision": float(precision[i]), "val_recall": float(recall[i])}


def average_precision(y, scores) -> float:
    y = np.asarray(y, dtype=float)
    if y.sum() == 0:
        return float("nan")
    precision, recall, _ = _curve(y, np.asarray(scores, dtype=float))
    return float(np.sum(np.diff(np.r_[0.0, recall]) * precision))


def binary_metrics(y, scores, threshold: float) -> dict:
    y = np.asarray(y, dtype=int)
    pred = (np.asarray(scores) >= threshold).astype(int)
    tp = int(((pred == 1) & (y == 1)).sum())
    fp = int(((pred == 1) & (y == 0)).sum())
    fn = int(((pred == 0) & (y == 1)).sum())
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {
        "n": int(len(y)),
        "positives": int(y.sum()),
        "precision": round(p, 4),
        "recall": round(r, 4),
        "f1": round(f1, 4),
        "pr_auc": round(average_precision(y, scores), 4),
        "false_positive_rate": round(fp / max(int((y == 0).sum()), 1), 4),
    }


def evaluate(examples, scores_by_label: dict, thresholds: dict) -> dict:
    """Metrics per label for the examples whose label is known."""
    out = {}
    for name, scores in scores_by_label.items():
        known = [i for i, e in enumerate(examples) if e.label(name) is not None]
        if not known:
            continue
        y = [examples[i].label(name) for i in known]
        s = [scores[i] for i in known]
        out[name] = binary_metrics(y, s, thresholds[name])
    return out
