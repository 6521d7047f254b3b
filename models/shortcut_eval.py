"""Measures that can see shortcuts: unseen outlets, the functional suite, name parity, a real base rate.

A score on a split that shares the training data's sources cannot show that a model learned
outlet, topic or names instead of hoax and provocation. These can:

  unseen_outlets   the false-alarm rate on legitimate news from outlets never trained on
                   (models/news_data.HELD_OUT_OUTLETS), overall, per outlet and per year
  functional       accuracy per functionality of the written functional suite
                   (models/functional_suite.py; its templates are never trained on)
  parity           on the suite's neutral and positive cases: the flag rate per candidate, party,
                   ethnic group, religion, institution and region, and the spread (max - min)
  base_rate        expected precision and recall in a stream where BASE_RATE of election posts are
                   positive, from the test split's recall and false-positive rate
  bars             the classifier issue's acceptance bars, each with its measured value

Every function takes `score_fn(normalised_texts) -> probabilities (n, 2)` in LABELS order, so the
same report is computed for every model compared in the card (the shipped ensemble, the
transformer alone, the n-gram half, a frozen encoder with a linear head, the previous artifact).
"""
from __future__ import annotations

from collections import defaultdict
from typing import Callable

import numpy as np

from models.data import LABELS, Corpus
from models.metrics import cumulative_counts
from models.normalise import normalise

ScoreFn = Callable[[list[str]], np.ndarray]

#: Deployment assumption, stated in the model card: among election-related posts in a real feed,
#: about 5% are hoaxes and 3% provocations (far below the balanced training sets).
BASE_RATE = {"hoax": 0.05, "provocation": 0.03}
#: Precision wanted at that base rate: at least every second flag right.
STREAM_PRECISION = {"hoax": 0.5, "provocation": 0.5}

#: The pipeline's bar for a registered mainstream outlet or official body without a claim match
#: (waspada/hoax_rule.py; the default of WASPADA_HOAX_REGISTERED_MIN_SCORE). Mirrored here because
#: models may not import waspada; the unseen-outlet report shows false alarms under that rule too.
REGISTERED_MIN_SCORE = 0.97

BARS = {
    "unseen_outlet_false_alarm_max": 0.03,
    "functional_overall_min": 0.85,
    "functional_each_min": 0.70,
    "neutral_flag_rate_max": 0.05,
    "neutral_spread_max": 0.03,
    "in_domain_pr_auc_drop_max": 0.02,
}
PARITY_TYPES = ("candidates", "parties", "ethnic", "religion")


def expected_precision(tpr: float, fpr: float, base_rate: float) -> float:
    flagged = base_rate * tpr + (1 - base_rate) * fpr
    return base_rate * tpr / flagged if flagged > 0 else 0.0


def calibrate_for_stream(y, scores, base_rate: float, target_precision: float) -> dict:
    """The threshold with the highest recall whose precision, re-weighted to `base_rate`, reaches
    `target_precision`; if none does, the one with the best re-weighted F1. Validation sets are
    nearly balanced, so unweighted precision there promises far more than a real feed gives."""
    y = np.asarray(y, dtype=float)
    s = np.asarray(scores, dtype=float)
    tp, fp, thr = cumulative_counts(y, s)
    tpr, fpr = tp / max(y.sum(), 1), fp / max((1 - y).sum(), 1)
    flagged = base_rate * tpr + (1 - base_rate) * fpr
    precision = np.where(flagged > 0, base_rate * tpr / np.maximum(flagged, 1e-12), 0.0)
    ok = precision >= target_precision
    if ok.any():
        i = int(np.flatnonzero(ok)[np.argmax(tpr[ok])])
        rule = f"max recall with precision >= {target_precision} at base rate {base_rate}"
    else:
        f1 = 2 * precision * tpr / np.maximum(precision + tpr, 1e-9)
        i = int(np.argmax(f1))
        rule = f"best F1 at base rate {base_rate} (precision {target_precision} unreachable)"
    return {"threshold": float(thr[i]), "rule": rule, "val_recall": round(float(tpr[i]), 4),
            "val_false_positive_rate": round(float(fpr[i]), 4), "val_expected_precision": round(float(precision[i]), 4)}


