"""Use a Hugging Face sequence-classification checkpoint instead of the bundled model.

Loaded lazily with torch and transformers (the `hf` extra). Label mapping:
  * if config.id2label names "hoax" and/or "provocation" (case-insensitive, spaces and hyphens
    read as "_"; "hate", "hs", "provokasi", "ujaran_kebencian" also mean provocation), each
    named label is scored with a sigmoid (multi-label) or softmax (single-label) probability;
  * otherwise a 2-class model is read as [not, positive] and its positive class is taken as
    "provocation" (most public Indonesian checkpoints are hate-speech classifiers); hoax scores 0.
A single-logit model is read with a sigmoid whatever its problem_type (a softmax over one
column is always 1). Thresholds: env WASPADA_HF_THRESHOLD (default 0.5) for every label.
A text that is empty after normalisation scores 0 and is never flagged, as with the ONNX model.
The model id is "hf-<directory name>-<digest of config, weights and tokenizer files>", so a
retrained checkpoint gets a new id even when its config.json is unchanged.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path

from models.normalise import normalise

LABELS = ("hoax", "provocation")
_SYNONYMS = {
    "hoax": "hoax", "hoaks": "hoax", "fake": "hoax",
    "provocation": "provocation", "provokasi": "provocation", "hate": "provocation", "hs": "provocation",
    "hate_speech": "provocation", "ujaran_kebencian": "provocation",
}
# What from_pretrained reads (config, weights, tokenizer); not README.md or optimizer/trainer state.
_ID_SUFFIXES = (".json", ".safetensors", ".bin", ".txt", ".model")


def _model_id(model_dir: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in model_dir.iterdir() if p.is_file() and p.suffix in _ID_SUFFIXES):
        digest.update(path.name.encode() + b"\0")
        with path.open("rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                digest.update(block)
    return f"hf-{model_dir.name}-{digest.hexdigest()[:10]}"


def _threshold() -> float:
    raw = os.environ.get("WASPADA_HF_THRESHOLD", "0.5")
    try:
        value = float(raw)
    except ValueError:
        value = float("nan")
    if not 0.0 < value <= 1.0:
        raise ValueError(f"WASPADA_HF_THRESHOLD={raw!r} is not a probability: set it to a number in (0, 1], e.g. 0.5")
    return value


def is_hf_checkpoint(model_dir: Path) -> bool:
    config = Path(model_dir) / "config.json"
    if not config.is_file():
        return False
    try:
        return "architectures" in json.loads(config.read_text(encoding="utf-8"))
    except ValueError:
        return False


class HuggingFaceClassifier:
    def __init__(self, model_dir: Path):
        try:
            import torch
            from transformers import AutoModelForSequenceClassification, AutoTokenizer
        except ImportError as exc:
            raise ImportError(
                f"{model_dir} is a Hugging Face checkpoint; loading it needs torch and transformers "
                f"(pip install 'waspada[hf]'): {exc}"
            ) from exc

        self._torch = torch
        # resolve(): the id names the checkpoint, not a symlink such as models/current.
        model_dir = Path(model_dir).resolve()
        self.threshold = _threshold()
        # A local directory: never ask the hub for anything while monitoring.
        self.tokenizer = AutoTokenizer.from_pretrained(str(model_dir), local_files_only=True)
        self.model = AutoModelForSequenceClassification.from_pretrained(str(model_dir), local_files_only=True).eval()
        config = self.model.config
        self.multi_label = getattr(config, "problem_type", None) == "multi_label_classification" or config.num_labels == 1
        # Past what the checkpoint's position embeddings hold, the forward pass fails.
        self.max_length = min(128, int(self.tokenizer.model_max_length))
        self.columns: dict[str, int] = {}
        for idx, name in config.id2label.items():
            label = _SYNONYMS.get(re.sub(r"[\s-]+", "_", str(name).strip().lower()))
            if label:
                self.columns.setdefault(label, int(idx))
        if not self.columns:
            if config.num_labels != 2:
                raise ValueError(
                    f"{model_dir}: cannot map labels {config.id2label} to hoax/provocation; name them in id2label"
                )
            self.columns = {"provocation": 1}
        self.model_id = _model_id(model_dir)

    def predict(self, texts: list[str], batch_size: int = 32) -> list[dict]:
        if isinstance(texts, str):
            raise TypeError("predict() takes a list of texts; wrap a single text as [text]")
        if batch_size < 1:
            raise ValueError(f"batch_size must be at least 1, got {batch_size}")
        torch = self._torch
        normalised = [normalise(t) for t in texts]
        order = sorted(range(len(texts)), key=lambda i: len(normalised[i]))
        results: list[dict | None] = [None] * len(texts)
        for start in range(0, len(order), batch_size):
            chunk = order[start : start + batch_size]
            batch = self.tokenizer([normalised[i] for i in chunk], padding=True, truncation=True,
                                   max_length=self.max_length, return_tensors="pt")
            with torch.no_grad():
                logits = self.model(**batch).logits
            probs = torch.sigmoid(logits) if self.multi_label else torch.softmax(logits, dim=-1)
            for row, i in enumerate(chunk):
                scores = {name: 0.0 for name in LABELS}
                # Nothing left to read: score 0 rather than let the model guess from [CLS][SEP] alone.
                if normalised[i]:
                    for name, col in self.columns.items():
                        scores[name] = round(float(probs[row, col]), 6)
                labels = [n for n in LABELS if n in self.columns and scores[n] >= self.threshold]
                results[i] = {"scores": scores, "labels": labels, "model_id": self.model_id}
        return results
