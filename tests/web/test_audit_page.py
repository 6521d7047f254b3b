"""The audit log page: filters by user, action (named in Indonesian) and WIB day; details read as
key: value; admins export it as CSV, and the export is itself audited."""
from __future__ import annotations

import csv
import io
import re
from datetime import datetime, timedelta
from html import unescape

from web_fixtures import client_for
from waspada.wib import WIB


def _rows(html: str) -> list[str]:
    body = re.search(r"<tbody>(.*?)</tbody>", html, re.S)[1]
    return re.findall(r"<tr>(.*?)</tr>", body, re.S)


def _work(app, ids) -> None:
    analyst = client_for(app, "analis")
    analyst.get("/", params={"q": "surat", "label": "hoax", "platform": "telegram"})
    analyst.get(f"/item/{ids['first']}")
    token = re.search(r'name="csrf" value="([^"]+)"', analyst.get(f"/item/{ids['first']}").text)[1]
    analyst.post(f"/item/{ids['first']}/triage", data={"csrf": token, "action": "confirm_hoax", "note": "cek"},
                 follow_redirects=False)


def test_filter_by_user_action_and_day(env):
    app, _, ids = env
    _work(app, ids)
    admin = client_for(app, "admin")
    page = admin.get("/audit").text
    # The action filter names every action in Indonesian, sending the stored code.
    assert '<option value="item.view">membuka pos</option>' in page and '<option value="triage">triase</option>' in page
    assert '<option value="analis">' in page  # the user field suggests the accounts

    mine = admin.get("/audit", params={"who": "analis"}).text
    assert _rows(mine) and all("<bdi>analis</bdi>" in row for row in _rows(mine))
    views = admin.get("/audit", params={"who": "analis", "action": "item.view"}).text
    assert len(_rows(views)) == 2 and all("<td>membuka pos</td>" in row for row in _rows(views))
    assert '<option value="item.view" selected>' in views and 'name="who" value="analis"' in views

    today = datetime.now(WIB).date()
    assert len(_rows(admin.get("/audit", params={"action": "item.view", "date_from": str(today),
                                                 "date_to": str(today)}).text)) == 2
    yesterday = str(today - timedelta(days=1))
    empty = admin.get("/audit", params={"action": "item.view", "date_to": yesterday}).text
    assert "Tidak ada entri yang cocok dengan saringan ini" in empty
    assert 'name="date_to" value="' + yesterday + '"' in empty
    bad = admin.get("/audit", params={"date_from": "kemarin"})
    assert bad.status_code == 400 and "'kemarin'" in unescape(bad.text)
    # Paging keeps the filters.
    for n in range(101):
        app.state.users.audit("analis", "item.view", f"x{n}")
    first = admin.get("/audit", params={"action": "item.view"}).text
    assert 'href="/audit?action=item.view&amp;page=2"' in first


def test_details_read_as_key_value_pairs_in_indonesian(env):
    app, _, ids = env
    _work(app, ids)
    page = client_for(app, "admin").get("/audit").text
    triage = next(row for row in _rows(page) if "<td>triase</td>" in row)
    assert '<span class="detail">aksi: konfirmasi hoaks</span>' in triage
    assert '<span class="detail">status: Baru → Terkonfirmasi</span>' in triage
    assert '<span class="detail">catatan: <bdi>cek</bdi></span>' in triage
    search = next(row for row in _rows(page) if "<td>pencarian</td>" in row)
    assert "label: hoaks" in search and "platform: Telegram" in search and "kueri: <bdi>surat</bdi>" in search
    assert "{&#34;" not in page and '{"' not in page  # no JSON left in the table


def test_admins_export_the_filtered_log_as_csv_and_the_export_is_audited(env):
    app, _, ids = env
    _work(app, ids)
    admin = client_for(app, "admin")
    assert 'href="/audit.csv?who=analis"' in admin.get("/audit", params={"who": "analis"}).text
    response = admin.get("/audit.csv", params={"who": "analis", "action": "item.view"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    assert response.headers["content-disposition"].startswith("attachment;")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 2 and {r["aksi"] for r in rows} == {"item.view"} and rows[0]["nama_aksi"] == "membuka pos"
    assert rows[0]["sasaran"] == ids["first"] and rows[0]["pengguna"] == "analis" and rows[0]["rincian_json"] == "{}"
    export = app.state.users.audit_entries(action="audit.export")
    assert len(export) == 1 and export[0]["who"] == "admin"
    assert export[0]["details"] == {"rows": 2, "who": "analis", "action": "item.view"}


def test_a_hostile_user_name_cannot_run_a_formula_in_the_csv(sqlite_env):
    app, _, _ = sqlite_env
    app.state.users.audit("=HYPERLINK(\"http://jahat.test\")", "login.failed", "=1+1")
    rows = list(csv.DictReader(io.StringIO(client_for(app, "admin").get("/audit.csv").content.decode("utf-8-sig"))))
    failed = next(r for r in rows if r["aksi"] == "login.failed")
    assert failed["pengguna"].startswith("'=") and failed["sasaran"] == "'=1+1"
