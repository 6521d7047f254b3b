"""The matcher with its calibrated weights and threshold: paraphrased, slangy and truncated posts
find their debunked claim; ordinary election news on the same institutions does not."""
import pytest

from waspada.claims.extract import Claim
from waspada.claims.matcher import ClaimMatcher, Weights

pytest.importorskip("models")

TITLES = [
    "Surat Suara Sudah Dicoblos untuk Paslon 02 Ditemukan di Malaysia",
    "KPU Hapus 10 Juta Pemilih dari Daftar Pemilih Tetap",
    "Server KPU Diretas Hacker Tiongkok, Hasil Pemilu Diubah",
    "Link Pendaftaran Bantuan Sosial Pemilu dari Bawaslu",
    "Video Kerusuhan di Kantor Bawaslu Sumatera Utara",
    "Minum Air Kelapa Campur Garam Sembuhkan Covid-19",
    "Pesan Berantai Undian Berhadiah Mobil dari Bank BRI",
    "Foto Banjir Bandang Melanda Bandara Soekarno-Hatta",
    "Presiden Perintahkan Penangkapan Seluruh Pengurus Partai Oposisi",
    "Kotak Suara Kardus Mudah Dibobol dan Diganti Isinya",
    "Petugas KPPS Meninggal Karena Diracun",
    "Video Anies Baswedan Dilarang Kampanye di Jawa Tengah",
    "Vaksin Mengandung Chip Pelacak 5G",
    "Gempa Magnitudo 9 Akan Guncang Jakarta Pekan Depan",
]


def _claims():
    return [Claim(id=f"fc{i}", url=f"https://cekfakta.test/{i}", source_id="cekfakta", title=t, verdict="SALAH",
                  claim="", explanation="", published="2024-01-0{}".format(1 + i % 9)) for i, t in enumerate(TITLES)]


@pytest.fixture(scope="module")
def matcher():
    return ClaimMatcher(_claims(), weights=Weights.calibrated())


@pytest.mark.parametrize("post, claim_id", [
    # paraphrase + slang + shouting
    ("VIRAL!!! ribuan surat suara udah dicoblos buat paslon 02, ketemu di Malaysia. sebarkan sblm dihapus", "fc0"),
    # different word order, elongation
    ("Hasil pemilu diubahhh!! server KPU diretas sama hacker dari Tiongkok", "fc2"),
    # truncated mid-word, as previews cut posts
    ("Breaking: KPU hapus 10 juta pemilih dari daftar pemilih tet", "fc1"),
])
def test_posts_repeating_a_debunked_claim_match_it(matcher, post, claim_id):
    match = matcher.best(post)
    assert match is not None, matcher.search(post, k=1)
    assert match.claim.id == claim_id
    assert 0 < match.similarity <= 1
    assert set(match.parts) >= {"words", "chars", "words_cover", "chars_cover"}


@pytest.fixture(scope="module")
def real_matcher():
    """The claims of the shared fact-check datasets plus the ones above: IDF as in production."""
    from models.settings import datasets_dir
    from waspada.claims.evaluate import load_factchecks

    root = datasets_dir()
    if not (root / "turnbackhoax-2024").is_dir():
        pytest.skip(f"shared datasets not found at {root}: set WASPADA_DATASETS_DIR")
    titles = {}
    for i, (source, title, _, date) in enumerate(load_factchecks(root)):
        titles.setdefault(title.lower(), Claim(f"ds{i}", "", source, title, "SALAH", "", "", date))
    return ClaimMatcher(list(titles.values()) + _claims(), weights=Weights.calibrated())


@pytest.mark.parametrize("post", [
    # near misses: the same institutions and election words, an ordinary statement
    "Bawaslu membuka posko pengaduan pelanggaran kampanye di setiap kabupaten dan kota.",
    "KPU mengundang pers meliput rapat pleno rekapitulasi suara tingkat nasional besok pagi.",
    "Relawan paslon 02 membagikan kaus di pasar, Bawaslu ingatkan larangan politik uang.",
    "Timnas Indonesia menang dua gol tanpa balas atas Vietnam di Stadion Gelora Bung Karno.",
])
def test_ordinary_news_about_the_same_institutions_does_not_match(real_matcher, post):
    assert real_matcher.best(post) is None, real_matcher.search(post, k=1)


def test_paraphrases_still_match_among_thousands_of_real_claims(real_matcher):
    assert real_matcher.best("Hasil pemilu diubahhh!! server KPU diretas sama hacker dari Tiongkok").claim.id == "fc2"
    assert real_matcher.best("VIRAL!!! surat suara udah dicoblos buat paslon 02, ketemu di Malaysia").claim.id == "fc0"


def test_search_ranks_and_bm25_is_the_plain_baseline(matcher):
    ranked = matcher.search("server KPU diretas hacker", k=3)
    assert ranked[0].claim.id == "fc2"
    assert [m.similarity for m in ranked] == sorted((m.similarity for m in ranked), reverse=True)
    assert matcher.bm25("server KPU diretas hacker", k=1)[0][0].id == "fc2"


def test_an_empty_index_or_an_empty_post_matches_nothing():
    empty = ClaimMatcher([], weights=Weights.calibrated())
    assert empty.best("apa saja") is None and empty.search("apa saja") == []
    full = ClaimMatcher(_claims(), weights=Weights.calibrated())
    assert full.best("") is None and full.best("https://x.test/a @akun") is None


def test_adding_claims_replaces_by_id_and_matches_the_new_text(matcher):
    m = ClaimMatcher(_claims(), weights=Weights.calibrated())
    updated = _claims()[4]
    updated.title = "Foto Surat Suara Dibakar di Halaman Kantor Bawaslu"
    m.add([updated])
    assert len(m) == len(TITLES)
    assert m.best("foto surat suara dibakar di halaman kantor bawaslu, lihat!").claim.id == "fc4"
