"""Source health without a network: weights, advertised intervals, the schedule, the failure score
and its cool-downs, hand enabling, feed hashes, items per day (time is passed in, never slept)."""
from __future__ import annotations

import ast
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import yaml

from crawlers.feed_reader import read_feed
from crawlers.sources import SourcesError, load_sources
from waspada.sources.health import (HARD_ERROR_WEIGHT, SOFT_ERROR_WEIGHT, HealthSettings, SourceResult, advertised_minutes,
                                    error_weight, load_source_entries)
from waspada.sources.store import HealthStore

T0 = datetime(2024, 2, 14, 8, 0, tzinfo=timezone.utc)
SETTINGS = HealthSettings(default_interval=15, failure_threshold=3.0, cooldown_hours=24, cooldown_max_hours=72)
REPO = Path(__file__).resolve().parents[2]


def store(tmp_path, **overrides) -> HealthStore:
    settings = HealthSettings(**{**SETTINGS.__dict__, **overrides})
    return HealthStore(tmp_path / "state", settings)


def ok(url="http://x.test/feed", items=3, **extra) -> SourceResult:
    return SourceResult(ok_urls={url}, items=items, **extra)


def failed(reason="http_404", url="http://x.test/feed") -> SourceResult:
    return SourceResult(failures={url: (reason, f"{reason} detail")})


def minutes(n: float) -> datetime:
    return T0 + timedelta(minutes=n)


@pytest.mark.parametrize("reason, kind", [
    ("http_404", "hard"), ("http_410", "hard"), ("http_403", "hard"), ("connection_error", "hard"),
    ("malformed_feed", "hard"), ("http_429", "soft"), ("http_500", "soft"), ("http_503", "soft"),
    ("timeout", "soft"), ("rate_limited", "soft"), ("empty_feed", "soft"), ("something_new", "soft")])
def test_hard_errors_weigh_more_than_soft_ones(reason, kind):
    assert error_weight(reason) == (kind, HARD_ERROR_WEIGHT if kind == "hard" else SOFT_ERROR_WEIGHT)
    assert HARD_ERROR_WEIGHT > SOFT_ERROR_WEIGHT > 0


def test_advertised_intervals_from_rss_ttl_and_the_syndication_module():
    assert advertised_minutes("60") == 60
    assert advertised_minutes(None, "hourly", "2") == 30
    assert advertised_minutes(None, "daily", None) == 1440
    assert advertised_minutes("0", "weekly", "7") == 1440  # a zero ttl says nothing
    assert advertised_minutes("sering", "kadang", "x") is None
    assert advertised_minutes() is None


def test_the_feed_reader_reads_the_advertised_interval():
    rss = (b'<?xml version="1.0"?><rss version="2.0" xmlns:sy="http://purl.org/rss/1.0/modules/syndication/">'
           b"<channel><title>t</title>%s<item><title>KPU</title><link>http://x.test/a</link></item></channel></rss>")
    assert read_feed(rss % b"<ttl>60</ttl>", "application/rss+xml", "http://x.test/f").update_minutes == 60
    sy = b"<sy:updatePeriod>hourly</sy:updatePeriod><sy:updateFrequency>4</sy:updateFrequency>"
    assert read_feed(rss % sy, "application/rss+xml", "http://x.test/f").update_minutes == 15
    assert read_feed(rss % b"", "application/rss+xml", "http://x.test/f").update_minutes is None
    atom = b'<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><entry><title>a</title></entry></feed>'
    assert read_feed(atom, "application/atom+xml", "http://x.test/f").update_minutes is None


