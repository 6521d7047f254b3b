"""Every error is a page in Indonesian with the security headers: values out of range are a 400
naming the value (not an OverflowError 500), and an unexpected exception is a 500 page that
still carries the headers and tells nothing about the code."""
from __future__ import annotations

from html import unescape

import pytest
from fastapi.testclient import TestClient

from web_fixtures import client_for, csrf_of, login

HUGE = "99999999999999999999"  # past SQLite's INTEGER (2**63 - 1)


def _assert_secured(response) -> None:
    headers = response.headers
    assert "default-src 'none'" in headers["content-security-policy"]
    assert headers["x-frame-options"] == "DENY" and headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "no-referrer" and headers["cache-control"] == "no-store"


@pytest.mark.parametrize("path,named", [
    ("/?date_to=9999-12-31", "'9999-12-31'"),
    ("/?date_from=0001-01-01", "'0001-01-01'"),
    ("/export.csv?date_to=9999-12-31", "'9999-12-31'"),
    (f"/investigations/{HUGE}", HUGE),
    (f"/investigations/{HUGE}/export.json", HUGE),
    (f"/investigations/{HUGE}/page-evidence/{'a' * 64}", HUGE),
    ("/investigations/-3", "'-3'"),
    ("/investigations/satu", "'satu'"),
    (f"/audit?page={HUGE}", HUGE),
    ("/audit?page=9223372036854775807", "9223372036854775807"),
    ("/audit?page=0", "'0'"),
])
def test_out_of_range_values_are_a_400_naming_them(sqlite_env, path, named):
    app, _, _ = sqlite_env
    response = client_for(app, "admin").get(path)
    assert response.status_code == 400, response.text
    # The search page shows a bad filter above the form it keeps; other pages are error pages.
    shown_as = 'id="search-error"' if path.startswith("/?") else "Galat 400"
    assert named in unescape(response.text) and shown_as in response.text
    _assert_secured(response)


def test_out_of_range_ids_in_forms_are_a_400(sqlite_env):
    app, _, ids = sqlite_env
    client = client_for(app, "analis")
    token = csrf_of(client.get("/").text)
    added = client.post(f"/item/{ids['first']}/investigation", data={"investigation": HUGE, "csrf": token})
    assert added.status_code == 400 and HUGE in added.text and "paling besar" in added.text
    deleted = client.post(f"/saved/{HUGE}/delete", data={"csrf": token})
    assert deleted.status_code == 400 and HUGE in deleted.text
    missing = client.post(f"/item/{ids['first']}/investigation", data={"csrf": token})
    assert missing.status_code == 400 and "Nomor investigasi belum diisi" in missing.text


def test_an_unexpected_exception_is_an_indonesian_500_with_the_security_headers(sqlite_env, monkeypatch):
    app, _, _ = sqlite_env
    client = TestClient(app, raise_server_exceptions=False)
    assert login(client, "analis").status_code == 303

    def broken(*args, **kwargs):
        raise RuntimeError("rahasia-internal /srv/waspada")
    monkeypatch.setattr(app.state.investigations, "list", broken)
    response = client.get("/investigations")
    assert response.status_code == 500
    assert "Terjadi galat di server" in response.text and "Galat 500" in response.text
    assert "rahasia-internal" not in response.text and "Traceback" not in response.text
    _assert_secured(response)


@pytest.mark.parametrize("method,path,words", [("GET", "/tidak-ada", "Halaman tidak ditemukan"),
                                               ("GET", "/logout", "Metode tidak diizinkan")])
def test_framework_errors_are_indonesian_pages(sqlite_env, method, path, words):
    app, _, _ = sqlite_env
    response = client_for(app, "analis").request(method, path)
    assert words in response.text and "Not Found" not in response.text and "Method Not Allowed" not in response.text
    _assert_secured(response)