def _flags(probs: np.ndarray, thresholds: dict) -> np.ndarray:
    return np.stack([probs[:, j] >= thresholds[name] for j, name in enumerate(LABELS)], axis=1)


def unseen_outlets(score_fn: ScoreFn, thresholds: dict, corpus: Corpus) -> dict:
    rows = corpus.tests.get("test_news_unseen_outlets", [])
    if not rows:
        return {}
    probs = score_fn([e.text for e in rows])
    flags = _flags(probs, thresholds)
    registered = probs[:, LABELS.index("hoax")] >= max(REGISTERED_MIN_SCORE, thresholds["hoax"])
    by_outlet, by_year = defaultdict(list), defaultdict(list)
    for ex, f, r in zip(rows, flags, registered):
        by_outlet[ex.source.removeprefix("news:")].append((*f, r))
        by_year[str(ex.date.year) if ex.date else "unknown"].append((*f, r))

    def rates(groups):
        return {k: {"n": len(v), **{n: round(float(np.mean([f[j] for f in v])), 4) for j, n in enumerate(LABELS)},
                    "hoax_registered_rule": round(float(np.mean([f[-1] for f in v])), 4)}
                for k, v in sorted(groups.items())}

    outlets = rates(by_outlet)
    return {"n": len(rows), "false_alarm": {n: round(float(flags[:, j].mean()), 4) for j, n in enumerate(LABELS)},
            # Pooled rates are dominated by the biggest outlets (Kompas headlines): also the mean
            # over outlets, the worst outlet, and the rate under the pipeline's registered-outlet rule.
            "hoax_macro_over_outlets": round(float(np.mean([v["hoax"] for v in outlets.values()])), 4),
            "hoax_worst_outlet": max(((k, v["hoax"]) for k, v in outlets.items()), key=lambda kv: kv[1]),
            "hoax_registered_rule": round(float(registered.mean()), 4),
            "hoax_registered_rule_macro": round(float(np.mean([v["hoax_registered_rule"] for v in outlets.values()])), 4),
            "any_label": round(float(flags.any(axis=1).mean()), 4), "by_outlet": outlets, "by_year": rates(by_year)}


def functional(score_fn: ScoreFn, thresholds: dict, cases: list[dict] | None = None) -> dict:
    from models import functional_suite

    cases = cases if cases is not None else functional_suite.cases()
    probs = score_fn([normalise(c["text"]) for c in cases])
    per: dict[str, list[bool]] = defaultdict(list)
    for case, row in zip(cases, probs):
        j = LABELS.index(case["label"])
        per[case["functionality"]].append(bool(row[j] >= thresholds[case["label"]]) == bool(case["expected"]))
    accuracy = {k: round(float(np.mean(v)), 4) for k, v in sorted(per.items())}
    overall = float(np.mean([ok for v in per.values() for ok in v]))
    return {"n": len(cases), "overall": round(overall, 4), "per_functionality": accuracy,
            "worst": min(accuracy.items(), key=lambda kv: kv[1]) if accuracy else None}


def parity(score_fn: ScoreFn, thresholds: dict, cases: list[dict] | None = None) -> dict:
    """Flag rate (either label) per target on neutral and positive cases, grouped by target type."""
    from models import functional_suite

    cases = cases if cases is not None else functional_suite.neutral_cases()
    flags = _flags(score_fn([normalise(c["text"]) for c in cases]), thresholds).any(axis=1)
    groups: dict[str, dict[str, list[bool]]] = defaultdict(lambda: defaultdict(list))
    for case, f in zip(cases, flags):
        groups[case["target_type"]][case["target"]].append(bool(f))
    out = {}
    for kind, targets in sorted(groups.items()):
        rates = {t: round(float(np.mean(v)), 4) for t, v in sorted(targets.items())}
        out[kind] = {"max": max(rates.values()), "spread": round(max(rates.values()) - min(rates.values()), 4), "rates": rates}
    measured = [out[k] for k in PARITY_TYPES if k in out]
    return {"n": len(cases), "by_type": out,
            "max_flag_rate": max((m["max"] for m in measured), default=0.0),
            "max_spread": max((m["spread"] for m in measured), default=0.0)}


