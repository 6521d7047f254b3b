"""Investigations in the web app, on each backend: open one from an item, link posts, change
status and assignee, add notes, read the timeline, export it (STIX validated), and see the
investigations an alert rule opened."""
from __future__ import annotations

import csv
import io
import json
import re

import pytest

from web_fixtures import XSS, client_for, csrf_of


def audited(app, action):
    return [e for e in app.state.users.audit_entries(limit=1000) if e["action"] == action]


def open_from_item(client, doc_id: str, title: str) -> int:
    page = client.get(f"/item/{doc_id}")
    assert "Pos ini belum masuk investigasi mana pun" in page.text
    response = client.post("/investigations", data={"title": title, "doc_id": doc_id, "csrf": csrf_of(page.text)},
                           follow_redirects=False)
    assert response.status_code == 303
    return int(re.search(r"/investigations/(\d+)$", response.headers["location"])[1])


def test_open_link_update_and_read_the_timeline(env):
    app, index, ids = env
    client = client_for(app, "analis")
    inv = open_from_item(client, ids["first"], "Jaringan hoaks surat suara")
    page = client.get(f"/investigations/{inv}")
    assert page.status_code == 200 and "Jaringan hoaks surat suara" in page.text
    assert f'href="/item/{ids["first"]}"' in page.text and "Terbuka" in page.text

    others = [h.doc["waspada"]["id"] for h in index.search(__import__("waspada.index", fromlist=["SearchQuery"])
                                                           .SearchQuery(size=3, sort="time")).hits]
    response = client.post(f"/investigations/{inv}", data={
        "status": "in_progress", "assignee": "penyelia", "link": " ".join(others), "note": "Cek akun penyebar",
        "csrf": csrf_of(page.text)}, follow_redirects=False)
    assert response.status_code == 303
    page = client.get(f"/investigations/{inv}")
    assert '<dd id="inv-status">Ditangani' in page.text and '<dd id="inv-assignee">penyelia' in page.text
    timeline = re.search(r'<ol class="notes" id="timeline">(.*?)</ol>', page.text, re.S)[1]
    for text in ("membuka investigasi", "menautkan", "Terbuka → Ditangani", "menugaskan ke penyelia",
                 "catatan: Cek akun penyebar"):
        assert text in timeline, text
    stored = app.state.investigations.get(inv)
    assert {i["doc_id"] for i in stored.items} == {ids["first"], *others}

    # The item page now lists the investigation; another open one can take the post.
    assert f'href="/investigations/{inv}"' in client.get(f"/item/{ids['first']}").text
    second = open_from_item(client, ids["hostile"], "Kasus lain")
    page = client.get(f"/item/{ids['first']}")
    added = client.post(f"/item/{ids['first']}/investigation", data={"investigation": second, "csrf": csrf_of(page.text)},
                        follow_redirects=False)
    assert added.status_code == 303 and added.headers["location"] == f"/investigations/{second}"
    assert ids["first"] in {i["doc_id"] for i in app.state.investigations.get(second).items}

    listing = client.get("/investigations", params={"status": "in_progress"})
    assert "Jaringan hoaks surat suara" in listing.text and "Kasus lain" not in listing.text
    assert {e["target"] for e in audited(app, "investigation.update")} >= {str(inv), str(second)}
    assert audited(app, "investigation.open") and audited(app, "investigation.view")


def test_bad_changes_get_clear_errors(env):
    app, _, ids = env
    client = client_for(app, "analis")
    inv = open_from_item(client, ids["first"], "Kasus")
    token = csrf_of(client.get(f"/investigations/{inv}").text)
    for data, says in (({"status": "selesai"}, "status"), ({"assignee": "hantu"}, "hantu"),
                       ({"link": "tidak-ada-id"}, "tidak-ada-id")):
        response = client.post(f"/investigations/{inv}", data={**data, "csrf": token})
        assert response.status_code == 400 and says in response.text
    assert client.get("/investigations/999").status_code == 404
    assert client.post("/investigations", data={"title": "x", "csrf": "salah"}).status_code == 403
    assert client.post("/investigations", data={"title": "  ", "csrf": token}).status_code == 400


def test_hostile_titles_render_inert_on_investigation_pages(env):
    app, _, ids = env
    client = client_for(app, "analis")
    inv = open_from_item(client, ids["hostile"], XSS[0] + " kasus")
    for path in (f"/investigations/{inv}", "/investigations", f"/item/{ids['hostile']}"):
        html = client.get(path).text
        for payload in XSS[:3]:
            assert payload not in html, (path, payload)
        assert "&lt;script&gt;" in html


def test_exports_are_for_supervisors_and_stix_validates(env):
    stix2 = pytest.importorskip("stix2")
    app, _, ids = env
    inv = open_from_item(client_for(app, "analis"), ids["hostile"], "Ekspor kasus")
    assert client_for(app, "analis").get(f"/investigations/{inv}/export.csv").status_code == 403
    supervisor = client_for(app, "penyelia")
    rows = list(csv.DictReader(io.StringIO(supervisor.get(f"/investigations/{inv}/export.csv").text.lstrip("\ufeff"))))
    assert [r["id"] for r in rows] == [ids["hostile"]]
    body = json.loads(supervisor.get(f"/investigations/{inv}/export.json").text)
    assert body["investigation"]["title"] == "Ekspor kasus" and body["count"] == 1
    parsed = stix2.parse(supervisor.get(f"/investigations/{inv}/export.stix.json").text, version="2.1")
    report = next(o for o in parsed.objects if o.type == "report")
    assert report.name.startswith(f"Waspada: Investigasi #{inv}")
    assert {e["action"] for e in app.state.users.audit_entries(limit=100)} >= {
        "investigation.export.csv", "investigation.export.json", "investigation.export.stix"}


def test_an_investigation_opened_by_an_alert_shows_the_alert(sqlite_env):
    from datetime import datetime, timedelta, timezone

    from waspada.alerts.engine import AlertEngine
    from waspada.alerts.rules import parse_rule

    app, index, ids = sqlite_env
    rule = parse_rule({"name": "uji-web", "type": "frequency", "window": "1d", "query_delay": "0", "realert": "0",
                       "threshold": 1, "filter": {"labels": ["hoax"]}}, "web.yaml", 0)
    engine = AlertEngine(index, app.state.alerts, app.state.investigations)
    engine.run([rule], now=datetime(2024, 2, 2, 1, tzinfo=timezone.utc) + timedelta(days=1))
    [alert] = app.state.alerts.alerts()
    page = client_for(app, "analis").get(f"/investigations/{alert.investigation_id}")
    assert page.status_code == 200 and "uji-web" in page.text and alert.summary in page.text
    assert "peringatan:" in page.text


def test_item_page_offers_investigations_by_title(sqlite_env):
    """Open cases listed by title, alphabetically; a closed one is not offered."""
    app, _, ids = sqlite_env
    client = client_for(app, "analis")
    for title in ("Zebra kasus", "Akun palsu Bawaslu", "Kasus selesai"):
        client.post("/investigations", data={"title": title, "csrf": csrf_of(client.get("/").text)})
    app.state.investigations.set_status(3, "closed", "penyelia")
    page = client.get(f"/item/{ids['first']}").text
    options = re.findall(r'<option value="\d+">([^<]+)</option>', re.search(
        r'<select name="investigation">(.*?)</select>', page, re.S)[1])
    assert [o.split(" (#")[0] for o in options] == ["Akun palsu Bawaslu", "Zebra kasus"]
