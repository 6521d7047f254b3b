"""Use a Hugging Face sequence-classification checkpoint instead of the bundled model.

Loaded lazily with transformers + torch (the `train` extra). Label mapping assumed:
  * if config.id2label names "hoax" and/or "provocation" (case-insensitive; "hate", "hs",
    "provokasi", "ujaran_kebencian" also mean provocation), each named label is scored with a
    sigmoid (multi-label) or softmax (single-label) probability of that class;
  * otherwise a 2-class model is read as [not, positive] and its positive class is taken as
    "provocation" (most public Indonesian checkpoints are hate-speech classifiers); hoax scores 0.
Thresholds: env WASPADA_HF_THRESHOLD (default 0.5) for every label.
"""
from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from models.normalise import normalise

LABELS = ("hoax", "provocation")
_SYNONYMS = {
    "hoax": "hoax", "hoaks": "hoax", "fake": "hoax",
    "provocation": "provocation", "provokasi": "provocation", "hate": "provocation", "hs": "provocation",
    "hate_speech": "provocation", "ujaran_kebencian": "provocation",
}


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
                f"(pip install 'waspada[train]' transformers): {exc}"
            ) from exc

        self._torch = torch
        self.tokenizer = AutoTokenizer.from_pretrained(str(model_dir))
        self.model = AutoModelForSequenceClassification.from_pretrained(str(model_dir)).eval()
        config = self.model.config
        self.multi_label = getattr(config, "problem_type", None) == "multi_label_classification"
        self.columns: dict[str, int] = {}
        for idx, name in config.id2label.items():
            label = _SYNONYMS.get(str(name).lower())
            if label:
                self.columns.setdefault(label, int(idx))
        if not self.columns:
            if config.num_labels != 2:
                raise ValueError(
                    f"{model_dir}: cannot map labels {config.id2label} to hoax/provocation; name them in id2label"
                )
            self.columns = {"provocation": 1}
        self.threshold = float(os.environ.get("WASPADA_HF_THRESHOLD", "0.5"))
        digest = hashlib.sha256((Path(model_dir) / "config.json").read_bytes()).hexdigest()[:8]
        self.model_id = f"hf-{Path(model_dir).name}-{digest}"

    def predict(self, texts: list[str], batch_size: int = 32) -> list[dict]:
        torch = self._torch
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        results: list[dict | None] = [None] * len(texts)
        for start in range(0, len(order), batch_size):
            chunk = order[start : start + batch_size]
            batch = self.tokenizer([normalise(texts[i]) for i in chunk], padding=True, truncation=True, max_length=128, return_tensors="pt")
            with torch.no_grad():
                logits = self.model(**batch).logits
            probs = torch.sigmoid(logits) if self.multi_label else torch.softmax(logits, dim=-1)
            for row, i in enumerate(chunk):
                scores = {name: 0.0 for name in LABELS}
                for name, col in self.columns.items():
                    scores[name] = round(float(probs[row, col]), 6)
                labels = [n for n in LABELS if n in self.columns and scores[n] >= self.threshold]
                results[i] = {"scores": scores, "labels": labels, "model_id": self.model_id}
        return results