def test_a_feed_with_ttl_60_is_not_due_10_minutes_later_and_due_61_minutes_later(tmp_path):
    health = store(tmp_path)
    health.record_crawl({"a": ok(advertised={"http://x.test/feed": 60})}, now=T0, window="2024-02-14T08-00")
    assert health.get("a").advertised_interval == 60
    later = health.decide("a", now=minutes(10), window="2024-02-14T08-10")
    assert later.state == "not_due" and "2024-02-14T09:00:00+00:00" in later.why and later.interval == 60
    assert health.decide("a", now=minutes(61), window="2024-02-14T09-01").state == "due"
    # Forced, or a re-run of the window last crawled: due at any time.
    assert health.decide("a", now=minutes(10), window="2024-02-14T08-10", force=True).state == "due"
    assert health.decide("a", now=minutes(10), window="2024-02-14T08-00").state == "due"
    assert "backfill" in health.decide("a", now=minutes(10), window="2024-02-14T07-00").why
    # With a window, the window is the crawl's time, whenever it runs (a retry days later decides alike).
    assert health.decide("a", now=minutes(3 * 24 * 60), window="2024-02-14T08-10").state == "not_due"


def test_the_interval_comes_from_sources_yaml_then_the_feed_then_the_default(tmp_path):
    health = store(tmp_path)
    health.record_crawl({"tanpa": ok(), "ttl-pendek": ok(advertised={"u": 5}), "ttl-panjang": ok(advertised={"u": 10000})},
                        now=T0, window="2024-02-14T08-00")
    assert health.decide("tanpa", now=minutes(13)).state == "not_due"
    assert health.decide("tanpa", now=minutes(14)).state == "due"  # within the slack (10% of 15 min)
    assert health.decide("ttl-pendek", now=minutes(10)).interval == 15  # a feed cannot make us crawl more often
    assert health.decide("ttl-panjang", now=minutes(10)).interval == 360  # nor rarely than every 6 h
    assert health.decide("ttl-panjang", now=minutes(10), configured_interval=5).state == "due"
    assert health.decide("belum-pernah", now=T0).state == "due"


def test_sources_yaml_interval_is_validated(tmp_path):
    def load(value):
        path = tmp_path / "sources.yaml"
        path.write_text(yaml.safe_dump({"sources": [{"id": "a", "name": "A", "platform": "news", "kind": "feed",
                                                     "url": "http://x.test/", "interval": value}]}))
        return load_sources(path)
    assert load(60)[0].interval == 60
    for bad in ("60", 0, 10081, 1.5, True):
        with pytest.raises(SourcesError, match="entry 1 \\(a\\): interval must"):
            load(bad)
    assert load_source_entries(tmp_path / "sources.yaml")[0]["interval"] is None  # lenient reader: default


def test_a_source_that_keeps_failing_is_disabled_then_retried_after_a_doubling_cooldown(tmp_path):
    health = store(tmp_path)
    for n in range(3):
        assert health.decide("a", now=minutes(30 * n)).state == "due"
        row = health.record_crawl({"a": failed()}, now=minutes(30 * n))["a"]
    assert row.failure_score == 3.0 and row.consecutive_failures == 3 and row.times_disabled == 1
    assert row.disabled_until == "2024-02-15T09:00:00+00:00" and row.last_error.startswith("http_404")
    skipped = health.decide("a", now=minutes(90))
    assert skipped.state == "disabled" and "waspada sources enable a" in skipped.why and "http_404" in skipped.why
    # After the cool-down it is tried again; failing again doubles the cool-down (48 h), then caps it (72 h).
    back = minutes(60) + timedelta(hours=24, minutes=1)
    assert health.decide("a", now=back).state == "due"
    row = health.record_crawl({"a": failed()}, now=back)["a"]
    assert row.times_disabled == 2 and row.disabled_until == (back + timedelta(hours=48)).isoformat()
    again = back + timedelta(hours=49)
    row = health.record_crawl({"a": failed()}, now=again)["a"]
    assert row.disabled_until == (again + timedelta(hours=72)).isoformat()


def test_soft_errors_take_longer_and_a_success_halves_the_score(tmp_path):
    health = store(tmp_path)
    for n in range(11):
        row = health.record_crawl({"a": failed("timeout")}, now=minutes(30 * n))["a"]
    assert row.failure_score == 2.75 and not row.disabled_at(minutes(330))
    row = health.record_crawl({"a": ok()}, now=minutes(360))["a"]
    assert row.failure_score == 1.375 and row.consecutive_failures == 0 and row.last_success
    assert row.last_error.startswith("timeout")  # the last error stays visible after a success
    row = health.record_crawl({"a": failed("http_503")}, now=minutes(390))["a"]
    assert row.failure_score == 1.625 and row.consecutive_failures == 1


