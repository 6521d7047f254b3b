"""Re-calibrate the thresholds of an existing artifact without retraining it.

    python -m models.recalibrate models/artifact

    python -m models.recalibrate models/artifact --base-rate hoax=0.02 --precision hoax=0.6

Scores the validation and test splits with the artifact exactly as shipped (transformer +
n-gram ensemble), picks each label's threshold with the stream rule of models/shortcut_eval.py
(highest recall whose precision, re-weighted to the deployment base rate, reaches the target;
defaults BASE_RATE and STREAM_PRECISION there), and rewrites config.json (thresholds),
metrics.json ("shipped", "operating_points", the shipped shortcut report, and "recalibrated" with
the previous thresholds and results, so the change stays auditable) and MODEL_CARD.md. The
weights, and so the model id, do not change.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from models.data import LABELS, build_corpus
from models.ensemble import operating_points, write_artifact_records
from models.metrics import evaluate
from models.onnx_classifier import OnnxClassifier
from models.shortcut_eval import BASE_RATE, STREAM_PRECISION, calibrate_for_stream, shortcut_report


def recalibrate(directory: Path, corpus, command: str, base_rate: dict | None = None,
                precision: dict | None = None) -> dict:
    directory = Path(directory)
    config = json.loads((directory / "config.json").read_text(encoding="utf-8"))
    metrics = json.loads((directory / "metrics.json").read_text(encoding="utf-8"))
    clf = OnnxClassifier(directory)
    sets = {"val": corpus.val, **corpus.tests}
    probs = {name: clf.scores_normalised([e.text for e in rows], 64) for name, rows in sets.items()}
    base_rate = {**BASE_RATE, **(base_rate or {})}
    precision = {**STREAM_PRECISION, **(precision or {})}
    calibration = {}
    for j, label in enumerate(LABELS):
        known = [i for i, e in enumerate(corpus.val) if e.label(label) is not None]
        calibration[label] = calibrate_for_stream([corpus.val[i].label(label) for i in known],
                                                  probs["val"][known, j], base_rate[label], precision[label])
    thresholds = {label: c["threshold"] for label, c in calibration.items()}
    previous = {"thresholds": config["thresholds"], "target_precision": config["calibration"]["target_precision"],
                "shipped": metrics.get("shipped")}
    config["thresholds"] = thresholds
    config["calibration"] = {**config["calibration"], "base_rate": base_rate, "target_precision": precision,
                             "per_label": calibration}
    per_label = {k: {label: probs[k][:, j] for j, label in enumerate(LABELS)} for k in corpus.tests}
    metrics["shipped"] = {k: evaluate(rows, per_label[k], thresholds) for k, rows in corpus.tests.items()}
    metrics["operating_points"] = operating_points(corpus, probs)
    metrics["recalibrated"] = {"command": command, "previous": previous}
    metrics["calibration_targets"] = precision
    shortcuts = metrics.setdefault("shortcuts", {})
    reference = (shortcuts.get("previous") or {}).get("in_domain_mean_pr_auc")
    shortcuts["shipped"] = shortcut_report(lambda texts: clf.scores_normalised(texts, 64), thresholds, corpus, reference)
    write_artifact_records(directory, config, metrics)
    return metrics


def _pairs(values: list[str], option: str) -> dict[str, float]:
    out = {}
    for value in values:
        label, _, number = value.partition("=")
        try:
            rate = float(number)
        except ValueError:
            rate = -1.0
        if label not in LABELS or not 0.0 < rate < 1.0:
            raise SystemExit(f"{option} {value!r}: write LABEL=VALUE with LABEL one of {', '.join(LABELS)} "
                             "and VALUE between 0 and 1, e.g. hoax=0.05")
        out[label] = rate
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("artifact", type=Path, help="artifact directory (config.json, metrics.json, model files)")
    parser.add_argument("--base-rate", action="append", default=[], metavar="LABEL=RATE",
                        help="share of positives among election posts in your feed (default: models/shortcut_eval.py BASE_RATE)")
    parser.add_argument("--precision", action="append", default=[], metavar="LABEL=P",
                        help="precision wanted at that base rate (default: STREAM_PRECISION)")
    args = parser.parse_args(argv)
    base_rate, precision = _pairs(args.base_rate, "--base-rate"), _pairs(args.precision, "--precision")
    config = json.loads((args.artifact / "config.json").read_text(encoding="utf-8"))
    settings = config.get("train_settings", {})
    corpus = build_corpus(seed=settings.get("seed", 13), sample=settings.get("sample"))
    command = " ".join(["python -m models.recalibrate"] + (argv if argv is not None else sys.argv[1:]))
    metrics = recalibrate(args.artifact, corpus, command, base_rate, precision)
    before = metrics["recalibrated"]["previous"]["shipped"] or {}
    for test_name, per_label in metrics["shipped"].items():
        for label, m in per_label.items():
            old = before.get(test_name, {}).get(label, {})
            print(f"{test_name:32} {label:12} F1 {old.get('f1')} -> {m['f1']}   "
                  f"FPR {old.get('false_positive_rate')} -> {m['false_positive_rate']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
