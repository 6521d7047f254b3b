"""Headline, publication time and body as Indonesian portals print them (issue #16)."""
import time
from datetime import datetime

import pytest
from scrapy.selector import Selector

from crawlers.article_body import body_from_profile, clean_body
from crawlers.article_extractor import extract_article
from crawlers.charset import decode_body
from crawlers.headline import choose_headline, clean_headline
from crawlers.portal_profiles import PortalProfile, profile_for
from crawlers.published_time import find_date_line, read_published


@pytest.mark.parametrize("raw, expected", [
    ("Menhub Bocorkan Penyebab Harga Tiket Pesawat Masih Mahal - Kompas.com",
     "Menhub Bocorkan Penyebab Harga Tiket Pesawat Masih Mahal"),
    ("KapanLagi.com: Raisa Rilis Album Baru, Penuh Lagu Cinta", "Raisa Rilis Album Baru, Penuh Lagu Cinta"),
    ("KPU Tetapkan Jadwal Kampanye | Tempo", "KPU Tetapkan Jadwal Kampanye"),
    ("In Picture: Antrean Pemilih di TPS Bekasi", "Antrean Pemilih di TPS Bekasi"),
    ("6 Rekomendasi Bisnis, Tertarik Mencoba? : Okezone Economy", "6 Rekomendasi Bisnis, Tertarik Mencoba?"),
    ("Foto : Potret Seru Sarwendah Masak Mie Instan | merdeka.com", "Potret Seru Sarwendah Masak Mie Instan"),
    ("VIDEO : Aksi Paul Pogba Singkirkan Botol Bir", "Aksi Paul Pogba Singkirkan Botol Bir"),
    ("Cetak Gol di Laga Indonesia vs Malaysia - Tekno Liputan6.com", "Cetak Gol di Laga Indonesia vs Malaysia"),
    ("Kamrussamad: PPKM Darurat Dihentikan  - Humaniora di Nasional JPNN.com", "Kamrussamad: PPKM Darurat Dihentikan"),
    ("Bawaslu Temukan Politik Uang - ANTARA News", "Bawaslu Temukan Politik Uang"),
])
def test_headline_loses_site_names_and_section_labels(raw, expected):
    assert clean_headline(raw) == expected


@pytest.mark.parametrize("headline", [
    "Kamrussamad: PPKM Darurat Dihentikan, Angka Kematian Berpotensi Tembus 5.000 per Hari",
    "Jokowi: Pemilu Harus Jujur - Antara Harapan dan Kenyataan",  # "antara" is a word here, not the agency
    "Rekapitulasi Suara - Suara Rakyat Menentukan Jawa Barat Hari Ini",
])
def test_headline_keeps_speakers_and_ordinary_words(headline):
    assert clean_headline(headline) == headline


def test_visible_h1_wins_over_metadata_that_drops_its_punctuation():
    h1s = ["detikHealth", "KPK tak Temukan Surat Pencabutan IUP Nikel Raja Ampat: Apa Iya Betul Dicabut?"]
    metadata = ["KPK tak Temukan Surat Pencabutan IUP Nikel Raja Ampat Apa Iya Betul Dicabut"]
    assert choose_headline(h1s, metadata) == h1s[1]


def test_headline_falls_back_to_cleaned_metadata_without_a_matching_h1():
    assert choose_headline(["Logo Portal"], ["Banjir Rob di Jakarta Utara | merdeka.com"]) == "Banjir Rob di Jakarta Utara"
    assert choose_headline([], []) == ""


@pytest.mark.parametrize("line, expected", [
    ("Selasa, 23 Februari 2016 | 16:37 WIB", "2016-02-23T16:37:00+07:00"),
    ("Jum'at, 19 Juni 2015 | 13:12 WIB", "2015-06-19T13:12:00+07:00"),
    ("18 Jun 2015 at 06:25 WIB", "2015-06-18T06:25:00+07:00"),
    ("Kamis 27 Apr 2017, 22:12 WIB", "2017-04-27T22:12:00+07:00"),
    ("Kompas.com - 02/11/2023, 21:34 WIB", "2023-11-02T21:34:00+07:00"),
    ("pada 20 Des 2021, 09:59 WIB Diperbarui 20 Des 2021, 13:04 WIB", "2021-12-20T09:59:00+07:00"),
    ("PERISTIWA | 17 Juni 2021 11:38", "2021-06-17T11:38:00+07:00"),
    ("Minggu, 18 Juli 2021 – 18:52 WIB", "2021-07-18T18:52:00+07:00"),
    ("Rabu, 14 Feb 2024 19:45 WITA", "2024-02-14T19:45:00+08:00"),
    ("Sabtu, 10/02/24 pukul 08.00 WIT", "2024-02-10T08:00:00+09:00"),
    ("November 2, 2023 20:59", "2023-11-02T20:59:00+07:00"),
])
def test_printed_date_lines(line, expected):
    assert find_date_line(line).isoformat() == expected


