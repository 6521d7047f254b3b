import pytest

from waspada.relevance import Lexicon, LexiconError


@pytest.fixture(scope="module")
def lexicon():
    return Lexicon.load()


@pytest.mark.parametrize("text", [
    "KPU Jawa Barat menggelar rekapitulasi suara di Bandung",
    "Debat capres ketiga berlangsung panas",
    "Warga diminta tidak golput pada 14 Februari",
    "Prabowo-Gibran unggul di hitung cepat",
    "Petugas KPPS kelelahan setelah penghitungan suara",
])
def test_election_posts_are_relevant(lexicon, text):
    assert lexicon.match(text).relevant


@pytest.mark.parametrize("text", [
    "Timnas Indonesia menang 2-0 atas Vietnam di Jakarta",
    "Amin ya rabbal alamin, semoga hujan reda",  # one weak word is not enough
    "Harga cabai naik menjelang Ramadan",
    "Sekampanye dengan itu, warga bergotong royong",  # 'kampanye*' anchors at a word start
])
def test_other_posts_are_not(lexicon, text):
    assert not lexicon.match(text).relevant


def test_wildcard_terms_match_word_endings(lexicon):
    assert "kampanyenya" in lexicon.match("Kampanyenya ramai sekali").terms


def test_two_weak_terms_make_a_post_relevant(lexicon):
    rel = lexicon.match("Relawan dan pendukung presiden berkumpul, suara mereka lantang")
    assert rel.relevant
    assert {"relawan", "pendukung"} <= set(rel.terms)


def test_evidence_terms_regions_entities(lexicon):
    rel = lexicon.match("Bawaslu Sumut menemukan politik uang di Medan", "")
    assert {"bawaslu", "politik uang"} <= set(rel.terms)
    assert rel.regions == ["Sumatera Utara"]
    assert "bawaslu" in rel.entities


def test_whole_words_only(lexicon):
    assert not lexicon.match("kpuk dan tpsx adalah kata acak tanpa makna").relevant


def test_bad_lexicon_names_file_and_field(tmp_path):
    bad = tmp_path / "lex.yaml"
    bad.write_text("strong:\n  events: pemilu\n")
    with pytest.raises(LexiconError, match=r"lex.yaml: strong.events must be a list"):
        Lexicon.load(bad)
    bad.write_text("strong: [unclosed\n")
    with pytest.raises(LexiconError, match="not valid YAML"):
        Lexicon.load(bad)
    with pytest.raises(LexiconError, match="does not exist"):
        Lexicon.load(tmp_path / "missing.yaml")
