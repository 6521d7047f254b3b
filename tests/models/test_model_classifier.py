import json
import math
import shutil
import subprocess
import sys

import pytest

import models
from models.onnx_classifier import ArtifactError

NEUTRAL = [
    "selamat pagi semua, semoga hari ini menyenangkan",
    "KPU mengumumkan jadwal rapat pleno rekapitulasi suara tingkat nasional pada hari Rabu.",
    "terima kasih atas bantuannya kak, paketnya sudah sampai",
]
HOAX = [
    "SEBARKAN!!! Surat suara sudah dicoblos untuk paslon 02 ditemukan di gudang KPU, pemilu curang! Viralkan sebelum dihapus",
    "Beredar pesan WhatsApp: vaksin mengandung chip untuk melacak warga, segera bagikan ke keluarga anda",
]
PROVOCATIVE = [
    "dasar cina kafir antek asing, usir saja mereka dari negeri ini",
    "bunuh saja para pendukung kadrun itu, bakar rumahnya",
]


def test_model_id_names_the_model(classifier):
    assert classifier.model_id.startswith("waspada-bert-v1-")


def test_predict_shape_and_ranges(classifier):
    results = classifier.predict(NEUTRAL + HOAX + PROVOCATIVE, batch_size=3)
    assert len(results) == len(NEUTRAL + HOAX + PROVOCATIVE)
    for r in results:
        assert set(r) == {"scores", "labels", "model_id"}
        assert set(r["scores"]) == {"hoax", "provocation"}
        assert all(0.0 <= v <= 1.0 for v in r["scores"].values())
        assert r["model_id"] == classifier.model_id
        assert set(r["labels"]) <= {"hoax", "provocation"}
        for name, score in r["scores"].items():
            assert (name in r["labels"]) == (score >= classifier.thresholds[name])


def test_predict_keeps_input_order_whatever_the_batching(classifier):
    texts = NEUTRAL + HOAX + PROVOCATIVE
    one_by_one = [classifier.predict([t])[0]["scores"] for t in texts]
    batched = [r["scores"] for r in classifier.predict(texts, batch_size=4)]
    for a, b in zip(one_by_one, batched):
        assert a == pytest.approx(b, abs=1e-2)  # int8 activation ranges vary a little with padding


def test_obvious_examples_rank_above_neutral(classifier):
    neutral = classifier.predict(NEUTRAL)
    hoax = classifier.predict(HOAX)
    provocative = classifier.predict(PROVOCATIVE)
    mean = lambda rows, label: sum(r["scores"][label] for r in rows) / len(rows)
    assert mean(hoax, "hoax") > mean(neutral, "hoax")
    assert mean(provocative, "provocation") > mean(neutral, "provocation")


def test_empty_input_and_bad_arguments(classifier):
    assert classifier.predict([]) == []
    with pytest.raises(TypeError, match="list"):
        classifier.predict("satu teks")
    with pytest.raises(ValueError, match="batch_size"):
        classifier.predict(["x"], batch_size=0)


def test_load_uses_env_model_dir(monkeypatch, artifact_dir):
    monkeypatch.setenv("WASPADA_MODEL_DIR", str(artifact_dir))
    assert models.load().model_id.startswith("waspada-bert-v1-")


def test_load_missing_dir_names_it(tmp_path):
    with pytest.raises(FileNotFoundError, match="nope"):
        models.load(tmp_path / "nope")


def test_load_incomplete_dir_says_how_to_fix(tmp_path):
    (tmp_path / "config.json").write_text("{}")
    with pytest.raises(ArtifactError, match="models.train"):
        models.load(tmp_path)


def test_an_artifact_trained_with_another_slang_map_is_refused(tmp_path, artifact_dir):
    copy = tmp_path / "copy"
    shutil.copytree(artifact_dir, copy)
    assert models.load(copy).model_id  # an identical map loads
    with open(copy / "slang_id.tsv", "a", encoding="utf-8") as f:
        f.write("kpu\tkomisi pemilihan umum\n")
    with pytest.raises(ArtifactError, match="slang map"):
        models.load(copy)


