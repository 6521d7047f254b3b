"""Masked-LM pre-training on a sample of the real unlabelled text, then a fine-tune from it."""
import json

import pytest

torch = pytest.importorskip("torch", reason="pre-training needs the `train` extra (torch)")
pytest.importorskip("sklearn", reason="training needs the `train` extra (scikit-learn)")


def test_masking_hides_only_ordinary_tokens_in_bert_proportions():
    from models.pretrain import PretrainSettings, mask_tokens

    ids = torch.randint(5, 3000, (64, 128))
    ids[:, 0], ids[:, -1] = 2, 3  # [CLS] ... [SEP] are never chosen
    inputs, chosen, labels = mask_tokens(ids, PretrainSettings(mask_fraction=0.15), 4, 3000, 5, torch.Generator().manual_seed(1))
    assert not chosen[:, 0].any() and not chosen[:, -1].any()
    share = chosen.float().mean().item()
    assert 0.13 < share < 0.17
    assert torch.equal(labels, ids[chosen])
    masked = (inputs[chosen] == 4).float().mean().item()
    kept = (inputs[chosen] == ids[chosen]).float().mean().item()
    assert 0.75 < masked < 0.85 and 0.07 < kept < 0.14  # 80% [MASK]; 10% kept (+ random hits)
    assert torch.equal(inputs[~chosen], ids[~chosen])


def test_packing_fills_every_block_without_padding():
    import random

    from models.onnx_classifier import TextEncoder
    from models.tokenizer_training import train_tokenizer

    texts = ["kpu umumkan hasil rekapitulasi suara pemilu", "bawaslu awasi tps di daerah"] * 50
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as tmp:
        train_tokenizer(texts, 200, Path(tmp) / "tok.json")
        from models.pretrain import pack_blocks

        blocks = pack_blocks(TextEncoder(Path(tmp) / "tok.json", 32), texts, 32, random.Random(0))
    assert blocks.shape[1] == 32 and len(blocks) > 10
    assert (blocks[:, 0] == 2).all() and (blocks[:, -1] == 3).all()
    assert (blocks != 0).all()  # no [PAD] anywhere


def test_pretrain_then_fine_tune_records_the_pretraining(datasets, tmp_path):
    from models.pretrain import main as pretrain_main
    from models.train import main as train_main

    pretrained = tmp_path / "pretrained"
    assert pretrain_main(["--out", str(pretrained), "--quick", "--steps", "12"]) == 0
    report = json.loads((pretrained / "pretrain.json").read_text())
    assert report["steps"] == 12 and report["tokens_seen"] == 12 * 16 * 128
    assert report["curve"][0]["step"] == 0 and report["curve"][-1]["step"] == 12
    # The loss on held-out blocks falls from the untrained encoder's, which is near log(vocab).
    assert report["curve"][-1]["heldout_loss"] < report["curve"][0]["heldout_loss"]
    assert report["unigram_perplexity"] > 1
    assert -1.0 <= report["token_cosine"] <= 1.0 and "token_cosine" in report["curve"][-1]

    out = tmp_path / "artifact"
    assert train_main(["--out", str(out), "--quick", "--sample", "150", "--epochs", "1", "--no-baseline",
                       "--init-from", str(pretrained)]) == 0
    metrics = json.loads((out / "metrics.json").read_text())
    assert metrics["training"]["initialised_from"] == "masked-LM pre-training"
    assert metrics["training"]["pretraining"]["steps"] == 12
    assert (out / "tokenizer.json").read_text() == (pretrained / "tokenizer.json").read_text()

    # The artifact also gives the pooled sentence vector (claim matching can read it), unit length.
    import numpy as np

    import models

    clf = models.load(out)
    assert clf.has_embedding
    vectors = clf.embed_normalised(["kpu curang", "bawaslu awasi tps di daerah"])
    assert vectors.shape == (2, 128) and np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_fine_tune_refuses_a_pretrained_encoder_of_another_shape(datasets, tmp_path):
    from models.train import main as train_main

    pretrained = tmp_path / "pt"
    pretrained.mkdir()
    (pretrained / "pretrain.json").write_text(json.dumps({"encoder_config": {"hidden": 256, "layers": 4, "heads": 4, "ffn": 1024}}))
    with pytest.raises(SystemExit, match="pre-trained hidden=256 but this fine-tune uses hidden=128"):
        train_main(["--out", str(tmp_path / "a"), "--quick", "--init-from", str(pretrained)])