def test_one_working_url_is_a_success_and_the_failing_one_is_still_reported(tmp_path):
    health = store(tmp_path)
    partial = SourceResult(ok_urls={"u1"}, failures={"u2": ("http_404", "HTTP 404")}, items=4)
    row = health.record_crawl({"a": partial}, now=T0)["a"]
    assert row.failure_score == 0 and row.last_success and row.last_error == "http_404: HTTP 404 (u2)"


def test_enable_and_disable_by_hand(tmp_path):
    health = store(tmp_path)
    for n in range(3):
        health.record_crawl({"a": failed()}, now=minutes(n))
    assert health.get("a").disabled_at(minutes(5))
    row = health.enable("a", now=minutes(5))
    assert not row.disabled_at(minutes(5)) and row.failure_score == 0 and row.times_disabled == 0
    assert health.decide("a", now=minutes(5)).state == "due"
    health.disable("a", now=minutes(6), reason="situs pindah")
    assert health.decide("a", now=minutes(6) + timedelta(days=400)).state == "disabled"
    # A success during a forced crawl does not undo a disabling by hand.
    assert health.record_crawl({"a": ok()}, now=minutes(7))["a"].disabled_by_hand
    health.disable("a", 2, now=minutes(10))
    assert health.decide("a", now=minutes(100)).state == "disabled"
    assert health.decide("a", now=minutes(131)).state == "due"  # two hours later: back by itself
    with pytest.raises(ValueError, match="more than 0"):
        health.disable("a", 0)


def test_since_when_a_source_is_disabled_is_kept_until_it_is_enabled(tmp_path):
    health = store(tmp_path)
    for n in range(3):
        row = health.record_crawl({"a": failed()}, now=minutes(30 * n))["a"]
    assert row.disabled_since == minutes(60).isoformat()  # the crawl that reached the threshold
    # Extending a disabling by hand keeps its start; the status table (and the digest) shows it.
    health.disable("a", now=minutes(90), reason="situs pindah")
    assert health.get("a").disabled_since == minutes(60).isoformat()
    assert health.status(now=minutes(100))[0]["disabled_since"] == minutes(60).isoformat()
    assert health.enable("a", now=minutes(120)).disabled_since is None
    assert health.disable("a", 1, now=minutes(130)).disabled_since == minutes(130).isoformat()
    assert health.status(now=minutes(200))[0]["disabled_since"] is None  # the hour is over


def test_a_store_written_before_disabled_since_gains_the_column(tmp_path):
    import sqlite3

    path = tmp_path / "state" / "source_health.db"
    path.parent.mkdir()
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE source_health (source_id TEXT PRIMARY KEY, last_attempt TEXT, last_window TEXT, "
                   "last_success TEXT, last_error_at TEXT, last_error TEXT, last_error_kind TEXT, "
                   "consecutive_failures INTEGER NOT NULL DEFAULT 0, failure_score REAL NOT NULL DEFAULT 0, "
                   "times_disabled INTEGER NOT NULL DEFAULT 0, disabled_until TEXT, "
                   "disabled_by_hand INTEGER NOT NULL DEFAULT 0, disabled_reason TEXT, advertised_interval INTEGER, "
                   "next_due TEXT, updated TEXT)")
        db.execute("INSERT INTO source_health (source_id, disabled_by_hand, disabled_reason) VALUES ('a', 1, 'lama')")
    db.close()
    health = store(tmp_path)
    assert health.get("a").disabled_by_hand and health.get("a").disabled_since is None
    assert health.disable("b", now=T0).disabled_since == T0.isoformat()


