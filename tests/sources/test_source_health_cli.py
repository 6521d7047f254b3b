"""`waspada sources status|enable|disable` over a health store filled as crawls would fill it."""
from __future__ import annotations

import json
from datetime import timedelta

import pytest
import yaml
from click.testing import CliRunner

from waspada.sources.health import HealthSettings, SourceResult, utcnow, wib_day
from waspada.sources.store import HealthStore
from waspada.sources.commands import sources


@pytest.fixture
def setup(tmp_path):
    path = tmp_path / "sources.yaml"
    path.write_text(yaml.safe_dump({"sources": [
        {"id": "sehat", "name": "Sehat", "platform": "news", "kind": "feed", "url": "http://x.test/a"},
        {"id": "rusak", "name": "Rusak", "platform": "factcheck", "kind": "feed", "url": "http://x.test/b"},
        {"id": "mati", "name": "Mati", "platform": "news", "kind": "feed", "url": "http://x.test/c", "enabled": False},
    ]}), encoding="utf-8")
    env = {"WASPADA_DATA_DIR": str(tmp_path / "data"), "WASPADA_SOURCES_PATH": str(path)}
    store = HealthStore(tmp_path / "data" / "state", HealthSettings())
    now = utcnow()
    store.record_crawl({"sehat": SourceResult(ok_urls={"http://x.test/a"}, items=4)}, now=now - timedelta(days=1))
    store.record_crawl({"sehat": SourceResult(ok_urls={"http://x.test/a"}, items=6)}, now=now)
    for n in range(3):
        store.record_crawl({"rusak": SourceResult(failures={"http://x.test/b": ("http_404", "HTTP 404")})},
                           now=now - timedelta(minutes=30 - n))
    return CliRunner(), env, store, now


def test_status_table_shows_state_last_success_last_error_and_items_per_day(setup):
    runner, env, _, now = setup
    result = runner.invoke(sources, ["status"], env=env)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split()[:3] == ["ID", "PLATFORM", "STATE"] and "NEXT DUE" in lines[0]
    sehat = next(line for line in lines if line.startswith("sehat"))
    assert "enabled" in sehat and sehat.rstrip().split("  ")[-1].strip()  # a next-due time
    assert " 4 6 " in sehat  # yesterday and today, after five days of nothing
    rusak = next(line for line in lines if line.startswith("rusak"))
    assert "disabled until" in rusak and "http_404" in rusak and " 3 " in rusak
    assert "last error (hard, 3 failed crawls in a row): http_404: HTTP 404 (http://x.test/b)" in result.output
    assert "skor kegagalan 3 mencapai ambang 3" in result.output
    assert next(line for line in lines if line.startswith("mati")).split()[2:6] == ["off", "in", "sources", "file"]


def test_status_json(setup):
    runner, env, _, now = setup
    result = runner.invoke(sources, ["status", "--json"], env=env)
    rows = {row["id"]: row for row in json.loads(result.output)}
    assert set(rows) == {"sehat", "rusak", "mati"}
    assert rows["sehat"]["items_per_day"][wib_day(now)] == 6 and rows["sehat"]["items_7d"] == 10
    assert rows["sehat"]["last_success"] == now.isoformat() and rows["sehat"]["failure_score"] == 0
    assert rows["rusak"]["disabled"] and rows["rusak"]["last_error_kind"] == "hard"
    assert rows["rusak"]["failure_score"] == 3.0 and rows["rusak"]["last_success"] is None


def test_enable_and_disable_by_hand(setup):
    runner, env, store, _ = setup
    result = runner.invoke(sources, ["enable", "rusak"], env=env)
    assert result.exit_code == 0 and "enabled" in result.output
    assert not store.get("rusak").disabled_at(utcnow()) and store.get("rusak").failure_score == 0
    assert store.decide("rusak").state == "due"

    result = runner.invoke(sources, ["disable", "sehat", "--hours", "6", "--reason", "situs dipindah"], env=env)
    assert result.exit_code == 0 and "disabled until" in result.output
    row = store.get("sehat")
    assert row.disabled_by_hand and row.disabled_reason == "situs dipindah" and row.disabled_until
    assert store.decide("sehat").state == "disabled"
    assert "disabled by hand until" in runner.invoke(sources, ["status"], env=env).output

    result = runner.invoke(sources, ["disable", "sehat"], env=env)
    assert "until `waspada sources enable`" in result.output and store.get("sehat").disabled_until is None


def test_unknown_ids_and_bad_hours_are_clear_errors(setup):
    runner, env, _, _ = setup
    result = runner.invoke(sources, ["disable", "tidak-ada"], env=env)
    assert result.exit_code != 0 and "tidak-ada" in result.output and "known ids: mati, rusak, sehat" in result.output
    result = runner.invoke(sources, ["disable", "sehat", "--hours", "0"], env=env)
    assert result.exit_code != 0 and "--hours" in result.output
