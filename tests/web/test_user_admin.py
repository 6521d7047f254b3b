"""Admins manage accounts in the web app: add, change role, deactivate, reset a password; the
last active admin is protected; analysts and supervisors cannot get in."""
from __future__ import annotations

from web_fixtures import PASSWORD, client_for, csrf_of, login


def test_admin_manages_users(sqlite_env):
    app, _, _ = sqlite_env
    admin = client_for(app, "admin")
    page = admin.get("/users")
    assert page.status_code == 200 and "penyelia" in page.text and "scrypt$" not in page.text
    token = csrf_of(page.text)

    added = admin.post("/users", data={"name": "budi", "role": "analyst", "password": "sandi-budi-panjang",
                                       "csrf": token}, follow_redirects=False)
    assert added.status_code == 303 and app.state.users.get("budi").role == "analyst"
    assert admin.post("/users", data={"name": "budi", "role": "analyst", "password": "x" * 12,
                                      "csrf": token}).status_code == 400  # exists
    assert admin.post("/users", data={"name": "ani", "role": "analyst", "password": "pendek",
                                      "csrf": token}).status_code == 400  # too short

    admin.post("/users/budi", data={"role": "supervisor", "csrf": token})
    assert app.state.users.get("budi").role == "supervisor"
    admin.post("/users/budi", data={"password": "sandi-baru-budi-1", "csrf": token})
    assert login(client_for(app, None), "budi", "sandi-baru-budi-1").status_code == 303
    budi = client_for(app, None)
    login(budi, "budi", "sandi-baru-budi-1")
    admin.post("/users/budi", data={"active": "0", "csrf": token})
    assert budi.get("/", follow_redirects=False).status_code == 303  # a deactivated user is out at once
    assert login(client_for(app, None), "budi", "sandi-baru-budi-1").status_code != 303

    last = admin.post("/users/admin", data={"role": "analyst", "csrf": token})
    assert last.status_code == 400 and "last active admin" in last.text
    assert {e["action"] for e in app.state.users.audit_entries(limit=50)} >= {"users.add", "users.change", "users.view"}


def test_only_admins_reach_user_administration(sqlite_env):
    app, _, _ = sqlite_env
    for name in ("analis", "penyelia"):
        client = client_for(app, name)
        assert client.get("/users").status_code == 403
        token = csrf_of(client.get("/").text)
        assert client.post("/users", data={"name": "x", "password": PASSWORD, "csrf": token}).status_code == 403


def test_new_user_names_are_plain_lower_case_ascii(sqlite_env):
    """A Cyrillic "а" in "аdmin" would pass for the real admin in the audit log."""
    app, _, _ = sqlite_env
    admin = client_for(app, "admin")
    token = csrf_of(admin.get("/users").text)
    for name, shown in (("\u0430dmin", "U+0430 CYRILLIC SMALL LETTER A"), ("Budi", "U+0042"),
                        ("budi\u202e", "U+202E"), (".budi", "diawali"), ("b" * 65, "65 karakter")):
        refused = admin.post("/users", data={"name": name, "role": "analyst", "password": PASSWORD, "csrf": token})
        assert refused.status_code == 400 and shown in refused.text and "huruf kecil a-z" in refused.text, name
        assert not app.state.users.exists(name.strip())
    ok = admin.post("/users", data={"name": "siti.rahma_2-b", "role": "analyst", "password": PASSWORD, "csrf": token},
                    follow_redirects=False)
    assert ok.status_code == 303 and app.state.users.get("siti.rahma_2-b")


def test_accounts_made_before_the_name_rule_keep_working(sqlite_env):
    app, _, _ = sqlite_env
    users = app.state.users
    hashed = users._conn().execute("SELECT password FROM users WHERE name = 'analis'").fetchone()[0]
    users._conn().execute("INSERT INTO users (name, role, password, created_at) VALUES (?, 'analyst', ?, '2024-01-01')",
                          ("Budi Lama", hashed))
    assert login(client_for(app, None), "Budi Lama").status_code == 303
    users.add("Budi Lama", "sandi-baru-panjang", "supervisor", replace=True)  # the CLI's --replace
    assert users.get("Budi Lama").role == "supervisor"