def base_rate_view(score_fn: ScoreFn, thresholds: dict, corpus: Corpus) -> dict:
    """Expected precision/recall at BASE_RATE from the in-domain test split's positives and the
    negatives a stream carries (in-domain test negatives plus the unseen outlets' news)."""
    test = corpus.tests["test"] + corpus.tests.get("test_news_unseen_outlets", [])
    probs = score_fn([e.text for e in test])
    out = {}
    for j, name in enumerate(LABELS):
        known = [i for i, e in enumerate(test) if e.label(name) is not None]
        y = np.array([test[i].label(name) for i in known])
        flagged = probs[known, j] >= thresholds[name]
        tpr = float(flagged[y == 1].mean()) if (y == 1).any() else 0.0
        fpr = float(flagged[y == 0].mean()) if (y == 0).any() else 0.0
        out[name] = {"base_rate": BASE_RATE[name], "recall": round(tpr, 4), "false_positive_rate": round(fpr, 4),
                     "expected_precision": round(expected_precision(tpr, fpr, BASE_RATE[name]), 4)}
    return out


def in_domain_pr_auc(score_fn: ScoreFn, corpus: Corpus) -> float:
    from models.metrics import average_precision

    rows = corpus.tests["test"]
    probs = score_fn([e.text for e in rows])
    values = []
    for j, name in enumerate(LABELS):
        known = [i for i, e in enumerate(rows) if e.label(name) is not None]
        values.append(average_precision([rows[i].label(name) for i in known], probs[known, j]))
    return round(float(np.nanmean(values)), 4)


def shortcut_report(score_fn: ScoreFn, thresholds: dict, corpus: Corpus, reference_pr_auc: float | None = None) -> dict:
    """Every measure above for one model at its thresholds, with the bars checked."""
    report = {
        "thresholds": {k: round(float(v), 4) for k, v in thresholds.items()},
        "unseen_outlets": unseen_outlets(score_fn, thresholds, corpus),
        "functional": functional(score_fn, thresholds),
        "parity": parity(score_fn, thresholds),
        "base_rate": base_rate_view(score_fn, thresholds, corpus),
        "in_domain_mean_pr_auc": in_domain_pr_auc(score_fn, corpus),
    }
    report["bars"] = check_bars(report, reference_pr_auc)
    return report


def check_bars(report: dict, reference_pr_auc: float | None) -> dict:
    fa = report["unseen_outlets"].get("false_alarm", {}).get("hoax")
    func = report["functional"]
    par = report["parity"]
    bars = {
        "unseen_outlet_false_alarm": {"value": fa, "bar": f"<= {BARS['unseen_outlet_false_alarm_max']}",
                                      "met": fa is not None and fa <= BARS["unseen_outlet_false_alarm_max"]},
        "functional_overall": {"value": func["overall"], "bar": f">= {BARS['functional_overall_min']}",
                               "met": func["overall"] >= BARS["functional_overall_min"]},
        "functional_worst": {"value": func["worst"], "bar": f">= {BARS['functional_each_min']}",
                             "met": bool(func["worst"]) and func["worst"][1] >= BARS["functional_each_min"]},
        "neutral_flag_rate": {"value": par["max_flag_rate"], "bar": f"<= {BARS['neutral_flag_rate_max']}",
                              "met": par["max_flag_rate"] <= BARS["neutral_flag_rate_max"]},
        "neutral_spread": {"value": par["max_spread"], "bar": f"<= {BARS['neutral_spread_max']}",
                           "met": par["max_spread"] <= BARS["neutral_spread_max"]},
    }
    if reference_pr_auc is not None:
        value = report["in_domain_mean_pr_auc"]
        bars["in_domain_pr_auc"] = {"value": value, "bar": f">= {reference_pr_auc} - {BARS['in_domain_pr_auc_drop_max']}",
                                    "met": value >= reference_pr_auc - BARS["in_domain_pr_auc_drop_max"]}
    return bars


