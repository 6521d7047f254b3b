"""The batch n-gram scorer (`NgramModel.logits`) against the text-by-text definition it replaced."""
import random

import numpy as np
import pytest

from models.normalise import normalise
from models.contrast_templates import mask_names
from models.ngram_model import NgramModel

REAL_LOOKING = [
    "selamat pagi semua, semoga hari ini menyenangkan",
    "KPU mengumumkan jadwal rapat pleno rekapitulasi suara tingkat nasional pada hari Rabu.",
    "SEBARKAN!!! Surat suara sudah dicoblos untuk paslon 02 ditemukan di gudang KPU, pemilu curang! Viralkan",
    "dasar cina kafir antek asing, usir saja mereka dari negeri ini",
    "prabowo gibran menang di jawa tengah, anies muhaimin kuat di aceh kata bawaslu",
    "@user gmn sih bwslu ga ngapa2in, yg curang dibiarin aja https://t.co/abc #pemilu2024",
]
ADVERSARIAL = [
    "", " ", "\n\t ", "a", "é", "😀", "😀😀 🇮🇩", "ご飯を食べる pemilu", "пропаганда kpu", "مرحبا bawaslu",
    "x" * 20_000, "kpu " * 5_000, " ".join(["prabowo anies ganjar curang"] * 2_000), "a b", "a  a  a",
    "\u200b\u200b", "namatokoh namapartai", "🇮🇩" * 500,
]


@pytest.fixture(scope="module")
def ngram(artifact_dir):
    return NgramModel.load(artifact_dir / "ngram.npz")


def _texts(rng: random.Random, n: int) -> list[str]:
    """Real-looking and adversarial texts plus random splices of them (words cut and glued)."""
    pool = [normalise(t) for t in REAL_LOOKING] + ADVERSARIAL
    spliced = []
    for _ in range(n):
        a, b = rng.choice(pool)[:300], rng.choice(pool)[:300]
        cut = rng.randint(0, len(a))
        spliced.append(a[:cut] + rng.choice(["", " ", "  "]) + b[rng.randint(0, len(b)) :])
    return pool + spliced


def _exact_logits(model: NgramModel, texts: list[str]) -> np.ndarray:
    """The definition (`features`, one text at a time) summed in float64."""
    out = np.tile(model.intercept.astype(np.float64), (len(texts), 1))
    for row, text in enumerate(texts):
        idx, val = model.features(text)
        if idx:
            out[row] += np.asarray(val) @ model.coef[idx].astype(np.float64)
    return out


def _with_masking(model: NgramModel, masked: bool) -> NgramModel:
    return NgramModel(model.word_vocab, model.char_vocab, model.idf, model.coef, model.intercept, model.labels,
                      masked)


def _assert_same_logits(model: NgramModel, texts: list[str]) -> None:
    batch = model.logits(texts)
    assert batch.shape == (len(texts), len(model.labels)) and batch.dtype == np.float32
    # The old path summed in float32 (rounding error up to ~1e-5 on 3,000-character texts); the
    # batch path sums in float64: it must sit within a float32 step of the exact value ...
    np.testing.assert_allclose(batch, _exact_logits(model, texts), rtol=2.5e-7, atol=1e-6)
    # ... and within the old path's own float32 rounding of what it returned.
    np.testing.assert_allclose(batch, model._reference_logits(texts), rtol=2e-6, atol=1e-5)


@pytest.mark.parametrize("masked", [True, False])
def test_batch_logits_equal_the_text_by_text_definition(ngram, masked):
    _assert_same_logits(_with_masking(ngram, masked), _texts(random.Random(17), 300))


def test_scores_do_not_depend_on_the_batch_around_a_text(ngram):
    texts = _texts(random.Random(5), 40)
    together = ngram.logits(texts)
    alone = np.vstack([ngram.logits([t]) for t in texts])
    np.testing.assert_array_equal(together, alone)
    assert ngram.logits([]).shape == (0, len(ngram.labels))


def test_empty_text_scores_the_intercept(ngram):
    np.testing.assert_array_equal(ngram.logits(["", "   "]), np.tile(ngram.intercept, (2, 1)))


def test_masked_model_cannot_tell_one_candidate_from_another(ngram):
    assert ngram.mask_names, "the shipped n-gram model masks names (ngram.npz: mask_names)"
    logits = ngram.logits(["prabowo curang di jawa tengah", "anies curang di jawa tengah"])
    np.testing.assert_array_equal(logits[0], logits[1])
    assert mask_names("prabowo curang") == "namatokoh curang"
    unmasked = _with_masking(ngram, False)
    assert not np.array_equal(*unmasked.logits(["prabowo curang di jawa tengah", "anies curang di jawa tengah"]))


def test_batch_logits_equal_the_definition_on_real_posts(ngram, datasets):
    from models.data import build_corpus

    corpus = build_corpus(seed=13, sample=300)
    texts = [normalise(e.text) for rows in corpus.tests.values() for e in rows] + [normalise(e.text) for e in corpus.val]
    assert len(texts) >= 2_000
    _assert_same_logits(ngram, texts[:3_000])
