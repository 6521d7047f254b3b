"""Social crawling components on their own: state commits, rate-limit headers, counts, sources."""
from __future__ import annotations

import asyncio
import time

import pytest
import yaml
from scrapy.http import Headers, Request, Response
from scrapy.utils.test import get_crawler

from crawlers.crawl_state import CrawlState
from crawlers.middlewares.rate_limit import RateLimitMiddleware, reset_wait, retry_after
from crawlers.skips import SkipResponse
from crawlers.sources import SourcesError, load_sources
from crawlers.spiders.telegram import parse_count


def test_state_is_only_what_was_committed(tmp_path):
    state = CrawlState(tmp_path)
    state.advance("tg", "https://t.me/s/kpu", 120)
    state.advance("tg", "https://t.me/s/kpu", 118)  # older posts never move the position back
    # A crash before commit: a fresh process sees nothing, so the next run redoes the whole crawl.
    assert CrawlState(tmp_path).position("tg", "https://t.me/s/kpu") is None
    assert state.commit() == [tmp_path / "tg.json"]
    assert CrawlState(tmp_path).position("tg", "https://t.me/s/kpu") == 120


def test_a_stream_whose_paging_failed_keeps_its_old_position(tmp_path):
    state = CrawlState(tmp_path)
    state.advance("m", "a", 10)
    state.advance("m", "b", 20)
    state.hold("m", "b")  # page 2 of stream b failed: its page 1 posts come again next run
    state.advance("m", "b", 30)
    state.commit()
    fresh = CrawlState(tmp_path)
    assert (fresh.position("m", "a"), fresh.position("m", "b")) == (10, None)


def test_damaged_state_file_means_a_full_crawl_not_a_crash(tmp_path, caplog):
    (tmp_path / "tg.json").write_text("{not json", encoding="utf-8")
    assert CrawlState(tmp_path).position("tg", "https://t.me/s/kpu") is None
    assert "crawling source tg from scratch" in caplog.text


@pytest.mark.parametrize("shown, count", [("987", 987), ("1.2K", 1200), ("12.5K", 12500), ("3,4M", 3_400_000),
                                          ("1,234", 1234), ("", None), ("banyak", None)])
def test_telegram_view_counts(shown, count):
    assert parse_count(shown) == count


def test_rate_limit_headers():
    assert retry_after(Headers({"Retry-After": "7"})) == 7
    assert retry_after(Headers({})) is None
    assert 8 <= reset_wait(Headers({"X-RateLimit-Reset": str(time.time() + 10)})) <= 10  # epoch seconds
    assert reset_wait(Headers({"X-RateLimit-Reset": "420"})) == 420  # Reddit: seconds from now
    assert reset_wait(Headers({"X-RateLimit-Reset": "2000-01-01T00:00:00.000Z"})) == 0  # Mastodon: ISO time


def test_long_429_stops_the_source_for_this_crawl():
    crawler = get_crawler(settings_dict={"WASPADA_MAX_RETRY_AFTER": 30})
    crawler.stats.open_spider()
    middleware = RateLimitMiddleware.from_crawler(crawler)
    request = Request("https://mastodon.social/api/v1/timelines/tag/pemilu2024", meta={"waspada_source": "m"})
    with pytest.raises(SkipResponse, match="3600 s, more than WASPADA_CRAWL_MAX_RETRY_AFTER=30"):
        asyncio.run(middleware.process_response(request, Response(request.url, status=429, headers={"Retry-After": "3600"})))
    with pytest.raises(SkipResponse, match="not fetched"):
        asyncio.run(middleware.process_request(request.replace(url=request.url + "?max_id=1")))


@pytest.mark.parametrize("entry, message", [
    ({"kind": "mastodon", "url": "https://mastodon.social/tags/pemilu2024"}, "/api/v1/timelines/tag/pemilu2024"),
    ({"kind": "telegram", "url": "https://t.me/kpu_ri"}, "https://t.me/s/<channel>"),
    ({"kind": "reddit", "url": "https://www.reddit.com/r/indonesia/"}, "new.json"),
    ({"kind": "reddit", "url": "https://www.reddit.com/r/indonesia/new.json", "max_pages": 0}, "max_pages"),
])
def test_social_source_entries_are_checked(tmp_path, entry, message):
    path = tmp_path / "sources.yaml"
    path.write_text(yaml.safe_dump({"sources": [{"id": "x", "name": "X", "platform": entry["kind"], **entry}]}))
    with pytest.raises(SourcesError, match=message.replace("?", r"\?").replace(".", r"\.")):
        load_sources(path)


@pytest.mark.parametrize("reason, committed", [("finished", 42), ("shutdown", None), ("cancelled", None)])
def test_state_is_committed_only_when_the_crawl_closes_cleanly(tmp_path, reason, committed):
    from crawlers.spiders.mastodon import MastodonSpider

    url = "https://mastodon.social/api/v1/timelines/tag/pemilu2024?limit=40"
    sources = tmp_path / "sources.yaml"
    sources.write_text(yaml.safe_dump({"sources": [{"id": "m", "name": "M", "platform": "mastodon",
                                                    "kind": "mastodon", "url": url}]}))
    crawler = get_crawler(MastodonSpider, settings_dict={"WASPADA_STATE_DIR": str(tmp_path / "state")})
    spider = MastodonSpider.from_crawler(crawler, sources=str(sources))
    crawler.stats.open_spider()
    assert spider.is_new(spider.sources[0], url, 42)
    spider.closed(reason)  # "shutdown": SIGINT at the run timeout; a crash never reaches closed()
    assert CrawlState(tmp_path / "state").position("m", url) == committed


@pytest.mark.parametrize("url, api", [
    ("https://mastodon.social/@kpu/1123", "https://mastodon.social/api/v1/statuses/1123"),
    ("https://mastodon.social/@warga@kolektiva.social/77/", "https://mastodon.social/api/v1/statuses/77"),
    ("https://kolektiva.social/users/warga/statuses/88", "https://kolektiva.social/api/v1/statuses/88"),
    ("https://misskey.example/notes/9abc", None),  # another fediverse server: not guessed at
    ("https://mastodon.social/@kpu", None),
])
def test_the_engagement_refresh_finds_a_status_api_from_its_address(url, api):
    from crawlers.spiders.mastodon import status_api_url
    assert status_api_url(url) == api


def test_the_engagement_refresh_finds_reddit_and_telegram_pages_from_post_links():
    from crawlers.spiders.reddit import post_json_url
    from crawlers.spiders.telegram import message_link, preview_before_url

    assert (post_json_url("https://www.reddit.com/r/indonesia/comments/1ar5x9k/slug/?utm_source=x")
            == "https://www.reddit.com/r/indonesia/comments/1ar5x9k/slug.json")
    assert post_json_url("https://www.reddit.com/r/indonesia/") is None
    assert message_link("https://t.me/kpu_ri/1042") == ("kpu_ri", 1042)
    assert message_link("https://t.me/s/kpu_ri") is None
    assert preview_before_url("https://t.me/kpu_ri/1042", 1043) == "https://t.me/s/kpu_ri?before=1043"
    with pytest.raises(ValueError, match="not a Telegram message link"):
        preview_before_url("https://t.me/kpu_ri", 2)
