"""The search form: a mistake is shown above the form, in Indonesian, with everything the analyst
typed and ticked still there; dates read day-month-year; quick date ranges set the date filters."""
from __future__ import annotations

import re
from datetime import datetime, timedelta
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest

from waspada.wib import WIB
from web_fixtures import client_for

#: Every query the parser refuses, with words the Indonesian message must say.
BAD_QUERIES = [
    ('"surat suara', 'tambahkan " penutup'),
    ("(kpu OR bawaslu", "tambahkan ')'"),
    ("kpu)", "hapus ')' itu"),
    ("kpu OR", "sesudah OR"),
    ("OR kpu", "sebelum OR"),
    ("kpu NOT", "misalnya NOT hoaks"),  # with the space: "NOThoaks" would be one word
    ("kpu -", None),  # a lone dash is punctuation, not an error
    ("k*", "paling sedikit 2 huruf"),
    ("ko*rup", "hanya boleh di akhir kata"),
    ("kpu OR -tni", "letakkan kata di sampingnya"),
    ("kpu (-tni -polri)", "tambahkan kata yang dicari"),
    ("kpu NOT -tni", "hapus salah satunya"),
]
#: Words of the parser's English messages; none may reach the page.
ENGLISH = ("search", "unbalanced", "parenthesis", "must", "needs", "remove", "closing", "wildcard", "exclusion",
           "NOThoaks", "letters", "cannot")


def _error(html: str) -> str:
    found = re.search(r'<p class="message" id="search-error" role="alert">(.*?)</p>', html, re.S)
    assert found, "no error above the search form"
    return unescape(found[1])


@pytest.mark.parametrize("text,says", BAD_QUERIES)
def test_query_errors_are_indonesian_and_name_the_query(sqlite_env, text, says):
    app, _, _ = sqlite_env
    response = client_for(app, "analis").get("/", params={"q": text})
    if says is None:
        assert response.status_code == 200
        return
    assert response.status_code == 400
    message = _error(response.text)
    assert repr(text) in message and says in message, message
    assert not [w for w in ENGLISH if re.search(rf"\b{w}\b", message)], message


def test_a_query_error_keeps_the_query_and_every_filter(env):
    app, _, _ = env
    params = {"q": "(kpu OR bawaslu", "label": "hoax", "platform": "telegram", "status": "new", "min_score": "0.5",
              "date_from": "2024-02-01", "date_to": "2024-02-09", "sort": "time", "region": "Jawa Barat"}
    response = client_for(app, "analis").get("/", params=params)
    assert response.status_code == 400
    html = response.text
    assert "tambahkan ')'" in _error(html) and "Galat 400" not in html
    assert 'name="q" value="(kpu OR bawaslu"' in html
    for name in ("label", "platform", "status", "region"):
        value = params[name]
        assert re.search(rf'name="{name}" value="{value}" checked>', html), name
    assert 'name="min_score" value="0.5"' in html and 'name="date_from" value="2024-02-01"' in html
    assert 'name="date_to" value="2024-02-09"' in html and '<option value="time" selected>' in html
    assert 'id="total"' not in html and 'action="/saved"' not in html  # no results, nothing to save
    assert not app.state.users.audit_entries(action="search")  # nothing was searched


@pytest.mark.parametrize("params,says", [
    ({"date_from": "kemarin"}, "'kemarin'"), ({"min_score": "tinggi"}, "antara 0 dan 1"),
    ({"sort": "acak"}, "pilih Relevansi, Waktu terbaru atau Keparahan"),
    ({"label": "gosip"}, "centang hoaks atau provokasi"),
    ({"min_score": "0.9", "max_score": "0.2"}, "tukar keduanya"),
])
def test_filter_errors_are_shown_above_the_kept_form(sqlite_env, params, says):
    app, _, _ = sqlite_env
    response = client_for(app, "analis").get("/", params={"q": "kpu", **params})
    assert response.status_code == 400
    assert says in _error(response.text) and 'name="q" value="kpu"' in response.text
    for name, value in params.items():
        if name != "sort":  # an unknown order cannot stay selected: the list offers the known ones
            assert f'value="{value}"' in response.text


def test_dates_read_day_month_year_in_wib(env):
    app, _, _ = env
    html = client_for(app, "analis").get("/", params={"q": "kpu", "sort": "time"}).text
    shown = re.findall(r"\d{2}-\d{2}-\d{4} \d{2}:\d{2} WIB", html)
    assert shown and "09-02-2024 08:00 WIB" in shown  # n = 8, published 2024-02-09T01:00Z
    assert not re.search(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", html)  # no year-first time anywhere


def test_quick_date_ranges_set_the_date_filters_and_keep_the_rest(env):
    app, _, _ = env
    client = client_for(app, "analis")
    html = client.get("/", params={"q": "kpu", "label": "hoax"}).text
    links = dict((unescape(text), unescape(href)) for href, text in
                 re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', re.search(r'id="date-ranges">(.*?)</span>', html)[1]))
    assert list(links) == ["hari ini", "7 hari", "30 hari"]
    today = datetime.now(WIB).date()
    week = links["7 hari"]
    for text, days in (("hari ini", 1), ("7 hari", 7), ("30 hari", 30)):
        assert parse_qs(urlsplit(links[text]).query) == {
            "q": ["kpu"], "label": ["hoax"], "sort": ["relevance"],
            "date_from": [str(today - timedelta(days=days - 1))], "date_to": [str(today)]}

    chosen = client.get(week).text
    assert re.search(r'<a href="[^"]+" class="chosen" aria-current="true">7 hari</a>', chosen)
    assert f'name="date_from" value="{today - timedelta(days=6)}"' in chosen
    assert re.search(r'value="hoax" checked>', chosen)
    assert "semua tanggal" in chosen  # a way back to every date
    # The fixture posts are from February 2024: nothing in the last week, all of them in a wide range.
    assert '<strong id="total">0</strong>' in chosen