@pytest.mark.parametrize("text", ["Senin (4/5/2020) pagi", "31 Februari 2024 10:00 WIB", "Skor 2-1, 90:00", "", None])
def test_text_without_a_printed_date_and_time_gives_none(text):
    assert find_date_line(text) is None


def _published(head: str, after_h1: str):
    page = Selector(text=f"<html><head>{head}</head><body><h1>Judul Berita</h1>{after_h1}<p>Isi.</p></body></html>")
    return read_published(page, page.xpath("//h1")[0])


def test_metadata_with_only_a_date_takes_the_printed_time():
    found = _published('<meta property="article:published_time" content="2016-02-23">',
                       '<div class="date">Selasa, 23 Februari 2016 | 16:37 WIB</div>')
    assert (found.value, found.source) == ("2016-02-23T16:37:00+07:00", "page-text over meta:article:published_time")


@pytest.mark.parametrize("meta", ["2021-06-17T11:38:29-07:00", "2021-06-17T11:38:29Z"])
def test_metadata_with_the_printed_clock_but_a_wrong_offset_takes_the_printed_zone(meta):
    found = _published(f'<meta property="article:published_time" content="{meta}">',
                       "<span>PERISTIWA | 17 Juni 2021 11:38</span>")
    assert found.value == "2021-06-17T11:38:29+07:00"


def test_metadata_in_utc_is_kept_and_shown_in_the_printed_zone():
    found = _published('<meta property="article:published_time" content="2023-11-02T13:34:19+00:00">',
                       "<a>Kompas.com - 02/11/2023, 21:34 WITA</a>")
    assert (found.value, found.source) == ("2023-11-02T21:34:19+08:00", "meta:article:published_time")


def test_metadata_on_another_day_than_the_printed_line_is_kept():
    found = _published('<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": '
                       '"2024-02-14T08:30:00+07:00"}</script>', "<p>Terkait: Kamis, 1 Feb 2024 10:00 WIB</p>")
    assert (found.value, found.source) == ("2024-02-14T08:30:00+07:00", "jsonld")


def test_page_with_no_date_anywhere_has_none():
    assert _published("", "<p>Tanpa tanggal.</p>") is None


def test_lead_in_before_the_dateline_is_dropped_and_the_dateline_kept():
    text = "\n".join([
        "Home » Berita » Pemilu", "TRAVEL NEWS", "KPU Tetapkan Daftar Pemilih Tetap",
        "Rabu, 14 Februari 2024 08:30 WIB", "Reporter : Andi", "Petugas KPPS menghitung suara. (Foto: ANTARA/Andi)",
        "Jakarta -", "Komisi Pemilihan Umum menetapkan daftar pemilih tetap untuk Pemilu 2024 di seluruh provinsi.",
    ])
    assert clean_body(text, "KPU Tetapkan Daftar Pemilih Tetap") == (
        "Jakarta - Komisi Pemilihan Umum menetapkan daftar pemilih tetap untuk Pemilu 2024 di seluruh provinsi.")


@pytest.mark.parametrize("first", [
    "JAKARTA, KOMPAS.com – Komisi Pemilihan Umum menetapkan jadwal kampanye terbuka.",
    "Liputan6.com, Jakarta - Komisi Pemilihan Umum menetapkan jadwal kampanye terbuka.",
    "REPUBLIKA.CO.ID, JAKARTA -- Komisi Pemilihan Umum menetapkan jadwal kampanye terbuka.",
    "Jakarta (ANTARA News) - Komisi Pemilihan Umum menetapkan jadwal kampanye terbuka.",
])
def test_datelines_belong_to_the_body(first):
    assert clean_body(f"{first}\nParagraf kedua berita ini cukup panjang untuk dibaca.").split("\n")[0] == first


def test_furniture_inside_and_after_the_article_is_dropped():
    text = "\n".join([
        "Jakarta - Bawaslu menemukan dugaan politik uang di tiga kecamatan menjelang hari pemungutan suara.",
        "ADVERTISEMENT", "SCROLL TO CONTINUE WITH CONTENT", "Baca juga: KPU Umumkan Hasil Rekapitulasi",
        "BACA JUGA:", "Baca: Jadwal Debat Capres", "Share on Facebook", "[Gambas:Video 20detik]",
        "Temuan itu sudah diteruskan ke kepolisian untuk diproses lebih lanjut.",
        "© 2024 Portal Berita. All rights reserved.", "(vyp/kna)", "Berita Terkait", "Judul Lain Yang Tidak Relevan",
    ])
    assert clean_body(text).split("\n") == [
        "Jakarta - Bawaslu menemukan dugaan politik uang di tiga kecamatan menjelang hari pemungutan suara.",
        "Temuan itu sudah diteruskan ke kepolisian untuk diproses lebih lanjut.", "(vyp/kna)"]


