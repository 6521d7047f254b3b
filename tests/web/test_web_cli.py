"""`waspada user add`, `waspada triage export` and `waspada web` from the command line."""
from __future__ import annotations

import json

from click.testing import CliRunner

from waspada.cli import main
from waspada.index import open_index
from waspada.web.users import UserStore
from web_fixtures import make_env


def test_user_add_creates_a_user_who_can_log_in(tmp_path, monkeypatch):
    monkeypatch.setenv("WASPADA_DATA_DIR", str(tmp_path))
    runner = CliRunner()
    result = runner.invoke(main, ["user", "add", "siti", "--role", "admin", "--password-stdin"],
                           input="kata-sandi-panjang\n")
    assert result.exit_code == 0, result.output
    store = UserStore(tmp_path / "web.db")
    assert store.authenticate("siti", "kata-sandi-panjang").role == "admin"
    assert store.authenticate("siti", "salah") is None
    stored = store._conn().execute("SELECT password FROM users").fetchone()[0]
    assert stored.startswith("scrypt$") and "kata-sandi" not in stored
    again = runner.invoke(main, ["user", "add", "siti", "--password-stdin"], input="kata-sandi-panjang\n")
    assert again.exit_code != 0 and "--replace" in again.output
    short = runner.invoke(main, ["user", "add", "budi", "--password-stdin"], input="pendek\n")
    assert short.exit_code != 0 and "at least 10" in short.output
    role = runner.invoke(main, ["user", "add", "budi", "--role", "raja", "--password-stdin"], input="x" * 12)
    assert role.exit_code != 0 and "raja" in role.output


def test_triage_export_writes_feedback_jsonl(tmp_path, monkeypatch):
    monkeypatch.setenv("WASPADA_DATA_DIR", str(tmp_path))
    _, index, ids = make_env(open_index("sqlite", path=tmp_path / "waspada.db"), tmp_path)
    index.update(ids["first"], {"waspada": {"triage": {"status": "confirmed", "verdict": "hoax",
                                                       "updated_by": "analis", "updated_at": "2024-02-14T01:00:00+00:00"}}})
    index.close()
    out = tmp_path / "feedback.jsonl"
    result = CliRunner().invoke(main, ["triage", "export", "-o", str(out)])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert rows == [{"text": rows[0]["text"], "hoax": 1, "provocation": None, "id": ids["first"],
                     "verdict": "hoax", "by": "analis", "at": "2024-02-14T01:00:00+00:00"}]


def test_web_refuses_to_start_without_a_secret(tmp_path, monkeypatch):
    monkeypatch.setenv("WASPADA_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("WASPADA_WEB_SECRET", raising=False)
    monkeypatch.delenv("WASPADA_WEB_DEBUG", raising=False)
    result = CliRunner().invoke(main, ["web", "--backend", "sqlite"])
    assert result.exit_code != 0 and "WASPADA_WEB_SECRET" in result.output


def test_settings_never_print_the_secret(monkeypatch):
    monkeypatch.setenv("WASPADA_WEB_SECRET", "s" * 40)
    result = CliRunner().invoke(main, ["settings"])
    assert "s" * 40 not in result.output and "WASPADA_WEB_SECRET=***" in result.output
