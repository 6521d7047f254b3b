"""Put a fine-tuned e5 behind an artifact's fast ensemble as a cascade, calibrate it, measure it.

    python -m models.cascade_build models/artifact E5_DIR      # E5_DIR from models.e5_finetune

What it does (models/cascade.py says why):
1. scores the validation split with the artifact's fast ensemble and with e5 (int8, as shipped);
2. chooses each label's screen so the fast stage passes on >= TARGET_RECALL of e5's validation
   flags, and calibrates the decision thresholds on the cascade's own validation output for the
   stated stream base rates (models/shortcut_eval.py);
3. copies e5's files into ARTIFACT/e5/ and writes the cascade into config.json, so
   `models.load()` runs it;
4. measures the cascade as shipped (every shortcut measure, every test set, the length probe, the
   screen's recall of e5's flags on held-out sets, posts/s beside the fast path and e5 alone) and
   rewrites metrics.json and the model card. The fast ensemble that shipped before becomes the
   "previous" column; e5 alone (e5_metrics.json) the "e5_finetuned" one.

Training-only in that it reads the datasets; it needs no torch.
"""
from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from pathlib import Path

import numpy as np

from models.cascade import TARGET_RECALL, cap_screen, cascade_scores, choose_screen, screen_recall, screened
from models.data import LABELS, build_corpus, length_probe_texts
from models.e5_onnx import CONFIG_FILE, EXPORT_ONNX, TOKENIZER_FILE, E5OnnxClassifier

CASCADE_DIR = "e5"
CASCADE_WEIGHTS = (1.0, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3)
E5_FILES = (EXPORT_ONNX, TOKENIZER_FILE, CONFIG_FILE)


class _Timed:
    """A score function that remembers each text's scores (the shortcut report reads the test
    split twice, and e5 is slow) and counts texts and seconds of real scoring, for posts/s."""

    def __init__(self, fn):
        self.fn, self.texts, self.seconds = fn, 0, 0.0
        self.memo: dict[str, np.ndarray] = {}

    def __call__(self, texts: list[str]) -> np.ndarray:
        todo = list(dict.fromkeys(t for t in texts if t not in self.memo))
        if todo:
            started = time.time()
            for text, row in zip(todo, self.fn(todo)):
                self.memo[text] = row
            self.texts += len(todo)
            self.seconds += time.time() - started
        return np.stack([self.memo[t] for t in texts]) if texts else np.zeros((0, len(LABELS)), np.float32)

    @property
    def rate(self) -> float:
        return round(self.texts / max(self.seconds, 1e-9), 1)


def _cascade_rate(clf, corpus, news: int = 2000, posts: int = 500) -> float:
    """posts/s of the cascade as `models.load()` runs it (no memo), on unseen-outlet news and test
    posts: a sample nearer a real stream than the whole test split, which is rich in hoax and hate."""
    texts = [e.text for e in corpus.tests["test_news_unseen_outlets"][:news]] + [e.text for e in corpus.tests["test"][:posts]]
    started = time.time()
    clf.scores_normalised(texts)
    return round(len(texts) / max(time.time() - started, 1e-9), 1)