#: (name, how to read it from a report, True when higher is better). Used by the retrain DAG:
#: a candidate that is worse on any of these than the current model is not promoted.
PROMOTION_MEASURES = (
    ("unseen-outlet hoax false-alarm rate", lambda r: r["unseen_outlets"]["false_alarm"]["hoax"], False),
    ("functional suite accuracy", lambda r: r["functional"]["overall"], True),
    ("worst functionality accuracy", lambda r: r["functional"]["worst"][1], True),
    ("neutral-case flag rate of the most flagged name", lambda r: r["parity"]["max_flag_rate"], False),
    ("neutral-case spread within a kind of name", lambda r: r["parity"]["max_spread"], False),
)
#: Differences smaller than this are noise on suites of a few hundred to a few thousand cases.
PROMOTION_TOLERANCE = 0.005


def shortcut_regressions(candidate: dict, current: dict) -> list[str]:
    """What the candidate's shipped shortcut report does worse than the current one's, in words."""
    out = []
    for name, read, higher_is_better in PROMOTION_MEASURES:
        try:
            new, old = float(read(candidate)), float(read(current))
        except (KeyError, TypeError, IndexError):
            continue  # a measure one of them lacks cannot be compared
        worse = new < old - PROMOTION_TOLERANCE if higher_is_better else new > old + PROMOTION_TOLERANCE
        if worse:
            out.append(f"{name} {new:.4f} against the current {old:.4f}")
    return out


def main(argv=None) -> int:
    """Re-measure an artifact's shortcut reports (shipped, each half, the previous artifact) on
    today's data and suite without retraining: `python -m models.shortcut_eval models/artifact`."""
    import argparse
    import json
    from pathlib import Path

    from models.data import build_corpus
    from models.ensemble import shortcut_reports, write_artifact_records
    from models.ngram_model import NgramModel
    from models.onnx_classifier import OnnxClassifier

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("artifact", type=Path)
    parser.add_argument("--previous", type=Path, default=None, help="an artifact to measure beside it")
    args = parser.parse_args(argv)
    config = json.loads((args.artifact / "config.json").read_text(encoding="utf-8"))
    metrics = json.loads((args.artifact / "metrics.json").read_text(encoding="utf-8"))
    corpus = build_corpus(seed=config.get("train_settings", {}).get("seed", 13), sample=config.get("train_settings", {}).get("sample"))
    transformer = OnnxClassifier(args.artifact, "model.int8.onnx")
    ensemble = config["ensemble"]
    ngram = NgramModel.load(args.artifact / ensemble["ngram_file"])
    old = metrics.get("shortcuts") or {}
    thresholds = {"shipped": config["thresholds"],
                  **{k: old[k]["thresholds"] for k in ("transformer", "ngram") if k in old}}
    # shortcut_reports reads the transformer half alone through .logits, the n-gram half from ngram.npz.
    reports = shortcut_reports(corpus, transformer, ngram, float(ensemble["transformer_weight"]),
                               {k: thresholds.get(k, config["thresholds"]) for k in ("shipped", "transformer", "ngram")},
                               args.previous, log=print)
    if args.previous is None and "previous" in old:
        reports["previous"] = old["previous"]
    for key in ("e5_frozen",):
        if key in old:
            reports[key] = old[key]
    metrics["shortcuts"] = reports
    write_artifact_records(args.artifact, config, metrics)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
