"""A word + character n-gram linear model that runs on numpy alone, ensembled with the transformer.

The transformer, trained from scratch on ~20k posts, learns less per example than a linear model
over n-grams (see the TF-IDF rows in the model card); averaging the two is cheap and robust.
Features (one definition for training and inference, so they cannot drift apart):
  words  unigrams and bigrams of the normalised text, split on whitespace
  chars  2-5 character n-grams inside " word " (word-boundary padded)
each block: sublinear tf (1 + log tf) x idf, L2-normalised. Logistic regression per label is
fitted with scikit-learn at training time; inference is a sparse dot product in numpy over a
whole batch at once (`logits`); `features` is the one-text definition training uses, and
`_reference_logits` scores with it, text by text, as the check the batch path is tested against.
With `mask_names` (recorded in the model file) every known person, party, body, region and group
name is replaced by a word naming its kind before the n-grams are taken
(models.contrast_templates.mask_names): a linear model over words otherwise gives each name its
own weight, and a candidate or religion named more often in hoaxes or hate in the training sets
would push every post that names it.
"""
from __future__ import annotations

import math
from collections import Counter
from itertools import chain
from pathlib import Path

import numpy as np

WORD_NGRAMS = (1, 2)
CHAR_NGRAMS = (2, 5)
MIN_DF = 2
MAX_WORD_FEATURES = 60_000
MAX_CHAR_FEATURES = 120_000
# Texts scored together: enough that numpy's per-call cost vanishes, few enough that the
# flattened n-gram arrays of long articles stay within tens of MB.
LOGITS_CHUNK = 512


def word_grams(text: str) -> list[str]:
    words = text.split()
    grams = list(words)
    grams += [f"{a} {b}" for a, b in zip(words, words[1:])]
    return grams


def _tokenise(texts: list[str]) -> tuple[list[str], np.ndarray, np.ndarray]:
    """(distinct words, each token's index into them, each token's text row) of `texts` split
    on whitespace as `word_grams` splits them, tokens in reading order."""
    split = [t.split() for t in texts]
    uid_of: dict[str, int] = {}
    token_uid = np.array([uid_of.setdefault(w, len(uid_of)) for ws in split for w in ws], dtype=np.int64)
    token_row = np.repeat(np.arange(len(split), dtype=np.int64), [len(ws) for ws in split])
    return list(uid_of), token_uid, token_row


def char_grams(text: str) -> list[str]:
    grams = []
    lo, hi = CHAR_NGRAMS
    for word in text.split():
        padded = f" {word} "
        for n in range(lo, hi + 1):
            grams += [padded[i : i + n] for i in range(max(0, len(padded) - n + 1))]
    return grams


