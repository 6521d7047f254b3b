"""The analyst's path on each backend: search with filters and facets, open an item, download
its evidence, triage it, export, and find all of it in the audit log."""
from __future__ import annotations

import csv
import io
import json
import re

import pytest

from web_fixtures import RAW_HTML, client_for, csrf_of


def actions(app, action):
    return [e for e in app.state.users.audit_entries(limit=1000) if e["action"] == action]


def total(html: str) -> int:
    return int(re.search(r'<strong id="total">(\d+)</strong>', html)[1])


def test_search_filters_facets_and_highlights(env):
    app, _, _ = env
    client = client_for(app, "analis")
    page = client.get("/", params={"q": "kpu", "label": "hoax"})
    assert page.status_code == 200
    assert total(page.text) == 14  # 13 fixture posts + the hostile one
    assert "<mark>KPU</mark>" in page.text or "<mark>kpu</mark>" in page.text.lower()
    assert re.search(r'value="hoax" checked>\s*hoaks <span class="count">14</span>', page.text)
    telegram = client.get("/", params={"q": "kpu", "platform": "telegram"})
    assert total(telegram.text) == 9
    strict = client.get("/", params={"min_score": "0.95"})
    assert total(strict.text) == 1
    early = client.get("/", params={"date_from": "2024-02-01", "date_to": "2024-02-01"})
    assert total(early.text) == 4  # n = 0, 9, 18 and the hostile 99 were published on 1 February
    entry = actions(app, "search")[0]
    assert entry["who"] == "analis" and entry["details"]["date_from"] == "2024-02-01" and entry["details"]["total"] == 4


def test_pagination_and_sort(env):
    app, _, _ = env
    client = client_for(app, "analis")
    first = client.get("/", params={"q": "kpu", "sort": "time"})
    assert total(first.text) == 26 and 'rel="next"' in first.text and "Halaman 1 dari 2" in first.text
    second = client.get("/", params={"q": "kpu", "sort": "time", "page": 2})
    ids_1 = set(re.findall(r'href="/item/(\w+)"', first.text))
    ids_2 = set(re.findall(r'href="/item/(\w+)"', second.text))
    assert len(ids_1) == 20 and len(ids_2) == 6 and not ids_1 & ids_2
    assert client.get("/", params={"page": 600}).status_code == 400


@pytest.mark.parametrize("params,says", [({"q": '"tanda kutip'}, "Kueri"), ({"date_from": "kemarin"}, "TTTT-BB-HH"),
                                         ({"min_score": "tinggi"}, "antara 0 dan 1"), ({"sort": "acak"}, "Urutan"),
                                         ({"label": "gosip"}, "gosip")])
def test_bad_search_input_gets_a_clear_message(env, params, says):
    app, _, _ = env
    response = client_for(app, "analis").get("/", params=params)
    assert response.status_code == 400 and says in response.text


def test_item_page_shows_what_was_crawled_and_why(env):
    app, _, ids = env
    client = client_for(app, "analis")
    page = client.get(f"/item/{ids['first']}")
    assert page.status_code == 200
    text = page.text
    assert "Hoaks surat suara tercoblos nomor 0" in text and "Bawaslu menyelidiki" in text
    assert 'href="https://berita.example.id/pemilu/0" rel="noopener noreferrer"' in text
    assert "01-02-2024 08:00 WIB" in text and "10-02-2024 10:00 WIB" in text  # published, fetched
    assert "waspada-test-1" in text and '<span class="term">surat suara</span>' in text and "0.90" in text
    assert actions(app, "item.view")[0]["target"] == ids["first"]
    assert client.get("/item/tidak-ada").status_code == 404


def test_evidence_downloads_the_exact_bytes_never_inline(env):
    app, _, ids = env
    client = client_for(app, "analis")
    response = client.get(f"/item/{ids['hostile']}/evidence")
    assert response.status_code == 200 and response.content == RAW_HTML
    assert response.headers["content-type"] == "application/octet-stream"
    assert response.headers["content-disposition"].startswith("attachment;")
    assert response.headers["x-content-type-options"] == "nosniff"
    assert actions(app, "evidence.download")[0]["details"]["bytes"] == len(RAW_HTML)
    assert client.get(f"/item/{ids['first']}/evidence").status_code == 404  # this post kept no evidence


