"""What every Waspada spider shares: spider arguments, source selection, skips and errbacks.

Spider arguments (``-a name=value``):

* ``sources``: path of the sources YAML (default: setting WASPADA_SOURCES_PATH)
* ``group`` or ``source``: crawl one group, or one source id, instead of every enabled source
* ``window``: the crawl's time window, ``YYYY-MM-DDTHH-MM``, naming the spool file (default: this UTC hour)
* ``force``: ``true`` crawls every selected source, ignoring schedules, cool-downs and feed hashes
* ``now``: ISO 8601 time the crawl takes as "now" for cool-downs and the times source health
  records (tests); schedules compare windows (see ``waspada.sources``)

Source health (``waspada.sources``): at start the selected sources that are not due or are
disabled are dropped, one log line each, counted as ``waspada/schedule/not_due`` and
``waspada/schedule/disabled``. Every fetch of a URL listed in a source (and, for social sources,
its older pages) ends as a success or a failure of that source: an errback, or a page-level skip
(``PAGE_SKIP_REASONS``) on a page that yielded nothing. ``SourceHealthExtension`` records them
when the spider closes.
"""
from __future__ import annotations

from pathlib import Path

from scrapy import Request, Spider
from scrapy.exceptions import CloseSpider

from crawlers.charset import decode_body
from crawlers.skips import classify_failure, record_skip
from crawlers.sources import SourcesError, load_sources, select_sources
from crawlers.window import check_window
from waspada import config
from waspada.sources.health import CrawlTracker, HealthSettings, parse_moment, utcnow
from waspada.sources.store import HealthStore

#: Skips that, on a listed page that yielded nothing, mean the source itself failed this crawl.
PAGE_SKIP_REASONS = frozenset({"malformed_feed", "empty_feed", "empty_channel", "changed_markup", "no_text"})


