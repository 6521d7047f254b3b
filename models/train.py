"""Train, calibrate, export and evaluate the Waspada classifier in one seeded command.

    python -m models.train --out models/artifact            # the released model (~15-25 min on 2 cores)
    python -m models.train --out /tmp/smoke --quick         # small sample of the real data, ~1-2 min
    python -m models.train --out DIR --init-from build/pretrained   # from a `models.pretrain` encoder

Steps: build the deduplicated, leak-free splits (models.data); train a WordPiece tokenizer on
the training split plus the unlabelled Indonesian sets; fine-tune a small BERT-style encoder
with two sigmoid heads, the loss masked where a head's label is unknown; export to ONNX and
quantise to int8; calibrate thresholds on the validation split with the int8 model (what ships);
evaluate fp32 and int8 on every test set next to the TF-IDF baseline; write the artifact.
"""
from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import math
import random
import shutil
import sys
import time
from pathlib import Path

import numpy as np
import torch
from tqdm import tqdm

from models.data import LABELS, Corpus, build_corpus, length_probe_texts
from models.encoder import EncoderConfig, MultiTaskClassifier, cpu_has_fast_bf16
from models.export import add_embedding_output, export_onnx, quantise_int8
from models.metrics import TARGET_PRECISION, calibrate_threshold, evaluate
from models.normalise import NORMALISATION_VERSION
from models.onnx_classifier import OnnxClassifier, TextEncoder
from models.settings import BUNDLED_ARTIFACT_DIR, SLANG_MAP_PATH, datasets_dir
from models.tokenizer_training import normalised_pretraining_texts, train_tokenizer


@dataclasses.dataclass
class TrainSettings:
    """Every knob of a training run; `--quick` swaps in the small values."""

    seed: int = 13
    vocab_size: int = 12000  # small vocabulary: more updates per embedding row on a small corpus
    max_len: int = 128
    hidden: int = 256
    layers: int = 4
    heads: int = 4
    ffn: int = 1024
    epochs: int = 2  # 6- and 2-epoch runs both peaked on validation after epoch 1, then overfit
    batch_size: int = 32
    lr: float = 5e-4
    weight_decay: float = 0.01
    warmup_fraction: float = 0.06
    max_minutes: float = 22.0  # time box for the fine-tune; the best epoch so far is kept
    sample: int | None = None  # examples per source (smoke runs)
    dropout: float = 0.1
    bf16: bool = dataclasses.field(default_factory=cpu_has_fast_bf16)  # autocast only where the CPU has bf16

    def __post_init__(self):
        if self.epochs < 1:
            raise ValueError(f"epochs must be >= 1, got {self.epochs}")
        if self.max_len > 512:
            raise ValueError(f"max_len={self.max_len} is too long for this model; use <= 512")


QUICK = dict(sample=250, vocab_size=3000, hidden=128, layers=2, heads=2, ffn=256, epochs=2, max_minutes=2.0)


