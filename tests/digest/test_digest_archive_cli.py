"""The archive (one folder per WIB day, replaced whole on a rebuild) and `waspada digest` through
click's CliRunner on SQLite."""
from __future__ import annotations

from datetime import timedelta

import pytest
from click.testing import CliRunner

from digest_helpers import DAY, START, add, post, read_json
from waspada.digest import parse_day
from waspada.digest.archive import day_folder, write_archive
from waspada.digest.commands import digest

FILES = ["digest.html", "digest.json", "digest.pdf", "platform.png", "tren-14-hari.png"]


def test_rebuild_replaces_the_day_folder(sqlite_seeded, data):
    from waspada.digest import build_digest

    index, _ = sqlite_seeded
    first = build_digest(parse_day(DAY), index=index, backend="sqlite")
    assert read_json(first.folder / "digest.json")["total"]["day"] == 4
    (first.folder / "stale.txt").write_text("from an older build")
    add(index, [post(START + timedelta(hours=2), labels=("hoax",))])
    second = build_digest(parse_day(DAY), index=index, backend="sqlite")
    assert second.folder == first.folder
    assert sorted(p.name for p in second.folder.iterdir()) == FILES  # the old folder went as a whole
    assert read_json(second.folder / "digest.json")["total"]["day"] == 5
    assert [p.name for p in second.folder.parent.iterdir()] == [DAY]  # no temporary folders left


def test_a_crash_between_renames_is_repaired(tmp_path):
    day = parse_day(DAY)
    target = day_folder(tmp_path, day)
    write_archive(tmp_path, day, {"digest.json": b"{}"})
    # As if a build died after moving the previous folder aside: it is put back, then replaced.
    target.rename(target.parent / f".{DAY}.old-abc")
    (target.parent / f".{DAY}.tmp-def").mkdir()
    write_archive(tmp_path, day, {"digest.json": b'{"n": 2}'})
    assert [p.name for p in target.parent.iterdir()] == [DAY]
    assert (target / "digest.json").read_bytes() == b'{"n": 2}'
    with pytest.raises(ValueError, match="'../x' must be a plain file name"):
        write_archive(tmp_path, day, {"../x": b""})


def test_cli_builds_archives_and_reports(sqlite_seeded, data):
    runner = CliRunner()
    result = runner.invoke(digest, ["--date", DAY, "--backend", "sqlite", "--no-email"])
    assert result.exit_code == 0, result.output
    folder = data / "digest" / "2024" / DAY
    assert f"archived in {folder}" in result.output
    assert "flagged posts 4 (7-day average 1.29), alerts 0" in result.output
    assert "email skipped: turned off (--no-email)" in result.output
    assert sorted(p.name for p in folder.iterdir()) == FILES


def test_cli_rejects_a_bad_date(data):
    result = CliRunner().invoke(digest, ["--date", "10-02-2024", "--no-email"])
    assert result.exit_code == 2
    assert "'10-02-2024' is not a calendar date; use YYYY-MM-DD" in result.output


def test_cli_smtp_failure_is_a_clear_error(sqlite_seeded, data, monkeypatch):
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setenv("WASPADA_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("WASPADA_SMTP_PORT", str(port))
    monkeypatch.setenv("WASPADA_DIGEST_EMAIL_TO", "kepala@polri.example")
    result = CliRunner().invoke(digest, ["--date", DAY, "--backend", "sqlite"])
    assert result.exit_code == 1
    assert f"SMTP 127.0.0.1:{port} refused or unreachable" in result.output
    assert str(data / "digest" / "2024" / DAY) in result.output