def test_an_acronym_in_parentheses_is_not_a_sign_off():
    text = "Jakarta - Kasus ini ditangani Komisi Pemberantasan Korupsi (KPK)\nParagraf kedua tetap ada."
    assert clean_body(text).endswith("Paragraf kedua tetap ada.")


def test_profile_body_skips_boxes_and_keeps_inline_links():
    page = Selector(text="""<div class="detail__body-text"><strong>Jakarta</strong> - <p>Komisi Pemilihan Umum
        (<a class="inner-link-tag">KPU</a>) menetapkan jadwal kampanye.</p>
        <p class="para_caption">ADVERTISEMENT</p><table class="linksisip"><tr><td>Baca juga: Lain</td></tr></table>
        <div class="related-box"><a>Berita lain</a></div><p><strong>Baca juga:</strong> <a>Judul lain</a></p>
        <figure><figcaption>Foto: KPU</figcaption></figure><p>Paragraf kedua.</p></div>""")
    body = body_from_profile(page, PortalProfile(".detail__body-text", (".para_caption",)))
    assert clean_body(body).split("\n") == [
        "Jakarta - Komisi Pemilihan Umum (KPU) menetapkan jadwal kampanye.", "Paragraf kedua."]


def test_profiles_match_subdomains_and_nothing_else():
    assert profile_for("https://health.detik.com/x/d-1/y") is profile_for("https://news.detik.com/")
    assert profile_for("https://notdetik.com/a") is None
    assert profile_for("not a url") is None


def test_extractor_on_a_page_of_an_unknown_site_uses_trafilatura_and_the_cleaners():
    html = """<html><head><title>Bawaslu Awasi TPS - Portal Daerah</title>
      <meta property="og:title" content="Bawaslu Awasi TPS - Portal Daerah"></head><body>
      <nav>Home » Berita</nav><h1>Bawaslu Awasi TPS</h1><div class="tgl">Kamis, 15 Februari 2024 19:45 WITA</div>
      <article><p>MAKASSAR - Bawaslu Sulawesi Selatan mengawasi pemungutan suara ulang di 12 TPS hari ini.</p>
      <p>Baca juga: Hasil Rekap Makassar</p><p>Pengawas ditempatkan di setiap TPS sejak pagi hari untuk memastikan.</p>
      </article></body></html>"""
    article = extract_article(html, "https://portal-daerah.example/berita/1")
    assert article.title == "Bawaslu Awasi TPS"
    assert (article.published, article.published_source) == ("2024-02-15T19:45:00+08:00", "page-text")
    assert article.text.startswith("MAKASSAR - Bawaslu Sulawesi Selatan")
    assert "Baca juga" not in article.text


def test_giant_page_is_extracted_in_bounded_time():
    paragraph = "<p>" + "Kalimat berita yang panjang tentang pemilu di daerah. " * 20 + "</p>"
    html = ("<html><body><h1>Judul</h1><div>Rabu, 14 Februari 2024 08:30 WIB</div><div class='detail__body-text'>"
            + paragraph * 3000 + "</div></body></html>")  # about 3 MB
    started = time.monotonic()
    article = extract_article(html, "https://news.detik.com/berita/d-1/judul")
    assert time.monotonic() - started < 60
    assert article.published == "2024-02-14T08:30:00+07:00"
    assert article.text.startswith("Kalimat berita")


def test_page_in_windows_1252_labelled_utf8_keeps_its_characters():
    html = ("<html><head><meta charset='utf-8'></head><body><h1>Pemilu “jujur” — café</h1>"
            "<p>Jakarta - Warga menyambut pemilu “jujur” dengan antusias di café dekat TPS setempat.</p></body></html>")
    text, _ = decode_body(html.encode("cp1252"), "text/html; charset=utf-8")
    article = extract_article(text, "https://contoh.example/a")
    assert article.title == "Pemilu “jujur” — café"
    assert "“jujur”" in article.text


@pytest.mark.parametrize("html", ["", "<html></html>", "<h1></h1>", "\x00\x01binary\xff", "<p>" * 5000,
                                  "<h1>Judul</h1><div>99/99/2024 25:61 WIB</div>"])
def test_broken_pages_give_empty_fields_not_a_crash(html):
    article = extract_article(html, "https://contoh.example/a")
    assert article.published is None
    assert isinstance(article.text, str) and isinstance(article.title, str)


def test_published_value_is_timezone_aware():
    page = Selector(text="<h1>Judul</h1><span>17 Juni 2021 11:38</span>")
    value = read_published(page, page.xpath("//h1")[0]).value
    assert datetime.fromisoformat(value).utcoffset() is not None
