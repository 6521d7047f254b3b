"""Inference on the released artifact with ONNX Runtime and `tokenizers` only (no torch)."""
from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np

from models.normalise import NORMALISATION_VERSION, normalise

ARTIFACT_FILES = ("model.int8.onnx", "tokenizer.json", "config.json")


class ArtifactError(ValueError):
    """Raised when a model directory is missing a file or was built for another normalisation."""


class TextEncoder:
    """Normalised text -> padded (input_ids, attention_mask) int64 arrays."""

    def __init__(self, tokenizer_path: Path, max_len: int, pad_id: int | None = None):
        from tokenizers import Tokenizer

        self.tokenizer = Tokenizer.from_file(str(tokenizer_path))
        self.tokenizer.enable_truncation(max_length=max_len)
        self.tokenizer.no_padding()
        # WordPiece artifacts name their pad "[PAD]"; e5's SentencePiece vocabulary pads with id 1.
        self.pad_id = pad_id if pad_id is not None else (self.tokenizer.token_to_id("[PAD]") or 0)

    def token_ids(self, texts: list[str]) -> list[list[int]]:
        return [enc.ids for enc in self.tokenizer.encode_batch(texts)]

    def pad(self, ids: list[list[int]]) -> tuple[np.ndarray, np.ndarray]:
        width = max(len(x) for x in ids)
        input_ids = np.full((len(ids), width), self.pad_id, dtype=np.int64)
        mask = np.zeros((len(ids), width), dtype=np.int64)
        for row, seq in enumerate(ids):
            input_ids[row, : len(seq)] = seq
            mask[row, : len(seq)] = 1
        return input_ids, mask


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def _check_slang_map(model_dir: Path) -> None:
    """Refuse an artifact trained with another slang map than the one `normalise` applies.

    Normalisation reads the bundled map (models/artifact/slang_id.tsv) for every model in the
    process; an artifact whose own copy differs was trained on text this process would not
    produce, and would score quietly worse, so it is refused by name rather than loaded."""
    from models.settings import SLANG_MAP_PATH

    own = model_dir / "slang_id.tsv"
    if own.is_file() and SLANG_MAP_PATH.is_file() and own.resolve() != SLANG_MAP_PATH.resolve() \
            and own.read_bytes() != SLANG_MAP_PATH.read_bytes():
        raise ArtifactError(
            f"{own} differs from the slang map this code normalises with ({SLANG_MAP_PATH}): the model "
            f"was trained on other normalised text. Copy {own} over {SLANG_MAP_PATH} (and use that "
            f"model only), or retrain with `python -m models.train`")


