"""At spider close, write what the crawl did to ``<SPOOL_DIR>/_stats/<scope>-<window>.json``.

``scope`` is the source id, the group, or ``all``. The feed and article spiders of one crawl may run
at the same time, so each merges its own section under ``spiders`` into the file under a lock, and
the top-level totals are recomputed from all sections. Alerts read this file to spot a source that
went quiet; people read it to see why items were skipped.
"""
from __future__ import annotations

import fcntl
import json
import os
from pathlib import Path

from scrapy import signals

from waspada.schema import utcnow

_PREFIX = "waspada/"


class CrawlReportExtension:
    def __init__(self, crawler, root: Path):
        self.crawler = crawler
        self.root = root

    @classmethod
    def from_crawler(cls, crawler):
        extension = cls(crawler, Path(crawler.settings["WASPADA_SPOOL_DIR"]) / "_stats")
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_closed(self, spider, reason):
        section = self.section(reason)
        section["skip_details"] = getattr(spider, "skip_details", [])
        # Sources the schedule left out this time (waspada.sources): source, state, why.
        section["not_crawled"] = getattr(spider, "schedule_skips", [])
        path = self.root / f"{spider.scope}-{spider.window}.json"
        merge_report(path, spider.name, section, scope=spider.scope, window=spider.window)
        spider.logger.info("Crawl report %s: %d pages fetched, %d items written, skipped %s",
                           path, section["pages_fetched"], section["items_written"], section["skipped"] or "nothing")

    def section(self, reason: str) -> dict:
        stats = self.crawler.stats.get_stats()
        skipped = {key[len(_PREFIX + "skipped/"):]: value for key, value in stats.items()
                   if key.startswith(_PREFIX + "skipped/")}
        by_source = {key.rsplit("/", 1)[1]: value for key, value in stats.items()
                     if key.startswith(_PREFIX + "items_written_by_source/")}
        return {
            "started": _iso(stats.get("start_time")),
            "finished": utcnow(),
            "finish_reason": reason,
            "pages_fetched": stats.get(_PREFIX + "pages_fetched", 0),
            "items_written": stats.get(_PREFIX + "items_written", 0),
            "items_by_source": by_source,
            "skipped": dict(sorted(skipped.items())),
            "spool_files": stats.get(_PREFIX + "spool_files", []),
            "blobs_written": stats.get(_PREFIX + "blobs_written", 0),
            "requests": stats.get("downloader/request_count", 0),
            "responses_by_status": {key.rsplit("/", 1)[1]: value for key, value in stats.items()
                                    if key.startswith("downloader/response_status_count/")},
            # revalidated: conditional GETs the server answered 304 Not Modified (body from our cache).
            "http_cache": {name: stats.get(f"httpcache/{name}", 0) for name in ("hit", "miss", "revalidate", "store")},
            "errors": stats.get("log_count/ERROR", 0),
            # Source health: sources not due or disabled (not crawled), feeds whose body was the one
            # already parsed in an earlier window (not parsed again), and 304s (conditional GET).
            "not_due": stats.get(_PREFIX + "schedule/not_due", 0),
            "disabled": stats.get(_PREFIX + "schedule/disabled", 0),
            "unchanged": stats.get(_PREFIX + "unchanged", 0),
            "revalidated": stats.get("httpcache/revalidate", 0),
        }


def merge_report(path: Path, spider_name: str, section: dict, *, scope: str, window: str) -> dict:
    """Put ``section`` under ``spiders[spider_name]`` in the report at ``path`` and recompute totals."""
    path.parent.mkdir(parents=True, exist_ok=True)
    # One lock for the directory: the spiders of one crawl (one per source kind) close at the same time.
    with open(path.parent / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            report = json.loads(path.read_text(encoding="utf-8"))
        except (FileNotFoundError, ValueError):
            report = {}
        spiders = report.get("spiders", {})
        spiders[spider_name] = section
        report = totals(spiders, scope=scope, window=window)
        tmp = path.with_name(path.name + ".part")
        tmp.write_text(json.dumps(report, ensure_ascii=False, indent=2, sort_keys=True), encoding="utf-8")
        os.replace(tmp, path)
    return report


def totals(spiders: dict, *, scope: str, window: str) -> dict:
    skipped: dict[str, int] = {}
    for section in spiders.values():
        for reason, count in section["skipped"].items():
            skipped[reason] = skipped.get(reason, 0) + count
    return {
        "scope": scope, "window": window, "updated": utcnow(),
        "pages_fetched": sum(s["pages_fetched"] for s in spiders.values()),
        "items_written": sum(s["items_written"] for s in spiders.values()),
        "skipped": dict(sorted(skipped.items())),
        "spool_files": sorted({f for s in spiders.values() for f in s["spool_files"]}),
        **{key: sum(s.get(key, 0) for s in spiders.values()) for key in ("not_due", "disabled", "unchanged", "revalidated")},
        "not_crawled": [entry for s in spiders.values() for entry in s.get("not_crawled", [])],
        "spiders": spiders,
    }


def _iso(value) -> str | None:
    return value.isoformat(timespec="seconds") if hasattr(value, "isoformat") else None
