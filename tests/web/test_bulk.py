"""Bulk work from the search results, on each backend: triage, assign and add to an investigation
the ticked posts (or all on the page) in one request, back on the same search with a summary; the
CSRF check, login, the cap and unknown ids."""
from __future__ import annotations

import html
import re
from urllib.parse import parse_qs, urlsplit

import pytest

from waspada.web.views.bulk import MAX_BULK
from web_fixtures import client_for, csrf_of

SEARCH = {"q": "kpu", "platform": "telegram", "sort": "time"}


def results(client, params=SEARCH):
    page = client.get("/", params=params)
    assert page.status_code == 200, page.text
    return page, re.findall(r'<input class="pick" type="checkbox" name="id" value="([^"]+)"', page.text)


def bulk(client, page, **data):
    back = re.search(r'name="back" value="([^"]*)"', page.text)[1]
    return client.post("/bulk", data={"csrf": csrf_of(page.text), "back": html.unescape(back), **data},
                       follow_redirects=False)


def audited(app, action):
    return [e for e in app.state.users.audit_entries(limit=1000) if e["action"] == action]


def test_bulk_triage_changes_each_post_audits_each_and_returns_to_the_search(env):
    app, index, _ = env
    client = client_for(app, "analis")
    page, ids = results(client)
    assert len(ids) == 9 and "pilih semua di halaman ini" in page.text
    response = bulk(client, page, action="confirm_hoax", id=ids[:3])
    assert response.status_code == 303
    target = urlsplit(response.headers["location"])
    assert target.path == "/" and parse_qs(target.query) == {k: [v] for k, v in SEARCH.items()}
    for doc_id in ids[:3]:
        assert index.get(doc_id)["waspada"]["triage"]["status"] == "confirmed"
    assert index.get(ids[3])["waspada"]["triage"]["status"] == "new"
    entries = audited(app, "triage")
    assert sorted(e["target"] for e in entries) == sorted(ids[:3])
    assert all(e["details"]["bulk"] and e["details"]["status"] == ["new", "confirmed"] for e in entries)

    back = client.get(response.headers["location"])
    assert "Konfirmasi hoaks: diterapkan ke 3 pos." in back.text
    assert "diterapkan ke 3 pos" not in client.get(response.headers["location"]).text  # shown once


def test_all_on_page_without_script_and_bulk_assign(env):
    app, index, _ = env
    client = client_for(app, "analis")
    page, ids = results(client)
    response = bulk(client, page, action="assign", assignee="penyelia", all_on_page="1",
                    page_id=ids)
    assert response.status_code == 303
    assert all(index.get(i)["waspada"]["triage"]["assignee"] == "penyelia" for i in ids)
    assert "9 pos ditugaskan ke penyelia." in client.get(response.headers["location"]).text
    assert len(audited(app, "triage")) == 9
    # The assignee facet counts the change at once.
    assert client.get("/", params={"assignee": "penyelia"}).text.count('class="pick"') == 9

    unknown = bulk(client, page, action="assign", assignee="hantu", id=ids[:1])
    assert unknown.status_code == 400 and "hantu" in unknown.text


def test_bulk_add_to_an_investigation_chosen_by_title(env):
    app, _, ids = env
    client = client_for(app, "analis")
    item = client.get(f"/item/{ids['hostile']}")
    client.post("/investigations", data={"title": "Jaringan hoaks Telegram", "doc_id": ids["hostile"],
                                         "csrf": csrf_of(item.text)})
    page, hits = results(client)
    # The analyst picks the investigation by its title; the form sends its number.
    options = dict((html.unescape(text), value) for value, text in
                   re.findall(r'<option value="(\d+)">([^<]+)</option>', page.text))
    title = next(t for t in options if t.startswith("Jaringan hoaks Telegram"))
    response = bulk(client, page, action="investigation", investigation=options[title], id=hits[:4])
    assert response.status_code == 303
    inv = app.state.investigations.get(int(options[title]))
    assert {i["doc_id"] for i in inv.items} == {ids["hostile"], *hits[:4]}
    summary = client.get(response.headers["location"]).text
    assert f"4 pos ditambahkan ke investigasi #{inv.id} «Jaringan hoaks Telegram»." in html.unescape(summary)
    entry = [e for e in audited(app, "investigation.update") if e["details"].get("bulk")]
    assert len(entry) == 1 and entry[0]["target"] == str(inv.id) and entry[0]["details"]["linked"] == hits[:4]

    missing = bulk(client, page, action="investigation", investigation="987654", id=hits[:1])
    assert missing.status_code == 404 and "987654" in missing.text


def test_unknown_ids_are_named_and_the_rest_applied(env):
    app, index, _ = env
    client = client_for(app, "analis")
    page, ids = results(client)
    response = bulk(client, page, action="escalate", id=[ids[0], "tidak-ada-1", "tidak-ada-2"])
    assert response.status_code == 303
    assert index.get(ids[0])["waspada"]["triage"]["status"] == "escalated"
    summary = html.unescape(client.get(response.headers["location"]).text)
    assert "Eskalasi: diterapkan ke 1 pos. 2 id tidak ada di indeks dan dilewati: 'tidak-ada-1', 'tidak-ada-2'." \
        in summary


def test_refusals_change_nothing(sqlite_env):
    app, index, ids = sqlite_env
    client = client_for(app, "analis")
    page, hits = results(client)
    forged = client.post("/bulk", data={"csrf": "palsu", "action": "confirm_hoax", "id": hits})
    assert forged.status_code == 403 and "CSRF" in forged.text
    # Every role may triage; a visitor without a session may not, and is not redirected to a form.
    anonymous = client_for(app, None).post("/bulk", data={"csrf": csrf_of(page.text), "action": "confirm_hoax",
                                                          "id": hits})
    assert anonymous.status_code == 401
    too_many = bulk(client, page, action="confirm_hoax", id=[f"id-{n}" for n in range(MAX_BULK + 1)])
    assert too_many.status_code == 400
    assert f"Terpilih {MAX_BULK + 1} pos; tindakan massal paling banyak {MAX_BULK} pos sekaligus" in too_many.text
    nothing = bulk(client, page, action="confirm_hoax")
    assert nothing.status_code == 400 and "Belum ada pos yang dipilih" in nothing.text
    odd = bulk(client, page, action="hapus", id=hits[:1])
    assert odd.status_code == 400 and "'hapus'" in html.unescape(odd.text)
    assert not audited(app, "triage")
    assert all(index.get(i)["waspada"]["triage"]["status"] == "new" for i in hits)


@pytest.mark.parametrize("back,expected", [("q=kpu&page=2&evil=1", "/?q=kpu&sort=relevance&page=2"),
                                           ("", "/?sort=relevance"), ("//evil.example/x", "/?sort=relevance")])
def test_the_redirect_stays_on_the_search_page(back, expected):
    from waspada.web.views.bulk import back_to_search
    assert back_to_search(back) == expected
