"""The item page and the search list show a post's look-alike domains: which official domain each
imitates and how, escaped, never as a clickable link."""
from __future__ import annotations

import re

from web_fixtures import client_for, record
from waspada.schema import build_document
from waspada.threats.lookalike.posts import LookalikeFinder

HOSTILE = '<script>alert("tiruan")</script>'


def test_item_page_shows_the_lookalike_and_what_it_imitates_escaped(sqlite_env):
    app, index, ids = sqlite_env
    url = "https://infokpu.com/dpt"
    text = "Cek DPT di https://kpu.go.id.verifikasi-dpt.com/login sekarang"
    lookalikes = LookalikeFinder().find(url, ["https://kpu.go.id.verifikasi-dpt.com/login"])
    lookalikes[1]["detail"] += " " + HOSTILE  # details quote crawled names: treat them as hostile
    doc = build_document(record(700, url=url, title="Cek DPT", text=text), relevance={"terms": ["dpt"]},
                         scores={"hoax": 0.1, "provocation": 0.05}, labels=[], model_id="m", evidence=None,
                         lookalikes=lookalikes)
    assert not index.upsert([doc]).failed
    index.refresh()
    client = client_for(app, "analis")

    page = client.get(f"/item/{doc['waspada']['id']}").text
    assert "<dt>Domain tiruan</dt>" in page
    shown = re.search(r'<dd id="lookalike">(.*?)</dd>', page, re.S)[1]
    hosted, linked = re.findall(r"<div>(.*?)</div>", shown, re.S)
    assert "<strong>infokpu.com</strong> meniru domain resmi <strong>kpu.go.id</strong>" in hosted
    assert "nama resmi ditambah kata" in hosted and "pos ini dimuat di domain itu" in hosted
    assert "<strong>kpu.go.id.verifikasi-dpt.com</strong>" in linked and "disisipkan" in linked
    assert "pos ini menautkannya" in linked
    assert "&lt;script&gt;alert(&#34;tiruan&#34;)&lt;/script&gt;" in linked and "<script>" not in shown
    assert "href" not in shown  # the look-alike itself is never a link
    assert '<span class="label label-lookalike">domain tiruan</span>' in page

    # In the result list the post carries the same mark; an ordinary post does not.
    listing = client.get("/", params={"q": "verifikasi"}).text
    assert listing.count("label-lookalike") == 1
    other = client.get(f"/item/{ids['first']}").text
    assert "Domain tiruan" not in other and 'id="lookalike"' not in other
