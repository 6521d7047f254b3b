"""Look-alike domains of the election bodies are caught; the bodies' own domains, their
subdomains, other government domains and ordinary near misses are not."""
from __future__ import annotations

import pytest

from waspada.threats.lookalike import check, edit_distance, skeleton

CYRILLIC_KPU = "k\u0440u"  # Cyrillic er in the middle


@pytest.mark.parametrize("domain, kind, official", [
    ("kpu.com", "tld_swap", "kpu.go.id"),
    ("kpu.id", "tld_swap", "kpu.go.id"),
    ("bawaslu.co.id", "tld_swap", "bawaslu.go.id"),
    ("mkri.com", "tld_swap", "mkri.id"),
    ("kpu.go.id.verifikasi-dpt.com", "embedded", "kpu.go.id"),
    ("kpu-go-id.net", "embedded", "kpu.go.id"),
    ("login.bawaslu.go.id.web.id", "embedded", "bawaslu.go.id"),
    ("infokpu.com", "added_words", "kpu.go.id"),
    ("bawaslu-ri.org", "added_words", "bawaslu.go.id"),
    ("cek-dpt-kpu.id", "added_words", "kpu.go.id"),
    ("dkpp-pemilu.com", "added_words", "dkpp.go.id"),
    ("bawasiu.com", "homoglyph", "bawaslu.go.id"),   # i for l
    ("bavvaslu.id", "homoglyph", "bawaslu.go.id"),   # vv for w
    ("bawas1u.net", "homoglyph", "bawaslu.go.id"),   # 1 for l
    (f"{CYRILLIC_KPU}.com", "homoglyph", "kpu.go.id"),
    (f"{CYRILLIC_KPU}.com".encode("idna").decode(), "homoglyph", "kpu.go.id"),  # as punycode
    ("bwaaslu.id", "typosquat", "bawaslu.go.id"),    # two letters swapped
    ("bawaslo.com", "typosquat", "bawaslu.go.id"),
    ("Bawaslu-RI.org.", "added_words", "bawaslu.go.id"),  # case and trailing dot
])
def test_lookalikes_are_caught(domain, kind, official):
    hit = check(domain)
    assert hit is not None, domain
    assert (hit.kind, hit.official) == (kind, official), hit


@pytest.mark.parametrize("domain", [
    "kpu.go.id", "jatim.kpu.go.id", "www.bawaslu.go.id", "mkri.id", "www.mkri.id", "dkpp.go.id",
    "kpk.go.id", "kppu.go.id", "kpi.go.id", "kpud-jakarta.go.id", "bawaslu-jatim.go.id",  # government only
    "kompas.com", "detik.com", "tempo.co", "cekfakta.com", "turnbackhoax.id",
    "kpk.com", "kppu.com", "mkr.com", "bawang.com", "pulau.id", "", "localhost",
])
def test_near_misses_do_not_alert(domain):
    assert check(domain) is None, check(domain)


def test_configured_official_domains_are_checked_too():
    regional = ["pilkada.jakarta.go.id"]
    hit = check("pilkada-jakarta.com", official=regional)
    assert hit and hit.kind == "tld_swap"  # the whole name, dots turned into a dash
    assert check("jakarta-news.com", official=regional) is None  # the city alone is not the body
    assert check("kpujakarta.com", official=["kpujakarta.go.id"]).kind == "tld_swap"


def test_helpers():
    assert skeleton("bavvas1u") == skeleton("bawaslu")
    assert edit_distance("bawaslu", "bwaaslu") == 1 and edit_distance("kpu", "kpu") == 0


@pytest.mark.parametrize("text, domains", [
    ("daftar ulang di kpu-pemilu.info sekarang", ["kpu-pemilu.info"]),
    ("kirim berkas ke admin@bawaslu-ri.org ya", ["bawaslu-ri.org"]),
    ("situs k\u0440u.com palsu, jangan dibuka", ["k\u0440u.com"]),           # Cyrillic er
    ("cek www.kpu-go-id.net/dpt dan KPU-RI.XYZ", ["www.kpu-go-id.net", "kpu-ri.xyz"]),
    ("cek https://kpu.com/x lalu kpu.go.id", ["kpu.go.id"]),                 # scheme links are the caller's
    ("Ketua KPU.Hasyim bilang harga Rp5.000, file.apk", []),                 # no known TLD: not a domain
])
def test_bare_domains_are_read_from_text(text, domains):
    from waspada.threats.lookalike.posts import bare_domains

    assert bare_domains(text) == domains


def test_a_post_naming_a_lookalike_without_a_scheme_carries_it():
    from waspada.threats.lookalike.posts import LookalikeFinder

    finder = LookalikeFinder()
    found = finder.find("https://t.me/s/x/1", [], "Verifikasi DPT di kpu-pemilu.info, resmi dari kpu.go.id")
    assert [(r["domain"], r["official"], r["where"]) for r in found] == [("kpu-pemilu.info", "kpu.go.id", "link")]
    assert finder.find("https://t.me/s/x/2", [], "Info resmi di kpu.go.id dan jatim.kpu.go.id") == []