def test_an_artifact_without_the_embedding_output_says_how_to_add_it(tmp_path):
    import shutil

    import models
    from models.onnx_classifier import ArtifactError
    from models.settings import BUNDLED_ARTIFACT_DIR

    copy = tmp_path / "artifact"
    shutil.copytree(BUNDLED_ARTIFACT_DIR, copy)
    clf = models.load(copy)
    if not clf.has_embedding:
        with pytest.raises(ArtifactError, match="python -m models.export"):
            clf.embed_normalised(["kpu"])
    from models.export import add_embedding_output

    add_embedding_output(copy / "model.int8.onnx")
    again = models.load(copy)
    assert again.has_embedding
    assert again.predict(["KPU curang, sebarkan!"]) == clf.predict(["KPU curang, sebarkan!"])  # scores unchanged


def test_pre_norm_layout_is_kept_from_pretraining_to_fine_tune(tmp_path):
    """A pre-LN encoder has one more LayerNorm; the fine-tune must build the same layout to load it,
    and an encoder saved before the option existed (no `pre_norm` recorded) is post-LN."""
    from models.encoder import Encoder, EncoderConfig
    from models.pretrain import pretrained_layout

    pre = Encoder(EncoderConfig(vocab_size=50, max_len=16, hidden=16, layers=1, heads=2, ffn=32, pre_norm=True))
    post = Encoder(EncoderConfig(vocab_size=50, max_len=16, hidden=16, layers=1, heads=2, ffn=32))
    assert "final_norm.weight" in pre.state_dict() and "final_norm.weight" not in post.state_dict()
    with pytest.raises(RuntimeError):
        post.load_state_dict(pre.state_dict())
    ids = torch.randint(5, 50, (2, 16))
    pre.eval()
    out = pre(ids, torch.ones_like(ids))
    assert torch.allclose(out.mean(-1), torch.zeros(2, 16), atol=1e-5)  # ends normalised

    for recorded, expected in (({"pre_norm": True}, True), ({}, False)):
        (tmp_path / "pretrain.json").write_text(json.dumps({"encoder_config": {"hidden": 16, **recorded}}))
        assert pretrained_layout(tmp_path) is expected


def test_the_schedule_is_fitted_to_the_time_box_from_the_rate_so_far():
    from models.pretrain import planned_steps

    # 30 steps in 210 s (7 s/step, cores shared) with 75 minutes: about 570 steps fit.
    assert planned_steps(30, 210, 75, 9000) == 30 + int((75 * 60 - 210) / (7 * 1.08))
    # Later the cores free up: 400 steps in 1200 s (3 s/step average) afford many more.
    assert planned_steps(400, 1200, 75, 9000) > 1300
    # Never more than requested, never fewer than one more step.
    assert planned_steps(30, 3, 75, 500) == 500
    assert planned_steps(100, 75 * 60, 75, 9000) == 101


def test_political_blogs_join_the_unlabelled_text_once_per_article(datasets):
    from models.tokenizer_training import political_blog_texts, unlabelled_texts

    blogs = political_blog_texts(datasets)
    titles = [text.split("\n", 1)[0].lower() for text in blogs]
    assert len(blogs) > 400 and len(titles) == len(set(titles))  # the 2018 file repeats the 2016 one
    assert not any(text.lstrip().startswith('["') for text in blogs)  # paragraphs decoded, not JSON
    assert "Pilkada Jakarta 2017" in blogs[0]
    assert set(blogs) <= set(unlabelled_texts(datasets))