class NgramModel:
    """Vocabulary, idf and one weight column per label; `logits(texts)` needs only numpy."""

    def __init__(self, word_vocab: dict[str, int], char_vocab: dict[str, int], idf: np.ndarray,
                 coef: np.ndarray, intercept: np.ndarray, labels: list[str], mask_names: bool = False):
        self.word_vocab, self.char_vocab, self.mask_names = word_vocab, char_vocab, mask_names
        self.idf, self.coef, self.intercept, self.labels = idf, coef, intercept, labels
        self._char_cache: dict[str, tuple[int, ...]] = {}

    # --- features ---

    def _char_ids(self, word: str) -> tuple[int, ...]:
        # Character n-grams depend only on the word: cache them (most words repeat).
        ids = self._char_cache.get(word)
        if ids is None:
            vocab = self.char_vocab
            ids = tuple(vocab[g] for g in char_grams(word) if g in vocab)
            if len(self._char_cache) < 200_000:
                self._char_cache[word] = ids
        return ids

    def _weights(self, counts: Counter) -> tuple[list[int], list[float]]:
        idx = list(counts)
        val = [(1.0 + math.log(c)) * float(self.idf[i]) for i, c in counts.items()]
        norm = math.sqrt(sum(v * v for v in val)) or 1.0
        return idx, [v / norm for v in val]

    def features(self, text: str) -> tuple[list[int], list[float]]:
        """Sparse feature vector of one normalised text as (indices, values)."""
        if self.mask_names:
            from models.contrast_templates import mask_names

            text = mask_names(text)
        vocab = self.word_vocab
        wi, wv = self._weights(Counter(vocab[g] for g in word_grams(text) if g in vocab))
        chars = Counter()
        for word in text.split():
            chars.update(self._char_ids(word))
        ci, cv = self._weights(chars)
        return wi + ci, wv + cv

    def logits(self, normalised: list[str]) -> np.ndarray:
        """Logits (n, labels) of normalised texts: `features` for every text, but built for a
        chunk of texts at once with numpy, which is several times faster than text by text."""
        out = np.zeros((len(normalised), len(self.intercept)), dtype=np.float32)
        for start in range(0, len(normalised), LOGITS_CHUNK):
            chunk = list(normalised[start : start + LOGITS_CHUNK])
            if self.mask_names:
                from models.contrast_templates import mask_names

                chunk = [mask_names(t) for t in chunk]
            rows, ids, values = self._batch_features(chunk)
            sums = np.tile(self.intercept.astype(np.float64), (len(chunk), 1))
            for j in range(sums.shape[1]):
                # bincount adds up each row's terms: the sparse dot product, one label at a time.
                sums[:, j] += np.bincount(rows, weights=values * self.coef[ids, j], minlength=len(chunk))
            # Summed in float64 and rounded once: within a float32 step of the exact logit.
            out[start : start + len(chunk)] = sums
        return out

    def _reference_logits(self, normalised: list[str]) -> np.ndarray:
        """`logits` text by text through `features`: slow and plain, kept as the definition the
        batch path is tested and benchmarked against."""
        out = np.tile(self.intercept, (len(normalised), 1)).astype(np.float32)
        for row, text in enumerate(normalised):
            idx, val = self.features(text)
            if idx:
                out[row] += np.asarray(val, dtype=np.float32) @ self.coef[idx]
        return out

    def _batch_features(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(row, feature id, value) of every non-zero feature of already-masked `texts`."""
        words, token_uid, token_row = _tokenise(texts)
        word_rows, word_ids = self._word_gram_ids(words, token_uid, token_row)
        char_rows, char_ids = self._char_gram_ids(words, token_uid, token_row)
        rows = np.concatenate([word_rows, char_rows])
        ids = np.concatenate([word_ids, char_ids])
        # One key per (text, feature): np.unique turns the occurrences into term counts.
        keys, counts = np.unique(rows * len(self.idf) + ids, return_counts=True)
        rows, ids = keys // len(self.idf), keys % len(self.idf)
        values = (1.0 + np.log(counts)) * self.idf[ids].astype(np.float64)
        # Each block (words, chars) of each text is L2-normalised on its own, as in `_weights`.
        block = rows * 2 + (ids >= len(self.word_vocab))
        norms = np.sqrt(np.bincount(block, weights=values * values, minlength=2 * len(texts)))
        norms[norms == 0] = 1.0
        return rows, ids, values / norms[block]

    def _word_gram_ids(self, words: list[str], token_uid: np.ndarray, token_row: np.ndarray
                       ) -> tuple[np.ndarray, np.ndarray]:
        """(row, id) of every in-vocabulary word unigram and bigram, repeats included. The
        vocabulary is asked once per distinct word and once per distinct word pair."""
        vocab = self.word_vocab
        unigram = np.array([vocab.get(w, -1) for w in words], dtype=np.int64)[token_uid]
        # Neighbouring tokens of the same text form a bigram.
        same_text = token_row[1:] == token_row[:-1]
        first, second = token_uid[:-1][same_text], token_uid[1:][same_text]
        pairs, which = np.unique(first * len(words) + second, return_inverse=True)
        bigram = np.array([vocab.get(f"{words[k // len(words)]} {words[k % len(words)]}", -1) for k in pairs.tolist()],
                          dtype=np.int64)[which.ravel()]
        rows = np.concatenate([token_row, token_row[:-1][same_text]])
        ids = np.concatenate([unigram, bigram])
        known = ids >= 0
        return rows[known], ids[known]

    def _char_gram_ids(self, words: list[str], token_uid: np.ndarray, token_row: np.ndarray
                       ) -> tuple[np.ndarray, np.ndarray]:
        """(row, id) of every in-vocabulary character n-gram, repeats included.

        Each distinct word's ids are looked up once (`_char_ids`) and laid out end to end; every
        word occurrence then copies its word's slice with index arithmetic instead of a loop."""
        per_word = [self._char_ids(w) for w in words]
        lengths = np.array([len(ids) for ids in per_word], dtype=np.int64)
        flat = np.fromiter(chain.from_iterable(per_word), dtype=np.int64, count=int(lengths.sum()))
        starts = np.cumsum(lengths) - lengths
        token_len = lengths[token_uid]
        entry_token = np.repeat(np.arange(len(token_uid), dtype=np.int64), token_len)
        entry_offset = np.arange(len(entry_token), dtype=np.int64) - (np.cumsum(token_len) - token_len)[entry_token]
        return token_row[entry_token], flat[starts[token_uid][entry_token] + entry_offset]

    # --- persistence ---

    def save(self, path: Path) -> None:
        np.savez_compressed(
            path,
            word_vocab=np.array("\n".join(sorted(self.word_vocab, key=self.word_vocab.get))),
            char_vocab=np.array("\x00".join(sorted(self.char_vocab, key=self.char_vocab.get))),
            idf=self.idf.astype(np.float32), coef=self.coef.astype(np.float32),
            intercept=self.intercept.astype(np.float32), labels=np.array("\n".join(self.labels)),
            mask_names=np.array(self.mask_names),
        )

    @classmethod
    def load(cls, path: Path) -> "NgramModel":
        with np.load(path, allow_pickle=False) as z:
            words = str(z["word_vocab"]).split("\n")
            chars = str(z["char_vocab"]).split("\x00")
            masked = bool(z["mask_names"]) if "mask_names" in z.files else False  # files from before masking
            return cls({w: i for i, w in enumerate(words)}, {c: len(words) + i for i, c in enumerate(chars)},
                       z["idf"], z["coef"], z["intercept"], str(z["labels"]).split("\n"), masked)


def _vocabulary(docs_grams: list[list[str]], max_features: int, offset: int) -> tuple[dict[str, int], Counter]:
    df = Counter()
    for grams in docs_grams:
        df.update(set(grams))
    kept = sorted((g for g, c in df.items() if c >= MIN_DF), key=lambda g: (-df[g], g))[:max_features]
    return {g: offset + i for i, g in enumerate(sorted(kept))}, df


def fit_ngram_model(texts: list[str], targets: dict[str, list[float | None]], seed: int = 13, c: float = 4.0,
                    mask_names: bool = True) -> NgramModel:
    """Fit the vocabulary/idf on `texts` and one logistic regression per label on the rows whose
    label is known (None = unknown). Training-only: needs scipy and scikit-learn."""
    from scipy.sparse import csr_matrix
    from sklearn.linear_model import LogisticRegression

    if mask_names:
        from models.contrast_templates import mask_names as mask

        texts = [mask(t) for t in texts]

    words = [word_grams(t) for t in texts]
    chars = [char_grams(t) for t in texts]
    word_vocab, word_df = _vocabulary(words, MAX_WORD_FEATURES, 0)
    char_vocab, char_df = _vocabulary(chars, MAX_CHAR_FEATURES, len(word_vocab))
    n = len(texts)
    idf = np.zeros(len(word_vocab) + len(char_vocab), dtype=np.float32)
    for vocab, df in ((word_vocab, word_df), (char_vocab, char_df)):
        for g, i in vocab.items():
            idf[i] = math.log((1 + n) / (1 + df[g])) + 1.0
    labels = list(targets)
    model = NgramModel(word_vocab, char_vocab, idf, np.zeros((len(idf), len(labels)), np.float32), np.zeros(len(labels), np.float32), labels)
    # The texts are masked already; the flag is set once the features are built.
    rows, cols, vals = [], [], []
    for r, text in enumerate(texts):
        idx, val = model.features(text)
        rows += [r] * len(idx)
        cols += idx
        vals += val
    x = csr_matrix((vals, (rows, cols)), shape=(n, len(idf)), dtype=np.float32)
    for j, label in enumerate(labels):
        known = [i for i, y in enumerate(targets[label]) if y is not None]
        clf = LogisticRegression(C=c, max_iter=3000, class_weight="balanced", random_state=seed)
        clf.fit(x[known], [targets[label][i] for i in known])
        model.coef[:, j] = clf.coef_[0]
        model.intercept[j] = clf.intercept_[0]
    model.mask_names = mask_names
    return model