class OnnxClassifier:
    """Scores posts for every label in one forward pass. Build it with `models.load()`."""

    def __init__(self, model_dir: Path, onnx_file: str = "model.int8.onnx", threads: int | None = None,
                 use_cascade: bool = True):
        import onnxruntime as ort

        model_dir = Path(model_dir)
        missing = [name for name in (onnx_file, "tokenizer.json", "config.json") if not (model_dir / name).is_file()]
        if missing:
            raise ArtifactError(f"model dir {model_dir} lacks {', '.join(missing)}: retrain with `python -m models.train --out {model_dir}`")
        self.config = json.loads((model_dir / "config.json").read_text(encoding="utf-8"))
        if str(self.config.get("normalisation_version")) != NORMALISATION_VERSION:
            raise ArtifactError(
                f"{model_dir} was trained with normalisation version {self.config.get('normalisation_version')!r} "
                f"but this code normalises as version {NORMALISATION_VERSION!r}: retrain the model"
            )
        _check_slang_map(model_dir)
        self.labels: list[str] = list(self.config["labels"])
        self.thresholds: dict[str, float] = {k: float(v) for k, v in self.config["thresholds"].items()}
        self.model_id: str = self.config["model_id"]
        self.encoder = TextEncoder(model_dir / "tokenizer.json", int(self.config["max_len"]))
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads or int(os.environ.get("WASPADA_MODEL_THREADS", "0")) or min(2, os.cpu_count() or 1)
        options.inter_op_num_threads = 1
        self.session = ort.InferenceSession(str(model_dir / onnx_file), options, providers=["CPUExecutionProvider"])
        # Optional n-gram half of the ensemble (models/ngram_model.py): scores are the weighted
        # mean of the two models' probabilities, and the thresholds were calibrated on that mean.
        self.ngram = None
        self.transformer_weight = 1.0
        ensemble = self.config.get("ensemble")
        if ensemble:
            from models.ngram_model import NgramModel

            ngram_path = model_dir / ensemble["ngram_file"]
            if not ngram_path.is_file():
                raise ArtifactError(f"{model_dir}/config.json names {ensemble['ngram_file']} but it is missing: retrain the model")
            self.ngram = NgramModel.load(ngram_path)
            self.transformer_weight = float(ensemble["transformer_weight"])
        # Optional second stage (models/cascade.py): the fine-tuned e5 scores the posts the fast
        # ensemble above passes on; `use_cascade=False` gives the fast ensemble alone (its own
        # thresholds are then config["cascade"]["fast_thresholds"]).
        self.full = None
        self.screen: dict[str, float] = {}
        cascade = self.config.get("cascade")
        if cascade and use_cascade:
            from models.e5_onnx import E5ModelMissing, E5OnnxClassifier

            try:
                self.full = E5OnnxClassifier(model_dir / cascade["directory"], threads=options.intra_op_num_threads)
            except E5ModelMissing as exc:
                raise ArtifactError(f"{model_dir}/config.json names a cascade but {exc}") from exc
            self.screen = {k: float(v) for k, v in cascade["screen"].items()}
            self.full_weight = float(cascade.get("weight", 1.0))
        elif cascade:
            self.thresholds = {k: float(v) for k, v in cascade["fast_thresholds"].items()}

    def logits(self, normalised: list[str], batch_size: int = 32) -> np.ndarray:
        """Raw logits (n, labels) for already-normalised texts, batched by length."""
        ids = self.encoder.token_ids(normalised)
        order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
        out = np.zeros((len(ids), len(self.labels)), dtype=np.float32)
        for start in range(0, len(order), batch_size):
            chunk = order[start : start + batch_size]
            input_ids, mask = self.encoder.pad([ids[i] for i in chunk])
            (logits,) = self.session.run(["logits"], {"input_ids": input_ids, "attention_mask": mask})
            out[chunk] = logits
        return out

    @property
    def has_embedding(self) -> bool:
        return any(o.name == "embedding" for o in self.session.get_outputs())

    def embed_normalised(self, normalised: list[str], batch_size: int = 32) -> np.ndarray:
        """Unit-length sentence vectors (n, hidden): the pooled encoder output the heads read."""
        if not self.has_embedding:
            raise ArtifactError("this model has no 'embedding' output: run `python -m models.export <model dir>` "
                                "(train extra) to add it; the weights and scores stay the same")
        ids = self.encoder.token_ids(normalised)
        order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
        out = None
        for start in range(0, len(order), batch_size):
            chunk = order[start : start + batch_size]
            input_ids, mask = self.encoder.pad([ids[i] for i in chunk])
            (vectors,) = self.session.run(["embedding"], {"input_ids": input_ids, "attention_mask": mask})
            if out is None:
                out = np.zeros((len(ids), vectors.shape[1]), dtype=np.float32)
            out[chunk] = vectors
        if out is None:
            return np.zeros((0, 0), dtype=np.float32)
        return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-9)

    def scores(self, texts: list[str], batch_size: int = 32) -> np.ndarray:
        """Probabilities (n, labels) as `predict` reports them."""
        return self.scores_normalised([normalise(t) for t in texts], batch_size)

    def scores_normalised(self, normalised: list[str], batch_size: int = 32) -> np.ndarray:
        """Probabilities (n, labels) of already-normalised texts: the cascade's if the artifact
        has one, else the fast ensemble's."""
        if self.full is None:
            return self.fast_scores_normalised(normalised, batch_size)
        from models.cascade import cascade_scores

        probs, _ = cascade_scores(lambda t: self.fast_scores_normalised(t, batch_size),
                                  lambda t: self.full.probabilities(t, batch_size), self.screen, self.labels, normalised,
                                  self.full_weight)
        return probs

    def fast_scores_normalised(self, normalised: list[str], batch_size: int = 32) -> np.ndarray:
        """The fast ensemble alone: the small encoder, mixed with the n-gram model if there is one."""
        probs = _sigmoid(self.logits(normalised, batch_size))
        if self.ngram is not None:
            w = self.transformer_weight
            probs = w * probs + (1.0 - w) * _sigmoid(self.ngram.logits(normalised))
        return probs

    def predict(self, texts: list[str], batch_size: int = 32) -> list[dict]:
        """One dict per text, in input order:
        {"scores": {"hoax": 0.91, "provocation": 0.08}, "labels": ["hoax"], "model_id": "..."}"""
        if isinstance(texts, str):
            raise TypeError("predict() takes a list of texts; wrap a single text as [text]")
        if batch_size < 1:
            raise ValueError(f"batch_size must be at least 1, got {batch_size}")
        if not texts:
            return []
        normalised = [normalise(t) for t in texts]
        probs = self.scores_normalised(normalised, batch_size)
        # Nothing left to read (empty, whitespace, only invisible characters): score 0, flag nothing,
        # rather than let the model guess from [CLS][SEP] alone.
        probs[[i for i, t in enumerate(normalised) if not t]] = 0.0
        results = []
        for row in probs:
            scores = {name: round(float(row[j]), 6) for j, name in enumerate(self.labels)}
            labels = [name for name in self.labels if scores[name] >= self.thresholds[name]]
            results.append({"scores": scores, "labels": labels, "model_id": self.model_id})
        return results
