"""Saved searches (private to their owner), the score range and the assignee filter."""
from __future__ import annotations

import re

from web_fixtures import client_for, csrf_of


def total(html: str) -> int:
    return int(re.search(r'<strong id="total">(\d+)</strong>', html)[1])


def test_save_use_and_delete_a_search(sqlite_env):
    app, _, _ = sqlite_env
    analyst = client_for(app, "analis")
    page = analyst.get("/", params={"q": "kpu", "label": "hoax"})
    token = csrf_of(page.text)
    query = re.search(r'name="query" value="([^"]*)"', page.text)[1].replace("&amp;", "&")
    saved = analyst.post("/saved", data={"name": "Hoaks KPU", "query": query, "csrf": token}, follow_redirects=False)
    assert saved.status_code == 303 and saved.headers["location"] == f"/?{query}"
    home = analyst.get("/").text
    link = re.search(r'<a href="/\?([^"]+)">Hoaks KPU</a>', home)
    assert link, "the saved search is listed"
    assert total(analyst.get("/?" + link[1].replace("&amp;", "&")).text) == total(page.text)

    supervisor = client_for(app, "penyelia")
    other = supervisor.get("/").text
    assert "Hoaks KPU" not in other  # private to its owner
    saved_id = int(re.search(r'action="/saved/(\d+)/delete"', home)[1])
    stolen = supervisor.post(f"/saved/{saved_id}/delete", data={"csrf": csrf_of(other)})
    assert stolen.status_code == 404
    gone = analyst.post(f"/saved/{saved_id}/delete", data={"csrf": token}, follow_redirects=False)
    assert gone.status_code == 303 and "Hoaks KPU" not in analyst.get("/").text
    assert analyst.post("/saved", data={"name": " ", "query": "q=x", "csrf": token}).status_code == 400
    actions = {e["action"] for e in app.state.users.audit_entries(limit=100)}
    assert {"saved_search.save", "saved_search.delete"} <= actions


def test_score_range_and_assignee_filter(env):
    app, index, ids = env
    client = client_for(app, "analis")
    everything = total(client.get("/").text)
    high = total(client.get("/", params={"min_score": "0.8"}).text)
    low = total(client.get("/", params={"max_score": "0.5"}).text)
    band = total(client.get("/", params={"min_score": "0.8", "max_score": "0.95"}).text)
    assert high + low == everything and 0 < band < high  # the hostile post scores 0.99
    bad = client.get("/", params={"min_score": "0.9", "max_score": "0.1"})
    assert bad.status_code == 400 and "tukar keduanya" in bad.text and 'value="0.9"' in bad.text
    assert client.get("/", params={"max_score": "dua"}).status_code == 400

    page = client.get(f"/item/{ids['first']}")
    client.post(f"/item/{ids['first']}/triage", data={"action": "", "note": "", "assignee": "penyelia",
                                                       "csrf": csrf_of(page.text)})
    mine = client.get("/", params={"assignee": "penyelia"})
    assert total(mine.text) == 1 and ids["first"] in mine.text
    assert "Penanggung jawab" in mine.text  # the facet
