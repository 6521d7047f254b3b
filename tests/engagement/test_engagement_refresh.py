"""Engagement refresh end to end: flagged social posts in a real index (SQLite and the real
Elasticsearch), their counts fetched again from the mock server's saved platform answers by a real
``scrapy crawl engagement`` subprocess, and written back as partial updates.

Covered: new counts on every platform (Mastodon, Telegram, Reddit, YouTube), deleted posts
recorded (404, a removed Reddit post, a Telegram message missing from its channel) and kept, a
429 with Retry-After waited out, a 5xx failing only its own post, a video that left its feed, and
posts that must not be fetched at all (first seen before the window, not flagged, not social).
"""
from __future__ import annotations

from datetime import timedelta

import pytest

from conftest_helpers import BACKENDS, backend_index
from tests.engagement.engagement_helpers import NOW, posts, write_sources
from waspada.engagement.refresh import refresh_engagement, select_posts
from waspada.index import SearchQuery, open_index
from waspada.index.common import severity


@pytest.fixture(params=BACKENDS)
def index(request, tmp_path):
    with backend_index(request, tmp_path / "waspada.db", "waspada-engagement") as idx:
        yield idx


@pytest.fixture
def seeded(index, mock_server, tmp_path, monkeypatch):
    monkeypatch.setenv("WASPADA_DATA_DIR", str(tmp_path / "data"))
    for name in ("WASPADA_STATE_DIR", "WASPADA_SPOOL_DIR", "WASPADA_ENGAGEMENT_REFRESH_HOURS",
                 "WASPADA_ENGAGEMENT_REFRESH_MAX_ITEMS"):
        monkeypatch.delenv(name, raising=False)
    sources = write_sources(tmp_path / "sources.yaml", mock_server.base_url)
    docs = posts(mock_server.base_url)
    assert index.upsert(docs.values()).failed == []
    index.refresh()
    return index, {name: doc["waspada"]["id"] for name, doc in docs.items()}, sources


def refresh(index, sources, **kwargs):
    return refresh_engagement(index, now=NOW, sources_path=sources, polite=False, timeout=120,
                              env={"WASPADA_CRAWL_TIMEOUT": "5", "WASPADA_CRAWL_MAX_RETRY_AFTER": "5"}, **kwargs)


def engagement(index, ids, name) -> dict:
    return index.get(ids[name])["waspada"]["engagement"]


def test_counts_are_refreshed_and_deleted_posts_marked_on_both_backends(seeded, mock_server):
    index, ids, sources = seeded
    busy_before = mock_server.hits.count("/api/v1/statuses/103")
    severity_before = severity(index.get(ids["m105"]))

    report = refresh(index, sources)

    assert report.selected == 12 and report.problem is None
    assert report.refreshed == 6 and report.changed == 6
    assert report.deleted == 4
    assert dict(report.unavailable) == {"not_in_feed": 1} and dict(report.failed) == {"http_500": 1}
    # New counts, only those the platform shows; the others are kept.
    assert engagement(index, ids, "m105") | {"refreshed_at": None} == {
        "likes": 40, "shares": 9, "replies": 6, "views": 0, "refreshed_at": None}
    assert engagement(index, ids, "m105")["refreshed_at"]
    assert severity(index.get(ids["m105"])) > severity_before  # more reach, more severe
    assert engagement(index, ids, "m103")["likes"] == 25  # behind a 429: waited out, then read
    assert mock_server.hits.count("/api/v1/statuses/103") - busy_before == 2
    assert engagement(index, ids, "t201")["views"] == 2500 and engagement(index, ids, "t203")["views"] == 900
    assert engagement(index, ids, "r-x9k") | {"refreshed_at": None} == {
        "likes": 310, "shares": 0, "replies": 120, "views": 0, "refreshed_at": None}
    assert engagement(index, ids, "y-live")["views"] == 91234 and engagement(index, ids, "y-live")["likes"] == 2100
    # Deleted posts are marked, never removed: the evidence stays.
    for name, reason in (("m104", "http_404"), ("t202", "missing"), ("t150", "missing"), ("r-w2a", "removed")):
        doc = index.get(ids[name])
        assert doc["waspada"]["post"]["deleted_reason"].startswith(reason), (name, doc["waspada"]["post"])
        assert doc["waspada"]["post"]["deleted_at"] and doc["text"].startswith(f"Pos {name}")
    # Failures and the unavailable video change nothing.
    for name, likes in (("m101", 7), ("y-gone", 310)):
        assert engagement(index, ids, name)["likes"] == likes and "refreshed_at" not in engagement(index, ids, name)
    # Not fetched at all: first seen before the window, not flagged.
    assert "/api/v1/statuses/102" not in mock_server.hits and "/api/v1/statuses/106" not in mock_server.hits
    assert engagement(index, ids, "m102-old") == {"likes": 2, "shares": 0, "replies": 0, "views": 0}
    # Searches see the new counts (Elasticsearch was refreshed once, at the end).
    hits = index.search(SearchQuery(platforms=("telegram",), sort="severity", size=10)).hits
    assert hits[0].id == ids["t201"] and hits[0].doc["waspada"]["engagement"]["views"] == 2500

    # The next run fetches neither the deleted posts nor, past the window, anything.
    again = refresh(index, sources)
    assert again.selected == 8 and again.deleted == 0 and again.refreshed == 6 and again.changed == 0
    later = refresh_engagement(index, now=NOW + timedelta(hours=73), sources_path=sources)
    assert later.selected == 0 and later.log_path is None


