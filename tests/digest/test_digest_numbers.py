"""The digest's numbers on both backends, checked exactly against a fixed fortnight of posts
(digest_helpers.seed_documents): the WIB day boundary, every breakdown against the seven-day
average, the 14-day trend, the top items by severity, alerts, investigations and failed crawls."""
from __future__ import annotations

import pytest

from digest_helpers import DAY, seed_operations, write_crawl_reports
from waspada import config
from waspada.digest import build_digest, parse_day
from waspada.digest.period import yesterday_wib


def rows(digest, name):
    return [(r["key"], r["day"], r["avg7"], r["change"], r["change_pct"]) for r in digest["breakdowns"][name]]


@pytest.fixture
def built(seeded, data):
    index, docs = seeded
    seed_operations(config.get("WEB_DB"))
    write_crawl_reports(config.get("SPOOL_DIR"))
    result = build_digest(parse_day(DAY), index=index, backend=index.backend_name)
    return result, docs


def test_totals_and_day_boundary(built):
    result, _ = built
    d = result.digest
    assert d["window"] == {"start": "2024-02-09T17:00:00+00:00", "end": "2024-02-10T17:00:00+00:00"}
    assert d["baseline"] == {"start": "2024-02-02T17:00:00+00:00", "end": "2024-02-09T17:00:00+00:00", "days": 7}
    # A (17:00:00 UTC the evening before), B (16:59 UTC), C, D; not E (17:00 UTC, the next day) nor
    # F (16:59:59 UTC the evening before, which counts in the baseline).
    assert d["total"] == {"day": 4, "avg7": 1.29, "change": 2.71, "change_pct": 211.1}
    assert d["no_data"] is False


def test_breakdowns_against_the_seven_day_average(built):
    d = built[0].digest
    assert rows(d, "label") == [("hoax", 3, 1.14, 1.86, 162.5), ("provocation", 2, 0.14, 1.86, 1300.0)]
    assert [r["name"] for r in d["breakdowns"]["label"]] == ["Hoaks", "Provokasi"]
    assert rows(d, "platform") == [("telegram", 2, 1.0, 1.0, 100.0), ("news", 1, 0.29, 0.71, 250.0),
                                   ("mastodon", 1, 0.0, 1.0, None)]
    # A source silent on the day keeps a row: it had posts in the week before.
    assert rows(d, "source") == [("kanal-a", 2, 1.0, 1.0, 100.0), ("portal-b", 1, 0.14, 0.86, 600.0),
                                 ("akun-c", 1, 0.0, 1.0, None), ("sepi", 0, 0.14, -0.14, -100.0)]
    assert {r["key"]: r["name"] for r in d["breakdowns"]["source"]}["kanal-a"] == "Sumber kanal-a"
    assert rows(d, "region") == [("Aceh", 2, 1.0, 1.0, 100.0), ("Papua", 1, 0.14, 0.86, 600.0),
                                 ("Jawa Barat", 1, 0.0, 1.0, None), ("Bali", 0, 0.14, -0.14, -100.0)]


def test_fourteen_day_trend(built):
    trend = built[0].digest["trend"]
    assert trend["days"][0] == "2024-01-28" and trend["days"][-1] == DAY and len(trend["days"]) == 14
    assert trend["labels"]["hoax"] == [0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 2, 1, 3]
    assert trend["labels"]["provocation"] == [0] * 12 + [1, 2]
    assert trend["total"] == [0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 2, 2, 4]


def test_top_items_by_severity(built):
    result, docs = built
    top = result.digest["top_items"]
    # C's reach (100 000 views) outranks A's and D's higher scores; D was seen by nobody.
    assert [item["id"] for item in top] == [docs[k]["waspada"]["id"] for k in ("C", "A", "B", "D")]
    first = top[0]
    assert first["link"] == f"https://waspada.example/item/{docs['C']['waspada']['id']}"
    assert first["reach"] == 100_000 and first["scores"] == {"hoax": 0.7, "provocation": 0.7}
    assert first["source_id"] == "kanal-a" and first["platform"] == "telegram"
    assert first["severity"] == pytest.approx(4.2, abs=0.001)
    assert first["title"].startswith("<script>")  # raw in the JSON; escaped in the HTML (test_digest_render)


def test_alerts_investigations_and_failed_sources(built):
    d = built[0].digest
    assert [a["key"] for a in d["alerts"]] == ["Wilayah 0", "Wilayah 1"]  # fired at 17:00:00 and 16:59:59 UTC
    assert [i["title"] for i in d["investigations"]["opened"]] == ["Dibuka pada hari itu"]
    assert [i["title"] for i in d["investigations"]["closed"]] == ["Dibuka sehari sebelumnya"]
    assert d["investigations"]["opened"][0]["link"] == "https://waspada.example/investigations/1"

    failed = {(f["report"], f["spider"]): f for f in d["failed_sources"]}
    assert set(failed) == {("grup-a-2024-02-10T01-00.json", "feed"), ("rusak-2024-02-10T03-00.json", "-"),
                           ("portal-z-2024-02-10T05-00.json", "feed")}
    fetch = failed[("grup-a-2024-02-10T01-00.json", "feed")]
    assert fetch["reasons"] == {"http_503": 2, "timeout": 1}  # "duplicate" is not a failure
    # The feed URL names its source, a host used by one source names it, an unknown host is shown.
    assert fetch["sources"] == ["kanal-x", "portal-b", "tak-dikenal.example"]
    assert fetch["finish_reason"] == "finished" and "http_503 ×2" in fetch["why"]
    stopped = failed[("portal-z-2024-02-10T05-00.json", "feed")]
    assert stopped["sources"] == ["portal-z"] and "shutdown" in stopped["why"] and "1 error" in stopped["why"]
    assert failed[("rusak-2024-02-10T03-00.json", "-")]["sources"] == ["rusak"]
    assert d["headline"] == {"flagged": 4, "avg7": 1.29, "alerts": 2, "investigations_opened": 1,
                             "investigations_closed": 1, "failed_sources": 5, "dark_sources": 0,
                            "debunked_claims_circulating": 0, "cyber_threats": 0, "lookalike_domains": 0}


def test_archived_json_holds_the_same_numbers(built):
    from digest_helpers import read_json

    result, _ = built
    assert result.folder == config.get("DIGEST_DIR") / "2024" / DAY
    on_disk = read_json(result.folder / "digest.json")
    assert on_disk["total"] == result.digest["total"]
    assert on_disk["breakdowns"] == result.digest["breakdowns"]
    assert on_disk["charts"] == {"trend": "tren-14-hari.png", "platforms": "platform.png"}


def test_default_day_is_yesterday_in_wib():
    from datetime import datetime, timezone

    # 16:59 UTC on the 10th is 23:59 WIB on the 10th: yesterday is the 9th; a minute later it is the 10th.
    assert yesterday_wib(datetime(2024, 2, 10, 16, 59, tzinfo=timezone.utc)).iso == "2024-02-09"
    assert yesterday_wib(datetime(2024, 2, 10, 17, 0, tzinfo=timezone.utc)).iso == "2024-02-10"
