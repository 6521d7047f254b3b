"""At spider close, record each crawled source's health in ``<STATE_DIR>/source_health.db``.

The spider collected, per source, which listed URLs worked and which failed and why
(``spider.health_tracker``, see ``crawlers/spiders/base.py``); the spool writer counted the items
written per source. Both go to ``waspada.sources.store.HealthStore.record_crawl`` in one
transaction: last attempt/success/error, failure score, disabling, next due time, items per day
and the feed content hashes (those only when the crawl finished cleanly, so a stopped crawl
parses its feeds again next time).
"""
from __future__ import annotations

from scrapy import signals

_ITEMS = "waspada/items_written_by_source/"


class SourceHealthExtension:
    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        extension = cls(crawler)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_closed(self, spider, reason):
        store = getattr(spider, "health_store", None)
        if store is None:
            return
        results = spider.health_tracker.results
        for key, value in self.crawler.stats.get_stats().items():
            if key.startswith(_ITEMS) and key[len(_ITEMS):] in results:
                results[key[len(_ITEMS):]].items = int(value)
        for source in spider.sources:
            if source.id in results:
                results[source.id].configured_interval = source.interval
        try:
            rows = store.record_crawl(results, now=spider.now, window=spider.window, commit_hashes=reason == "finished")
        except Exception as exc:  # noqa: BLE001 - a locked or broken state file must not lose the crawl
            spider.logger.error("Source health not recorded in %s (%s); the next crawl treats these sources "
                                "as not crawled this time", store.path, exc)
            return
        for source_id, row in rows.items():
            result = results[source_id]
            if result.succeeded:
                spider.logger.info("Source %s: crawled, %d items, failure score %g", source_id, result.items,
                                   row.failure_score)
            elif row.disabled_at(spider.now) and not row.disabled_by_hand:
                spider.logger.warning("Source %s: failed again (%s); %s, disabled until %s. "
                                      "`waspada sources enable %s` re-enables it now", source_id, row.last_error,
                                      row.disabled_reason, row.disabled_until, source_id)
            else:
                spider.logger.warning("Source %s: failed (%s); failure score %g, %d failed crawls in a row",
                                      source_id, row.last_error, row.failure_score, row.consecutive_failures)
