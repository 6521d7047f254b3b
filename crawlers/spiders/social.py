"""What the social spiders (Mastodon, Telegram, Reddit) share: paging back, and incremental state.

Each listed URL of a source is a *stream* read newest first. The spider follows it back page by
page, at most ``max_pages`` pages (the source's ``max_pages``, else setting CRAWL_SOCIAL_MAX_PAGES),
and stops early when it reaches the newest post committed by an earlier crawl (see
``crawlers.crawl_state``): posts at or below that position are counted as
``waspada/social/already_seen`` and not written again. Positions are committed only when the spider
closes with reason ``finished``, so a crashed or stopped crawl is redone from the last good state;
a stream whose paging failed part-way (an error on any of its pages) keeps its old position too.
"""
from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from crawlers.crawl_state import CrawlState
from crawlers.spiders.base import WaspadaSpider
from waspada.schema import SchemaError, parse_time


class SocialSpider(WaspadaSpider):
    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.state = CrawlState(crawler.settings["WASPADA_STATE_DIR"])
        spider.default_max_pages = crawler.settings.getint("WASPADA_SOCIAL_MAX_PAGES", 3)
        return spider

    async def start(self):
        async for request in super().start():
            # Every listed URL starts a stream; its first page carries the stream's name.
            request.cb_kwargs.update(stream=request.url, page=1)
            request = request.replace(url=self.first_page_url(request.url, request.cb_kwargs["source"]))
            yield request

    def first_page_url(self, stream: str, source) -> str:
        """The URL of a stream's first page; platforms that filter by the last position add it here."""
        return stream

    def parse_source_url(self, response, source, stream=None, page=1):
        yield from self.parse_page(response, source, stream or response.url, page)

    def parse_page(self, response, source, stream: str, page: int):
        """Yield the page's items and, while allowed, the request for the next (older) page."""
        raise NotImplementedError

    def committed(self, source, stream: str) -> int | None:
        return self.state.position(source.id, stream)

    def is_new(self, source, stream: str, position: int) -> bool:
        """True for a post newer than the committed position (and notes it for the next commit)."""
        last = self.committed(source, stream)
        if last is not None and position <= last:
            self.crawler.stats.inc_value("waspada/social/already_seen")
            return False
        self.state.advance(source.id, stream, position)
        return True

    def next_page(self, source, stream: str, page: int, url: str | None, reached_known: bool):
        """The request for page ``page + 1`` at ``url``, or None at the end, the limit, or known posts."""
        if not url or reached_known:
            return None
        limit = source.max_pages or self.default_max_pages
        if page >= limit:
            self.crawler.stats.inc_value("waspada/social/page_limit_reached")
            self.logger.info("Source %s: stopped paging %s at the page limit (%d); raise max_pages to go further back",
                             source.id, stream, limit)
            return None
        return self.request(url, self.parse_source_url, source, dont_filter=True, stream=stream, page=page + 1)

    def on_error(self, failure):
        super().on_error(failure)
        kwargs = failure.request.cb_kwargs
        if "stream" in kwargs:
            self.state.hold(kwargs["source"].id, kwargs["stream"])

    def closed(self, reason):
        if reason != "finished":
            self.logger.warning("Crawl ended with reason %r; crawl state not committed, the next run "
                                "starts from the last committed positions", reason)
            return
        for path in self.state.commit():
            self.logger.info("Committed crawl state %s", path)


def with_query(url: str, **params: str | None) -> str:
    """``url`` with query parameters set (or removed, for None)."""
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query, keep_blank_values=True))
    for key, value in params.items():
        if value is None:
            query.pop(key, None)
        else:
            query[key] = value
    return urlunsplit(parts._replace(query=urlencode(query)))


def iso_time(value: str | None) -> str | None:
    """A platform timestamp as ISO 8601 with an offset; None when missing or unreadable."""
    if not value:
        return None
    try:
        return parse_time(value).isoformat(timespec="seconds")
    except SchemaError:
        return None


def count(value) -> int:
    """An engagement count from an API field; 0 when missing or not a number (never a crash)."""
    try:
        return max(0, int(value or 0))
    except (TypeError, ValueError):
        return 0
