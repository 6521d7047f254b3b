"""Who may do what: every route needs a login, roles gate exports and the audit log, POSTs need
a CSRF token, logins are rate-limited, and every response carries the security headers."""
from __future__ import annotations

import os
import stat
import tempfile

import pytest
from fastapi.routing import APIRoute

from web_fixtures import PASSWORD, SECRET, client_for, csrf_of, login
from waspada import config
from waspada.web import create_app

PUBLIC = {"/login", "/healthz"}


def _routes():
    """(method, path) of every route the app serves, path parameters filled in: a new route is
    tested here without anyone remembering to add it."""
    app = create_app(index=object(), data_dir=tempfile.mkdtemp(prefix="waspada-routes-"), secret=SECRET)
    found = []
    for route in app.routes:
        if isinstance(route, APIRoute) and route.path not in PUBLIC:
            for method in sorted(route.methods - {"HEAD"}):
                found.append((method, route.path.replace("{doc_id}", "b909b3d882eefe874175214a34ff8c00")
                              .replace("{inv_id}", "1").replace("{saved_id}", "1").replace("{name}", "analis")
                              .replace("{source_id}", "mock-a")))
    return found


ROUTES = _routes()


def test_the_route_list_is_not_empty():
    paths = {path for _, path in ROUTES}
    assert {"/", "/audit", "/export.csv", "/logout"} <= paths and len(ROUTES) >= 8


@pytest.mark.parametrize("method,path", ROUTES, ids=[f"{m} {p}" for m, p in ROUTES])
def test_every_route_refuses_anonymous_requests(sqlite_env, method, path):
    app, _, _ = sqlite_env
    client = client_for(app, None)
    response = client.request(method, path, follow_redirects=False)
    if method == "GET":
        assert response.status_code == 303 and response.headers["location"].startswith("/login?next=")
    else:
        assert response.status_code == 401
    assert "KPU" not in response.text and "b909b3d8" not in response.text.replace("next=", "")


def test_a_forged_session_cookie_is_anonymous(sqlite_env):
    app, _, _ = sqlite_env
    client = client_for(app, None)
    client.cookies.set("waspada_session", "eyJ1c2VyIjogImFkbWluIn0=.forged.sig")
    assert client.get("/", follow_redirects=False).status_code == 303


@pytest.mark.parametrize("user,path", [("analis", "/export.csv"), ("analis", "/export.json"), ("analis", "/export.stix.json"),
                                       ("analis", "/feedback.jsonl"), ("analis", "/audit"), ("penyelia", "/audit"),
                                       ("penyelia", "/audit.csv")])
def test_roles_gate_exports_and_the_audit_log(sqlite_env, user, path):
    app, _, _ = sqlite_env
    response = client_for(app, user).get(path)
    assert response.status_code == 403 and "peran" in response.text.lower()
    assert response.headers["content-type"].startswith("text/html")


def test_stronger_roles_may_do_what_weaker_ones_may(sqlite_env):
    app, _, ids = sqlite_env
    admin = client_for(app, "admin")
    for path in ("/", f"/item/{ids['first']}", "/export.csv", "/audit", "/feedback.jsonl"):
        assert admin.get(path).status_code == 200, path


def test_a_removed_user_loses_access_at_once(sqlite_env):
    app, _, _ = sqlite_env
    client = client_for(app, "analis")
    assert client.get("/", follow_redirects=False).status_code == 200
    app.state.users._conn().execute("UPDATE users SET active = 0 WHERE name = 'analis'")
    assert client.get("/", follow_redirects=False).status_code == 303


