"""The parts of the defacement watch on their own: markers, visible text and charsets, the
similarity measure, which redirects a page may make, and the watched pages file."""
from __future__ import annotations

import pytest

from waspada.threats.defacement.markers import markers_in, new_markers
from waspada.threats.defacement.compare import MIN_STABLE, shingles, similarity
from waspada.threats.defacement.text import decode, view
from waspada.threats.defacement.watched_pages import PagesFileError, load_pages, registrable_domain, watched_page


@pytest.mark.parametrize("text,expected", [
    ("Hacked by Garuda Ghost", ["hacked by"]),
    ("H4CK3D_BY ./ZeroByte", ["hacked by"]),
    ("defaced by xploit", ["defaced by"]),
    ("0wned by anon", ["owned by"]),
    ("Touched By Anak Rantau", ["touched by"]),
    ("greetz: semua kru", ["greetz"]),
    ("Situs ini telah diretas oleh Tim Bayangan", ["diretas oleh", "situs ini diretas"]),
    ("halaman kami di-hack oleh pemuda", ["diretas oleh"]),
    ("Your security is low!", ["security taunt"]),
    ("SLOT GACOR hari ini maxwin", ["judi online injection"]),
])
def test_defacer_signatures_are_found_however_spelled(text, expected):
    assert markers_in(text) == expected


@pytest.mark.parametrize("text", [
    "KPU membantah kabar website KPU diretas, layanan berjalan normal",  # news about hacking, no signature
    "Bawaslu gandeng cyber army? Hoaks, kata juru bicara",
    "Rekapitulasi 2024: 14 Februari pukul 13.00 WIB",
    "Laman ini dikelola oleh Biro Teknis dan Hubungan Partisipasi Masyarakat",
])
def test_ordinary_official_text_has_no_marker(text):
    assert markers_in(text) == []


def test_only_markers_the_baseline_lacked_count():
    before = "Berita: situs ini telah diretas oleh pihak tak dikenal pada 2019, kata KPU"
    assert new_markers(before, before + " dan lagi") == []
    assert new_markers(before, before + " Hacked by X") == ["hacked by"]


def test_visible_text_skips_scripts_and_styles_and_reads_self_redirects():
    page = view("<html><head><title>KPU &amp; Pemilu</title><style>p{}</style>"
                "<meta http-equiv='refresh' content='5; URL=/beranda'></head><body><p>Satu</p><div>Dua  <b>tiga</b>"
                "</div><script>var x=1; window.location.href = 'https://judi.example/';</script></body></html>")
    assert page.title == "KPU & Pemilu" and page.text == "Satu\nDua tiga"
    assert page.redirects == ["/beranda", "https://judi.example/"]


def test_a_head_left_open_still_shows_the_body():
    assert view("<html><head><title>t</title><body><p>Isi halaman</p>").text == "Isi halaman"


@pytest.mark.parametrize("body,content_type,expected", [
    ("café “final”".encode("utf-8"), "text/html; charset=utf-8", "café “final”"),
    ("café “final”".encode("cp1252"), "text/html; charset=utf-8", "café “final”"),  # mislabelled
    ("café".encode("latin-1"), "text/html", "café"),  # no charset at all
    ('<meta charset="windows-1252">café'.encode("cp1252"), "", '<meta charset="windows-1252">café'),
    (b"\xef\xbb\xbfKPU", "text/html; charset=iso-8859-1", "KPU"),  # the byte-order mark wins
])
def test_decoding_follows_what_a_browser_would_show(body, content_type, expected):
    assert decode(body, content_type) == expected


def test_counters_and_dates_are_not_change():
    before = "Pengunjung hari ini: 48.213 · diperbarui 14 Februari 2024 09:15 WIB " * 5
    after = "Pengunjung hari ini: 131.077 · diperbarui 17 Februari 2024 16:40 WIB " * 5
    assert shingles(before) == shingles(after)


