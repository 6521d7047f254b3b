"""Masked-language pre-training of the encoder from scratch on the unlabelled Indonesian text.

    python -m models.pretrain --out build/pretrained                 # the full run (up to 110 min, 2 threads)
    python -m models.pretrain --out /tmp/pt --quick                  # a smoke run in about a minute
    python -m models.train --out models/artifact --init-from build/pretrained

Writes `tokenizer.json`, `encoder.pt` (the encoder's weights, fp32) and `pretrain.json` (settings,
steps, tokens seen, minutes, the loss curve and the held-out masked-LM loss and perplexity).
`models.train --init-from` fine-tunes from it with that same tokenizer, and records the
pre-training report in the new artifact's metrics.

What makes it cheap enough for 2 cores:
- Texts are packed into fixed blocks (no padding) separated by [SEP].
- The output projection over the vocabulary, as costly as the encoder itself at this size, is
  computed only at the masked positions (15% of tokens), not at every position.
- bf16 autocast, only where the CPU computes bf16 natively (models.encoder.cpu_has_fast_bf16).
Val/test texts of the labelled splits are kept out of the pre-training text (matched on their
normalised opening), so the encoder never reads a text it is later scored on.
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import math
import random
import sys
import time
from pathlib import Path

import numpy as np
import torch
from tqdm import tqdm

from models.data import build_corpus
from models.encoder import EncoderConfig, Encoder, MaskedLM, cpu_has_fast_bf16
from models.normalise import normalise
from models.onnx_classifier import TextEncoder
from models.settings import datasets_dir
from models.tokenizer_training import normalised_pretraining_texts, train_tokenizer, unlabelled_texts

RATE_PROBE_STEPS = 30
OPENING_CHARS = 200  # a held-out text and an unlabelled copy of it share their normalised opening


@dataclasses.dataclass
class PretrainSettings:
    seed: int = 13
    vocab_size: int = 12000  # must equal models.train's, whose fine-tune reuses this tokenizer
    block: int = 128  # tokens per packed block, [CLS] and [SEP] included
    hidden: int = 256
    layers: int = 4
    heads: int = 4
    ffn: int = 1024
    # Second recipe (after the post-LN lr-1e-3 run collapsed): pre-LN, half the peak learning
    # rate, twice the warm-up share, and half the batch so the same minutes buy twice the updates.
    pre_norm: bool = True
    batch_size: int = 32
    steps: int = 9000
    lr: float = 5e-4
    weight_decay: float = 0.01
    warmup_fraction: float = 0.1
    mask_fraction: float = 0.15
    max_minutes: float = 110.0  # hard stop; the budget is two hours on 2 cores
    heldout_fraction: float = 0.01
    sample: int | None = None
    bf16: bool = dataclasses.field(default_factory=cpu_has_fast_bf16)  # autocast only where the CPU has bf16
    fit_to_time_box: bool = True  # shrink `steps` after a rate probe so the schedule ends in time

    def __post_init__(self):
        if not 0 < self.mask_fraction < 1:
            raise ValueError(f"mask_fraction must be in (0, 1), got {self.mask_fraction}")
        if self.block < 8:
            raise ValueError(f"block={self.block} is too short; use at least 8 tokens")


QUICK = dict(sample=250, vocab_size=3000, hidden=128, layers=2, heads=2, ffn=256, steps=40, batch_size=16, block=128, max_minutes=2.0)


def heldout_openings(corpus) -> set[str]:
    rows = list(corpus.val) + [e for rows in corpus.tests.values() for e in rows]
    return {e.text[:OPENING_CHARS] for e in rows}


def pretraining_texts(corpus, sample: int | None) -> list[str]:
    """Normalised training-split texts plus unlabelled texts, minus anything held out."""
    held = heldout_openings(corpus)
    texts = [e.text for e in corpus.train]
    unlabelled = unlabelled_texts(datasets_dir())
    if sample:
        unlabelled = random.Random(0).sample(unlabelled, min(len(unlabelled), sample * 8))
    for raw in unlabelled:
        text = normalise(raw)
        if text and text[:OPENING_CHARS] not in held:
            texts.append(text)
    return texts


def pack_blocks(encoder: TextEncoder, texts: list[str], block: int, rng: random.Random) -> np.ndarray:
    """Token stream of all texts (shuffled, each ending in [SEP]) cut into [CLS] + body + [SEP] blocks."""
    tok = encoder.tokenizer
    cls, sep = tok.token_to_id("[CLS]"), tok.token_to_id("[SEP]")
    order = list(range(len(texts)))
    rng.shuffle(order)
    stream: list[int] = []
    for enc in tok.encode_batch([texts[i] for i in order], add_special_tokens=False):
        stream.extend(enc.ids)
        stream.append(sep)
    body = block - 2
    n = len(stream) // body
    arr = np.asarray(stream[: n * body], dtype=np.int64).reshape(n, body)
    return np.concatenate([np.full((n, 1), cls), arr, np.full((n, 1), sep)], axis=1)


def mask_tokens(ids: torch.Tensor, s: PretrainSettings, mask_id: int, vocab: int, special_below: int, gen: torch.Generator):
    """BERT masking: of the chosen 15%, 80% become [MASK], 10% a random token, 10% stay."""
    chosen = (torch.rand(ids.shape, generator=gen) < s.mask_fraction) & (ids >= special_below)
    labels = ids[chosen]
    inputs = ids.clone()
    roll = torch.rand(ids.shape, generator=gen)
    inputs[chosen & (roll < 0.8)] = mask_id
    swap = chosen & (roll >= 0.8) & (roll < 0.9)
    inputs[swap] = torch.randint(special_below, vocab, (int(swap.sum()),), generator=gen)
    return inputs, chosen, labels


def masked_loss(model: MaskedLM, inputs, chosen, labels, bf16: bool) -> torch.Tensor:
    with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
        hidden = model.encoder(inputs, torch.ones_like(inputs))
        picked = model.transform(hidden[chosen])
        logits = picked @ model.encoder.tokens.weight.T + model.bias
    return torch.nn.functional.cross_entropy(logits.float(), labels)


def heldout_loss(model: MaskedLM, blocks: np.ndarray, s: PretrainSettings, mask_id: int, vocab: int, special_below: int) -> float:
    model.eval()
    gen = torch.Generator().manual_seed(s.seed + 1)  # the same masks at every evaluation
    total, count = 0.0, 0
    with torch.no_grad():
        for start in range(0, len(blocks), s.batch_size):
            ids = torch.from_numpy(blocks[start : start + s.batch_size])
            inputs, chosen, labels = mask_tokens(ids, s, mask_id, vocab, special_below, gen)
            if labels.numel():
                total += masked_loss(model, inputs, chosen, labels, s.bf16).item() * labels.numel()
                count += labels.numel()
    model.train()
    return total / max(count, 1)


def token_cosine(model: MaskedLM, blocks: np.ndarray) -> float:
    """Mean cosine between the token vectors inside a block. Near 1 means the encoder has collapsed
    (every token one vector: the run of 2026-11-30, models/experiments/); a random one gives ~0.1."""
    model.eval()
    with torch.no_grad():
        ids = torch.from_numpy(blocks[:8])
        h = torch.nn.functional.normalize(model.encoder(ids, torch.ones_like(ids)).float(), dim=-1)
        value = float((h @ h.transpose(1, 2)).mean())
    model.train()
    return value


def pretrain(out: Path, s: PretrainSettings, log) -> dict:
    random.seed(s.seed)
    np.random.seed(s.seed)
    torch.manual_seed(s.seed)
    out.mkdir(parents=True, exist_ok=True)
    corpus = build_corpus(seed=s.seed, sample=s.sample)
    # The tokenizer is trained exactly as models.train trains it, so a fine-tune from scratch and
    # one from this checkpoint see the same vocabulary.
    extra = [e.text for e in corpus.train]
    tok_texts = normalised_pretraining_texts(datasets_dir(), extra) if not s.sample else extra
    train_tokenizer(tok_texts, s.vocab_size, out / "tokenizer.json")
    encoder = TextEncoder(out / "tokenizer.json", s.block)
    texts = pretraining_texts(corpus, s.sample)
    blocks = pack_blocks(encoder, texts, s.block, random.Random(s.seed))
    n_held = max(1, min(256, int(len(blocks) * s.heldout_fraction)))  # evaluation must stay cheap
    held, train_blocks = blocks[:n_held], blocks[n_held:]
    log(f"pre-training text: {len(texts)} texts, {blocks.size:,} tokens in {len(blocks):,} blocks of {s.block} "
        f"({n_held} held out)")

    vocab = encoder.tokenizer.get_vocab_size()
    mask_id = encoder.tokenizer.token_to_id("[MASK]")
    special_below = 5  # ids 0-4 are the special tokens (models.tokenizer_training.SPECIAL_TOKENS)
    cfg = EncoderConfig(vocab_size=vocab, max_len=s.block, hidden=s.hidden, layers=s.layers, heads=s.heads, ffn=s.ffn,
                        dropout=0.1, num_labels=2, pad_id=encoder.pad_id, pre_norm=s.pre_norm)
    model = MaskedLM(Encoder(cfg))
    decay = [p for n, p in model.named_parameters() if p.ndim >= 2]
    no_decay = [p for n, p in model.named_parameters() if p.ndim < 2]
    optimiser = torch.optim.AdamW([{"params": decay, "weight_decay": s.weight_decay}, {"params": no_decay, "weight_decay": 0.0}],
                                  lr=s.lr, betas=(0.9, 0.98))

    requested = s.steps
    plan = {"warmup": None}  # warm-up length, fixed at the first fit so a later re-fit cannot restart it

    def lr_factor(k: int) -> float:
        # Read s.steps at every step: fitting to the time box may change it, and the decay follows.
        warmup = plan["warmup"] or max(1, int(s.steps * s.warmup_fraction))
        return min((k + 1) / warmup, max(0.0, (s.steps - k) / max(1, s.steps - warmup)))

    def fit(step: int) -> None:
        """Plan as many steps as the rest of the time box affords at the rate so far, at most the
        requested number. Run at the rate probe and again at every evaluation: a probe taken while
        other jobs shared the cores planned 710 steps at 7 s/step, and the cores then freed up
        (2 s/step), ending the run at 35 of 75 minutes."""
        elapsed = time.time() - started
        per_step, planned = elapsed / step, planned_steps(step, elapsed, s.max_minutes, requested)
        if plan["warmup"] is None:
            plan["warmup"] = max(1, int(planned * s.warmup_fraction))
        if planned != s.steps and (planned < s.steps or planned > s.steps * 1.1):  # ignore small wobbles
            log(f"{per_step:.2f} s/step at step {step}: planning {planned} steps (requested {requested})")
            s.steps = planned
            bar.total = planned

    schedule = torch.optim.lr_scheduler.LambdaLR(optimiser, lr_factor)
    gen = torch.Generator().manual_seed(s.seed)
    order = np.random.default_rng(s.seed)
    curve = [{"step": 0, "heldout_loss": round(heldout_loss(model, held, s, mask_id, vocab, special_below), 4), "minutes": 0.0}]
    started = time.time()
    running, step, tokens = 0.0, 0, 0
    perm = order.permutation(len(train_blocks))
    cursor = 0
    bar = tqdm(total=s.steps, desc="masked-LM pre-training", unit="step", file=sys.stderr, mininterval=10)
    eval_every = max(1, s.steps // 12)
    stopped_early = False
    model.train()
    while step < s.steps:
        if cursor + s.batch_size > len(perm):
            perm, cursor = order.permutation(len(train_blocks)), 0
        ids = torch.from_numpy(train_blocks[perm[cursor : cursor + s.batch_size]])
        cursor += s.batch_size
        inputs, chosen, labels = mask_tokens(ids, s, mask_id, vocab, special_below, gen)
        loss = masked_loss(model, inputs, chosen, labels, s.bf16)
        optimiser.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimiser.step()
        schedule.step()
        step += 1
        tokens += ids.numel()
        running = 0.98 * running + 0.02 * loss.item() if step > 1 else loss.item()
        bar.update(1)
        if step == RATE_PROBE_STEPS and s.fit_to_time_box:
            # Fit the schedule to the time box: the learning rate should reach zero as time runs out,
            # not be cut off mid-schedule. The steps actually taken are recorded; pass them as
            # --steps (with --no-fit) to repeat this run exactly.
            fit(step)
            eval_every = max(1, s.steps // 12)
        if step % 20 == 0:
            bar.set_postfix(loss=f"{running:.3f}")
        minutes = (time.time() - started) / 60
        if step % eval_every == 0 or step == s.steps:
            held_loss = heldout_loss(model, held, s, mask_id, vocab, special_below)
            collapse = token_cosine(model, held)
            curve.append({"step": step, "train_loss": round(running, 4), "heldout_loss": round(held_loss, 4),
                          "token_cosine": round(collapse, 4), "minutes": round(minutes, 2)})
            log(f"step {step}: train loss {running:.3f} held-out {held_loss:.3f} (perplexity {math.exp(held_loss):.0f}), "
                f"token cosine {collapse:.2f}, {minutes:.1f} min")
            torch.save(model.encoder.state_dict(), out / "encoder.pt")  # a crash keeps the latest checkpoint
            if s.fit_to_time_box and RATE_PROBE_STEPS < step < 0.9 * s.steps:
                fit(step)
        if minutes > s.max_minutes:
            log(f"time box of {s.max_minutes} min reached at step {step} of {s.steps}; stopping")
            stopped_early = True
            break
    bar.close()
    final = heldout_loss(model, held, s, mask_id, vocab, special_below)
    torch.save(model.encoder.state_dict(), out / "encoder.pt")
    report = {
        "settings": dataclasses.asdict(s),
        "encoder_config": dataclasses.asdict(cfg),
        "parameters": sum(p.numel() for p in model.encoder.parameters()),
        "texts": len(texts),
        "corpus_tokens": int(blocks.size),
        "steps": step,
        "tokens_seen": tokens,
        "passes_over_corpus": round(tokens / max(1, train_blocks.size), 2),
        "minutes": round((time.time() - started) / 60, 2),
        "stopped_by_time_box": stopped_early,
        "torch_threads": torch.get_num_threads(),
        "heldout_loss": round(final, 4),
        "heldout_perplexity": round(math.exp(final), 1),
        "token_cosine": round(token_cosine(model, held), 4),
        "unigram_perplexity": round(unigram_perplexity(train_blocks, held, vocab), 1),
        "curve": curve,
    }
    (out / "pretrain.json").write_text(json.dumps(report, indent=1), encoding="utf-8")
    return report


def planned_steps(step: int, elapsed_s: float, max_minutes: float, requested: int) -> int:
    """Steps the time box affords at the rate so far (8% spare for evaluations), at most the
    requested number and at least one more than taken."""
    per_step = elapsed_s / step
    affordable = int(step + (max_minutes * 60 - elapsed_s) / (per_step * 1.08))
    return max(step + 1, min(requested, affordable))


def unigram_perplexity(train_blocks: np.ndarray, held: np.ndarray, vocab: int) -> float:
    """What a model that ignores context would score: the floor the encoder must beat."""
    counts = np.bincount(train_blocks.ravel(), minlength=vocab).astype(np.float64) + 1.0
    counts[:5] = 0
    probs = counts / counts.sum()
    heldout = held.ravel()
    heldout = heldout[heldout >= 5]  # special tokens are never masked, so never predicted
    return float(np.exp(-np.mean(np.log(probs[heldout]))))


def pretrained_layout(directory: Path) -> bool:
    """Whether the encoder saved in `directory` is pre-LN (runs before the option existed were post-LN)."""
    report = json.loads((Path(directory) / "pretrain.json").read_text(encoding="utf-8"))
    return bool(report["encoder_config"].get("pre_norm", False))


def load_pretrained_encoder(model, directory: Path) -> dict:
    """Copy a pre-trained encoder into a MultiTaskClassifier; returns the pre-training report."""
    directory = Path(directory)
    missing = [n for n in ("encoder.pt", "tokenizer.json", "pretrain.json") if not (directory / n).is_file()]
    if missing:
        raise FileNotFoundError(f"{directory} lacks {', '.join(missing)}: run `python -m models.pretrain --out {directory}` first")
    state = torch.load(directory / "encoder.pt", map_location="cpu", weights_only=True)
    want = model.encoder.positions.weight.shape[0]
    have = state["positions.weight"].shape[0]
    if have < want:
        raise ValueError(f"{directory} was pre-trained on {have}-token blocks but the fine-tune uses max_len {want}: "
                         f"pre-train with --block {want} or fine-tune with a shorter max_len")
    state["positions.weight"] = state["positions.weight"][:want]
    model.encoder.load_state_dict(state)
    return json.loads((directory / "pretrain.json").read_text(encoding="utf-8"))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, required=True, help="directory for tokenizer.json, encoder.pt, pretrain.json")
    parser.add_argument("--quick", action="store_true", help="small sample and model: a smoke run")
    parser.add_argument("--steps", type=int, default=None, help="optimiser steps (default 9000)")
    parser.add_argument("--max-minutes", type=float, default=None, help="stop after this many minutes (default 110)")
    parser.add_argument("--block", type=int, default=None, help="tokens per packed block (default 128)")
    parser.add_argument("--no-fit", action="store_true", help="run exactly --steps, however long that takes (up to the time box)")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--threads", type=int, default=2, help="torch threads (default 2: a step ran 1.7x faster than on 1)")
    args = parser.parse_args(argv)
    s = PretrainSettings(seed=args.seed, **(QUICK if args.quick else {}))
    for field, value in (("steps", args.steps), ("max_minutes", args.max_minutes), ("block", args.block)):
        if value is not None:
            setattr(s, field, value)
    s.fit_to_time_box = not args.no_fit
    torch.set_num_threads(max(1, args.threads))
    t0 = time.time()

    def log(msg: str) -> None:
        print(f"[{time.time() - t0:7.1f}s] {msg}", file=sys.stderr, flush=True)

    report = pretrain(args.out, s, log)
    log(f"done: {report['steps']} steps, {report['tokens_seen']:,} tokens, {report['minutes']} min, "
        f"held-out loss {report['heldout_loss']} (perplexity {report['heldout_perplexity']} vs unigram {report['unigram_perplexity']})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
