"""The Hugging Face checkpoint path (models/hf_classifier.py) on tiny checkpoints built here.

Nothing is downloaded: a WordPiece tokenizer is trained on a few Indonesian sentences and a
one-layer BERT is saved with save_pretrained into tmp_path. The classifier head's weights are
zeroed, so its logits equal its bias whatever the text, and every expected score is exact:
sigmoid(bias) for a multi-label model, softmax(bias) for a single-label one.
"""
import json
import math
import os
import re
import subprocess
import sys

import pytest

import models
from models.hf_classifier import HuggingFaceClassifier, is_hf_checkpoint

SENTENCES = [
    "surat suara sudah dicoblos sebelum pemilu, sebarkan!",
    "kpu curang, hasil pemilu sudah diatur",
    "selamat pagi, jangan lupa datang ke tps",
    "ujaran kebencian terhadap calon tidak boleh dibiarkan",
    "berita bohong tentang kotak suara beredar di grup",
]
MAX_POSITIONS = 64  # below the classifier's 128-token cap, so truncation must follow the checkpoint


def sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


@pytest.fixture(scope="module")
def hf():
    try:
        import torch
        import transformers
    except ImportError as exc:
        pytest.fail(f"the Hugging Face path needs torch and transformers ({exc}): run `make setup-test`")
    torch.set_num_threads(1)  # tiny models; leave the other cores alone
    return torch, transformers


@pytest.fixture(scope="module")
def tokenizer(hf):
    from tokenizers import Tokenizer, normalizers, pre_tokenizers, processors, trainers
    from tokenizers.models import WordPiece

    specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    tok = Tokenizer(WordPiece(unk_token="[UNK]"))
    tok.normalizer = normalizers.BertNormalizer(lowercase=True)
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tok.train_from_iterator(SENTENCES, trainers.WordPieceTrainer(vocab_size=200, special_tokens=specials))
    tok.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]", special_tokens=[("[CLS]", tok.token_to_id("[CLS]")), ("[SEP]", tok.token_to_id("[SEP]"))])
    return hf[1].PreTrainedTokenizerFast(
        tokenizer_object=tok, unk_token="[UNK]", pad_token="[PAD]", cls_token="[CLS]", sep_token="[SEP]",
        mask_token="[MASK]", model_max_length=MAX_POSITIONS)


@pytest.fixture
def checkpoint(hf, tokenizer, tmp_path):
    """build(name, id2label, bias=None, problem_type=None) -> directory of a saved checkpoint.
    bias=None keeps the random (seeded) head, for tests that need text-dependent scores."""
    torch, transformers = hf

    def build(name, id2label, bias=None, problem_type=None):
        torch.manual_seed(0)
        config = transformers.BertConfig(
            vocab_size=len(tokenizer), hidden_size=16, num_hidden_layers=1, num_attention_heads=2,
            intermediate_size=32, max_position_embeddings=MAX_POSITIONS, num_labels=len(id2label),
            id2label=id2label, label2id={v: k for k, v in id2label.items()}, problem_type=problem_type)
        model = transformers.BertForSequenceClassification(config)
        if bias is not None:
            with torch.no_grad():
                model.classifier.weight.zero_()
                model.classifier.bias.copy_(torch.tensor(bias, dtype=torch.float32))
        directory = tmp_path / name
        model.save_pretrained(directory)
        tokenizer.save_pretrained(directory)
        return directory

    return build


def named_multilabel(checkpoint, name="hoax-prov", bias=(1.0, -2.0)):
    return checkpoint(name, {0: "Hoax", 1: "provocation"}, bias=list(bias), problem_type="multi_label_classification")


# id2label names both labels, multi-label: a sigmoid per label.
def test_named_multilabel_checkpoint_scores_each_label_with_sigmoid(checkpoint):
    directory = named_multilabel(checkpoint)
    assert is_hf_checkpoint(directory)
    clf = models.load(directory)
    assert isinstance(clf, HuggingFaceClassifier)
    out = clf.predict(["KPU curang, sebarkan!", "selamat pagi semua"])
    for result in out:
        assert result["scores"]["hoax"] == pytest.approx(sigmoid(1.0), abs=1e-6)
        assert result["scores"]["provocation"] == pytest.approx(sigmoid(-2.0), abs=1e-6)
        assert result["labels"] == ["hoax"]
        assert result["model_id"] == clf.model_id