def test_similarity_is_the_share_of_the_stable_region_left():
    stable = set(range(100))
    assert similarity(stable, stable, set(range(40, 200))) == 0.6
    assert similarity(set(), set(), {1, 2}) is None  # an app shell with no text both times: not judged
    assert similarity(set(), {1, 2}, set(range(10, 20 + MIN_STABLE))) == 0.0  # text appeared on an empty shell
    assert similarity({1, 2}, set(range(100)), set(range(100))) is None  # the stable region wore away


@pytest.mark.parametrize("host,domain", [("www.kpu.go.id", "kpu.go.id"), ("jatim.kpu.go.id", "kpu.go.id"),
                                         ("www.mkri.id", "mkri.id"), ("kpu.go.id.verifikasi.com", "verifikasi.com"),
                                         ("127.0.0.1", "127.0.0.1"), ("WWW.Bawaslu.GO.ID.", "bawaslu.go.id")])
def test_registrable_domain(host, domain):
    assert registrable_domain(host) == domain


def test_which_redirects_a_page_may_make():
    page = watched_page("http://kpu.go.id/", "KPU", allowed_domains=["kpu-ri.example"])
    assert page.allows("https://www.kpu.go.id/beranda")  # http to https, www
    assert page.allows("https://jdih.kpu.go.id/") and page.allows("https://kpu-ri.example/x")
    assert not page.allows("https://bawaslu.go.id/")  # another body's site is still another site
    assert not page.allows("https://kpu.go.id.slot-gacor.example/")
    assert not page.allows("javascript:alert(1)") and not page.allows("ftp://kpu.go.id/")


def test_the_bundled_list_watches_every_election_body_over_https():
    pages = load_pages()
    hosts = {registrable_domain(p.url.split("/")[2]) for p in pages}
    assert {"kpu.go.id", "bawaslu.go.id", "dkpp.go.id", "mkri.id"} <= hosts
    assert all(p.url.startswith("https://") and p.name and p.body for p in pages)
    assert any(p.url.startswith("https://jatim.") for p in pages)  # regional bodies too


@pytest.mark.parametrize("entry,message", [
    ("- url: kpu.go.id\n  name: x", "not an absolute http(s) address"),
    ("- url: https://kpu.go.id/\n  nama: x", "unknown field(s) nama"),
    ("- url: https://kpu.go.id/\n  drift_threshold: 2", "between 0 and 1"),
    ("- url: https://kpu.go.id/\n- url: https://kpu.go.id/", "listed twice"),
])
def test_a_bad_pages_file_names_the_entry_and_the_fix(tmp_path, entry, message):
    path = tmp_path / "pages.yaml"
    path.write_text("pages:\n" + entry + "\n", encoding="utf-8")
    with pytest.raises(PagesFileError, match="page [12]") as caught:
        load_pages(path)
    assert message in str(caught.value) and str(path) in str(caught.value)


def test_drift_is_also_judged_against_the_last_good_check():
    """A fast news list wears the stable region down to a few surviving baseline headlines; when
    they scroll off, the stable score collapses though the page only turned over as usual. The
    last good check still shares most of its text, so the page is not drift; a replacement
    differs from both and still scores about 0."""
    from waspada.threats.defacement.compare import drift_score

    chrome = set(range(10))                         # a little standing text
    baseline = chrome | set(range(100, 160))        # baseline headlines
    stable = chrome | set(range(150, 160))          # all but ten of them already scrolled off
    recent = chrome | set(range(150, 160)) | set(range(200, 250))
    now = chrome | set(range(200, 260))             # the last ten baseline headlines go, ten new come
    assert len(stable & now) / len(stable) == 0.5   # the stable region alone: at the threshold
    assert drift_score(stable, baseline, recent, now) == len(recent & now) / len(recent) > 0.8
    replaced = set(range(1000, 1100))
    assert drift_score(stable, baseline, recent, replaced) == 0.0
    # Before the last check was kept (an older store) only the stable region counts.
    assert drift_score(stable, baseline, None, now) == 0.5
    # A tiny recent text (an app shell) is not a judge of drift.
    assert drift_score(set(), set(range(5)), set(range(5)), set(range(5))) is None
