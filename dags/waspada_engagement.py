"""
### Waspada engagement: refresh the reach of recently flagged social posts, hourly

A post's likes, shares, replies and views keep growing after we first see it, and the severity
ranking (score × reach) that analysts and the digest sort by must follow. Every hour,
**refresh_engagement** fetches again the counts of the flagged Mastodon, Telegram, Reddit and
YouTube posts first seen within `WASPADA_ENGAGEMENT_REFRESH_HOURS` (72 by default) before the
end of the run's data interval, at most `WASPADA_ENGAGEMENT_REFRESH_MAX_ITEMS` of them, and
updates their documents in place. Posts the platform reports deleted are marked
(`waspada.post.deleted_at`), never removed. A post whose fetch failed (rate limited, timeout,
5xx) is simply tried again next hour; it does not fail the task.

Its own DAG, not a task of waspada_ingest: it has its own cadence, and a rate-limited platform
must never hold up or retry the ingest of new posts. See docs/operations.md.
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from airflow.sdk import CronDataIntervalTimetable, dag, task

DEFAULT_ARGS = {
    "owner": "waspada",
    "retries": 2,
    "retry_delay": timedelta(minutes=5),
}


@dag(
    dag_id="waspada_engagement",
    # Twenty past the hour: clear of the ingest runs on the hour and the half hour.
    schedule=CronDataIntervalTimetable("20 * * * *", timezone="UTC"),
    start_date=datetime(2026, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    max_active_runs=1,  # two refreshes would fetch the same posts twice (the library refuses it too)
    dagrun_timeout=timedelta(minutes=55),
    default_args=DEFAULT_ARGS,
    tags=["waspada", "engagement"],
    doc_md=__doc__,
)
def waspada_engagement():
    @task(execution_timeout=timedelta(minutes=45))
    def refresh_engagement(data_interval_end: datetime | None = None) -> dict:
        """Refresh the posts first seen in the window that ends with this data interval."""
        from waspada.engagement.refresh import refresh_engagement as refresh
        from waspada.index import open_index

        index = open_index()
        index.ensure()
        try:
            report = refresh(index, now=data_interval_end).as_dict()
        finally:
            index.close()
        print(f"engagement refresh up to {data_interval_end}: {report}")
        return report

    refresh_engagement()


waspada_engagement()
