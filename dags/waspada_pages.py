"""
### Waspada pages: the defacement watch of official election pages, every 30 minutes

**check_pages** fetches every page in `WASPADA_PAGES_PATH` (KPU, Bawaslu, DKPP, MK and regional
bodies by default), compares each with its baseline and alerts when one was defaced (a new
"hacked by"-style marker), replaced (less than `WASPADA_PAGES_DRIFT_THRESHOLD` of its stable text
left) or made to redirect to another domain: the alert opens an investigation with before/after
evidence and is emailed and sent to webhooks like every other alert. A page that cannot be
fetched is recorded as unreachable, never as defaced; `WASPADA_PAGES_UNREACHABLE_ALERT_AFTER`
failures in a row raise a softer alert of their own.

Alerts are filed under the run's data interval end, so a retried run fires nothing twice. A
defaced page does not fail the task (it is what the task is for); a broken pages file does.
See docs/operations.md, "Defacement watch".
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from airflow.sdk import CronDataIntervalTimetable, dag, task

DEFAULT_ARGS = {
    "owner": "waspada",
    "retries": 2,
    "retry_delay": timedelta(minutes=2),
}


@dag(
    dag_id="waspada_pages",
    # Ten and forty past: clear of the ingest runs on the hour and the half hour.
    schedule=CronDataIntervalTimetable("10,40 * * * *", timezone="UTC"),
    start_date=datetime(2026, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    max_active_runs=1,
    dagrun_timeout=timedelta(minutes=25),
    default_args=DEFAULT_ARGS,
    tags=["waspada", "defacement"],
    doc_md=__doc__,
)
def waspada_pages():
    @task(execution_timeout=timedelta(minutes=20))
    def check_pages(data_interval_end: datetime | None = None) -> dict:
        """Check every watched page; alerts are filed under this interval's end."""
        from waspada.threats.defacement.watch import DefacementWatch
        from waspada.threats.defacement.watched_pages import load_pages

        pages = load_pages()
        watch = DefacementWatch.from_settings()
        try:
            report = watch.check_all(pages, now=data_interval_end).as_dict()
        finally:
            watch.close()
        print(f"defacement watch up to {data_interval_end}: {report['verdicts']}, alerts {report['alerts']}")
        return report

    check_pages()


waspada_pages()
