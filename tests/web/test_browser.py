"""End to end in a real headless Chromium (Debian's `chromium`, driven by Playwright): log in,
search with a filter, open an item, triage it, export CSV, escalate a result page in bulk — against `waspada web` served by
uvicorn in a subprocess, as a user would run it.

Set WASPADA_UPDATE_SCREENSHOTS=1 to refresh docs/screenshots/ (the README's pictures).
"""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from conftest_helpers import in_ci
from web_fixtures import PASSWORD, serve_web

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("WASPADA_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
pytestmark = [pytest.mark.slow, pytest.mark.browser]


def _unavailable(reason: str) -> None:
    if in_ci():
        pytest.fail(f"browser tests cannot run in CI: {reason}", pytrace=False)
    pytest.skip(f"BROWSER TESTS SKIPPED: {reason} (apt-get install chromium; pip install playwright)")


@pytest.fixture
def server(tmp_path):
    """`waspada web` on a free port over a SQLite index with the fixture posts."""
    with serve_web(tmp_path) as running:
        yield running


@pytest.fixture
def page(tmp_path):
    if not Path(CHROMIUM).exists():
        _unavailable(f"{CHROMIUM} not found")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright package is not installed")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        context = browser.new_context(viewport={"width": 1100, "height": 720}, accept_downloads=True, locale="id-ID")
        tab = context.new_page()
        tab.set_default_timeout(15_000)
        problems: list[str] = []
        # A CSP violation or a script error shows up here; the pages have no scripts, so none is expected.
        tab.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
        tab.on("pageerror", lambda exc: problems.append(str(exc)))
        yield tab, problems
        context.close()
        browser.close()


def _screenshot(tab, name: str, tmp_path: Path) -> None:
    target = tmp_path / name
    tab.screenshot(path=str(target))
    assert target.stat().st_size > 5_000
    if os.environ.get("WASPADA_UPDATE_SCREENSHOTS"):
        (ROOT / "docs" / "screenshots").mkdir(parents=True, exist_ok=True)
        shutil.copy(target, ROOT / "docs" / "screenshots" / name)


def test_login_search_item_triage_export(server, page, tmp_path):
    base, ids = server
    tab, problems = page
    tab.goto(f"{base}/")
    assert "/login" in tab.url  # anonymous visitors land on the login form
    tab.fill("input[name=username]", "penyelia")
    tab.fill("input[name=password]", PASSWORD)
    tab.click("button:has-text('Masuk')")
    tab.wait_for_url(f"{base}/")

    tab.fill("input[name=q]", "kpu")
    tab.check("input[name=platform][value=telegram]")
    tab.click("button:has-text('Terapkan filter')")
    tab.wait_for_url("**platform=telegram**")
    assert tab.inner_text("#total") == "9"
    assert tab.locator("li.hit").count() == 9 and tab.locator("li.hit mark").count() >= 9
    _screenshot(tab, "search.png", tmp_path)

    tab.locator("li.hit a.title").first.click()
    tab.wait_for_url("**/item/**")
    assert "Hoaks surat suara" in tab.inner_text("#title")
    assert tab.inner_text("#status") == "Baru"
    tab.fill("textarea[name=note]", "Dicek: surat suara asli, foto lama.")
    tab.select_option("select[name=assignee]", "analis")
    tab.click("button[value=confirm_hoax]")
    tab.wait_for_load_state()
    assert tab.inner_text("#status") == "Terkonfirmasi"
    assert "Dicek: surat suara asli" in tab.inner_text("ul.notes") and "ditugaskan ke analis" in tab.content()
    _screenshot(tab, "item.png", tmp_path)

    # The hostile post: its payloads must not run (a dialog would mean they did).
    dialogs: list[str] = []
    tab.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    tab.goto(f"{base}/item/{ids['hostile']}")
    tab.goto(f"{base}/?q=script")
    assert not dialogs

    tab.goto(f"{base}/?q=kpu&platform=telegram")
    with tab.expect_download() as download:
        tab.click("a:has-text('CSV')")
    path = download.value.path()
    rows = Path(path).read_text(encoding="utf-8-sig").splitlines()
    assert rows[0].startswith("id,published") and len(rows) == 10

    # Bulk work without script: "all on this page", one button, back on the same search.
    tab.check("input[name=all_on_page]")
    tab.click("#bulk-bar button[value=escalate]")
    tab.wait_for_url("**platform=telegram**")
    assert tab.inner_text("#bulk-result") == "Eskalasi: diterapkan ke 9 pos."
    assert tab.locator("li.hit .status", has_text="Dieskalasi").count() == 9

    # An investigation opened from an item, worked on, and exported as STIX.
    tab.goto(f"{base}/item/{ids['first']}")
    tab.fill("input[name=title]", "Jaringan hoaks surat suara Jawa Barat")
    tab.click("button:has-text('Buka investigasi dari pos ini')")
    tab.wait_for_url("**/investigations/*")
    assert "Jaringan hoaks surat suara Jawa Barat" in tab.inner_text("#title")
    assert tab.locator("#inv-items tbody tr").count() == 1
    tab.select_option("select[name=status]", "in_progress")
    tab.select_option("select[name=assignee]", "analis")
    tab.fill("textarea[name=note]", "Akun penyebar dipetakan.")
    tab.click("button:has-text('Simpan')")
    tab.wait_for_load_state()
    assert tab.inner_text("#inv-status").startswith("Ditangani") and tab.inner_text("#inv-assignee") == "analis"
    assert "Akun penyebar dipetakan." in tab.inner_text("#timeline")
    _screenshot(tab, "investigation.png", tmp_path)
    with tab.expect_download() as download:
        tab.click("a:has-text('STIX 2.1')")
    bundle = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert sum(o["type"] == "indicator" for o in bundle["objects"]) == 1
    assert not problems, problems