def test_inference_never_imports_torch_or_transformers(artifact_dir):
    code = (
        "import sys, models\n"
        f"c = models.load({str(artifact_dir)!r})\n"
        "c.predict(['halo semua', 'KPU curang'])\n"
        "bad = [m for m in ('torch', 'transformers', 'sklearn') if m in sys.modules]\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)


def test_shipped_files_are_consistent(artifact_dir):
    config = json.loads((artifact_dir / "config.json").read_text())
    metrics = json.loads((artifact_dir / "metrics.json").read_text())
    assert config["model_id"] == metrics["model_id"]
    assert config["normalisation_version"] == models.NORMALISATION_VERSION
    assert set(config["thresholds"]) == {"hoax", "provocation"}
    assert (artifact_dir / "MODEL_CARD.md").read_text().count(config["model_id"]) >= 1
    size_mb = sum(p.stat().st_size for p in artifact_dir.iterdir()) / 1e6
    assert size_mb < 40, f"artifact is {size_mb:.1f} MB; keep it to a few tens of MB"


def test_hugging_face_directories_are_recognised(tmp_path):
    from models.hf_classifier import is_hf_checkpoint

    (tmp_path / "config.json").write_text(json.dumps({"architectures": ["BertForSequenceClassification"]}))
    assert is_hf_checkpoint(tmp_path)
    (tmp_path / "config.json").write_text(json.dumps({"model_id": "waspada-bert-v1-x"}))
    assert not is_hf_checkpoint(tmp_path)


NEWS = (
    "Komisi Pemilihan Umum menggelar rapat koordinasi dengan Badan Pengawas Pemilu dan kepolisian daerah "
    "untuk membahas pengamanan logistik pemilu di tingkat kecamatan. Ketua KPU provinsi mengatakan distribusi "
    "surat suara ke gudang kabupaten telah selesai sesuai jadwal dan seluruh kotak suara dijaga petugas. "
    "Rapat juga membahas pelatihan petugas kelompok penyelenggara pemungutan suara serta sosialisasi kepada "
    "pemilih pemula di sekolah dan kampus agar partisipasi masyarakat meningkat pada hari pemungutan suara."
)


def test_hoax_score_does_not_follow_length_alone(classifier):
    """The length trap: short windows of the same news text must not look much more like a hoax."""
    words = NEWS.split()
    windows = {n: [" ".join(words[i : i + n]) for i in range(0, len(words) - n + 1, max(1, n // 2))] for n in (10, 20, 40)}
    means = {n: sum(r["scores"]["hoax"] for r in classifier.predict(w)) / len(w) for n, w in windows.items()}
    full = classifier.predict([NEWS])[0]["scores"]["hoax"]
    assert max(means.values()) - min(list(means.values()) + [full]) < 0.4, (means, full)


def test_text_with_nothing_to_read_is_not_flagged(classifier):
    for result in classifier.predict(["", "   ", "\u200b"]):
        assert result["labels"] == [] and result["scores"] == {"hoax": 0.0, "provocation": 0.0}


def test_explanations_name_the_words_that_raise_a_score():
    import models
    from models.explain import explain

    clf = models.load()
    text = "Kumpulkan massa, serbu dan bakar kantor KPU, usir semua petugas yang curang itu dari kampung kita!"
    why = explain(clf, text, top=5)
    assert set(why) == {"hoax", "provocation"}
    words = [w for w, _ in why["provocation"]]
    assert words and set(words) <= set(models.normalise(text).split())
    drops = [d for _, d in why["provocation"]]
    assert drops == sorted(drops, reverse=True) and all(d > 0 for d in drops)
    # Removing the top word really lowers the score by the reported amount.
    top_word, top_drop = why["provocation"][0]
    words = models.normalise(text).split()
    base, without = clf.scores_normalised([" ".join(words), " ".join(w for w in words if w != top_word)])[:, 1]
    assert clf.predict([text])[0]["scores"]["provocation"] == pytest.approx(base, abs=1e-3)  # what analysts see (padding moves int8 a little)
    # On the logit scale, so a saturated score still shows which word drove it.
    assert abs((math.log(base / (1 - base)) - math.log(without / (1 - without))) - top_drop) < 1e-2
    assert explain(clf, "   ") == {"hoax": [], "provocation": []}
