"""Scoring the cyber-threat detector against labelled examples: per-kind counts and the
Markdown table that both the evaluation's printout and docs/cyber_threats.md show."""
from __future__ import annotations

import dataclasses

from waspada.threats.cyber.detector import KINDS

NONE = "none"
LABELS = (*KINDS, NONE)


@dataclasses.dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    support: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def table(scores: dict[str, Score]) -> str:
    lines = ["| kind | support | TP | FP | FN | precision | recall | F1 |", "|---|---|---|---|---|---|---|---|"]
    for k, s in scores.items():
        lines.append(f"| {k} | {s.support} | {s.tp} | {s.fp} | {s.fn} | {s.precision:.2f} | {s.recall:.2f} | {s.f1:.2f} |")
    return "\n".join(lines)


def label_counts(examples) -> dict[str, int]:
    """How many of the examples (anything with a ``label``) carry each label."""
    return {label: sum(ex.label == label for ex in examples) for label in LABELS}
