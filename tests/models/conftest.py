import pytest

from models.settings import BUNDLED_ARTIFACT_DIR, datasets_dir


@pytest.fixture(scope="session")
def datasets():
    root = datasets_dir()
    if not (root / "id-multilabel-hatespeech").is_dir():
        pytest.skip(f"shared datasets not found at {root}: set WASPADA_DATASETS_DIR to run data/training tests")
    return root


@pytest.fixture(scope="session")
def artifact_dir():
    if not (BUNDLED_ARTIFACT_DIR / "model.int8.onnx").is_file():
        pytest.fail(f"no released model in {BUNDLED_ARTIFACT_DIR}: run `python -m models.train --out models/artifact`")
    return BUNDLED_ARTIFACT_DIR


@pytest.fixture(scope="session")
def classifier(artifact_dir):
    import models

    return models.load(artifact_dir)
