"""What every Waspada spider shares: spider arguments, source selection, skips and errbacks.

Spider arguments (``-a name=value``):

* ``sources``: path of the sources YAML (default: setting WASPADA_SOURCES_PATH)
* ``group`` or ``source``: crawl one group, or one source id, instead of every enabled source
* ``window``: the crawl's time window, ``YYYY-MM-DDTHH-MM``, naming the spool file (default: this UTC hour)
"""
from __future__ import annotations

from scrapy import Request, Spider
from scrapy.exceptions import CloseSpider

from crawlers.charset import decode_body
from crawlers.skips import classify_failure, record_skip
from crawlers.sources import SourcesError, load_sources, select_sources
from crawlers.window import check_window
from waspada import config


class WaspadaSpider(Spider):
    #: Source ``kind`` this spider crawls; subclasses set it to their name.
    kind = ""

    def __init__(self, sources: str | None = None, group: str | None = None, source: str | None = None,
                 window: str | None = None, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if group and source:
            raise ValueError(f"give group={group!r} or source={source!r}, not both")
        self.sources_path = sources or str(config.get("SOURCES_PATH"))
        self.group = group or None
        self.source_id = source or None
        self.window = check_window(window)
        try:
            self.sources = select_sources(load_sources(self.sources_path), kind=self.kind,
                                          group=self.group, source=self.source_id)
        except SourcesError as exc:
            raise ValueError(str(exc)) from None

    @property
    def scope(self) -> str:
        """Names the stats file: the source id, the group, or ``all``."""
        return self.source_id or self.group or "all"

    async def start(self):
        if not self.sources:
            self.logger.warning("No enabled %s sources selected from %s (group=%s, source=%s); nothing to crawl",
                                self.kind, self.sources_path, self.group, self.source_id)
            raise CloseSpider("no_sources")
        for source in self.sources:
            for url in source.urls:
                self.crawler.stats.inc_value("waspada/start_urls")
                # Listed URLs are crawled even when two sources share one (the dupefilter would drop it).
                yield self.request(url, self.parse_source_url, source, dont_filter=True)

    def parse_source_url(self, response, source):
        """Callback for each URL listed in a source entry."""
        raise NotImplementedError

    def request(self, url: str, callback, source, dont_filter: bool = False, **cb_kwargs) -> Request:
        """A request whose every failure ends as a counted skip, never a traceback."""
        return Request(url, callback=callback, errback=self.on_error, dont_filter=dont_filter,
                       cb_kwargs={"source": source, **cb_kwargs}, meta={"waspada_source": source.id})

    def on_error(self, failure):
        reason, detail = classify_failure(failure)
        request = failure.request
        record_skip(self.crawler, reason, request.url, f"source {request.meta.get('waspada_source')}: {detail}")

    def skip(self, reason: str, url: str, detail: str = "") -> None:
        record_skip(self.crawler, reason, url, detail)

    def page_fetched(self, response) -> None:
        self.crawler.stats.inc_value("waspada/pages_fetched")

    @staticmethod
    def text_of(response) -> str:
        """The body as text, surviving wrong and missing charsets (see crawlers.charset)."""
        return decode_body(response.body, response.headers.get(b"Content-Type"))[0]