def seed_everything(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def label_matrix(rows) -> tuple[np.ndarray, np.ndarray]:
    y = np.zeros((len(rows), len(LABELS)), dtype=np.float32)
    known = np.zeros_like(y)
    for i, e in enumerate(rows):
        for j, name in enumerate(LABELS):
            if e.label(name) is not None:
                y[i, j] = e.label(name)
                known[i, j] = 1.0
    return y, known


def length_bucketed_batches(lengths: list[int], batch_size: int, rng: random.Random) -> list[list[int]]:
    """Shuffle, sort inside windows of 50 batches by length, then shuffle the batches:
    little padding, still random order."""
    idx = list(range(len(lengths)))
    rng.shuffle(idx)
    window = batch_size * 50
    batches = []
    for start in range(0, len(idx), window):
        chunk = sorted(idx[start : start + window], key=lambda i: lengths[i])
        batches += [chunk[k : k + batch_size] for k in range(0, len(chunk), batch_size)]
    rng.shuffle(batches)
    return batches


def torch_scores(model, encoder: TextEncoder, ids: list[list[int]], batch_size: int = 128) -> np.ndarray:
    model.eval()
    order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
    out = np.zeros((len(ids), len(LABELS)), dtype=np.float32)
    with torch.no_grad():
        for start in range(0, len(order), batch_size):
            chunk = order[start : start + batch_size]
            input_ids, mask = encoder.pad([ids[i] for i in chunk])
            logits = model(torch.from_numpy(input_ids), torch.from_numpy(mask)).float()
            out[chunk] = torch.sigmoid(logits).numpy()
    return out


def mean_pr_auc(rows, scores: np.ndarray) -> float:
    from models.metrics import average_precision

    values = []
    for j, name in enumerate(LABELS):
        known = [i for i, e in enumerate(rows) if e.label(name) is not None]
        if known:
            values.append(average_precision([rows[i].label(name) for i in known], scores[known, j]))
    return float(np.nanmean(values))


def fine_tune(corpus: Corpus, encoder: TextEncoder, s: TrainSettings, log,
              init_from: Path | None = None) -> tuple[MultiTaskClassifier, dict]:
    pre_norm = False
    if init_from is not None:
        from models.pretrain import load_pretrained_encoder, pretrained_layout

        pre_norm = pretrained_layout(init_from)  # the fine-tune keeps the pre-trained block layout
    cfg = EncoderConfig(vocab_size=encoder.tokenizer.get_vocab_size(), max_len=s.max_len, hidden=s.hidden,
                        layers=s.layers, heads=s.heads, ffn=s.ffn, dropout=s.dropout, num_labels=len(LABELS),
                        pad_id=encoder.pad_id, pre_norm=pre_norm)
    model = MultiTaskClassifier(cfg)
    pretraining = None
    if init_from is not None:

        pretraining = load_pretrained_encoder(model, init_from)
        log(f"encoder initialised from {init_from}: {pretraining['steps']} masked-LM steps, "
            f"held-out loss {pretraining['heldout_loss']}")
    train_ids = encoder.token_ids([e.text for e in corpus.train])
    val_ids = encoder.token_ids([e.text for e in corpus.val])
    y, known = label_matrix(corpus.train)
    # Weight positives so each head sees balanced classes (the sets are skewed differently).
    pos = (y * known).sum(0)
    neg = ((1 - y) * known).sum(0)
    pos_weight = torch.tensor(np.clip(neg / np.maximum(pos, 1), 0.5, 4.0), dtype=torch.float32)
    decay = [p for n, p in model.named_parameters() if p.ndim >= 2]
    no_decay = [p for n, p in model.named_parameters() if p.ndim < 2]
    optimiser = torch.optim.AdamW([{"params": decay, "weight_decay": s.weight_decay}, {"params": no_decay, "weight_decay": 0.0}], lr=s.lr)
    rng = random.Random(s.seed)
    steps_per_epoch = math.ceil(len(train_ids) / s.batch_size)
    total = steps_per_epoch * s.epochs
    warmup = max(1, int(total * s.warmup_fraction))
    schedule = torch.optim.lr_scheduler.LambdaLR(optimiser, lambda k: min((k + 1) / warmup, max(0.0, (total - k) / max(1, total - warmup))))
    lengths = [len(x) for x in train_ids]
    best = {"val_mean_pr_auc": -1.0}
    best_state = None
    started = time.time()
    history = []
    for epoch in range(s.epochs):
        model.train()
        batches = length_bucketed_batches(lengths, s.batch_size, rng)
        bar = tqdm(batches, desc=f"epoch {epoch + 1}/{s.epochs}", unit="batch", file=sys.stderr, mininterval=5)
        running = 0.0
        for step, batch in enumerate(bar):
            input_ids, mask = encoder.pad([train_ids[i] for i in batch])
            target = torch.from_numpy(y[batch])
            weight = torch.from_numpy(known[batch])
            with torch.autocast("cpu", dtype=torch.bfloat16, enabled=s.bf16):
                logits = model(torch.from_numpy(input_ids), torch.from_numpy(mask))
            loss_each = torch.nn.functional.binary_cross_entropy_with_logits(logits.float(), target, pos_weight=pos_weight, reduction="none")
            loss = (loss_each * weight).sum() / weight.sum().clamp(min=1.0)
            optimiser.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimiser.step()
            schedule.step()
            running = 0.98 * running + 0.02 * loss.item() if step else loss.item()
            if step % 20 == 0:
                bar.set_postfix(loss=f"{running:.3f}")
        val_scores = torch_scores(model, encoder, val_ids)
        score = mean_pr_auc(corpus.val, val_scores)
        elapsed = (time.time() - started) / 60
        history.append({"epoch": epoch + 1, "train_loss": round(running, 4), "val_mean_pr_auc": round(score, 4), "minutes": round(elapsed, 2)})
        log(f"epoch {epoch + 1}: loss {running:.4f} val mean PR-AUC {score:.4f} ({elapsed:.1f} min)")
        if score > best["val_mean_pr_auc"]:
            best = {"val_mean_pr_auc": round(score, 4), "epoch": epoch + 1}
            best_state = {k: v.detach().clone() for k, v in model.state_dict().items()}
        if elapsed > s.max_minutes and epoch + 1 < s.epochs:
            log(f"time box of {s.max_minutes} min reached after epoch {epoch + 1}; stopping")
            break
    model.load_state_dict(best_state)
    model.eval()
    info = {"history": history, "best": best, "parameters": sum(p.numel() for p in model.parameters()),
            "encoder_config": dataclasses.asdict(cfg), "torch_threads": torch.get_num_threads(), "train_minutes": round((time.time() - started) / 60, 2),
            "initialised_from": "masked-LM pre-training" if pretraining else "random", "pretraining": pretraining}
    return model, info


def _scores_for(score_fn, rows) -> dict[str, np.ndarray]:
    s = score_fn(rows)
    return {name: s[:, j] for j, name in enumerate(LABELS)}


def calibrate(rows, scores: dict[str, np.ndarray]) -> dict:
    out = {}
    for name in LABELS:
        known = [i for i, e in enumerate(rows) if e.label(name) is not None]
        out[name] = calibrate_threshold([rows[i].label(name) for i in known], scores[name][known], TARGET_PRECISION[name])
    return out


def check_pretrained_matches(directory: Path, s: TrainSettings) -> None:
    """The fine-tune's encoder shape must be the pre-trained one's; name the first mismatch."""
    report_path = Path(directory) / "pretrain.json"
    if not report_path.is_file():
        raise SystemExit(f"--init-from {directory}: no pretrain.json there; run `python -m models.pretrain --out {directory}` first")
    shape = json.loads(report_path.read_text(encoding="utf-8"))["encoder_config"]
    for field in ("hidden", "layers", "heads", "ffn"):
        if shape[field] != getattr(s, field):
            raise SystemExit(f"--init-from {directory}: pre-trained {field}={shape[field]} but this fine-tune uses "
                             f"{field}={getattr(s, field)}; pre-train with the same shape (both commands take --quick for the small one)")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, required=True, help="artifact directory to write (replaced if it exists)")
    parser.add_argument("--quick", action="store_true", help="small sample and model: a smoke run in a minute or two")
    parser.add_argument("--sample", type=int, default=None, help="keep N examples per training source")
    parser.add_argument("--epochs", type=int, default=None, help="fine-tune epochs (default 2, quick 2)")
    parser.add_argument("--max-minutes", type=float, default=None, help="stop fine-tuning after the epoch that passes this")
    parser.add_argument("--lr", type=float, default=None, help="peak learning rate (default 5e-4)")
    parser.add_argument("--dropout", type=float, default=None, help="dropout in the encoder and head (default 0.1)")
    parser.add_argument("--seed", type=int, default=13, help="seed for splits, initialisation and batch order")
    parser.add_argument("--no-baseline", action="store_true", help="skip the TF-IDF baseline comparison")
    parser.add_argument("--init-from", type=Path, default=None,
                        help="a `models.pretrain` output directory: fine-tune its encoder, with its tokenizer")
    parser.add_argument("--previous", type=Path, default=BUNDLED_ARTIFACT_DIR,
                        help="the artifact this one would replace, measured beside it (default: the bundled one)")
    parser.add_argument("--threads", type=int, default=1,
                        help="torch threads (default 1: on a shared 2-core machine 2 threads ran 7x slower than 1)")
    args = parser.parse_args(argv)

    settings = TrainSettings(seed=args.seed, **(QUICK if args.quick else {}))
    for field, value in (("sample", args.sample), ("epochs", args.epochs), ("max_minutes", args.max_minutes),
                         ("lr", args.lr), ("dropout", args.dropout)):
        if value is not None:
            setattr(settings, field, value)
    torch.set_num_threads(max(1, args.threads))
    seed_everything(settings.seed)
    out: Path = args.out
    work = out.with_name(out.name + ".building")
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    # Training normalises with the current slang map; the new artifact carries that same map.
    shutil.copy2(SLANG_MAP_PATH, work / "slang_id.tsv")
    t0 = time.time()

    def log(msg: str) -> None:
        print(f"[{time.time() - t0:7.1f}s] {msg}", file=sys.stderr, flush=True)

    log(f"datasets: {datasets_dir()}  settings: {settings}")
    corpus = build_corpus(seed=settings.seed, sample=settings.sample)
    log(f"corpus: {json.dumps(corpus.summary())}")

    if args.init_from is not None:
        # The pre-trained encoder's embeddings only mean something with its own tokenizer.
        check_pretrained_matches(args.init_from, settings)
        shutil.copy2(args.init_from / "tokenizer.json", work / "tokenizer.json")
        encoder = TextEncoder(work / "tokenizer.json", settings.max_len)
        log(f"tokenizer: {encoder.tokenizer.get_vocab_size()} WordPiece tokens from {args.init_from}")
    else:
        extra = [e.text for e in corpus.train]
        texts = normalised_pretraining_texts(datasets_dir(), extra) if not settings.sample else extra
        train_tokenizer(texts, settings.vocab_size, work / "tokenizer.json")
        encoder = TextEncoder(work / "tokenizer.json", settings.max_len)
        log(f"tokenizer: {encoder.tokenizer.get_vocab_size()} WordPiece tokens from {len(texts)} texts")

    model, train_info = fine_tune(corpus, encoder, settings, log, init_from=args.init_from)
    log(f"fine-tune done: {train_info['best']}")

    export_onnx(model, work / "model.fp32.onnx", settings.max_len)
    quantise_int8(work / "model.fp32.onnx", work / "model.int8.onnx")
    add_embedding_output(work / "model.int8.onnx")  # claim matching reads the pooled vector
    digest = hashlib.sha256((work / "model.int8.onnx").read_bytes()).hexdigest()[:10]
    model_id = f"waspada-bert-v1-{digest}"
    config = {
        "model_id": model_id,
        "labels": list(LABELS),
        "max_len": settings.max_len,
        "normalisation_version": NORMALISATION_VERSION,
        "thresholds": {name: 0.5 for name in LABELS},
        "architecture": train_info["encoder_config"],
        "train_settings": dataclasses.asdict(settings),
    }
    (work / "config.json").write_text(json.dumps(config, indent=1), encoding="utf-8")

    fp32 = OnnxClassifier(work, "model.fp32.onnx")
    int8 = OnnxClassifier(work, "model.int8.onnx")
    scorers = {"fp32": lambda rows: 1 / (1 + np.exp(-fp32.logits([e.text for e in rows], 64))),
               "int8": lambda rows: 1 / (1 + np.exp(-int8.logits([e.text for e in rows], 64)))}
    calibration = {kind: calibrate(corpus.val, _scores_for(fn, corpus.val)) for kind, fn in scorers.items()}
    thresholds = {kind: {n: c["threshold"] for n, c in cal.items()} for kind, cal in calibration.items()}
    config["thresholds"] = thresholds["int8"]
    config["calibration"] = {"target_precision": TARGET_PRECISION, "split": "val", "per_label": calibration["int8"]}
    (work / "config.json").write_text(json.dumps(config, indent=1), encoding="utf-8")

    results = {kind: {name: evaluate(rows, _scores_for(fn, rows), thresholds[kind]) for name, rows in corpus.tests.items()}
               for kind, fn in scorers.items()}
    kept = {}
    for test_name, per_label in results["int8"].items():
        for label, m in per_label.items():
            ref = results["fp32"][test_name][label]["f1"]
            kept[f"{test_name}/{label}"] = round(m["f1"] / ref, 4) if ref else None
    probes = length_probe_texts(corpus)
    probe_scores = {str(n): round(float(np.mean(int8.scores(t)[:, 0])), 4) for n, t in probes.items()}
    log(f"int8 F1 kept: {kept}")

    baseline = None
    if not args.no_baseline:
        from models.baseline import run_baseline

        baseline = run_baseline(corpus, settings.seed)
        log("baseline done")

    metrics = {
        "model_id": model_id,
        "corpus": corpus.summary(),
        "training": train_info,
        "calibration": config["calibration"],
        "transformer_int8": results["int8"],
        "transformer_fp32": results["fp32"],
        "int8_f1_kept": kept,
        "baseline_tfidf_logreg": baseline,
        "length_probe_mean_hoax_score_on_news": probe_scores,
        "total_minutes": round((time.time() - t0) / 60, 2),
        "command": " ".join(["python -m models.train"] + (argv if argv is not None else sys.argv[1:])),
    }
    (work / "metrics.json").write_text(json.dumps(metrics, indent=1), encoding="utf-8")
    from models.ensemble import attach_ngram_ensemble

    # also writes MODEL_CARD.md; the bundled artifact is the one a new model must beat
    attach_ngram_ensemble(work, corpus, settings.seed, log, previous=None if settings.sample else args.previous)
    (work / "model.fp32.onnx").unlink()  # not shipped: the artifact must stay small
    metrics = json.loads((work / "metrics.json").read_text(encoding="utf-8"))
    metrics["total_minutes"] = round((time.time() - t0) / 60, 2)
    (work / "metrics.json").write_text(json.dumps(metrics, indent=1), encoding="utf-8")
    shutil.rmtree(out, ignore_errors=True)
    work.rename(out)
    model_id = json.loads((out / "config.json").read_text(encoding="utf-8"))["model_id"]
    log(f"wrote {out} ({model_id}) in {(time.time() - t0) / 60:.1f} min")
    return 0


if __name__ == "__main__":
    sys.exit(main())
