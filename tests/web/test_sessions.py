"""Sessions end on the server: a cookie copied before logout, a password reset, a role change or
a deactivation is worthless afterwards, and admins can log an account out everywhere (web and
CLI). The session table keeps only a hash of each cookie's token."""
from __future__ import annotations

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from waspada.cli import main
from waspada.web.users import UserStore
from web_fixtures import PASSWORD, client_for, csrf_of, login


def _copy(app, client: TestClient) -> TestClient:
    """Another browser holding the same cookie (stolen, or left on a shared computer)."""
    thief = TestClient(app)
    thief.cookies.set("waspada_session", client.cookies["waspada_session"])
    return thief


def _logged_in(client: TestClient) -> bool:
    return client.get("/", follow_redirects=False).status_code == 200


def test_a_cookie_copied_before_logout_stops_working(sqlite_env):
    app, _, _ = sqlite_env
    analis = client_for(app, "analis")
    thief = _copy(app, analis)
    assert _logged_in(thief)
    analis.post("/logout", data={"csrf": csrf_of(analis.get("/").text)})
    assert not _logged_in(thief)
    assert not _logged_in(analis)


def test_logging_out_ends_only_that_session(sqlite_env):
    app, _, _ = sqlite_env
    office, laptop = client_for(app, "analis"), client_for(app, "analis")
    office.post("/logout", data={"csrf": csrf_of(office.get("/").text)})
    assert _logged_in(laptop)


@pytest.mark.parametrize("change", [{"password": "sandi-baru-yang-panjang"}, {"role": "supervisor"},
                                    {"active": "0"}], ids=["password", "role", "active"])
def test_an_admin_change_ends_the_accounts_sessions(sqlite_env, change):
    app, _, _ = sqlite_env
    analis, admin = client_for(app, "analis"), client_for(app, "admin")
    thief = _copy(app, analis)
    form = {"role": "analyst", "active": "1", "password": "", **change, "csrf": csrf_of(admin.get("/users").text)}
    assert admin.post("/users/analis", data=form, follow_redirects=False).status_code == 303
    assert not _logged_in(analis) and not _logged_in(thief)
    entry = next(e for e in app.state.users.audit_entries() if e["action"] == "users.change")
    assert entry["details"]["sessions_ended"] == 1


def test_saving_the_user_form_unchanged_keeps_the_sessions(sqlite_env):
    """The form always sends role and status: only a real change logs the user out."""
    app, _, _ = sqlite_env
    analis, admin = client_for(app, "analis"), client_for(app, "admin")
    form = {"role": "analyst", "active": "1", "password": "", "csrf": csrf_of(admin.get("/users").text)}
    admin.post("/users/analis", data=form)
    assert _logged_in(analis)


def test_admin_logs_a_user_out_everywhere(sqlite_env):
    app, _, _ = sqlite_env
    office, laptop = client_for(app, "analis"), client_for(app, "analis")
    penyelia, admin = client_for(app, "penyelia"), client_for(app, "admin")
    page = admin.get("/users").text
    assert 'action="/users/analis/logout"' in page
    assert admin.post("/users/analis/logout", data={}).status_code == 403  # CSRF like every form
    assert penyelia.post("/users/analis/logout", data={"csrf": csrf_of(penyelia.get("/").text)}).status_code == 403
    assert _logged_in(office) and _logged_in(laptop)

    done = admin.post("/users/analis/logout", data={"csrf": csrf_of(page)}, follow_redirects=False)
    assert done.status_code == 303
    assert not _logged_in(office) and not _logged_in(laptop)
    assert _logged_in(penyelia) and _logged_in(admin)
    entry = next(e for e in app.state.users.audit_entries() if e["action"] == "users.logout_all")
    assert (entry["who"], entry["target"], entry["details"]) == ("admin", "analis", {"sessions_ended": 2})
    missing = admin.post("/users/tidak-ada/logout", data={"csrf": csrf_of(page)})
    assert missing.status_code == 404 and "tidak-ada" in missing.text
    assert login(TestClient(app), "analis").status_code == 303  # the password still works


def test_cli_logs_a_user_out_everywhere(sqlite_env, monkeypatch, tmp_path):
    app, _, _ = sqlite_env
    monkeypatch.setenv("WASPADA_DATA_DIR", str(tmp_path))  # the fixture's web.db
    analis = client_for(app, "analis")
    result = CliRunner().invoke(main, ["user", "end-sessions", "analis"])
    assert result.exit_code == 0 and "1 session" in result.output, result.output
    assert not _logged_in(analis)
    assert app.state.users.audit_entries()[0]["action"] == "user.logout_all"
    unknown = CliRunner().invoke(main, ["user", "end-sessions", "tidak-ada"])
    assert unknown.exit_code != 0 and "tidak-ada" in unknown.output


def test_sessions_expire_on_the_server_and_are_stored_hashed(tmp_path):
    store = UserStore(tmp_path / "web.db")
    store.add("siti", PASSWORD, "analyst")
    live, expired = store.open_session("siti", 3600), store.open_session("siti", -1)
    assert store.session_user(live).name == "siti" and store.session_user(expired) is None
    assert store.session_user("dibuat-buat") is None
    stored = [row[0] for row in store._conn().execute("SELECT id FROM sessions")]
    assert live not in stored and len(stored) == 2
    assert store.all()[0]["sessions"] == 1