class WaspadaSpider(Spider):
    #: Source ``kind`` this spider crawls; subclasses set it to their name.
    kind = ""

    def __init__(self, sources: str | None = None, group: str | None = None, source: str | None = None,
                 window: str | None = None, force: str | bool | None = None, now: str | None = None,
                 *args, **kwargs):
        super().__init__(*args, **kwargs)
        if group and source:
            raise ValueError(f"give group={group!r} or source={source!r}, not both")
        self.sources_path = sources or str(config.get("SOURCES_PATH"))
        self.group = group or None
        self.source_id = source or None
        self.window = check_window(window)
        self.force = str(force or "").strip().lower() in ("1", "true", "yes", "on")
        try:
            self.now = parse_moment(now) or utcnow()
        except ValueError:
            raise ValueError(f"now={now!r} is not an ISO 8601 time (e.g. 2024-02-14T08:00:00+00:00)") from None
        self.health_tracker = CrawlTracker()
        self.health_store: HealthStore | None = None
        #: Sources not crawled this time: {"source", "state" (not_due | disabled), "why"}.
        self.schedule_skips: list[dict] = []
        self._listed_pages: dict[str, tuple[str, str]] = {}  # response URL -> (source id, listed URL)
        self._page_problems: dict[str, list[tuple[str, str]]] = {}
        #: (source id, listed URL) -> (sha256, window, stored_at) of the body last parsed (feeds).
        self.known_hashes: dict[tuple[str, str], tuple[str, str, str]] = {}
        try:
            self.sources = select_sources(load_sources(self.sources_path), kind=self.kind,
                                          group=self.group, source=self.source_id)
        except SourcesError as exc:
            raise ValueError(str(exc)) from None

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.apply_schedule(crawler)
        return spider

    def apply_schedule(self, crawler) -> None:
        """Drop the selected sources that are not due or are disabled (unless forced)."""
        settings = crawler.settings
        state_dir = settings.get("WASPADA_STATE_DIR")
        if not state_dir:
            return  # no state directory configured (unit tests): every source is due, nothing is recorded
        self.health_store = HealthStore(Path(state_dir), HealthSettings(
            default_interval=settings.getint("WASPADA_DEFAULT_INTERVAL", config.get("CRAWL_DEFAULT_INTERVAL")),
            failure_threshold=settings.getfloat("WASPADA_FAILURE_THRESHOLD", config.get("SOURCE_FAILURE_THRESHOLD")),
            cooldown_hours=settings.getfloat("WASPADA_COOLDOWN_HOURS", config.get("SOURCE_COOLDOWN_HOURS")),
            cooldown_max_hours=settings.getfloat("WASPADA_COOLDOWN_MAX_HOURS", config.get("SOURCE_COOLDOWN_MAX_HOURS"))))
        rows = self.health_store.all()
        due = []
        for source in self.sources:
            decision = self.health_store.decide(source.id, configured_interval=source.interval, now=self.now,
                                                window=self.window, force=self.force, health=rows.get(source.id))
            if decision.state == "due":
                due.append(source)
                continue
            self.schedule_skips.append({"source": source.id, "state": decision.state, "why": decision.why})
        self.sources = due
        self.known_hashes = self.health_store.feed_hashes(source.id for source in due)

    @property
    def scope(self) -> str:
        """Names the stats file: the source id, the group, or ``all``."""
        return self.source_id or self.group or "all"

    async def start(self):
        # Counted and logged here, not when the schedule was applied: the stats and the log file
        # exist only once the crawl started.
        for skipped in self.schedule_skips:
            self.crawler.stats.inc_value(f"waspada/schedule/{skipped['state']}")
            if skipped["state"] == "disabled":
                self.logger.warning("Source %s not crawled, disabled: %s", skipped["source"], skipped["why"])
            else:
                self.logger.info("Source %s not crawled, not due: %s", skipped["source"], skipped["why"])
        if not self.sources and self.schedule_skips:
            # Nothing due is a normal, finished crawl (the digest counts other finish reasons as failures).
            self.logger.info("No %s source is due (%d not due, %d disabled); nothing to crawl", self.kind,
                             sum(s["state"] == "not_due" for s in self.schedule_skips),
                             sum(s["state"] == "disabled" for s in self.schedule_skips))
            return
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
        """A request whose every failure ends as a counted skip, never a traceback.

        Requests for a source's listed URLs (and social sources' older pages), i.e. those handled by
        ``parse_source_url``, also decide the source's health: see ``parse_listed``."""
        meta = {"waspada_source": source.id}
        if callback == self.parse_source_url:
            meta["waspada_listed"] = url
            callback = self.parse_listed
        return Request(url, callback=callback, errback=self.on_error, dont_filter=dont_filter,
                       cb_kwargs={"source": source, **cb_kwargs}, meta=meta)

    def parse_listed(self, response, source, **kwargs):
        """``parse_source_url``, noting whether the page worked: it did unless it yielded nothing
        and was skipped for a page-level reason (malformed or empty feed, changed markup, ...)."""
        listed = response.meta.get("waspada_listed") or response.url
        self._listed_pages[response.url] = (source.id, listed)
        produced = 0
        try:
            for output in self.parse_source_url(response, source, **kwargs) or ():
                produced += 1
                yield output
        except Exception as exc:
            self.health_tracker.failed(source.id, listed, "download_error", f"the spider failed on the page: {exc!r:.200}")
            raise
        finally:
            self._listed_pages.pop(response.url, None)
        problems = self._page_problems.pop(response.url, [])
        if problems and not produced:
            for reason, detail in problems:
                self.health_tracker.failed(source.id, listed, reason, detail)
        else:
            self.health_tracker.fetched(source.id, listed)

    def on_error(self, failure):
        reason, detail = classify_failure(failure)
        request = failure.request
        record_skip(self.crawler, reason, request.url, f"source {request.meta.get('waspada_source')}: {detail}")
        if request.meta.get("waspada_listed"):
            self.health_tracker.failed(request.meta["waspada_source"], request.meta["waspada_listed"], reason, detail)

    def skip(self, reason: str, url: str, detail: str = "") -> None:
        record_skip(self.crawler, reason, url, detail)
        if reason in PAGE_SKIP_REASONS and url in self._listed_pages:
            self._page_problems.setdefault(url, []).append((reason, detail))

    def page_fetched(self, response) -> None:
        self.crawler.stats.inc_value("waspada/pages_fetched")

    @staticmethod
    def text_of(response) -> str:
        """The body as text, surviving wrong and missing charsets (see crawlers.charset)."""
        return decode_body(response.body, response.headers.get(b"Content-Type"))[0]