# Generic labels on a 2-class model: the positive class is provocation, hoax scores 0.
@pytest.mark.parametrize("bias, flagged", [((0.5, 1.5), True), ((1.5, 0.5), False)])
def test_generic_two_class_checkpoint_reads_positive_class_as_provocation(checkpoint, bias, flagged):
    directory = checkpoint("generic", {0: "LABEL_0", 1: "LABEL_1"}, bias=list(bias))
    (result,) = models.load(directory).predict(["kpu curang, hasil pemilu sudah diatur"])
    softmax_positive = sigmoid(bias[1] - bias[0])
    assert result["scores"] == {"hoax": 0.0, "provocation": pytest.approx(softmax_positive, abs=1e-6)}
    assert result["labels"] == (["provocation"] if flagged else [])


# Synonyms in id2label, whatever their case, spaces or hyphens.
@pytest.mark.parametrize("id2label, problem_type, bias, hoax, provocation, labels", [
    ({0: "non_HS", 1: "HS"}, None, [0.0, 2.0], 0.0, sigmoid(2.0), ["provocation"]),
    ({0: "netral", 1: "ujaran_kebencian"}, None, [1.0, 0.0], 0.0, sigmoid(-1.0), []),
    ({0: "Hoaks", 1: "Ujaran Kebencian"}, "multi_label_classification", [-1.0, 3.0],
     sigmoid(-1.0), sigmoid(3.0), ["provocation"]),
    ({0: "fake", 1: "hate-speech"}, "multi_label_classification", [2.0, -3.0], sigmoid(2.0), sigmoid(-3.0), ["hoax"]),
    # One logit: a sigmoid, not a softmax over a single column (which would always be 1).
    ({0: "hoax"}, None, [-1.5], sigmoid(-1.5), 0.0, []),
])
def test_label_synonyms_map_to_hoax_and_provocation(checkpoint, id2label, problem_type, bias, hoax, provocation, labels):
    directory = checkpoint("synonyms", id2label, bias=bias, problem_type=problem_type)
    (result,) = models.load(directory).predict(["berita bohong tentang kotak suara"])
    assert result["scores"] == {"hoax": pytest.approx(hoax, abs=1e-6), "provocation": pytest.approx(provocation, abs=1e-6)}
    assert result["labels"] == labels


def test_unmappable_labels_are_refused_with_the_labels_named(checkpoint):
    directory = checkpoint("three", {0: "positif", 1: "negatif", 2: "netral"}, bias=[0.0, 0.0, 0.0])
    with pytest.raises(ValueError, match="negatif.*name them in id2label"):
        models.load(directory)


# WASPADA_HF_THRESHOLD: one threshold for every label; labels follow the scores.
@pytest.mark.parametrize("threshold, labels", [
    (None, ["hoax"]), ("0.1", ["hoax", "provocation"]), ("0.8", []),
    (f"{round(sigmoid(1.0), 6)}", ["hoax"]),  # a score equal to the threshold is flagged
])
def test_threshold_setting_decides_the_labels(checkpoint, monkeypatch, threshold, labels):
    directory = named_multilabel(checkpoint)
    if threshold is None:
        monkeypatch.delenv("WASPADA_HF_THRESHOLD", raising=False)
    else:
        monkeypatch.setenv("WASPADA_HF_THRESHOLD", threshold)
    clf = models.load(directory)
    (result,) = clf.predict(["kpu curang"])
    assert result["labels"] == labels
    assert result["labels"] == [k for k, v in result["scores"].items() if v >= clf.threshold]


@pytest.mark.parametrize("bad", ["abc", "0", "1.5", "-0.2"])
def test_bad_threshold_setting_is_named(checkpoint, monkeypatch, bad):
    directory = named_multilabel(checkpoint)
    monkeypatch.setenv("WASPADA_HF_THRESHOLD", bad)
    with pytest.raises(ValueError, match=f"WASPADA_HF_THRESHOLD='{bad}'"):
        models.load(directory)


def test_batches_keep_input_order_and_long_posts_are_truncated(checkpoint):
    # The random head makes scores depend on the text, so a mix-up of rows would show.
    clf = models.load(checkpoint("random", {0: "hoax", 1: "provocation"}, problem_type="multi_label_classification"))
    texts = [SENTENCES[1], "kpu curang " * 200, SENTENCES[2], "tps", SENTENCES[0], SENTENCES[4]]
    batched = clf.predict(texts, batch_size=2)
    one_by_one = [clf.predict([t])[0] for t in texts]
    for got, want in zip(batched, one_by_one):
        assert got["scores"] == {k: pytest.approx(v, abs=1e-5) for k, v in want["scores"].items()}
    assert len({r["scores"]["hoax"] for r in batched}) > 1


