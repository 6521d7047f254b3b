"""The word-lookup matcher finds exactly what the one-regex matcher it replaced found.

RegexTerms is the old matcher, kept as the reference (and for terms that are not plain words);
every comparison here runs both on the same text and lexicon.
"""
import csv
import random
from pathlib import Path

import pytest

from models.settings import datasets_dir
from waspada.relevance import Lexicon, RegexTerms, Words, WordTerms, terms_matcher


class RegexLexicon(Lexicon):
    terms_matcher = staticmethod(RegexTerms)


@pytest.fixture(scope="module")
def lexicons():
    return Lexicon.load(), RegexLexicon.load()


def _same(lexicons, *texts):
    new, old = lexicons
    assert new.match(*texts) == old.match(*texts), texts


def _finds(terms, text):
    """(word lookup, regex) matches of ``terms`` in ``text``."""
    split = [Words(text.lower())]
    vocabulary = frozenset(split[0].tokens)
    return WordTerms.build(terms).find(split, vocabulary), RegexTerms(terms).find(split)


def test_the_bundled_lexicon_is_matched_by_word_lookup(lexicons):
    new, _ = lexicons
    assert all(isinstance(m, WordTerms) for m in (new._strong_terms, new._weak_terms, new._region_terms))


@pytest.mark.parametrize("text", [
    "KPU, Bawaslu; DKPP.", "kpuk kpu_ri @kpu_ri @KPU #pemilu #Pemilu2024 pemilu-2024",
    "Prabowo-Gibran", "prabowo--gibran", "prabowo - gibran", "prabowo, gibran", "prabowo\u00a0gibran",
    "prabowo\u2014gibran", "prabowo\tgibran", "prabowo\ngibran", "prabowo_gibran", "prabowo gibran rakabuming",
    "Komisi Pemilihan Umum", "komisi pemilihan, umum", "pemilihan umum", "debat capres capres",
    "tim kampanye", "tim kampanyenya", "tim-kampanye", "Kampanyenya", "sekampanye", "KAMPANYE!",
    "pemilú", "pemilu\u0301", "ＫＰＵ", "İstana presiden", "ISTANA PRESIDEN", "\u200bpemilu", "🗳️pemilu🗳️",
    "capres 01", "capres 001", "capres  -  02", "capres01", "01 02 03", "٠١ ٢", "pilpres2024", "pilpres 2024",
    "quick   count", "quick -- count", "quick _ count", "quick\u3000count", "real count real count",
    "nomor urut 01-02", "suara sah suara", "surat suara", "rekapitulasi suara di TPS", "wakil presiden",
    "wali kota", "walikota", "banda aceh", "Banda-Aceh", "Sumatera Utara", "sumatera  utara, medan",
    "papua barat daya", "papua barat", "papua", "kalimantan timur ikn", "dki jakarta dki", "", "   ", "-",
])
def test_edge_cases_match_as_the_regex_did(lexicons, text):
    _same(lexicons, text)
    _same(lexicons, text, text.upper(), f"({text})")


def test_a_multi_word_match_hides_the_shorter_terms_inside_it(lexicons):
    new, _ = lexicons
    rel = new.match("Komisi Pemilihan Umum menetapkan hasil")
    assert rel.terms == ["komisi pemilihan umum"]  # not also "pemilihan umum"
    assert new.match("komisi, pemilihan umum").terms == ["pemilihan umum"]


def test_terms_that_are_not_plain_words_fall_back_to_the_regex():
    lexicon = Lexicon({"strong": {"tags": ["#pemilu", "c++", "tim kampanye*"]}})
    assert isinstance(lexicon._strong_terms, RegexTerms)
    assert lexicon.match("ikut #Pemilu besok").terms == ["#pemilu"]
    assert lexicon.match("tim kampanyenya datang").terms == ["tim kampanyenya"]
    assert not lexicon.match("pemilu besok").relevant


def test_random_lexicons_and_texts_match_as_the_regex_did():
    rng = random.Random(17)
    words = ["a", "b", "ab", "ba", "abc", "c", "01", "é", "a_b"]
    separators = [" ", "  ", "-", " - ", "\t", "\u00a0", ", ", ".", "", "_", "—", " #", "@", "\u0301 "]
    for _ in range(400):
        terms = set()
        for _ in range(rng.randint(1, 8)):
            term = " -"[rng.random() < 0.3].join(rng.choice(words) for _ in range(rng.randint(1, 3)))
            terms.add(term + "*" if rng.random() < 0.2 and " " not in term and "-" not in term else term)
        terms = sorted(terms)
        assert isinstance(terms_matcher(terms), WordTerms)
        for _ in range(10):
            text = "".join(rng.choice(words) + rng.choice(separators) for _ in range(rng.randint(0, 12)))
            new, old = _finds(terms, text)
            assert new == old, (terms, text)


def test_overlapping_terms_take_the_longest_at_each_word():
    for terms, text in [
        (["a b", "b c", "a", "c"], "a b c"),
        (["a b c", "a b", "b"], "a b a b c b"),
        (["ab*", "ab c"], "abd c ab c"),
        (["ab*", "abc"], "abc abcd"),
        (["a", "a a"], "a a a"),
    ]:
        new, old = _finds(terms, text)
        assert new == old, (terms, text)


def _dataset_posts(root: Path, per_file: int = 300):
    def rows(relative):
        with open(root / relative, encoding="utf-8-sig", errors="replace", newline="") as fh:
            for i, row in enumerate(csv.DictReader(fh)):
                if i == per_file:
                    return
                yield row

    csv.field_size_limit(10**8)
    for name in ("Anies Baswedan", "Ganjar Pranowo", "Prabowo Subianto"):
        yield from (("", row["Tweet"]) for row in rows(f"pilpres2024-candidates-tweets/{name}.csv"))
    yield from ((row["title"], row["content"]) for row in rows("tribunnews-politik-2025/tribunnews_politik_full.csv"))
    yield from ((row["judul"], row["isi_berita"]) for row in rows("detik-news-1000-2025/data_berita.csv"))
    yield from ((row["TITLE"], row["HOAX_TEXT"]) for row in rows("turnbackhoax-2024/politics_hoax_text.csv"))


def test_real_posts_match_as_the_regex_did(lexicons):
    root = datasets_dir()
    if not (root / "pilpres2024-candidates-tweets").is_dir():
        pytest.skip(f"shared datasets not found at {root}: set WASPADA_DATASETS_DIR")
    from models.normalise import normalise

    posts = list(_dataset_posts(root))
    relevant = 0
    for title, body in posts:
        _same(lexicons, title, body, normalise(f"{title}. {body}" if title else body))
        relevant += lexicons[0].match(title, body).relevant
    assert len(posts) > 1000 and 0 < relevant < len(posts)  # both kinds of post were compared
