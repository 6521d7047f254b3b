"""Re-calibrate the thresholds of an existing artifact without retraining it.

    python -m models.recalibrate models/artifact

Scores the validation and test splits with the artifact exactly as shipped (transformer +
n-gram ensemble), picks each label's threshold with the rule and targets in models/metrics.py,
and rewrites config.json (thresholds), metrics.json ("shipped", "operating_points", and
"recalibrated" with the previous thresholds and results, so the change stays auditable) and
MODEL_CARD.md. The weights, and so the model id, do not change.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from models.data import LABELS, build_corpus
from models.ensemble import operating_points, write_artifact_records
from models.metrics import TARGET_PRECISION, calibrate_threshold, evaluate
from models.onnx_classifier import OnnxClassifier


def recalibrate(directory: Path, corpus, command: str) -> dict:
    directory = Path(directory)
    config = json.loads((directory / "config.json").read_text(encoding="utf-8"))
    metrics = json.loads((directory / "metrics.json").read_text(encoding="utf-8"))
    clf = OnnxClassifier(directory)
    sets = {"val": corpus.val, **corpus.tests}
    probs = {name: clf.scores_normalised([e.text for e in rows], 64) for name, rows in sets.items()}
    calibration = {}
    for j, label in enumerate(LABELS):
        known = [i for i, e in enumerate(corpus.val) if e.label(label) is not None]
        calibration[label] = calibrate_threshold([corpus.val[i].label(label) for i in known],
                                                 probs["val"][known, j], TARGET_PRECISION[label])
    thresholds = {label: c["threshold"] for label, c in calibration.items()}
    previous = {"thresholds": config["thresholds"], "target_precision": config["calibration"]["target_precision"],
                "shipped": metrics.get("shipped")}
    config["thresholds"] = thresholds
    config["calibration"] = {**config["calibration"], "target_precision": dict(TARGET_PRECISION),
                             "per_label": calibration}
    per_label = {k: {label: probs[k][:, j] for j, label in enumerate(LABELS)} for k in corpus.tests}
    metrics["shipped"] = {k: evaluate(rows, per_label[k], thresholds) for k, rows in corpus.tests.items()}
    metrics["operating_points"] = operating_points(corpus, probs)
    metrics["recalibrated"] = {"command": command, "previous": previous}
    metrics["calibration_targets"] = dict(TARGET_PRECISION)
    write_artifact_records(directory, config, metrics)
    return metrics


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("artifact", type=Path, help="artifact directory (config.json, metrics.json, model files)")
    args = parser.parse_args(argv)
    config = json.loads((args.artifact / "config.json").read_text(encoding="utf-8"))
    settings = config.get("train_settings", {})
    corpus = build_corpus(seed=settings.get("seed", 13), sample=settings.get("sample"))
    command = " ".join(["python -m models.recalibrate"] + (argv if argv is not None else sys.argv[1:]))
    metrics = recalibrate(args.artifact, corpus, command)
    before = metrics["recalibrated"]["previous"]["shipped"] or {}
    for test_name, per_label in metrics["shipped"].items():
        for label, m in per_label.items():
            old = before.get(test_name, {}).get(label, {})
            print(f"{test_name:32} {label:12} F1 {old.get('f1')} -> {m['f1']}   "
                  f"FPR {old.get('false_positive_rate')} -> {m['false_positive_rate']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
