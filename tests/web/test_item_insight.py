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
