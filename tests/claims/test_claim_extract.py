"""Fact-check articles -> debunked claims: verdicts, the quoted claim, the debunk kept apart."""
import pytest

from waspada.claims.extract import claim_from_factcheck, split_body, split_title


@pytest.mark.parametrize("title, verdict, rest", [
    ("[SALAH] Video Surat Suara Tercoblos di Malaysia", "SALAH", "Video Surat Suara Tercoblos di Malaysia"),
    ("[HOAKS] KPU Hapus 10 Juta Pemilih", "HOAKS", "KPU Hapus 10 Juta Pemilih"),
    ("[PENIPUAN] Link Bantuan Pemilu dari Bawaslu", "PENIPUAN", "Link Bantuan Pemilu dari Bawaslu"),
    ("(Misleading) Foto Kotak Suara Kardus Rusak", "MENYESATKAN", "Foto Kotak Suara Kardus Rusak"),
    ("[KONTEN YANG DIMANIPULASI] Gambar Jokowi Menonton Debat", "DIMANIPULASI", "Gambar Jokowi Menonton Debat"),
    ("Hoaks! Server KPU Diretas Hacker Tiongkok", "HOAKS", "Server KPU Diretas Hacker Tiongkok"),
    ("Cek Fakta: Tidak Benar Sirekap Ubah Suara Paslon", "SALAH", "Sirekap Ubah Suara Paslon"),
    ("Cek Fakta: Video Kerusuhan di Kantor Bawaslu", "", "Video Kerusuhan di Kantor Bawaslu"),
    ("KPU Tetapkan DPT Pemilu 2024", "", "KPU Tetapkan DPT Pemilu 2024"),
])
def test_titles_give_their_verdict_and_the_claim(title, verdict, rest):
    assert split_title(title) == (verdict, rest)


def test_the_quoted_claim_is_kept_apart_from_the_debunk_and_references():
    body = ("NARASI: “Surat suara sudah dicoblos untuk paslon 02 ditemukan di gudang” = = = = = "
            "PENJELASAN: Video itu rekaman lama Pemilu 2019. REFERENSI: https://kpu.go.id/berita/1")
    claim, explanation = split_body(body)
    assert claim == "Surat suara sudah dicoblos untuk paslon 02 ditemukan di gudang"
    assert explanation == "Video itu rekaman lama Pemilu 2019."


def test_a_fact_check_that_quotes_nothing_has_only_an_explanation():
    assert split_body("Tim cek fakta menelusuri foto tersebut. Foto itu diambil tahun 2019.") == (
        "", "Tim cek fakta menelusuri foto tersebut. Foto itu diambil tahun 2019.")


def test_a_claim_rated_true_is_not_a_debunked_claim():
    assert claim_from_factcheck("x", {"title": "[BENAR] KPU Buka Pendaftaran KPPS", "text": "Benar."}) is None
    assert claim_from_factcheck("x", {"title": "", "text": "[SALAH] tanpa judul"}) is None


def test_an_untagged_title_takes_its_verdict_from_the_debunk():
    claim = claim_from_factcheck("fc1", {
        "title": "Cek Fakta: Video Server KPU Diretas", "url": "https://cekfakta.test/1", "source_id": "cekfakta",
        "text": "Beredar video server KPU diretas. Faktanya: video itu hoaks, rekaman pelatihan tahun 2021.",
        "published": "2024-02-10T09:00:00+07:00"})
    assert claim.verdict == "HOAKS"
    assert claim.title == "Video Server KPU Diretas"
    assert claim.claim == "Beredar video server KPU diretas."
    assert claim.url == "https://cekfakta.test/1" and claim.published.startswith("2024-02-10")