def test_evidence_with_an_invalid_stored_hash_is_not_found(sqlite_env):
    app, index, ids = sqlite_env
    client = client_for(app, "analis")
    for bad in ("../../etc/passwd", "/dev/zero", "A" * 64, "0" * 63, "0" * 64 + "\n", 12345, ["0" * 64]):
        index.update(ids["first"], {"waspada": {"evidence": {"sha256": bad}}})
        assert client.get(f"/item/{ids['first']}/evidence").status_code == 404
        assert client.get(f"/item/{ids['first']}").status_code == 200


def test_triage_updates_the_index_and_the_audit_log(env):
    app, index, ids = env
    client = client_for(app, "analis")
    token = csrf_of(client.get(f"/item/{ids['first']}").text)
    response = client.post(f"/item/{ids['first']}/triage", data={
        "csrf": token, "action": "confirm_hoax", "note": "Sudah dicek ke KPU", "assignee": "penyelia"},
        follow_redirects=False)
    assert response.status_code == 303
    triage = index.get(ids["first"])["waspada"]["triage"]
    assert triage["status"] == "confirmed" and triage["verdict"] == "hoax" and triage["assignee"] == "penyelia"
    assert triage["updated_by"] == "analis" and triage["notes"][0]["text"] == "Sudah dicek ke KPU"
    page = client.get(f"/item/{ids['first']}").text
    assert "Terkonfirmasi" in page and "Sudah dicek ke KPU" in page
    client.post(f"/item/{ids['hostile']}/triage", data={"csrf": token, "action": "false_positive"})
    client.post(f"/item/{ids['hostile']}/triage", data={"csrf": token, "action": "escalate", "note": "cek lagi"})
    hostile = index.get(ids["hostile"])["waspada"]["triage"]
    assert hostile["status"] == "escalated" and hostile["verdict"] == "false_positive"
    entries = actions(app, "triage")
    assert len(entries) == 3 and entries[-1]["details"]["status"] == ["new", "confirmed"]
    confirmed = client.get("/", params={"status": "confirmed"})
    assert total(confirmed.text) == 1
    assert client.post(f"/item/{ids['first']}/triage", data={"csrf": token, "action": "hapus"}).status_code == 400
    assert client.post(f"/item/{ids['first']}/triage", data={"csrf": token, "assignee": "siapa"}).status_code == 400


def test_feedback_export_is_training_data(env):
    app, index, ids = env
    client = client_for(app, "penyelia")
    token = csrf_of(client.get("/").text)
    client.post(f"/item/{ids['first']}/triage", data={"csrf": token, "action": "confirm_hoax"})
    client.post(f"/item/{ids['hostile']}/triage", data={"csrf": token, "action": "false_positive"})
    index.refresh()
    response = client.get("/feedback.jsonl")
    rows = {r["id"]: r for r in map(json.loads, response.text.splitlines())}
    assert set(rows) == {ids["first"], ids["hostile"]}
    assert rows[ids["first"]]["hoax"] == 1 and rows[ids["first"]]["provocation"] is None
    assert rows[ids["hostile"]]["hoax"] == 0 and rows[ids["hostile"]]["provocation"] is None
    assert rows[ids["first"]]["by"] == "penyelia" and "surat suara" in rows[ids["first"]]["text"]
    assert set(rows[ids["first"]]) == {"text", "hoax", "provocation", "id", "verdict", "by", "at"}
    assert actions(app, "export.feedback")[0]["details"]["rows"] == 2


