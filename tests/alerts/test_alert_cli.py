"""`waspada alerts` end to end through the CLI on the SQLite index: check, dry-run, run, list."""
from __future__ import annotations

import json

from click.testing import CliRunner

from alerts_helpers import add, at, post
from waspada.cli import main
from waspada.index import open_index

RULE = """
name: uji-frekuensi
type: frequency
description: Tiga hoaks per wilayah dalam satu jam
filter: {labels: [hoax]}
window: 1h
query_delay: 15m
realert: 0
key: region
threshold: 3
"""


def test_alerts_cli(tmp_path, monkeypatch):
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "uji.yaml").write_text(RULE, encoding="utf-8")
    monkeypatch.setenv("WASPADA_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("WASPADA_ALERT_RULES_DIR", str(rules))
    monkeypatch.setenv("WASPADA_INDEX_BACKEND", "sqlite")
    monkeypatch.setenv("WASPADA_ALERT_EMAIL_TO", "")
    monkeypatch.setenv("WASPADA_ALERT_WEBHOOK_URL", "")
    index = open_index("sqlite", path=tmp_path / "data" / "waspada.db")
    index.ensure()
    add(index, *[post(at(h + i / 10), region="Papua") for h in (3, 9) for i in range(3)])
    index.close()
    runner = CliRunner()

    checked = runner.invoke(main, ["alerts", "check"])
    assert checked.exit_code == 0 and "uji-frekuensi" in checked.output and "1 enabled rules" in checked.output

    dry = runner.invoke(main, ["alerts", "test", "uji-frekuensi", "--since", "2024-02-10T00:00+00:00",
                               "--until", "2024-02-10T12:00+00:00", "--json"])
    assert dry.exit_code == 0, dry.output
    firings = [json.loads(line) for line in dry.output.splitlines()]
    assert [(f["key"], f["end"][11:16], f["count"]) for f in firings] == [("Papua", "04:00", 3), ("Papua", "10:00", 3)]

    listed = runner.invoke(main, ["alerts", "list"])
    assert listed.exit_code == 0 and listed.output.strip() == ""  # the dry run stored nothing

    ran = runner.invoke(main, ["alerts", "run", "--now", "2024-02-10T10:20+00:00"])
    assert ran.exit_code == 0, ran.output
    assert "windows evaluated 1, alerts fired 1" in ran.output and "investigation #1" in ran.output
    listed = runner.invoke(main, ["alerts", "list"])
    assert "uji-frekuensi [Papua]" in listed.output and "no notification" in listed.output

    too_long = runner.invoke(main, ["alerts", "test", "uji-frekuensi", "--since", "2020-01-01T00:00+00:00",
                                    "--until", "2024-01-01T00:00+00:00"])
    assert too_long.exit_code != 0 and "shorten the period" in too_long.output

    unknown = runner.invoke(main, ["alerts", "test", "tidak-ada"])
    assert unknown.exit_code != 0 and "uji-frekuensi" in unknown.output

    (rules / "rusak.yaml").write_text("name: rusak\ntype: frequency\n", encoding="utf-8")
    broken = runner.invoke(main, ["alerts", "check"])
    assert broken.exit_code != 0 and "rusak.yaml: rule 'rusak': field 'threshold' is required" in broken.output
