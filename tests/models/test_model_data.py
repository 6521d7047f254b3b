from collections import Counter

import pytest

from models.data import build_corpus, near_duplicate_clusters, strip_factcheck_boilerplate


def test_factcheck_explanation_and_tags_are_stripped():
    raw = "“Undur-undur obat diabetes” = = = Penjelasan: Artikel disadur dari Kompas. Sumber: x"
    assert strip_factcheck_boilerplate(raw) == "“Undur-undur obat diabetes”"
    assert strip_factcheck_boilerplate("[SALAH] Jokowi mundur") == "Jokowi mundur"
    assert "cek fakta" not in strip_factcheck_boilerplate("Klaim beredar. Hasil cek fakta: keliru").lower()


def test_near_duplicates_share_a_cluster_and_strangers_do_not():
    a = "kpu akan mengumumkan hasil rekapitulasi suara pemilu presiden pada hari rabu di jakarta pusat"
    b = a + " besok"
    c = "harga beras naik lagi di pasar induk cipinang karena pasokan dari jawa tengah berkurang"
    clusters = near_duplicate_clusters([a, b, c])
    assert clusters[0] == clusters[1] != clusters[2]


@pytest.fixture(scope="module")
def corpus(datasets):
    return build_corpus(seed=13, root=datasets, sample=400)


def test_no_text_or_cluster_crosses_splits(corpus):
    splits = {"train": corpus.train, "val": corpus.val, **corpus.tests}
    seen_text, seen_cluster = {}, {}
    for name, rows in splits.items():
        if name == "test_hoax_news_register":
            continue  # re-reads held-out test rows as whole articles by design
        for e in rows:
            assert seen_text.setdefault(e.text, name) == name, f"{e.text[:60]!r} in {seen_text[e.text]} and {name}"
    train_clusters = {e.cluster for e in corpus.train}
    for name, rows in corpus.tests.items():
        if name == "test_hoax_news_register":
            continue
        leaked = [e.text[:60] for e in rows if e.cluster in train_clusters]
        assert not leaked, f"{name} shares near-duplicate clusters with train: {leaked[:3]}"


def test_cross_register_sets_are_never_trained_on(corpus):
    sources = Counter(e.source for e in corpus.train)
    assert "id-hatespeech-longtext-facebook" not in sources
    assert "id-abusive-news-comments" not in sources
    assert corpus.tests["test_provocation_facebook"]


def test_both_heads_have_both_classes_in_training(corpus):
    for label in ("hoax", "provocation"):
        values = Counter(e.label(label) for e in corpus.train if e.label(label) is not None)
        assert values[0.0] > 0 and values[1.0] > 0, label


def test_training_text_is_normalised_and_free_of_debunks(corpus):
    for e in corpus.train:
        assert e.text == e.text.strip()
        assert "penjelasan :" not in e.text


def test_split_is_reproducible(datasets, corpus):
    again = build_corpus(seed=13, root=datasets, sample=400)
    assert [e.text for e in again.train] == [e.text for e in corpus.train]


def test_held_out_outlets_are_tested_and_never_trained_on(corpus):
    from models.news_data import HELD_OUT_OUTLETS

    trained = {e.source.removeprefix("news:") for e in corpus.train + corpus.val if e.source.startswith("news:")}
    assert trained and not trained & HELD_OUT_OUTLETS
    unseen = corpus.tests["test_news_unseen_outlets"]
    assert unseen and {e.source.removeprefix("news:") for e in unseen} <= HELD_OUT_OUTLETS
    assert all(e.hoax == 0.0 and e.provocation == 0.0 for e in unseen)


def test_news_debunks_and_contrasts_are_in_training_with_the_right_labels(corpus):
    sources = Counter(e.source.split(":")[0] for e in corpus.train)
    assert sources["news"] and sources["turnbackhoax-debunks"] and sources["contrast-templates"]
    assert all(e.hoax == 0.0 for e in corpus.train if e.source in ("turnbackhoax-debunks",) or e.source.startswith("news:"))
    swapped = [e for e in corpus.train if e.source.endswith("+swap")]
    assert swapped and all(e.hoax == 1.0 or e.provocation is not None for e in swapped)


def test_outlet_marks_are_stripped():
    from models.news_data import strip_outlet_marks

    assert strip_outlet_marks("Jakarta, CNN Indonesia -- Ketua KPU menyatakan") == "Ketua KPU menyatakan"
    assert strip_outlet_marks("TRIBUNNEWS.COM, JAKARTA - Partai politik") == "Partai politik"
    assert strip_outlet_marks("Jakarta (ANTARA) - Bawaslu mengimbau") == "Bawaslu mengimbau"
    assert strip_outlet_marks("Video: Debat capres semalam") == "Debat capres semalam"
    assert "kompas" not in strip_outlet_marks("JAKARTA, KOMPAS.com - Presiden meresmikan").lower()


def test_informal_hoax_negatives_touch_training_only(datasets):
    from models.data import HATE_TWEET_SOURCES, add_informal_hoax_negatives

    corpus = build_corpus(seed=13, root=datasets, sample=200)
    val_before = [(e.text, e.hoax) for e in corpus.val]
    held_out = {e.text for e in corpus.val} | {e.text for rows in corpus.tests.values() for e in rows}
    n_before = len(corpus.train)
    counts = add_informal_hoax_negatives(corpus, root=datasets, per_source=50)
    added = corpus.train[n_before:]
    assert {e.source for e in added} == {"pilpres2019-sentiment", "pemilu2019-post-election-tweets", "indonlu-smsa"}
    assert all(e.hoax == 0.0 and e.provocation is None and e.split == "train" for e in added)
    assert not {e.text for e in added} & held_out
    assert all(counts[s] <= 50 for s in ("pilpres2019-sentiment", "pemilu2019-post-election-tweets", "indonlu-smsa"))
    # the hate-speech tweets become hoax negatives in training, never in validation
    assert all(e.hoax == 0.0 for e in corpus.train if e.source in HATE_TWEET_SOURCES)
    assert [(e.text, e.hoax) for e in corpus.val] == val_before
