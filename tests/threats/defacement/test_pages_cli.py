"""`waspada pages check|baseline|status` through the CLI, on pages the mock server serves."""
from __future__ import annotations

import json

import yaml
from click.testing import CliRunner

from defacement_fixtures import data_dir, mock_server, official_page  # noqa: F401 - fixtures
from waspada.cli import main


def write_pages(path, *pages) -> None:
    path.write_text(yaml.safe_dump({"pages": [{"url": p.url, "name": p.name, "body": p.body} for p in pages]}),
                    encoding="utf-8")


def test_check_exits_1_on_a_defaced_page_and_status_shows_it(data_dir, official_page, monkeypatch):
    kpu, serve_kpu = official_page(name="KPU uji")
    bawaslu, _ = official_page(name="Bawaslu uji")
    write_pages(data_dir / "pages.yaml", kpu, bawaslu)
    monkeypatch.setenv("WASPADA_PAGES_PATH", str(data_dir / "pages.yaml"))
    runner = CliRunner()

    first = runner.invoke(main, ["pages", "check"])
    assert first.exit_code == 0, first.output
    assert first.output.count("BASELINED") == 2 and "2 pages checked: 2 baselined" in first.output

    serve_kpu("kpu-beranda-diretas.html")
    second = runner.invoke(main, ["pages", "check", "--json"])
    assert second.exit_code == 1, second.output
    rows = {r["url"]: r for r in map(json.loads, second.output.splitlines())}
    assert rows[kpu.url]["verdict"] == "defaced" and rows[kpu.url]["alert_id"] == 1
    assert rows[bawaslu.url]["verdict"] == "ok"

    status = runner.invoke(main, ["pages", "status"])
    assert status.exit_code == 0, status.output
    assert "defaced" in status.output and "alerted    defaced" in status.output
    listed = runner.invoke(main, ["alerts", "list"])
    assert "halaman-resmi-diubah" in listed.output and "investigation #1" in listed.output


def test_baseline_refuses_a_defaced_page_unless_forced_and_names_unknown_urls(data_dir, official_page, monkeypatch):
    page, serve = official_page()
    write_pages(data_dir / "pages.yaml", page)
    monkeypatch.setenv("WASPADA_PAGES_PATH", str(data_dir / "pages.yaml"))
    runner = CliRunner()
    serve("kpu-beranda-diretas.html")
    refused = runner.invoke(main, ["pages", "baseline", page.url])
    assert refused.exit_code == 1 and "not baselined (--force to accept)" in refused.output
    forced = runner.invoke(main, ["pages", "baseline", "--force", page.url])
    assert forced.exit_code == 0 and "BASELINED" in forced.output

    unknown = runner.invoke(main, ["pages", "baseline", "https://www.kpu.go.id.example/"])
    assert unknown.exit_code == 1
    assert "https://www.kpu.go.id.example/ is not a watched page; add it to" in unknown.output


def test_a_broken_pages_file_is_reported_with_its_path(data_dir, monkeypatch):
    (data_dir / "pages.yaml").write_text("pages: [{url: kpu.go.id}]\n", encoding="utf-8")
    monkeypatch.setenv("WASPADA_PAGES_PATH", str(data_dir / "pages.yaml"))
    result = CliRunner().invoke(main, ["pages", "check"])
    assert result.exit_code == 1 and "is not an absolute http(s) address" in result.output
    assert str(data_dir / "pages.yaml") in result.output
