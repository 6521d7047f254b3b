"""Add the n-gram linear model to an artifact and ship the ensemble (transformer + n-grams).

    python -m models.ensemble models/artifact     # attach to an already trained artifact

`python -m models.train` runs the same step at its end; this entry point exists so the
transformer need not be retrained to rebuild the ensemble. The transformer weight is chosen on
the validation split (mean PR-AUC over labels), then thresholds are re-calibrated on the
ensemble's validation scores with the rule in models/metrics.py.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

import numpy as np

from models.data import LABELS, Corpus, build_corpus
from models.metrics import OPERATING_POINTS, average_precision, binary_metrics, calibrate_threshold, evaluate
from models.ngram_model import fit_ngram_model
from models.onnx_classifier import OnnxClassifier, _sigmoid
from models.shortcut_eval import BASE_RATE, STREAM_PRECISION, calibrate_for_stream, shortcut_report

WEIGHT_GRID = (0.0, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 1.0)
NGRAM_FILE = "ngram.npz"


def _per_label(rows, probs: np.ndarray) -> dict[str, np.ndarray]:
    return {name: probs[:, j] for j, name in enumerate(LABELS)}


def _mean_pr_auc(rows, probs: np.ndarray) -> float:
    values = []
    for j, name in enumerate(LABELS):
        known = [i for i, e in enumerate(rows) if e.label(name) is not None]
        values.append(average_precision([rows[i].label(name) for i in known], probs[known, j]))
    return float(np.mean(values))


def operating_points(corpus: Corpus, probs: dict[str, np.ndarray]) -> dict:
    """For each label and each candidate precision target: the validation threshold it gives and
    the shipped scores' test metrics at that threshold: the whole precision/recall trade-off."""
    out: dict = {}
    for j, name in enumerate(LABELS):
        known = [i for i, e in enumerate(corpus.val) if e.label(name) is not None]
        per_target = {}
        for target in OPERATING_POINTS:
            cal = calibrate_threshold([corpus.val[i].label(name) for i in known], probs["val"][known, j], target)
            tests = {}
            for test_name, rows in corpus.tests.items():
                idx = [i for i, e in enumerate(rows) if e.label(name) is not None]
                if idx:
                    m = binary_metrics([rows[i].label(name) for i in idx], probs[test_name][idx, j], cal["threshold"])
                    tests[test_name] = {k: m[k] for k in ("precision", "recall", "f1", "false_positive_rate")}
            per_target[str(target)] = {"threshold": round(cal["threshold"], 4), "val_recall": round(cal["val_recall"], 4),
                                       "tests": tests}
        out[name] = per_target
    return out


def model_id_for(directory: Path, files: list[str]) -> str:
    digest = hashlib.sha256()
    for name in files:
        digest.update((directory / name).read_bytes())
    return f"waspada-bert-v1-{digest.hexdigest()[:10]}"


def stream_calibration(corpus: Corpus, val_probs: np.ndarray) -> dict:
    """Per label, the threshold calibrated for a real stream (models/shortcut_eval.py)."""
    out = {}
    for j, name in enumerate(LABELS):
        known = [i for i, e in enumerate(corpus.val) if e.label(name) is not None]
        out[name] = calibrate_for_stream([corpus.val[i].label(name) for i in known], val_probs[known, j],
                                         BASE_RATE[name], STREAM_PRECISION[name])
    return out


def shortcut_reports(corpus: Corpus, transformer, ngram, weight: float, thresholds: dict,
                     previous: Path | None, log=print) -> dict:
    """The shortcut measures for the shipped ensemble and each of its halves, side by side with the
    artifact this one would replace (at that artifact's own thresholds, as it shipped)."""
    t = lambda texts: _sigmoid(transformer.logits(texts, 64))
    g = lambda texts: _sigmoid(ngram.logits(texts))
    fns = {"shipped": lambda texts: weight * t(texts) + (1 - weight) * g(texts), "transformer": t, "ngram": g}
    reference = None
    out = {}
    if previous is not None and (previous / "config.json").is_file():
        try:
            old = OnnxClassifier(previous)
            out["previous"] = shortcut_report(lambda texts: old.scores_normalised(texts, 64), old.thresholds, corpus)
            out["previous"]["model_id"] = old.model_id
            reference = out["previous"]["in_domain_mean_pr_auc"]
        except Exception as exc:  # an artifact from older code: say so, compare without it
            log(f"previous artifact {previous} not comparable: {exc}")
    for name, fn in fns.items():
        out[name] = shortcut_report(fn, thresholds[name], corpus, reference)
        log(f"shortcuts {name}: " + json.dumps({k: v["value"] for k, v in out[name]["bars"].items()}))
    return out


