"""
### Waspada digest: the daily report for supervisors

Runs every day at **06:00 WIB** (Asia/Jakarta) and reports the **previous WIB day**
(00:00–24:00 WIB) relative to the run's logical date: the run at 06:00 WIB on 15 February
reports 14 February.

1. **build_and_archive** counts the day's flagged posts by label, platform, source and region
   against the seven days before, draws the 14-day trend, lists the most severe posts, the alerts
   fired, the investigations opened and closed and the sources whose crawls failed, renders it
   in Indonesian to HTML and PDF and archives it under `WASPADA_DIGEST_DIR/<YYYY>/<YYYY-MM-DD>/`.
   A rerun of the same day replaces that folder as a whole.
2. **email_digest** sends the archived digest (text, HTML and the PDF attached) to
   `WASPADA_DIGEST_EMAIL_TO` over the alerts' SMTP settings; with no recipients it skips, and a
   failure retries this task only: the archive is already written.

The param `date` (`YYYY-MM-DD`, a WIB day) reports that day instead, for catching up or re-sending.
See docs/digest.md.
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from airflow.sdk import CronTriggerTimetable, Param, dag, task

DEFAULT_ARGS = {
    "owner": "waspada",
    "retries": 3,
    "retry_delay": timedelta(minutes=2),
}


def digest_day(logical_date: datetime | None, params: dict | None):
    """The WIB day to report: the param ``date`` if given, else the day before the logical date
    (in WIB). A manual run without a logical date reports yesterday."""
    from waspada.digest.period import parse_day, yesterday_wib

    raw = ((params or {}).get("date") or "").strip()
    if raw:
        return parse_day(raw)
    return yesterday_wib(logical_date or datetime.now(timezone.utc))


@dag(
    dag_id="waspada_digest",
    schedule=CronTriggerTimetable("0 6 * * *", timezone="Asia/Jakarta"),
    start_date=datetime(2026, 1, 1, tzinfo=ZoneInfo("Asia/Jakarta")),
    catchup=False,
    max_active_runs=1,  # two builds of one day would race for its archive folder
    dagrun_timeout=timedelta(hours=1),
    default_args=DEFAULT_ARGS,
    params={"date": Param("", type="string", pattern=r"^(\d{4}-\d{2}-\d{2})?$",
                          description="WIB day to report, YYYY-MM-DD (empty: the day before the logical date).")},
    tags=["waspada", "digest"],
    doc_md=__doc__,
)
def waspada_digest():
    @task(execution_timeout=timedelta(minutes=20))
    def build_and_archive(logical_date=None, params=None) -> dict:
        from waspada.digest import build_digest

        day = digest_day(logical_date, params)
        result = build_digest(day, email=False)
        print(result.summary())
        return {"date": day.iso, "folder": str(result.folder), "headline": result.digest["headline"]}

    @task(execution_timeout=timedelta(minutes=10))
    def email_digest(built: dict) -> dict:
        from waspada.digest import email_archived

        sent = email_archived(built["folder"])
        print(f"digest {built['date']} emailed to {', '.join(sent)}" if sent
              else f"digest {built['date']}: no recipients configured (WASPADA_DIGEST_EMAIL_TO), email skipped")
        return {**built, "emailed": sent}

    email_digest(build_and_archive())


waspada_digest()
