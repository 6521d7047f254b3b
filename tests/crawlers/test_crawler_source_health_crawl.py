"""Source health in real crawls of the mock server (``scrapy crawl`` through ``run_crawl``).

Time is moved with ``run_crawl(now=...)``, never slept: a failing source is disabled and skipped,
comes back after its cool-down or when enabled by hand; an unchanged feed is not parsed twice; a
feed's ``<ttl>`` spaces its crawls; a forced crawl ignores all of it; conditional GET is sent.
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import yaml

from tests.crawlers.conftest import CRAWL_ENV
from tests.mockserver.health import state
from waspada.crawl import run_crawl
from waspada.sources.health import HealthSettings
from waspada.sources.store import HealthStore

T0 = datetime(2024, 2, 14, 8, 0, tzinfo=timezone.utc)


def window(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H-%M")


class Crawls:
    """Crawl one sources file again and again in one data directory, at chosen times."""

    def __init__(self, root: Path, entries: list[dict], **env: str):
        self.root = root
        self.sources = root / "sources.yaml"
        self.sources.write_text(yaml.safe_dump({"sources": entries}), encoding="utf-8")
        self.env = {**CRAWL_ENV, "WASPADA_DATA_DIR": str(root / "data"), **env}

    def __call__(self, moment: datetime, *, force: bool = False, window_name: str | None = None) -> dict:
        return run_crawl(self.sources, spool_dir=self.root / "spool", window=window_name or window(moment),
                         polite=False, timeout=60, env=self.env, force=force, now=moment)

    @property
    def store(self) -> HealthStore:
        return HealthStore(self.root / "data" / "state", HealthSettings())

    def log(self, report: dict) -> str:
        return Path(report["logs"]["feed"]).read_text(encoding="utf-8")


def feed(base: str, id_: str, path: str, **extra) -> dict:
    return {"id": id_, "name": f"Mock {id_}", "platform": "news", "kind": "feed", "url": base + path, **extra}


def items(report: dict, source_id: str) -> int:
    return report["spiders"]["feed"]["items_by_source"].get(source_id, 0)


def test_a_failing_source_is_disabled_skipped_and_retried_after_its_cooldown_or_by_hand(mock_server, tmp_path):
    base = mock_server.base_url
    crawl = Crawls(tmp_path, [feed(base, "rusak", "/broken/404"), feed(base, "sehat", "/feeds/dup-a.xml")],
                   WASPADA_SOURCE_FAILURE_THRESHOLD="2", WASPADA_SOURCE_COOLDOWN_HOURS="1")

    def hits() -> int:
        return mock_server.hits.count("/broken/404")

    # Two hard errors (HTTP 404) reach the threshold of 2: disabled for the 1-hour cool-down.
    for n in range(2):
        report = crawl(T0 + timedelta(minutes=20 * n))
        assert report["skipped"]["http_404"] == 1 and report["disabled"] == 0
    row = crawl.store.get("rusak")
    assert row.failure_score == 2.0 and row.consecutive_failures == 2
    assert row.disabled_until == "2024-02-14T09:20:00+00:00" and row.last_error.startswith("http_404: HTTP 404")
    assert crawl.store.get("sehat").failure_score == 0 and crawl.store.get("sehat").last_success

    # Disabled: not fetched, one log line, counted in the report.
    before = hits()
    report = crawl(T0 + timedelta(minutes=40))
    assert hits() == before and "http_404" not in report["skipped"]
    assert report["disabled"] == 1 and report["not_crawled"][0]["source"] == "rusak"
    assert "waspada sources enable rusak" in report["not_crawled"][0]["why"]
    assert crawl.log(report).count("Source rusak not crawled, disabled") == 1
    assert items(report, "sehat") == 0 and report["unchanged"] == 1  # the healthy feed was fetched, unchanged

    # After the cool-down it is tried again; still failing, it is disabled for twice as long.
    report = crawl(T0 + timedelta(minutes=81))
    assert hits() > before and report["disabled"] == 0
    row = crawl.store.get("rusak")
    assert row.times_disabled == 2 and row.disabled_until == "2024-02-14T11:21:00+00:00"

    # Re-enabled by hand: crawled on the very next run.
    crawl.store.enable("rusak")
    before = hits()
    report = crawl(T0 + timedelta(minutes=90))
    assert hits() > before and report["disabled"] == 0 and report["skipped"]["http_404"] == 1

    # The status table shows what happened.
    rows = {r["id"]: r for r in crawl.store.status(now=T0 + timedelta(minutes=95))}
    assert rows["rusak"]["last_error"].startswith("http_404") and rows["rusak"]["last_success"] is None
    assert rows["sehat"]["last_success"] == (T0 + timedelta(minutes=81)).isoformat()  # not due at 90
    assert rows["sehat"]["items_per_day"]["2024-02-14"] == 3 and rows["sehat"]["items_7d"] == 3


def test_hash_skip_ttl_schedule_and_forced_crawls(mock_server, tmp_path):
    base = mock_server.base_url
    state(mock_server.httpd).update(versi=1, conditional=[])
    crawl = Crawls(tmp_path, [feed(base, "ttl", "/health/ttl.xml"),
                              feed(base, "berubah", "/health/berubah.xml", interval=5)])

    first = crawl(T0)
    assert items(first, "ttl") == 2 and items(first, "berubah") == 1
    assert first["unchanged"] == first["not_due"] == first["revalidated"] == 0
    assert crawl.store.get("ttl").advertised_interval == 60

    # 10 minutes later: the <ttl>60</ttl> feed is not due; the other (interval: 5) is, and its
    # unchanged body (a 304 from the HTTP cache) is not parsed again.
    ttl_hits = mock_server.hits.count("/health/ttl.xml")
    second = crawl(T0 + timedelta(minutes=10))
    assert mock_server.hits.count("/health/ttl.xml") == ttl_hits
    assert second["not_due"] == 1 and second["not_crawled"][0]["source"] == "ttl"
    assert "next due at 2024-02-14T09:00:00+00:00, window 2024-02-14T09-00" in second["not_crawled"][0]["why"]
    assert "Source ttl not crawled, not due" in crawl.log(second)
    assert second["revalidated"] == 1 and second["unchanged"] == 1 and second["items_written"] == 0
    assert second["spool_files"] == []
    assert "Feed %s/health/berubah.xml (source berubah) unchanged since window 2024-02-14T08-00" % base in crawl.log(second)
    # Conditional GET really sends both validators.
    sent = [c for c in state(mock_server.httpd)["conditional"] if c["path"] == "/health/berubah.xml"]
    assert sent[0]["if_none_match"] is None and sent[1]["if_none_match"] and sent[1]["if_modified_since"]

    # 61 minutes later both are due; the changed feed is parsed, the unchanged one is not.
    state(mock_server.httpd)["versi"] = 2
    third = crawl(T0 + timedelta(minutes=61))
    assert third["not_due"] == 0 and third["unchanged"] == 1
    assert items(third, "berubah") == 2 and items(third, "ttl") == 0
    assert crawl.store.get("berubah").advertised_interval is None  # no ttl in that feed

    # A forced crawl a minute later ignores the schedule and the hashes: everything is read again.
    forced = crawl(T0 + timedelta(minutes=62), force=True)
    assert forced["not_due"] == forced["unchanged"] == 0
    assert items(forced, "ttl") == 2 and items(forced, "berubah") == 2

    # A re-run of the last window reproduces its spool files (it replaces them): due and parsed.
    rerun = crawl(T0 + timedelta(minutes=63), window_name=window(T0 + timedelta(minutes=62)))
    assert rerun["not_due"] == rerun["unchanged"] == 0
    assert items(rerun, "ttl") == 2 and items(rerun, "berubah") == 2
