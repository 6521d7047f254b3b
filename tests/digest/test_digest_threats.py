"""Cyber threats and look-alike domains in the digest: the day's cyber-finding posts (kind, reason,
source, link, WIB time) and the look-alike domains its posts carried (what each imitates, how, how
many posts), on both backends, in HTML, PDF, text and JSON; a quiet day says so."""
from __future__ import annotations

import re
from datetime import datetime, timezone

from digest_helpers import DAY, add, pdf_pages, post, wib
from waspada.digest import build_digest, parse_day
from waspada.digest.render_html import render_html
from waspada.digest.render_pdf import render_pdf
from waspada.digest.render_text import render_text
from waspada.threats.cyber import CyberFinding, detect
from waspada.threats.lookalike.posts import LookalikeFinder

BUILT_AT = datetime(2024, 2, 11, 0, 0, tzinfo=timezone.utc)
NO_CYBER = "Tidak ada pos ancaman siber pada hari ini."
NO_LOOKALIKES = "Tidak ada domain tiruan yang terlihat pada hari ini."
HOSTILE = '<script>alert("siber")</script>'


def cyber_post(when, text: str, **extra) -> dict:
    # A rule finding on a post the model scored low: it is listed all the same.
    return post(when, labels=(), score=0.05, cyber=detect(text).as_document(), **extra)


def lookalike_post(when, url: str, links=(), **extra) -> dict:
    return post(when, labels=(), score=0.05, lookalikes=LookalikeFinder().find(url, list(links)), **extra)


def test_the_days_cyber_posts_and_lookalike_domains_are_listed(index):
    hostile = CyberFinding(kind="phishing", target="kpu", act=HOSTILE, also=("data_leak",)).as_document()
    docs = [cyber_post(wib(0, 8), "Situs KPU diretas hacker semalam", title="Situs diretas"),
            post(wib(0, 15), labels=(), score=0.05, cyber=hostile, title="Login " + HOSTILE, source="akun-x",
                 platform="mastodon"),
            cyber_post(wib(-1, 9), "Database DPT KPU bocor dan dijual", title="Kemarin"),  # the day before
            lookalike_post(wib(0, 9), "https://kpu-go-id.net/dpt", title="Dimuat di tiruan"),
            lookalike_post(wib(0, 11), "https://berita.example/a", ["https://kpu-go-id.net/login",
                                                                    "https://bawaslu-ri.org/x"], title="Menautkan"),
            lookalike_post(wib(-1, 11), "https://infokpu.com/kemarin", title="Tiruan kemarin"),
            post(wib(0, 12))]  # an ordinary flagged post: in neither section
    add(index, docs)
    result = build_digest(parse_day(DAY), index=index, backend=index.backend_name, now=BUILT_AT)
    d = result.digest

    cyber = d["cyber_threats"]
    assert cyber["total"] == 2 and cyber["by_kind"] == {"phishing": 1, "data_leak": 1, "hacking_claim": 1}
    assert [p["title"] for p in cyber["posts"]] == ["Login " + HOSTILE, "Situs diretas"]  # newest first
    hack = cyber["posts"][1]
    assert hack["kind"] == "hacking_claim" and hack["kind_name"] == "klaim peretasan sistem pemilu"
    assert hack["reason"] == "klaim peretasan sistem pemilu: 'diretas' dekat 'kpu'"
    assert hack["link"].endswith("/item/" + docs[0]["waspada"]["id"]) and hack["source_name"] == "Sumber kanal-a"
    fakes = d["lookalike_domains"]
    assert fakes["total"] == 2
    assert [(r["domain"], r["official"], r["kind"], r["posts"]) for r in fakes["domains"]] == [
        ("kpu-go-id.net", "kpu.go.id", "embedded", 2), ("bawaslu-ri.org", "bawaslu.go.id", "added_words", 1)]
    assert fakes["domains"][0]["example"]["title"] == "Menautkan"  # the newest post carrying it
    assert d["headline"]["cyber_threats"] == 2 and d["headline"]["lookalike_domains"] == 2

    html = (result.folder / "digest.html").read_text(encoding="utf-8")
    assert "Ancaman siber (2)" in html and "Domain tiruan (2)" in html
    assert NO_CYBER not in html and NO_LOOKALIKES not in html
    assert "10-02-2024 08:00 WIB" in html and "klaim peretasan sistem pemilu: &#39;diretas&#39; dekat &#39;kpu&#39;" in html
    assert HOSTILE not in html and "&lt;script&gt;alert(&#34;siber&#34;)&lt;/script&gt;" in html
    assert "<code>kpu-go-id.net</code>" in html and not re.search(r'href="[^"]*(kpu-go-id|bawaslu-ri)', html)
    assert "Kemarin" not in html and "infokpu.com" not in html
    pdf = " ".join(text for text, _ in pdf_pages(result.folder / "digest.pdf"))
    assert "Ancaman siber (2)" in pdf and "Domain tiruan (2)" in pdf and "bawaslu-ri.org" in pdf
    text = render_text(d)
    assert "Ancaman siber: 2 pos; domain tiruan: 2" in text
    assert "10-02-2024 08:00 WIB [klaim peretasan sistem pemilu]" in text
    assert "kpu-go-id.net meniru kpu.go.id (domain resmi disisipkan ke domain lain): 2 pos" in text


def test_a_day_without_threats_says_so(sqlite_seeded):
    index, _ = sqlite_seeded
    result = build_digest(parse_day(DAY), index=index, backend="sqlite", now=BUILT_AT)
    assert result.digest["cyber_threats"] == {"total": 0, "by_kind": {}, "posts": []}
    assert result.digest["lookalike_domains"] == {"total": 0, "domains": []}
    html = (result.folder / "digest.html").read_text(encoding="utf-8")
    assert "Ancaman siber (0)" in html and NO_CYBER in html and NO_LOOKALIKES in html
    pdf = " ".join(text for text, _ in pdf_pages(result.folder / "digest.pdf"))
    assert NO_CYBER in pdf and NO_LOOKALIKES in pdf
    assert "Ancaman siber: 0 pos; domain tiruan: 0" in render_text(result.digest)


def test_an_archive_from_before_the_sections_still_renders(sqlite_seeded):
    """Re-sending an older archive renders its digest.json again: without the sections it must work."""
    index, _ = sqlite_seeded
    result = build_digest(parse_day(DAY), index=index, backend="sqlite", now=BUILT_AT)
    old = {k: v for k, v in result.digest.items() if k not in ("cyber_threats", "lookalike_domains")}
    html = render_html(old, {"trend": "cid:trend", "platforms": "cid:platforms"})
    assert NO_CYBER in html and NO_LOOKALIKES in html
    assert "Ancaman siber: 0 pos" in render_text(old)
    pngs = {name: (result.folder / file).read_bytes() for name, file in result.digest["charts"].items()}
    assert render_pdf(old, pngs).startswith(b"%PDF")
