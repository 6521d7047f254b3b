"""Debunked claims circulating again: the digest lists each claim the day's posts repeated, with
its verdict and fact-check link, the post count and the most severe example, on both backends."""
from __future__ import annotations

from datetime import datetime, timezone

from digest_helpers import DAY, add, pdf_pages, post, wib
from waspada.digest import build_digest, parse_day
from waspada.digest.render_text import render_text

BUILT_AT = datetime(2024, 2, 11, 0, 0, tzinfo=timezone.utc)
NONE_SAID = "Tidak ada klaim terbantah yang beredar lagi pada hari ini."


def matched(doc: dict, claim_id: str, title: str, similarity: float) -> dict:
    doc["waspada"]["claim_match"] = {"claim_id": claim_id, "title": title, "verdict": "SALAH",
                                     "url": f"https://cekfakta.example/{claim_id}", "published": "2024-02-01",
                                     "source_id": "cekfakta", "similarity": similarity, "model_hoax": 0.3}
    return doc


def test_claims_repeated_on_the_day_are_listed_with_their_fact_check(index):
    server = "Server KPU diretas <i>hacker</i>"
    docs = [matched(post(wib(0, 9), views=10), "fc-server", server, 0.91),
            matched(post(wib(0, 11), views=90_000, title="Contoh paling berbahaya"), "fc-server", server, 0.88),
            matched(post(wib(0, 13)), "fc-dpt", "KPU hapus 10 juta pemilih", 0.8),
            matched(post(wib(-1, 10)), "fc-kemarin", "Klaim kemarin", 0.9),  # the day before: not listed
            post(wib(0, 14))]  # no match
    add(index, docs)
    result = build_digest(parse_day(DAY), index=index, backend=index.backend_name, now=BUILT_AT)
    claims = result.digest["claim_matches"]
    assert [(c["claim_id"], c["posts"]) for c in claims] == [("fc-server", 2), ("fc-dpt", 1)]
    assert claims[0]["example"]["title"] == "Contoh paling berbahaya"  # the most severe of the two
    assert claims[0]["verdict"] == "SALAH" and claims[0]["url"] == "https://cekfakta.example/fc-server"
    assert result.digest["headline"]["debunked_claims_circulating"] == 2

    html = (result.folder / "digest.html").read_text(encoding="utf-8")
    assert "Klaim yang sudah dibantah beredar lagi (2)" in html and NONE_SAID not in html
    assert 'href="https://cekfakta.example/fc-server"' in html
    assert "<i>hacker</i>" not in html and "&lt;i&gt;hacker&lt;/i&gt;" in html
    assert "Klaim kemarin" not in html
    pdf = " ".join(text for text, _ in pdf_pages(result.folder / "digest.pdf"))
    assert "Klaim yang sudah dibantah beredar lagi (2)" in pdf and "KPU hapus 10 juta pemilih" in pdf
    text = render_text(result.digest)
    assert "[SALAH] KPU hapus 10 juta pemilih: 1 pos" in text


def test_a_day_without_matches_says_so(sqlite_seeded):
    index, _ = sqlite_seeded
    result = build_digest(parse_day(DAY), index=index, backend="sqlite", now=BUILT_AT)
    assert result.digest["claim_matches"] == []
    assert NONE_SAID in (result.folder / "digest.html").read_text(encoding="utf-8")
    assert NONE_SAID in " ".join(text for text, _ in pdf_pages(result.folder / "digest.pdf"))
