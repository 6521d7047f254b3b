"""Paths the models package reads, each overridable from the environment.

WASPADA_DATASETS_DIR  where the shared Indonesian datasets live (read in place, never copied)
WASPADA_MODEL_DIR     which model directory `models.load()` uses when no path is given
"""
from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
REPO_DIR = PACKAGE_DIR.parent
BUNDLED_ARTIFACT_DIR = PACKAGE_DIR / "artifact"
# The slang map is part of the released artifact: normalisation is half the model, and the map is
# derived from the shared dictionaries, so it ships with the weights rather than as loose source data.
SLANG_MAP_PATH = BUNDLED_ARTIFACT_DIR / "slang_id.tsv"


def datasets_dir() -> Path:
    """The shared datasets folder: env WASPADA_DATASETS_DIR, else <repo>/../shared/datasets."""
    configured = os.environ.get("WASPADA_DATASETS_DIR")
    if configured:
        return Path(configured).expanduser()
    return REPO_DIR.parent / "shared" / "datasets"


def model_dir() -> Path:
    """The model directory `models.load()` uses: env WASPADA_MODEL_DIR, else the bundled artifact."""
    configured = os.environ.get("WASPADA_MODEL_DIR")
    if configured:
        return Path(configured).expanduser()
    return BUNDLED_ARTIFACT_DIR
