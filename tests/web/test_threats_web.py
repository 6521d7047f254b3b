"""Cyber-threat findings and look-alike domains in the analyst web app: search facets and filters
(Indonesian names, stored codes as values, carried into pagination, exports and saved searches),
badges on hits, the item page's cyber block (escaped), and the STIX export of both."""
from __future__ import annotations

import html
import json
import re

import pytest

from web_fixtures import client_for, record
from waspada.schema import build_document
from waspada.threats.cyber import CyberFinding, detect
from waspada.threats.lookalike.posts import LookalikeFinder

HOSTILE = '<script>alert("siber")</script>'


def total(page: str) -> int:
    return int(re.search(r'<strong id="total">(\d+)</strong>', page)[1])


def threat_doc(n: int, *, text: str, url: str | None = None, links=(), cyber: dict | None = None) -> dict:
    """A post no model label fired on (low scores) that carries a threat finding."""
    rec = record(n, text=text, title=f"Ancaman {n}", **({"url": url} if url else {}))
    lookalikes = LookalikeFinder().find(rec["url"], list(links)) or None
    return build_document(rec, relevance={"terms": ["kpu"]}, scores={"hoax": 0.1, "provocation": 0.05}, labels=[],
                          model_id="m", evidence=None, lookalikes=lookalikes, cyber=cyber)


def load(index, docs) -> None:
    assert not index.upsert(docs).failed
    index.refresh()


def threat_docs() -> list[dict]:
    return [threat_doc(500, text="Situs KPU diretas hacker semalam", cyber=detect("Situs KPU diretas hacker semalam").as_document()),
            threat_doc(501, text="Database DPT KPU bocor dan dijual", cyber=detect("Database DPT KPU bocor dan dijual").as_document()),
            threat_doc(502, text="Cek DPT di sini", url="https://kpu-go-id.net/dpt"),
            threat_doc(503, text="Daftar ulang KPU", links=["https://kpu-go-id.net/login", "https://bawaslu-ri.org/a"])]


def test_facets_filter_by_cyber_kind_and_lookalike(env):
    app, index, _ = env
    load(index, threat_docs())
    client = client_for(app, "analis")

    page = client.get("/").text
    # Indonesian names shown, the stored kind sent; the look-alike facet lists the domains.
    assert re.search(r'name="cyber" value="hacking_claim">\s*klaim peretasan sistem pemilu <span class="count">1</span>', page)
    assert re.search(r'name="cyber" value="data_leak">\s*klaim kebocoran data pemilu <span class="count">1</span>', page)
    assert re.search(r'name="lookalike" value="kpu-go-id.net">\s*<bdi>kpu-go-id.net</bdi> <span class="count">2</span>', page)
    assert re.search(r'name="lookalike" value="bawaslu-ri.org">\s*<bdi>bawaslu-ri.org</bdi> <span class="count">1</span>', page)

    hacked = client.get("/", params={"cyber": "hacking_claim"}).text
    assert total(hacked) == 1 and "Ancaman 500" in hacked
    assert re.search(r'value="hacking_claim" checked>', hacked)
    assert '<span class="label label-cyber" title="klaim peretasan sistem pemilu">ancaman siber</span>' in hacked
    assert total(client.get("/", params={"cyber": ["hacking_claim", "data_leak"]}).text) == 2
    fake = client.get("/", params={"lookalike": "KPU-go-id.net"}).text  # typed in capitals: still found
    assert total(fake) == 2 and fake.count("label-lookalike") == 2 and "label-cyber" not in fake
    assert total(client.get("/", params={"lookalike": "kpu-go-id.net", "cyber": "data_leak"}).text) == 0
    # The filters travel with the exports and the saved-search form.
    supervisor = html.unescape(client_for(app, "penyelia").get("/", params={"cyber": "hacking_claim"}).text)
    assert re.search(r'href="/export\.stix\.json\?[^"]*cyber=hacking_claim', supervisor)
    assert re.search(r'name="query" value="[^"]*lookalike=kpu-go-id\.net', fake)

    wrong = client.get("/", params={"cyber": "spam"})
    assert wrong.status_code == 400 and "Jenis ancaman siber" in wrong.text