def attach_ngram_ensemble(directory: Path, corpus: Corpus, seed: int, log=print, previous: Path | None = None) -> dict:
    """Fit the n-gram model, pick the weight, calibrate, evaluate; rewrite config/metrics/card.
    `previous`: the artifact this one would replace, measured beside it on the same test sets."""
    directory = Path(directory)
    config = json.loads((directory / "config.json").read_text(encoding="utf-8"))
    metrics = json.loads((directory / "metrics.json").read_text(encoding="utf-8"))
    config.pop("ensemble", None)
    (directory / "config.json").write_text(json.dumps(config, indent=1), encoding="utf-8")

    ngram = fit_ngram_model([e.text for e in corpus.train], {n: [e.label(n) for e in corpus.train] for n in LABELS}, seed)
    ngram.save(directory / NGRAM_FILE)
    log(f"n-gram model: {len(ngram.idf)} features")
    transformer = OnnxClassifier(directory, "model.int8.onnx")
    sets = {"val": corpus.val, **corpus.tests}
    t_probs = {k: _sigmoid(transformer.logits([e.text for e in rows], 64)) for k, rows in sets.items()}
    n_probs = {k: _sigmoid(ngram.logits([e.text for e in rows])) for k, rows in sets.items()}
    by_weight = {w: _mean_pr_auc(corpus.val, w * t_probs["val"] + (1 - w) * n_probs["val"]) for w in WEIGHT_GRID}
    weight = max(by_weight, key=lambda w: (round(by_weight[w], 4), w))
    log(f"transformer weight {weight} (val mean PR-AUC by weight: {by_weight})")
    mixed = {k: weight * t_probs[k] + (1 - weight) * n_probs[k] for k in sets}
    calibration = stream_calibration(corpus, mixed["val"])
    thresholds = {n: c["threshold"] for n, c in calibration.items()}
    ngram_thresholds = {n: c["threshold"] for n, c in stream_calibration(corpus, n_probs["val"]).items()}
    transformer_thresholds = {n: c["threshold"] for n, c in stream_calibration(corpus, t_probs["val"]).items()}

    config["ensemble"] = {"ngram_file": NGRAM_FILE, "transformer_weight": weight,
                          "rule": "weight maximising validation mean PR-AUC over labels"}
    config["thresholds"] = thresholds
    config["calibration"] = {"base_rate": BASE_RATE, "target_precision": STREAM_PRECISION, "split": "val",
                             "per_label": calibration, "scores": "ensemble" if weight < 1.0 else "transformer int8"}
    config["model_id"] = model_id_for(directory, ["model.int8.onnx", NGRAM_FILE])
    metrics["model_id"] = config["model_id"]
    metrics["ensemble"] = {"transformer_weight": weight, "val_mean_pr_auc_by_weight": by_weight}
    metrics["shipped"] = {k: evaluate(rows, _per_label(rows, mixed[k]), thresholds) for k, rows in corpus.tests.items()}
    metrics["operating_points"] = operating_points(corpus, mixed)
    metrics["ngram_only"] = {k: evaluate(rows, _per_label(rows, n_probs[k]), ngram_thresholds) for k, rows in corpus.tests.items()}
    metrics["shortcuts"] = shortcut_reports(corpus, transformer, ngram, weight,
                                            {"shipped": thresholds, "transformer": transformer_thresholds,
                                             "ngram": ngram_thresholds}, previous, log)
    write_artifact_records(directory, config, metrics)
    return metrics


def write_artifact_records(directory: Path, config: dict, metrics: dict) -> None:
    """config.json, metrics.json and the model card generated from them, together."""
    (directory / "config.json").write_text(json.dumps(config, indent=1), encoding="utf-8")
    (directory / "metrics.json").write_text(json.dumps(metrics, indent=1), encoding="utf-8")
    from models.model_card import write_model_card

    write_model_card(directory, config, metrics)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("artifact", type=Path, help="artifact directory written by models.train")
    parser.add_argument("--seed", type=int, default=None, help="split seed (default: the one in config.json)")
    parser.add_argument("--previous", type=Path, default=None, help="an artifact to measure beside this one")
    args = parser.parse_args(argv)
    config = json.loads((args.artifact / "config.json").read_text(encoding="utf-8"))
    settings = config.get("train_settings", {})
    seed = args.seed if args.seed is not None else settings.get("seed", 13)
    corpus = build_corpus(seed=seed, sample=settings.get("sample"))
    metrics = attach_ngram_ensemble(args.artifact, corpus, seed, log=lambda m: print(m, file=sys.stderr),
                                    previous=args.previous)
    print(json.dumps(metrics["shipped"], indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
