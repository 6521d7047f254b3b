"""Train on a small sample of the real data, export, and use the result: the whole path in ~1 min."""
import json

import pytest

pytest.importorskip("torch", reason="training needs the `train` extra (torch)")
pytest.importorskip("sklearn", reason="training needs the `train` extra (scikit-learn)")


def test_quick_training_produces_a_loadable_artifact(datasets, tmp_path):
    from models.train import main

    out = tmp_path / "artifact"
    assert main(["--out", str(out), "--quick", "--sample", "150", "--epochs", "1"]) == 0
    for name in ("model.int8.onnx", "tokenizer.json", "config.json", "metrics.json", "MODEL_CARD.md"):
        assert (out / name).is_file(), name
    assert not (out / "model.fp32.onnx").exists()
    metrics = json.loads((out / "metrics.json").read_text())
    assert set(metrics["transformer_int8"]) >= {"test", "test_provocation_facebook", "test_provocation_news_comments"}
    assert metrics["baseline_tfidf_logreg"]["tests"]

    import models

    clf = models.load(out)
    (result,) = clf.predict(["KPU curang, sebarkan!"])
    assert result["model_id"] == json.loads((out / "config.json").read_text())["model_id"]
    assert 0.0 <= result["scores"]["hoax"] <= 1.0
    assert (out / "slang_id.tsv").is_file()  # the normaliser's map travels with the weights
    assert set(metrics["operating_points"]) == {"hoax", "provocation"}
    # The measures that can see shortcuts, for the shipped model and each half, in the card too.
    shortcuts = metrics["shortcuts"]
    assert set(shortcuts) >= {"shipped", "transformer", "ngram"}
    assert shortcuts["shipped"]["functional"]["n"] >= 1500 and shortcuts["shipped"]["unseen_outlets"]["n"] > 0
    assert set(shortcuts["shipped"]["bars"]) >= {"unseen_outlet_false_alarm", "functional_overall", "neutral_spread"}
    assert "Shortcuts: unseen outlets" in (out / "MODEL_CARD.md").read_text()

    # Re-calibrating changes thresholds and reported results, never the weights or the model id.
    from models.data import build_corpus
    from models.recalibrate import recalibrate

    before = json.loads((out / "config.json").read_text())
    corpus = build_corpus(seed=before["train_settings"]["seed"], sample=before["train_settings"]["sample"])
    after_metrics = recalibrate(out, corpus, "test", base_rate={"hoax": 0.2}, precision={"hoax": 0.7})
    after = json.loads((out / "config.json").read_text())
    assert after["model_id"] == before["model_id"]
    assert after["calibration"]["target_precision"]["hoax"] == 0.7 and after["calibration"]["base_rate"]["hoax"] == 0.2
    assert after_metrics["recalibrated"]["previous"]["thresholds"] == before["thresholds"]
    assert "re-calibrated" in (out / "MODEL_CARD.md").read_text()
