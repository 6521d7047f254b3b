"""Waspada's Indonesian hoax/provocation classifier.

    >>> import models
    >>> clf = models.load()                      # bundled artifact, or $WASPADA_MODEL_DIR
    >>> clf.predict(["Prabowo curang, KPU sudah diatur!"])[0]["scores"]["hoax"]

Importing this package loads neither torch nor transformers; the bundled model runs on ONNX
Runtime. A directory holding a Hugging Face sequence-classification checkpoint (config.json with
"architectures") is loaded with transformers instead (see models/hf_classifier.py).
"""
from __future__ import annotations

from pathlib import Path

from models.normalise import NORMALISATION_VERSION, normalise

__all__ = ["load", "normalise", "NORMALISATION_VERSION"]


def load(path: str | Path | None = None):
    """Return a classifier with `.model_id` and `.predict(texts, batch_size=32)`.

    path=None uses env WASPADA_MODEL_DIR if set, else the bundled models/artifact/."""
    from models.settings import model_dir

    directory = Path(path).expanduser() if path is not None else model_dir()
    if not directory.is_dir():
        raise FileNotFoundError(f"model dir {directory} does not exist: set WASPADA_MODEL_DIR or pass an existing path")
    from models.hf_classifier import is_hf_checkpoint

    if is_hf_checkpoint(directory):
        from models.hf_classifier import HuggingFaceClassifier

        return HuggingFaceClassifier(directory)
    from models.onnx_classifier import OnnxClassifier

    return OnnxClassifier(directory)