def build(artifact: Path, e5_dir: Path, target_recall: float, sample: int | None = None, log=print) -> dict:
    from models.ensemble import NGRAM_FILE, _mean_pr_auc, _per_label, model_id_for, operating_points, stream_calibration, write_artifact_records
    from models.metrics import evaluate
    from models.onnx_classifier import OnnxClassifier
    from models.shortcut_eval import shortcut_report

    config = json.loads((artifact / "config.json").read_text(encoding="utf-8"))
    metrics = json.loads((artifact / "metrics.json").read_text(encoding="utf-8"))
    seed = config.get("train_settings", {}).get("seed", 13)
    corpus = build_corpus(seed=seed, sample=sample or config.get("train_settings", {}).get("sample"))
    fast_clf = OnnxClassifier(artifact, use_cascade=False)
    full_clf = E5OnnxClassifier(e5_dir)
    fast, full = _Timed(fast_clf.fast_scores_normalised), _Timed(full_clf.probabilities)
    e5_thresholds = full_clf.thresholds

    val_texts = [e.text for e in corpus.val]
    fast_val, full_val = fast(val_texts), full(val_texts)
    # The second stage's score: e5 mixed with the fast ensemble, the weight chosen on validation
    # mean PR-AUC as the fast ensemble's own weight is (models/ensemble.py).
    by_weight = {w: round(_mean_pr_auc(corpus.val, w * full_val + (1 - w) * fast_val), 4) for w in CASCADE_WEIGHTS}
    weight = max(by_weight, key=lambda w: (by_weight[w], w))
    mixed_val = weight * full_val + (1 - weight) * fast_val
    # What the second stage would flag if it read every post: the screen must pass those on.
    second = {n: c["threshold"] for n, c in stream_calibration(corpus, mixed_val).items()}
    second_flags = mixed_val >= np.array([second[n] for n in LABELS], dtype=np.float32)
    screen = choose_screen(fast_val, second_flags, list(LABELS), target_recall)
    log(f"e5 weight {weight} (validation mean PR-AUC by weight {by_weight})")
    for _ in range(3):  # a screen capped under a threshold passes more posts: calibrate again
        passed = screened(fast_val, screen, list(LABELS))
        cascade_val = np.where(passed[:, None], mixed_val, fast_val)
        calibration = stream_calibration(corpus, cascade_val)
        thresholds = {n: c["threshold"] for n, c in calibration.items()}
        capped = cap_screen(screen, thresholds)
        if capped == screen:
            break
        screen = capped
    log(f"screen {screen}, thresholds {thresholds}; validation posts passed on: {passed.mean():.3f}")

    target = artifact / CASCADE_DIR
    target.mkdir(exist_ok=True)
    for name in E5_FILES:
        shutil.copyfile(e5_dir / name, target / name)
    previous_model_id = config["model_id"]
    config["cascade"] = {"directory": CASCADE_DIR, "screen": screen, "target_recall": target_recall, "weight": weight,
                         "val_mean_pr_auc_by_weight": by_weight, "fast_thresholds": config["thresholds"],
                         "second_stage_thresholds": second, "e5_thresholds": e5_thresholds,
                         "rule": "where any label's fast score reaches its screen: weight x e5 + (1 - weight) x fast; "
                                 "the fast scores elsewhere"}
    config["thresholds"] = thresholds
    config["calibration"] = {**config.get("calibration", {}), "per_label": calibration, "scores": "cascade"}
    config["model_id"] = model_id_for(artifact, ["model.int8.onnx", NGRAM_FILE, f"{CASCADE_DIR}/{EXPORT_ONNX}"])
    (artifact / "config.json").write_text(json.dumps(config, indent=1), encoding="utf-8")

    def shipped(texts: list[str]) -> np.ndarray:  # the cascade as OnnxClassifier runs it, from the memos
        return cascade_scores(fast, full, screen, list(LABELS), texts, weight)[0]
    sets = {"val": corpus.val, **corpus.tests}
    fast_probs = {"val": fast_val, **{k: fast([e.text for e in rows]) for k, rows in corpus.tests.items()}}
    recall, probs = {}, {}
    for name, rows in sets.items():
        # e5 on every row once: the cascade's scores take its rows where the screen passed, and
        # the rows where it did not show what the screen missed.
        mixed = weight * (full_val if name == "val" else full([e.text for e in rows])) + (1 - weight) * fast_probs[name]
        probs[name] = np.where(screened(fast_probs[name], screen, list(LABELS))[:, None], mixed, fast_probs[name])
        recall[name] = screen_recall(fast_probs[name], mixed, second, screen, list(LABELS))
    log("screen recall of the second stage's flags: " + json.dumps({k: v["any_label_recall"] for k, v in recall.items()}))

    shortcuts = metrics.get("shortcuts", {})
    old_shipped = shortcuts.get("shipped")
    if old_shipped:
        old_shipped["model_id"] = previous_model_id
        old_shipped["posts_per_second"] = fast.rate
    report = shortcut_report(shipped, thresholds, corpus, (old_shipped or {}).get("in_domain_mean_pr_auc"))
    report["posts_per_second"] = _cascade_rate(OnnxClassifier(artifact), corpus)
    report["cascade"] = {"screen": screen, "weight": weight, "target_recall": target_recall, "screen_recall": recall}
    e5_metrics = json.loads((e5_dir / "e5_metrics.json").read_text(encoding="utf-8"))
    e5_report = e5_metrics["shortcuts"]
    e5_report["posts_per_second"] = full.rate
    e5_report["setup"] = {"history": e5_metrics.get("history"), **json.loads((e5_dir / CONFIG_FILE).read_text())["train_settings"]}
    metrics["shortcuts"] = {"previous": old_shipped, "shipped": report, "e5_finetuned": e5_report,
                            **{k: v for k, v in shortcuts.items() if k in ("transformer", "ngram", "e5_frozen")}}
    metrics["shipped"] = {k: evaluate(rows, _per_label(rows, probs[k]), thresholds) for k, rows in corpus.tests.items()}
    metrics["operating_points"] = operating_points(corpus, probs)
    probe = length_probe_texts(corpus)
    metrics["length_probe_mean_hoax_score_on_news"] = {
        str(n): round(float(shipped(list(texts))[:, 0].mean()), 4) for n, texts in probe.items()}
    metrics["model_id"] = config["model_id"]
    metrics["cascade"] = {"screen": screen, "validation_passed_share": round(float(passed.mean()), 4),
                          "posts_per_second": {"fast_path_alone": fast.rate, "e5_alone": full.rate,
                                                                 "cascade": report["posts_per_second"]}}
    write_artifact_records(artifact, config, metrics)
    log("shortcuts shipped cascade: " + json.dumps({k: v["value"] for k, v in report["bars"].items()}))
    return metrics


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("artifact", type=Path, help="artifact with the fast ensemble (models.train + models.ensemble)")
    parser.add_argument("e5_dir", type=Path, help="output of python -m models.e5_finetune")
    parser.add_argument("--target-recall", type=float, default=TARGET_RECALL,
                        help="share of e5's validation flags the screen must pass on")
    parser.add_argument("--sample", type=int, default=None, help="examples per source (smoke runs; default: the artifact's)")
    args = parser.parse_args(argv)
    started = time.time()
    build(args.artifact, args.e5_dir, args.target_recall, args.sample,
          log=lambda m: print(f"[{time.time() - started:7.1f}s] {m}", file=sys.stderr, flush=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
