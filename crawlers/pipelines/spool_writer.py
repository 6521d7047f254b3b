"""Write items as JSON Lines to ``<SPOOL_DIR>/<source_id>/<window>.jsonl``.

Each file is written as ``<window>.jsonl.part`` and renamed when the spider closes, so readers only
ever see complete files and a crash leaves a ``.part`` they ignore. A re-run of the same window
replaces the file (document ids make that idempotent downstream).
"""
from __future__ import annotations

import json
import os
from pathlib import Path

from scrapy.exceptions import DropItem

from crawlers.skips import record_skip
from waspada.schema import SchemaError, validate_spool_record


class SpoolWriterPipeline:
    def __init__(self, crawler, root: Path):
        self.crawler = crawler
        self.root = root
        self.handles: dict[str, object] = {}
        self.paths: dict[str, Path] = {}

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler, Path(crawler.settings["WASPADA_SPOOL_DIR"]))

    def process_item(self, item):
        record = {key: value for key, value in item.items() if not key.startswith("_")}
        try:
            validate_spool_record(record)
        except SchemaError as exc:
            record_skip(self.crawler, "invalid_record", str(item.get("url")), str(exc))
            raise DropItem(str(exc), log_level="DEBUG") from None
        handle = self.handles.get(record["source_id"]) or self._open(record["source_id"])
        handle.write(json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n")
        self.crawler.stats.inc_value("waspada/items_written")
        self.crawler.stats.inc_value(f"waspada/items_written_by_source/{record['source_id']}")
        return item

    def _open(self, source_id: str):
        final = self.root / source_id / f"{self.crawler.spider.window}.jsonl"
        final.parent.mkdir(parents=True, exist_ok=True)
        part = final.with_name(final.name + ".part")
        self.paths[source_id] = final
        self.handles[source_id] = handle = part.open("w", encoding="utf-8")
        return handle

    def close_spider(self):
        written = []
        for source_id, handle in self.handles.items():
            final = self.paths[source_id]
            handle.flush()
            os.fsync(handle.fileno())
            handle.close()
            os.replace(final.with_name(final.name + ".part"), final)
            written.append(str(final))
        self.crawler.stats.set_value("waspada/spool_files", sorted(written))