def test_selection_is_bounded_never_refreshed_first(seeded):
    index, ids, _ = seeded
    index.update(ids["m105"], {"waspada": {"engagement": {"refreshed_at": "2024-02-14T11:00:00+00:00"}}})
    index.refresh()
    jobs = select_posts(index, now=NOW, hours=72, limit=11)
    assert len(jobs) == 11 and ids["m105"] not in {job["id"] for job in jobs}
    assert select_posts(index, now=NOW, hours=72, limit=50)[-1]["id"] == ids["m105"]
    # A shorter window leaves out what was first seen before it.
    assert select_posts(index, now=NOW, hours=1, limit=100) == []
    job = next(j for j in select_posts(index, now=NOW, hours=3, limit=100) if j["id"] == ids["t201"])
    assert job == {"id": ids["t201"], "platform": "telegram", "source_id": "telegram-uji",
                   "url": job["url"], "canonical_url": job["canonical_url"]} and job["url"].endswith("/segar/201")


def test_bad_limits_name_the_setting(seeded):
    index, _, sources = seeded
    with pytest.raises(ValueError, match="WASPADA_ENGAGEMENT_REFRESH_HOURS"):
        refresh_engagement(index, now=NOW, hours=0, sources_path=sources)
    with pytest.raises(ValueError, match="WASPADA_ENGAGEMENT_REFRESH_MAX_ITEMS"):
        refresh_engagement(index, now=NOW, max_items=0, sources_path=sources)



def test_the_cli_refreshes_posts_seen_in_the_last_hours(mock_server, tmp_path, monkeypatch):
    import json
    from datetime import datetime, timezone

    from click.testing import CliRunner

    from waspada.cli import main

    for name, value in {"WASPADA_DATA_DIR": str(tmp_path / "data"), "WASPADA_CRAWL_POLITE": "false",
                        "WASPADA_CRAWL_TIMEOUT": "5", "WASPADA_INDEX_BACKEND": "sqlite"}.items():
        monkeypatch.setenv(name, value)
    for name in ("WASPADA_STATE_DIR", "WASPADA_SPOOL_DIR", "WASPADA_SQLITE_PATH", "WASPADA_ENGAGEMENT_REFRESH_HOURS"):
        monkeypatch.delenv(name, raising=False)
    docs = posts(mock_server.base_url, now=datetime.now(timezone.utc))  # first seen two hours ago
    index = open_index("sqlite")
    index.upsert(docs.values())
    index.close()
    sources = write_sources(tmp_path / "sources.yaml", mock_server.base_url)

    result = CliRunner().invoke(main, ["engagement", "refresh", "--sources", str(sources), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert (report["selected"], report["refreshed"], report["deleted"]) == (12, 6, 4)
    assert report["failed"] == {"http_500": 1} and report["log"].endswith("refresh.log")

    bad = CliRunner().invoke(main, ["engagement", "refresh", "--hours", "0"])
    assert bad.exit_code == 2 and "--hours" in bad.output
