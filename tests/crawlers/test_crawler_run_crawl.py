"""run_crawl's contract: arguments checked up front, a bounded wait, clean files after a stop."""
from __future__ import annotations

import pytest
import yaml

from waspada.crawl import CrawlError, run_crawl


def sources_file(tmp_path, entries):
    path = tmp_path / "sources.yaml"
    path.write_text(yaml.safe_dump({"sources": entries}), encoding="utf-8")
    return path


def test_bad_arguments_fail_before_any_process(tmp_path):
    path = sources_file(tmp_path, [{"id": "a", "name": "A", "platform": "news", "kind": "feed",
                                    "url": "http://127.0.0.1:9/feed", "group": "g"}])
    with pytest.raises(ValueError, match="YYYY-MM-DDTHH-MM"):
        run_crawl(path, spool_dir=tmp_path, window="kemarin")
    with pytest.raises(ValueError, match="group 'nope'"):
        run_crawl(path, spool_dir=tmp_path, window="2024-02-14T08-00", group="nope")
    with pytest.raises(ValueError, match="does not exist"):
        run_crawl(tmp_path / "missing.yaml", spool_dir=tmp_path, window="2024-02-14T08-00")


def test_nothing_selected_is_an_empty_report(tmp_path):
    path = sources_file(tmp_path, [{"id": "a", "name": "A", "platform": "news", "kind": "feed",
                                    "url": "http://127.0.0.1:9/feed", "enabled": False}])
    report = run_crawl(path, spool_dir=tmp_path / "spool", window="2024-02-14T08-00")
    assert report["items_written"] == 0 and report["spiders"] == {}


def test_crawl_past_its_timeout_is_stopped_and_leaves_complete_files(mock_server, tmp_path):
    path = sources_file(tmp_path, [{"id": "lambat", "name": "Lambat", "platform": "news", "kind": "feed",
                                    "url": mock_server.url("/feeds/nasional.xml"), "follow": True}])
    # The hanging endpoint outlasts the 8 s budget; the page fetches before it do not.
    with pytest.raises(CrawlError, match="ran past timeout=8s") as info:
        run_crawl(path, spool_dir=tmp_path / "spool", window="2024-02-14T08-00", polite=False, timeout=8,
                  env={"WASPADA_CRAWL_TIMEOUT": "10", "WASPADA_DATA_DIR": str(tmp_path / "data")})
    assert "WASPADA_CRAWL_RUN_TIMEOUT" in str(info.value)
    assert not list((tmp_path / "spool").rglob("*.part"))
    # SIGINT let Scrapy close the spider: what was fetched before the stop is kept.
    assert (tmp_path / "spool" / "lambat" / "2024-02-14T08-00.jsonl").exists()


def test_second_crawl_revalidates_with_conditional_get(mock_server, tmp_path):
    path = sources_file(tmp_path, [{"id": "ulang", "name": "Ulang", "platform": "news", "kind": "feed",
                                    "url": mock_server.url("/feeds/dup-a.xml")}])
    env = {"WASPADA_DATA_DIR": str(tmp_path / "data")}  # one HTTP cache for both runs
    first = run_crawl(path, spool_dir=tmp_path / "spool", window="2024-02-14T08-00", polite=False, timeout=60, env=env)
    second = run_crawl(path, spool_dir=tmp_path / "spool", window="2024-02-14T08-00", polite=False, timeout=60, env=env)
    assert first["spiders"]["feed"]["http_cache"]["revalidate"] == 0
    assert second["spiders"]["feed"]["http_cache"]["revalidate"] == 1  # If-None-Match answered 304
    assert mock_server.hits.count("/feeds/dup-a.xml") >= 2
    assert second["items_written"] == first["items_written"] == 3  # the cached body was still read
    assert not list((tmp_path / "spool").rglob("*.part"))


def test_a_bad_sources_entry_fails_with_the_spiders_message(tmp_path):
    path = sources_file(tmp_path, [{"id": "a", "name": "A", "platform": "news", "kind": "feed", "url": "ftp://x.test/"}])
    with pytest.raises(CrawlError, match=r"exited with status 1 .*absolute http\(s\)"):
        run_crawl(path, spool_dir=tmp_path / "spool", window="2024-02-14T08-00", polite=False, timeout=60)
