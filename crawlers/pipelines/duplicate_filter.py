"""Drop items whose canonical URL was already written in this crawl.

The same story is syndicated across portals' feeds and repeated in "terpopuler" feeds; one crawl
writes it once. Across crawls the pipeline's document ids (from the canonical URL) deduplicate.
"""
from __future__ import annotations

from scrapy.exceptions import DropItem

from crawlers.skips import record_skip
from waspada.schema import SchemaError, doc_id


class DuplicateFilterPipeline:
    def __init__(self, crawler):
        self.crawler = crawler
        self.seen: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_item(self, item):
        # The index's own identity: canonical URL, or the native id for posts without a URL.
        try:
            key = doc_id(item)
        except SchemaError:
            return item  # no usable URL: the spool writer rejects it with the reason
        if key in self.seen:
            record_skip(self.crawler, "duplicate", item["url"],
                        f"source {item['source_id']}: {item.get('canonical_url') or item['url']} already written in this crawl")
            # record_skip already logged it; DEBUG keeps the log to one line per skip.
            raise DropItem(f"duplicate of document {key}", log_level="DEBUG")
        self.seen.add(key)
        return item
