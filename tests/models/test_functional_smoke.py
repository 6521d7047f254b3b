"""CI smoke check of the shipped artifact on a fixed sample of the functional suite, with floors.

The full suite (models/functional_suite.py) is scored at training time and written in the model
card; this runs a stratified sample of it against the artifact that ships, so an artifact that
regresses on what matters (hate versus counter-speech, hoax claims versus debunks, a name that
draws flags) fails CI. Floors sit a few points under what the shipped artifact measures on this
sample (see the model card for the full-suite numbers); raise them when a better model ships.
"""
import pytest

import models
from models.functional_suite import cases, neutral_cases
from models.shortcut_eval import functional, parity

#: Cases per functionality in the sample: every functionality is seen, at ~1/4 of the suite's cost.
PER_FUNCTIONALITY = 24
#: Neutral parity cases per target.
PER_TARGET = 12

# Measured on this sample (2026-12-07): shipped waspada-bert-v1 (data v2) 0.843 overall, worst
# functionality 0.29 (official clarifications), neutral flag rate at most 0.75 with spread 0.33;
# the artifact before it: 0.737, worst 0.21, spread 0.75, so it fails these floors.
FLOOR_OVERALL = 0.80
FLOOR_EACH = 0.25
CEILING_NEUTRAL_FLAG_RATE = 0.80
CEILING_NEUTRAL_SPREAD = 0.45


def _sample(rows: list[dict], key: str, per: int) -> list[dict]:
    """Every k-th case of each group: deterministic and spread over the group's templates."""
    groups: dict[str, list[dict]] = {}
    for row in rows:
        groups.setdefault(row[key], []).append(row)
    out = []
    for group in groups.values():
        step = max(1, len(group) // per)
        out += group[::step][:per]
    return out


@pytest.fixture(scope="module")
def shipped():
    clf = models.load()
    return (lambda texts: clf.scores_normalised(texts, 64)), clf.thresholds


def test_functional_sample_meets_the_floors(shipped):
    score, thresholds = shipped
    sample = _sample(cases(), "functionality", PER_FUNCTIONALITY)
    result = functional(score, thresholds, sample)
    assert result["overall"] >= FLOOR_OVERALL, result
    failing = {k: v for k, v in result["per_functionality"].items() if v < FLOOR_EACH}
    assert not failing, failing


def test_neutral_mentions_of_names_and_groups_are_rarely_flagged(shipped):
    score, thresholds = shipped
    sample = _sample(neutral_cases(), "target", PER_TARGET)
    result = parity(score, thresholds, sample)
    rates = {k: v["rates"] for k, v in result["by_type"].items()}
    assert result["max_flag_rate"] <= CEILING_NEUTRAL_FLAG_RATE, rates
    assert result["max_spread"] <= CEILING_NEUTRAL_SPREAD, rates