def test_csv_and_json_exports_follow_the_search(env):
    app, _, ids = env
    client = client_for(app, "penyelia")
    response = client.get("/export.csv", params={"q": "kpu", "label": "hoax"})
    assert response.status_code == 200 and response.headers["content-disposition"].startswith("attachment;")
    rows = list(csv.DictReader(io.StringIO(response.text.lstrip("\ufeff"))))
    assert len(rows) == 14 and all("hoax" in r["labels"] for r in rows)
    assert all(not r["title"].startswith(("=", "+", "-", "@")) for r in rows)
    body = json.loads(client.get("/export.json", params={"platform": "telegram"}).text)
    assert body["count"] == 9 == len(body["documents"]) and body["exported_by"] == "penyelia"
    assert {e["action"] for e in app.state.users.audit_entries()} >= {"export.csv", "export.json"}
    assert actions(app, "export.csv")[0]["details"]["rows"] == 14


def test_admin_reads_the_audit_log(env):
    app, _, ids = env
    analyst = client_for(app, "analis")
    analyst.get("/", params={"q": "surat"})
    analyst.get(f"/item/{ids['first']}")
    page = client_for(app, "admin").get("/audit")
    assert page.status_code == 200
    for text in ("<td>pencarian</td>", "<td>membuka pos</td>", "<td>masuk</td>", "analis", ids["first"]):
        assert text in page.text
    only = client_for(app, "admin").get("/audit", params={"action": "item.view"})
    assert "<td>membuka pos</td>" in only.text and "<td>pencarian</td>" not in only.text


def test_stix_export_is_a_valid_stix_21_bundle(env):
    stix2 = pytest.importorskip("stix2")
    app, _, ids = env
    client = client_for(app, "penyelia")
    response = client.get("/export.stix.json", params={"q": "kpu", "label": "hoax"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("application/stix+json")
    parsed = stix2.parse(response.text, allow_custom=False, version="2.1")  # raises on any invalid object
    indicators = [o for o in parsed.objects if o.type == "indicator"]
    assert len(indicators) == 14 and all(o.pattern_type == "stix" for o in indicators)
    report = next(o for o in parsed.objects if o.type == "report")
    assert set(report.object_refs) == {o.id for o in indicators}
    hostile = next(o for o in indicators if o.external_references[0].external_id == ids["hostile"])
    assert hostile.pattern == "[url:value = 'javascript:alert(\\'url\\')']"  # quotes escaped, pattern valid
    from stix2patterns.validator import validate
    assert all(validate(o.pattern, stix_version="2.1") for o in indicators)
    again = stix2.parse(client.get("/export.stix.json", params={"q": "kpu", "label": "hoax"}).text, version="2.1")
    assert {o.id for o in again.objects if o.type == "indicator"} == {o.id for o in indicators}  # stable ids
    assert actions(app, "export.stix")[0]["details"]["rows"] == 14


@pytest.mark.parametrize("sort", ["time", "severity", "relevance"])
def test_deep_pages_follow_a_cursor(env, monkeypatch, sort):
    """Past the offset limit (10,000 on Elasticsearch; 20 here) "next" carries the last hit's cursor
    and the walk lists every result once."""
    import html

    from waspada.web.views import search as search_view
    monkeypatch.setattr(search_view, "MAX_OFFSET_DEPTH", 20)
    app, _, _ = env
    client = client_for(app, "analis")
    page = client.get("/", params={"q": "kpu", "sort": sort, "label": ["hoax", "provocation"]})
    seen, pages = [], 0
    while True:
        pages += 1
        seen += re.findall(r'<a class="title" href="/item/(\w+)"', page.text)
        link = re.search(r'<a rel="next" href="([^"]+)"', page.text)
        if not link:
            break
        href = html.unescape(link[1])
        assert "after=" in href  # beyond the offset limit from page 2 on
        page = client.get(href)
        assert page.status_code == 200 and "Halaman pertama" in page.text
    assert pages == 2 and len(seen) == len(set(seen)) == total(client.get("/", params={"q": "kpu"}).text)
    assert client.get("/", params={"after": "[1, {}]"}).status_code == 400
    assert client.get("/", params={"page": 3}).status_code == 400  # offsets stop at the limit
