"""A small BERT-style encoder with two sigmoid heads (hoax, provocation). Training-only: needs torch.

Attention is written out with matmul/softmax (no fused kernels) so the ONNX export is plain
MatMul/Softmax that onnxruntime's dynamic int8 quantisation can take.
"""
from __future__ import annotations

import dataclasses
import math

import torch
from torch import nn


def cpu_has_fast_bf16() -> bool:
    """True where the CPU computes bf16 natively (AVX512-BF16 or AMX). Elsewhere bf16 autocast is
    emulated: measured 15x slower than fp32 for a training step on an AMD EPYC without either."""
    try:
        with open("/proc/cpuinfo", encoding="ascii", errors="replace") as fh:
            flags = next((line for line in fh if line.startswith("flags")), "").split()
    except OSError:
        return False
    return "avx512_bf16" in flags or "amx_bf16" in flags


@dataclasses.dataclass
class EncoderConfig:
    vocab_size: int = 12000
    max_len: int = 128
    hidden: int = 256
    layers: int = 4
    heads: int = 4
    ffn: int = 1024
    dropout: float = 0.1
    num_labels: int = 2
    pad_id: int = 0
    # Pre-LN (normalise before attention and feed-forward, one more norm at the end) instead of
    # BERT's post-LN. Post-LN pre-training from scratch collapsed here at lr 1e-3 (every token one
    # vector, models/experiments/pretraining-2026-11-30.json); pre-LN keeps an identity path
    # through every block and trains stably without a long warm-up. Off by default so the shipped
    # from-scratch recipe is unchanged.
    pre_norm: bool = False

    def __post_init__(self):
        if self.hidden % self.heads:
            raise ValueError(f"hidden={self.hidden} must be divisible by heads={self.heads}")


class SelfAttention(nn.Module):
    def __init__(self, cfg: EncoderConfig):
        super().__init__()
        self.heads = cfg.heads
        self.head_dim = cfg.hidden // cfg.heads
        self.qkv = nn.Linear(cfg.hidden, 3 * cfg.hidden)
        self.out = nn.Linear(cfg.hidden, cfg.hidden)
        self.drop = nn.Dropout(cfg.dropout)

    def forward(self, x: torch.Tensor, bias: torch.Tensor) -> torch.Tensor:
        b, t, h = x.shape
        qkv = self.qkv(x).view(b, t, 3, self.heads, self.head_dim).permute(2, 0, 3, 1, 4)
        q, k, v = qkv[0], qkv[1], qkv[2]
        scores = torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(self.head_dim) + bias
        weights = self.drop(torch.softmax(scores, dim=-1))
        return self.out(torch.matmul(weights, v).transpose(1, 2).reshape(b, t, h))


class Block(nn.Module):
    def __init__(self, cfg: EncoderConfig):
        super().__init__()
        self.pre_norm = cfg.pre_norm
        self.attn = SelfAttention(cfg)
        self.norm1 = nn.LayerNorm(cfg.hidden)
        self.ffn = nn.Sequential(nn.Linear(cfg.hidden, cfg.ffn), nn.GELU(), nn.Linear(cfg.ffn, cfg.hidden))
        self.norm2 = nn.LayerNorm(cfg.hidden)
        self.drop = nn.Dropout(cfg.dropout)

    def forward(self, x, bias):
        if self.pre_norm:
            x = x + self.drop(self.attn(self.norm1(x), bias))
            return x + self.drop(self.ffn(self.norm2(x)))
        x = self.norm1(x + self.drop(self.attn(x, bias)))
        return self.norm2(x + self.drop(self.ffn(x)))


class Encoder(nn.Module):
    """Token ids -> contextual vectors (post-LN BERT layout, or pre-LN with `cfg.pre_norm`)."""

    def __init__(self, cfg: EncoderConfig):
        super().__init__()
        self.cfg = cfg
        self.tokens = nn.Embedding(cfg.vocab_size, cfg.hidden, padding_idx=cfg.pad_id)
        self.positions = nn.Embedding(cfg.max_len, cfg.hidden)
        self.norm = nn.LayerNorm(cfg.hidden)
        self.drop = nn.Dropout(cfg.dropout)
        self.blocks = nn.ModuleList(Block(cfg) for _ in range(cfg.layers))
        # Pre-LN blocks leave the residual stream unnormalised; post-LN needs no final norm (and
        # has none, so its saved weights load unchanged).
        self.final_norm = nn.LayerNorm(cfg.hidden) if cfg.pre_norm else None
        self.apply(self._init)

    @staticmethod
    def _init(module):
        if isinstance(module, (nn.Linear, nn.Embedding)):
            nn.init.normal_(module.weight, std=0.02)
        if isinstance(module, nn.Linear) and module.bias is not None:
            nn.init.zeros_(module.bias)

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        t = input_ids.shape[1]
        pos = torch.arange(t, device=input_ids.device).unsqueeze(0)
        x = self.drop(self.norm(self.tokens(input_ids) + self.positions(pos)))
        # Additive mask: padded keys get a large negative score.
        bias = (1.0 - attention_mask[:, None, None, :].to(x.dtype)) * -1e4
        for block in self.blocks:
            x = block(x, bias)
        return self.final_norm(x) if self.final_norm is not None else x


class MultiTaskClassifier(nn.Module):
    """Encoder + masked mean pooling + one logit per label (hoax, provocation)."""

    def __init__(self, cfg: EncoderConfig):
        super().__init__()
        self.encoder = Encoder(cfg)
        self.drop = nn.Dropout(cfg.dropout)
        self.head = nn.Linear(cfg.hidden, cfg.num_labels)

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        x = self.encoder(input_ids, attention_mask)
        m = attention_mask.unsqueeze(-1).to(x.dtype)
        pooled = (x * m).sum(1) / m.sum(1).clamp(min=1.0)
        return self.head(self.drop(pooled))


class MaskedLM(nn.Module):
    """Encoder + tied output projection, for optional masked-language pre-training."""

    def __init__(self, encoder: Encoder):
        super().__init__()
        self.encoder = encoder
        h = encoder.cfg.hidden
        self.transform = nn.Sequential(nn.Linear(h, h), nn.GELU(), nn.LayerNorm(h))
        self.bias = nn.Parameter(torch.zeros(encoder.cfg.vocab_size))

    def forward(self, input_ids, attention_mask):
        x = self.transform(self.encoder(input_ids, attention_mask))
        return x @ self.encoder.tokens.weight.T + self.bias
