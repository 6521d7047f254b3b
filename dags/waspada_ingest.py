"""
### Waspada ingest: crawl → classify → index, every 30 minutes

For each data interval:

1. **source_groups** reads the sources file (`WASPADA_SOURCES_PATH`) and lists the groups of its
   enabled sources.
2. **crawl_group** runs once per group (dynamic task mapping): `scrapy crawl` as a subprocess
   writes `<SPOOL_DIR>/<source_id>/<window>.jsonl`, where the window is the interval's start in
   UTC (`2024-02-14T08-00`). A retry after a failed crawl rewrites the same files. A group whose
   crawl of this window already completed is not fetched again (its report is kept under
   `<DATA_DIR>/state/crawled/<window>/`); trigger with `{"recrawl": true}` to fetch it anew.
3. **process_spool** runs the pipeline over this window's spool files: keep election posts,
   classify, keep evidence, index the flagged ones. It updates the `waspada://flagged` asset, which
   downstream DAGs (alerts) schedule on; the event's extra carries the counts.

Idempotent by interval: a completed crawl is not repeated, documents are upserted by an id derived
from the canonical URL, evidence is content-addressed, and a spool file already processed with the
same bytes is skipped, so a second run of the same interval leaves the index and the evidence
store unchanged. Even with `recrawl`, the same posts overwrite their documents (same ids); only
the evidence store gains the new fetch as a sighting.

Configuration is the `WASPADA_*` environment (see the README's settings table); nothing here is
read at parse time beyond the module's constants.
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from airflow.sdk import Asset, CronDataIntervalTimetable, Param, dag, task

#: Updated by every successful processing run; the alerts DAG schedules on it.
FLAGGED = Asset("waspada://flagged")

#: Spool windows are named by the interval start in UTC (crawlers/window.py's format).
WINDOW_FORMAT = "%Y-%m-%dT%H-%M"

DEFAULT_ARGS = {
    "owner": "waspada",
    "retries": 3,
    "retry_delay": timedelta(minutes=2),
    "retry_exponential_backoff": True,
    "max_retry_delay": timedelta(minutes=15),
}


def window_label(data_interval_start: datetime) -> str:
    """The spool window of a data interval: its start in UTC, e.g. ``2024-02-14T08-00``."""
    return data_interval_start.astimezone(timezone.utc).strftime(WINDOW_FORMAT)


@dag(
    dag_id="waspada_ingest",
    schedule=CronDataIntervalTimetable("*/30 * * * *", timezone="UTC"),
    start_date=datetime(2026, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    max_active_runs=1,  # runs share the dedup store and the spool ledger; one at a time
    dagrun_timeout=timedelta(minutes=90),
    default_args=DEFAULT_ARGS,
    params={"recrawl": Param(False, type="boolean",
                             description="Fetch groups again even if this window's crawl already completed.")},
    tags=["waspada", "ingest"],
    doc_md=__doc__,
)
def waspada_ingest():
    @task
    def source_groups() -> list[str]:
        """The groups of the enabled sources, one mapped crawl task each."""
        from pathlib import Path

        from waspada import config
        from waspada.crawl import source_groups as groups_in

        return groups_in(Path(config.get("SOURCES_PATH")))

    @task(max_active_tis_per_dagrun=4, execution_timeout=timedelta(minutes=45))
    def crawl_group(group: str, data_interval_start: datetime | None = None, params=None) -> dict:
        """Crawl one group into the spool for this interval's window, once."""
        import json
        import logging
        import os
        from pathlib import Path

        from waspada import config
        from waspada.crawl import run_crawl

        window = window_label(data_interval_start)
        done = Path(config.get("DATA_DIR")) / "state" / "crawled" / window / f"{group}.json"
        if done.exists() and not (params or {}).get("recrawl"):
            logging.getLogger(__name__).info("group %s already crawled for window %s (%s); not fetching again",
                                             group, window, done)
            return {**json.loads(done.read_text(encoding="utf-8")), "reused": True}
        result = run_crawl(Path(config.get("SOURCES_PATH")), spool_dir=Path(config.get("SPOOL_DIR")),
                           window=window, group=group, polite=config.get("CRAWL_POLITE"),
                           force=bool((params or {}).get("recrawl")))
        report = json.loads(json.dumps(result, default=str))  # XCom must be plain JSON
        done.parent.mkdir(parents=True, exist_ok=True)
        partial = done.with_suffix(".part")
        partial.write_text(json.dumps(report, ensure_ascii=False), encoding="utf-8")
        os.replace(partial, done)  # the marker appears only once the crawl completed
        return report

    @task(outlets=[FLAGGED], execution_timeout=timedelta(minutes=60))
    def process_spool(crawls: list[dict], data_interval_start: datetime | None = None,
                      outlet_events=None) -> dict:
        """Classify and index this window's spool files; report what came of them."""
        import logging
        from pathlib import Path

        from waspada import config
        from waspada.pipeline import Pipeline
        from waspada.spool import RESERVED_DIRS

        window = window_label(data_interval_start)
        spool_dir = Path(config.get("SPOOL_DIR"))
        files = sorted(p for p in spool_dir.glob(f"*/{window}.jsonl") if p.parent.name not in RESERVED_DIRS)
        pipeline = Pipeline.from_settings()
        try:
            report = pipeline.run(files).as_dict()
        finally:
            pipeline.close()
        report["window"] = window
        report["groups_crawled"] = len(list(crawls))
        logging.getLogger(__name__).info("window %s: %s", window, report)
        if outlet_events is not None:
            outlet_events[FLAGGED].extra = {"window": window, "indexed": report["indexed"],
                                            "flagged": report["flagged"], "model_id": report["model_id"]}
        return report

    crawls = crawl_group.expand(group=source_groups())
    process_spool(crawls)


waspada_ingest()
