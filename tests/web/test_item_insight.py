"""The item page explains a score (words that pushed it, from the model that scored the post)
and lists the same text posted elsewhere (the near-duplicate cluster)."""
from __future__ import annotations

import re

import pytest

from web_fixtures import client_for, record
from waspada.schema import build_document

models = pytest.importorskip("models")
TEXT = "Kumpulkan massa, serbu dan bakar kantor KPU, usir semua petugas yang curang itu dari kampung kita!"


def scored_posts(n: int) -> list[dict]:
    clf = models.load()
    [prediction] = clf.predict([TEXT])
    docs = []
    for i in range(n):
        doc = build_document(record(500 + i, platform="telegram", native_id=str(500 + i), source_id=f"kanal{i}",
                                    title="", text=TEXT, author=f"@akun{i}"),
                             relevance={"terms": ["kpu"]}, scores=prediction["scores"], labels=prediction["labels"],
                             model_id=prediction["model_id"], evidence=None)
        docs.append(doc)
    for doc in docs[1:]:
        doc["waspada"]["cluster"] = docs[0]["waspada"]["id"]
    return docs


def test_item_page_explains_the_score_and_lists_copies(sqlite_env):
    app, index, ids = sqlite_env
    docs = scored_posts(3)
    assert not index.upsert(docs).failed
    index.refresh()
    client = client_for(app, "analis")

    page = client.get(f"/item/{docs[1]['waspada']['id']}").text
    why = re.search(r'<dd id="why">(.*?)</dd>', page, re.S)[1]
    assert "provokasi:" in why and "usir" in why  # the word that pushes provocation most
    copies = re.search(r'<ul class="notes" id="copies">(.*?)</ul>', page, re.S)[1]
    assert "@akun0" in copies and "@akun2" in copies and "@akun1" not in copies  # the others, not itself
    assert "(pos pertama)" in copies and "Teks yang sama di tempat lain (2)" in page

    other = client.get(f"/item/{ids['first']}").text  # scored by another model id: said plainly
    assert "penjelasan tidak tersedia" in other and "Tidak ada salinan teks ini" in other


def test_explanations_can_be_turned_off(sqlite_env):
    app, index, _ = sqlite_env
    [doc] = scored_posts(1)
    index.upsert([doc])
    index.refresh()
    app.state.explain = False
    page = client_for(app, "analis").get(f"/item/{doc['waspada']['id']}").text
    assert "WASPADA_WEB_EXPLAIN=false" in page


def test_item_page_shows_the_debunked_claim_a_post_repeats_escaped(sqlite_env):
    from waspada.claims.rule import apply_match
    from waspada.claims.extract import Claim
    from waspada.claims.matcher import Match

    app, index, _ = sqlite_env
    claim = Claim(id="fc-1", url="https://cekfakta.test/salah-server-kpu", source_id="cekfakta",
                  title="Server KPU Diretas <script>alert(1)</script>", verdict="SALAH", claim="", explanation="",
                  published="2024-02-09")
    prediction, claim_match = apply_match({"scores": {"hoax": 0.2, "provocation": 0.1}, "labels": [], "model_id": "m"},
                                          Match(claim, 0.81, {"words": 0.7}), 0.48)
    doc = build_document(record(900, title="", text="server KPU diretas hacker"), relevance={"terms": ["kpu"]},
                         scores=prediction["scores"], labels=prediction["labels"], model_id="m", evidence=None,
                         claim_match=claim_match)
    assert not index.upsert([doc]).failed
    index.refresh()
    page = client_for(app, "analis").get(f"/item/{doc['waspada']['id']}").text
    shown = re.search(r'<dd id="claim-match">(.*?)</dd>', page, re.S)[1]
    assert "<strong>SALAH</strong>" in shown and 'href="https://cekfakta.test/salah-server-kpu"' in shown
    assert "&lt;script&gt;" in shown and "<script>" not in shown  # a fact-check title is crawled text too
    assert "kemiripan <strong>0.81</strong>" in shown and "skor model sendiri 0.20" in shown
    assert "hoax" in doc["waspada"]["labels"] and doc["waspada"]["scores"]["hoax"] == pytest.approx(0.48 + 0.52 * 0.81)


def test_item_page_shows_reach_when_it_was_refreshed_and_a_deletion(sqlite_env):
    app, index, _ = sqlite_env
    doc = build_document(record(901, platform="telegram", engagement={"likes": 12, "shares": 340, "views": 9100}),
                         relevance={"terms": ["kpu"]}, scores={"hoax": 0.9, "provocation": 0.1}, labels=["hoax"],
                         model_id="m", evidence=None)
    assert not index.upsert([doc]).failed
    index.refresh()
    client = client_for(app, "analis")
    first = client.get(f"/item/{doc['waspada']['id']}").text
    shown = re.search(r'<dd id="engagement">(.*?)</dd>', first, re.S)[1]
    assert "12 suka" in shown and "340 bagikan" in shown and "9100 dilihat" in shown
    assert "angka saat pertama dirayapi" in shown and 'id="deleted"' not in shown

    index.update(doc["waspada"]["id"], {"waspada": {"engagement": {"views": 25000, "refreshed_at": "2024-02-11T01:00:00+00:00"},
                                                    "post": {"deleted_at": "2024-02-11T01:00:00+00:00",
                                                             "deleted_reason": "HTTP 404 <b>gone</b>"}}})
    index.refresh()
    later = client.get(f"/item/{doc['waspada']['id']}").text
    shown = re.search(r'<dd id="engagement">(.*?)</dd>', later, re.S)[1]
    assert "25000 dilihat" in shown and "diperbarui 11-02-2024 08:00 WIB" in shown
    assert "Dihapus dari platform" in shown and "&lt;b&gt;gone&lt;/b&gt;" in shown

    # the crawler's reason code is named in Indonesian; its English detail stays, escaped
    index.update(doc["waspada"]["id"], {"waspada": {"post": {"deleted_reason": "http_410: HTTP 410 from https://t.me/<i>x</i>"}}})
    index.refresh()
    shown = re.search(r'<dd id="engagement">(.*?)</dd>', client.get(f"/item/{doc['waspada']['id']}").text, re.S)[1]
    assert "alamatnya menjawab HTTP 410 (tidak ditemukan atau sudah dihapus); rincian teknis: HTTP 410 from" in shown
    assert "&lt;i&gt;x&lt;/i&gt;" in shown and "<i>x</i>" not in shown


def test_item_page_shows_the_hoax_decision_and_escapes_it(sqlite_env):
    from waspada.hoax_rule import decide_hoax

    app, index, _ = sqlite_env
    [doc] = scored_posts(1)
    decision = decide_hoax(score=0.9, threshold=0.6, claim_matched=False, source_class="mainstream", registered_min=0.97)
    doc["waspada"]["hoax_decision"] = decision.as_dict(0.9, 0.6, 0.97)
    doc["waspada"]["hoax_decision"]["source_label"] = "<script>alert(1)</script>"
    index.upsert([doc])
    index.refresh()
    page = client_for(app, "analis").get(f"/item/{doc['waspada']['id']}").text
    shown = re.search(r'<dd id="hoax-decision">(.*?)</dd>', page, re.S)[1]
    assert "Media arus utama/lembaga resmi terdaftar" in shown and "0.97" in shown
    assert "<script>" not in shown and "&lt;script&gt;" in shown