def test_empty_text_scores_zero_like_the_onnx_model(checkpoint, classifier):
    clf = models.load(named_multilabel(checkpoint, bias=(3.0, 3.0)))  # would flag both if it read [CLS][SEP]
    texts = ["", "   \u200b ", "kpu curang"]
    hf_out, onnx_out = clf.predict(texts), classifier.predict(texts)
    for hf_result, onnx_result in zip(hf_out[:2], onnx_out[:2]):
        assert hf_result["scores"] == onnx_result["scores"] == {"hoax": 0.0, "provocation": 0.0}
        assert hf_result["labels"] == onnx_result["labels"] == []
    assert hf_out[2]["labels"] == ["hoax", "provocation"]


def test_predict_output_schema_matches_the_onnx_classifier(checkpoint, classifier):
    text = ["Surat suara tercoblos ditemukan, sebarkan!"]
    (hf_result,) = models.load(named_multilabel(checkpoint)).predict(text)
    (onnx_result,) = classifier.predict(text)
    assert set(hf_result) == set(onnx_result) == {"scores", "labels", "model_id"}
    assert list(hf_result["scores"]) == list(onnx_result["scores"])
    for result in (hf_result, onnx_result):
        assert all(isinstance(v, float) for v in result["scores"].values())
        assert isinstance(result["labels"], list) and isinstance(result["model_id"], str)


def test_predict_rejects_a_bare_string_and_a_zero_batch(checkpoint):
    clf = models.load(named_multilabel(checkpoint))
    with pytest.raises(TypeError, match=r"wrap a single text as \[text\]"):
        clf.predict("kpu curang")
    with pytest.raises(ValueError, match="batch_size must be at least 1, got 0"):
        clf.predict(["kpu curang"], batch_size=0)
    assert clf.predict([]) == []


def test_model_id_names_the_directory_and_changes_with_the_weights(checkpoint, tmp_path):
    first = named_multilabel(checkpoint, name="v1/indo-hate", bias=(1.0, -2.0))
    model_id = models.load(first).model_id
    assert re.fullmatch(r"hf-indo-hate-[0-9a-f]{10}", model_id)
    assert models.load(first).model_id == model_id  # stable across loads
    link = tmp_path / "current"
    link.symlink_to(first, target_is_directory=True)
    assert models.load(link).model_id == model_id  # a symlink names the checkpoint it points at
    (first / "README.md").write_text("notes", encoding="utf-8")
    assert models.load(first).model_id == model_id  # notes are not the model

    retrained = named_multilabel(checkpoint, name="v2/indo-hate", bias=(0.0, 0.0))
    assert (retrained / "config.json").read_bytes() == (first / "config.json").read_bytes()
    assert models.load(retrained).model_id != model_id  # same name and config, new weights


# The JSON-lines CLI, pointed at the checkpoint by the model-dir setting.
def test_predict_cli_reads_the_checkpoint_from_the_model_dir_setting(checkpoint):
    directory = named_multilabel(checkpoint)
    model_id = models.load(directory).model_id
    stdin = "\n".join([
        json.dumps({"id": "p1", "text": "Surat suara tercoblos ditemukan, sebarkan!"}),
        "not json",
        json.dumps({"body": "no text"}),
        json.dumps({"text": "selamat pagi"}),
    ]) + "\n"
    env = {**os.environ, "WASPADA_MODEL_DIR": str(directory), "OMP_NUM_THREADS": "1"}
    env.pop("WASPADA_HF_THRESHOLD", None)
    proc = subprocess.run([sys.executable, "-m", "models.predict", "--batch-size", "2"], input=stdin,
                          capture_output=True, text=True, timeout=300, env=env, check=True)
    out = [json.loads(line) for line in proc.stdout.splitlines()]
    assert len(out) == 4
    assert set(out[0]) == {"id", "scores", "labels", "model_id"} and out[0]["id"] == "p1"
    assert set(out[3]) == {"scores", "labels", "model_id"}
    for result in (out[0], out[3]):
        assert result["scores"] == {"hoax": pytest.approx(sigmoid(1.0), abs=1e-6),
                                    "provocation": pytest.approx(sigmoid(-2.0), abs=1e-6)}
        assert result["labels"] == ["hoax"]
        assert result["model_id"] == model_id  # the same id in another process
    assert "not JSON" in out[1]["error"] and "line 2" in out[1]["error"]
    assert "no \"text\" field" in out[2]["error"] and "body" in out[2]["error"]