def test_pagination_links_keep_the_threat_filters(sqlite_env):
    app, index, _ = sqlite_env
    text = "Situs KPU diretas hacker semalam"
    load(index, [threat_doc(600 + n, text=f"{text} {n}", cyber=detect(text).as_document()) for n in range(25)])
    client = client_for(app, "analis")
    first = client.get("/", params={"cyber": "hacking_claim"}).text
    assert total(first) == 25
    link = html.unescape(re.search(r'<a rel="next" href="([^"]+)"', first)[1])
    assert "cyber=hacking_claim" in link and "page=2" in link
    second = client.get(link).text
    assert len(re.findall(r'<a class="title"', second)) == 5


def test_item_page_shows_the_cyber_finding_escaped(sqlite_env):
    app, index, ids = sqlite_env
    finding = CyberFinding(kind="phishing", target="kpu", act="klik link " + HOSTILE, also=("data_leak",))
    doc = threat_doc(700, text="Klik link KPU untuk verifikasi", cyber=finding.as_document())
    load(index, [doc])
    client = client_for(app, "analis")

    page = client.get(f"/item/{doc['waspada']['id']}").text
    shown = re.search(r'<dd id="cyber">(.*?)</dd>', page, re.S)[1]
    assert "<dt>Ancaman siber</dt>" in page and '<span class="label label-cyber">ancaman siber</span>' in page
    assert "<strong>phishing atas nama penyelenggara</strong>; juga klaim kebocoran data pemilu" in shown
    assert "Alasan: phishing atas nama penyelenggara: &#39;klik link &lt;script&gt;" in shown
    assert "Sasaran: <span class=\"term\">kpu</span>" in shown and "<code>cyber-rules-1</code>" in shown
    assert "<script>" not in shown and "href" not in shown
    assert 'id="cyber"' not in client.get(f"/item/{ids['first']}").text


def test_stix_export_carries_lookalikes_and_cyber_findings(env):
    stix2 = pytest.importorskip("stix2")
    from stix2patterns.validator import validate

    app, index, _ = env
    docs = threat_docs()
    load(index, docs)
    response = client_for(app, "penyelia").get("/export.stix.json", params={"q": "ancaman"})
    parsed = stix2.parse(response.text, allow_custom=False, version="2.1")  # raises on any invalid object
    by_type: dict[str, list] = {}
    for obj in parsed.objects:
        by_type.setdefault(obj.type, []).append(obj)

    domains = {o.value: o for o in by_type["domain-name"]}
    assert set(domains) == {"kpu-go-id.net", "bawaslu-ri.org", "kpu.go.id", "bawaslu.go.id"}  # one per domain
    assert domains["kpu-go-id.net"].id == stix2.DomainName(value="kpu-go-id.net").id  # the STIX-defined id
    patterns = {o.pattern for o in by_type["indicator"]}
    assert "[domain-name:value = 'kpu-go-id.net']" in patterns and "[domain-name:value = 'bawaslu-ri.org']" in patterns
    assert all(validate(p, stix_version="2.1") for p in patterns)
    imitates = {(r.source_ref, r.target_ref) for r in by_type["relationship"] if r.relationship_type == "impersonates"}
    assert imitates == {(domains["kpu-go-id.net"].id, domains["kpu.go.id"].id),
                        (domains["bawaslu-ri.org"].id, domains["bawaslu.go.id"].id)}

    notes = {n.object_refs[0]: n for n in by_type["note"]}
    post_indicators = {o.external_references[0].external_id: o for o in by_type["indicator"]
                       if getattr(o, "external_references", None)}
    hacked = post_indicators[docs[0]["waspada"]["id"]]
    assert "hacking_claim" in hacked.labels and "unlabelled" not in hacked.labels
    note = notes[hacked.id]
    assert note.abstract == "Ancaman siber: klaim peretasan sistem pemilu" and "hacking_claim" in note.labels
    assert "'diretas' dekat 'kpu'" in note.content
    report = by_type["report"][0]
    assert {o.id for o in parsed.objects if o.type not in ("identity", "report")} == set(report.object_refs)
    assert json.loads(response.text)["objects"][0]["type"] == "identity"