def test_post_without_or_with_a_foreign_csrf_token_is_refused(sqlite_env):
    app, index, ids = sqlite_env
    client = client_for(app, "analis")
    other = client_for(app, "penyelia")
    foreign = csrf_of(other.get("/").text)
    for token in (None, "", "salah", foreign):
        data = {"action": "confirm_hoax", "note": "x"} | ({"csrf": token} if token is not None else {})
        response = client.post(f"/item/{ids['first']}/triage", data=data, follow_redirects=False)
        assert response.status_code == 403 and "CSRF" in response.text
    assert index.get(ids["first"])["waspada"]["triage"]["status"] == "new"
    # Logging in and out need the token too.
    assert client.post("/logout", data={}, follow_redirects=False).status_code == 403
    fresh = client_for(app, None)
    fresh.get("/login")
    refused = fresh.post("/login", data={"username": "analis", "password": PASSWORD}, follow_redirects=False)
    assert refused.status_code == 403


def test_login_is_rate_limited_per_ip_and_user(sqlite_env, monkeypatch):
    app, _, _ = sqlite_env
    client = client_for(app, None)
    limit = app.state.limiter.max_failures
    for _ in range(limit):
        assert login(client, "analis", "salah-sandi-sekali").status_code == 401
    blocked = login(client, "analis")  # even the right password waits now
    assert blocked.status_code == 429 and int(blocked.headers["retry-after"]) > 0
    assert "Coba lagi" in blocked.text
    assert login(client, "penyelia").status_code == 303  # another user from the same IP is not locked out
    actions = [e["action"] for e in app.state.users.audit_entries()]
    assert actions.count("login.failed") == limit and "login.blocked" in actions


def test_login_sets_a_fresh_httponly_samesite_session(sqlite_env):
    app, _, _ = sqlite_env
    client = client_for(app, None)
    before = csrf_of(client.get("/login").text)
    response = login(client, "analis")
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie and "waspada_session=" in cookie
    assert csrf_of(client.get("/").text) != before  # no session fixation


@pytest.mark.parametrize("target,expected", [("/item/abc", "/item/abc"), ("//evil.example", "/"),
                                             ("https://evil.example/", "/"), ("/\\evil.example", "/")])
def test_login_redirects_only_to_local_paths(sqlite_env, target, expected):
    app, _, _ = sqlite_env
    client = client_for(app, None)
    token = csrf_of(client.get("/login").text)
    response = client.post("/login", data={"username": "analis", "password": PASSWORD, "csrf": token,
                                           "next": target}, follow_redirects=False)
    assert response.headers["location"] == expected


def test_every_response_carries_the_security_headers(sqlite_env):
    app, _, ids = sqlite_env
    client = client_for(app, "admin")
    for path in ("/login", "/", f"/item/{ids['first']}", "/audit", "/nope", "/static/style.css"):
        headers = client.get(path).headers
        csp = headers["content-security-policy"]
        assert "default-src 'none'" in csp and "script-src" not in csp and "unsafe-inline" not in csp, path
        assert headers["x-frame-options"] == "DENY" and headers["referrer-policy"] == "no-referrer", path
        assert headers["x-content-type-options"] == "nosniff", path


def test_the_app_refuses_to_start_without_a_secret_unless_debug(tmp_path, monkeypatch):
    monkeypatch.delenv("WASPADA_WEB_SECRET", raising=False)
    with pytest.raises(config.SettingError, match="WASPADA_WEB_SECRET"):
        create_app(index=object(), data_dir=tmp_path, debug=False)
    monkeypatch.setenv("WASPADA_WEB_SECRET", "short")
    with pytest.raises(config.SettingError, match="at least 32"):
        create_app(index=object(), data_dir=tmp_path, debug=False)
    monkeypatch.delenv("WASPADA_WEB_SECRET")
    create_app(index=object(), data_dir=tmp_path, debug=True)
    kept = tmp_path / "web-secret"
    assert stat.S_IMODE(os.stat(kept).st_mode) == 0o600 and len(kept.read_text()) >= 32
    first = kept.read_text()
    create_app(index=object(), data_dir=tmp_path, debug=True)
    assert kept.read_text() == first  # sessions survive a restart