def test_feed_hashes_remember_the_last_window_that_spooled_them(tmp_path):
    health = store(tmp_path)
    health.record_crawl({"a": ok(hashes={"u": "h1"})}, now=T0, window="W1")
    assert health.feed_hashes(["a"])[("a", "u")][:2] == ("h1", "W1")
    # Skipped as unchanged in W2: W2's spool has nothing of it, so the hash stays W1's.
    health.record_crawl({"a": SourceResult(unchanged_urls={"u"})}, now=minutes(30), window="W2")
    assert health.feed_hashes(["a"])[("a", "u")][:2] == ("h1", "W1")
    # Parsed again (a forced crawl) in W3: a re-run of W3 must parse it too.
    health.record_crawl({"a": ok(hashes={"u": "h1"})}, now=minutes(60), window="W3")
    assert health.feed_hashes(["a"])[("a", "u")][:2] == ("h1", "W3")
    # A crawl that did not finish cleanly keeps the old hash: its feeds are parsed again next time.
    health.record_crawl({"a": ok(hashes={"u": "h3"})}, now=minutes(90), window="W4", commit_hashes=False)
    assert health.feed_hashes(["a"])[("a", "u")][0] == "h1"


def test_items_per_day_and_the_status_table(tmp_path):
    health = store(tmp_path)
    now = datetime(2024, 2, 14, 20, 0, tzinfo=timezone.utc)  # 03:00 WIB on the 15th
    health.record_crawl({"a": ok(items=5)}, now=now - timedelta(days=2), window="W1")
    health.record_crawl({"a": ok(items=2)}, now=now, window="W2")
    health.record_crawl({"a": ok(items=1)}, now=now + timedelta(minutes=30), window="W3")
    health.record_crawl({"b": failed("connection_error")}, now=now, window="W2")
    entries = [{"id": "a", "name": "A", "platform": "news", "kind": "feed", "enabled": True, "interval": None},
               {"id": "c", "name": "C", "platform": "news", "kind": "feed", "enabled": False, "interval": None}]
    rows = {r["id"]: r for r in health.status(entries, now=now + timedelta(hours=1))}
    assert list(rows) == ["a", "c", "b"]  # the sources file's order, then what only the store knows
    assert list(rows["a"]["items_per_day"].items())[-3:] == [("2024-02-13", 5), ("2024-02-14", 0), ("2024-02-15", 3)]
    assert rows["a"]["items_7d"] == 8 and rows["a"]["last_success"] == "2024-02-14T20:30:00+00:00"
    assert rows["b"]["last_error"].startswith("connection_error") and rows["b"]["failure_score"] == 1.0
    assert rows["b"]["in_sources_file"] is False
    assert rows["c"]["state"] == "off in sources file" and rows["c"]["disabled"]


def test_the_store_module_stays_light():
    """Crawlers and the CLI/web app both import it: standard library only (PyYAML lazily)."""
    import sys
    # opsdb (the shared SQLite opening) and wib (the WIB timezone) are standard library only too.
    for name in ("sources/__init__.py", "sources/health.py", "sources/store.py", "opsdb.py", "wib.py"):
        tree = ast.parse((REPO / "waspada" / name).read_text(encoding="utf-8"))
        top_level = set()
        for node in tree.body:
            if isinstance(node, ast.Import):
                top_level |= {a.name for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module:
                top_level.add(node.module)
        allowed = {m for m in top_level if m.split(".")[0] in sys.stdlib_module_names or m == "__future__"}
        light = {"waspada.opsdb", "waspada.wib", "waspada.sources.health"}
        assert top_level - allowed <= light, (name, top_level - allowed)


def _open_store(path: str) -> None:
    from waspada.sources.store import HealthStore
    HealthStore(path)


def test_processes_opening_a_new_store_together_do_not_lock_each_other_out(tmp_path):
    """The feed and article spiders start at once and both create the store: switching a new
    file to WAL used to fail one of them at once with 'database is locked'."""
    import multiprocessing

    ctx = multiprocessing.get_context("fork")
    for round_ in range(5):
        path = str(tmp_path / f"round{round_}" / "source_health.db")
        procs = [ctx.Process(target=_open_store, args=(path,)) for _ in range(6)]
        for p in procs:
            p.start()
        for p in procs:
            p.join(60)
        assert [p.exitcode for p in procs] == [0] * 6, f"round {round_}: {[p.exitcode for p in procs]}"
