"""Crawled text cannot rearrange the page: a bidi override in a title is isolated wherever the
title is shown, and on the item page every invisible formatting character (bidi controls,
zero-width spaces) is shown as a visible mark instead of acting."""
from __future__ import annotations

from waspada.schema import build_document
from web_fixtures import client_for, record

RLO, PDF, ZWSP = "\u202e", "\u202c", "\u200b"


def _reversed_post(index) -> str:
    doc = build_document(record(77, url="https://berita.example.id/terbalik", title=f"Hoaks {RLO}UPK nusrucek{PDF} pemilu",
                                text=f"KPU membantah{ZWSP} kabar {RLO}ini{PDF}.", author=f"akun{ZWSP}resmi"),
                         relevance={"terms": ["kpu"], "regions": []}, scores={"hoax": 0.95, "provocation": 0.1},
                         labels=["hoax"], model_id="waspada-test-1", evidence=None)
    assert not index.upsert([doc]).failed
    index.refresh()
    return doc["waspada"]["id"]


def test_the_item_page_shows_invisible_characters_as_marks(sqlite_env):
    app, index, _ = sqlite_env
    doc_id = _reversed_post(index)
    page = client_for(app, "analis").get(f"/item/{doc_id}").text
    assert '<span class="invisible" title="RIGHT-TO-LEFT OVERRIDE">⟨U+202E⟩</span>UPK' in page
    assert '<span class="invisible" title="POP DIRECTIONAL FORMATTING">⟨U+202C⟩</span>' in page
    assert 'akun<span class="invisible" title="ZERO WIDTH SPACE">⟨U+200B⟩</span>resmi' in page  # the author
    assert 'membantah<span class="invisible" title="ZERO WIDTH SPACE">⟨U+200B⟩</span>' in page  # the text
    assert "<title>Hoaks ⟨U+202E⟩UPK" in page  # the browser tab: marks as plain text
    assert RLO not in page and ZWSP not in page and PDF not in page


def test_crawled_titles_are_isolated_in_lists(sqlite_env):
    app, index, _ = sqlite_env
    doc_id = _reversed_post(index)
    hits = client_for(app, "analis").get("/", params={"q": "pemilu hoaks"}).text
    assert f'href="/item/{doc_id}"><bdi>Hoaks {RLO}UPK' in hits  # the override stays inside its <bdi>
    css = client_for(app, None).get("/static/style.css").text
    assert "bdi, .crawled, .term, .facets label { unicode-bidi: isolate; }" in css
