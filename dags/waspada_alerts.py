"""
### Waspada alerts: evaluate the alert rules, open investigations, notify

Runs whenever ingest updates the flagged-posts Asset **and** every 10 minutes (so time-based
rules such as flatline fire even when nothing new arrives).

1. **evaluate_rules** loads the rules from `WASPADA_ALERT_RULES_DIR` (a broken file fails the
   task with the file, rule and field named), evaluates every window that is due for each rule,
   stores what fired and opens or updates investigations. Rule state is persisted in the
   operations database, so a retry, a second run or a restart neither repeats nor misses a window.
2. **deliver_notifications** sends the queued email and webhooks; failures stay queued with
   backoff and end as `failed` with their error after the last attempt (`waspada alerts list`).

The param `now` (ISO 8601) evaluates as if it were that moment, for replays and tests.
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from airflow.sdk import Asset, AssetOrTimeSchedule, CronTriggerTimetable, Param, dag, task

#: The same Asset waspada_ingest updates after every processing run.
FLAGGED = Asset("waspada://flagged")

DEFAULT_ARGS = {
    "owner": "waspada",
    "retries": 2,
    "retry_delay": timedelta(minutes=1),
}


def evaluation_time(params: dict | None) -> datetime:
    raw = (params or {}).get("now")
    if not raw:
        return datetime.now(timezone.utc)
    moment = datetime.fromisoformat(raw)
    if moment.tzinfo is None:
        raise ValueError(f"param now={raw!r} has no time zone; add one, e.g. +07:00")
    return moment.astimezone(timezone.utc)


@dag(
    dag_id="waspada_alerts",
    schedule=AssetOrTimeSchedule(timetable=CronTriggerTimetable("*/10 * * * *", timezone="UTC"), assets=[FLAGGED]),
    start_date=datetime(2026, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    max_active_runs=1,  # rule state is per rule; one evaluator at a time keeps runs short
    dagrun_timeout=timedelta(minutes=20),
    default_args=DEFAULT_ARGS,
    params={"now": Param("", type="string", description="Evaluate as of this ISO 8601 time (empty: now).")},
    tags=["waspada", "alerts"],
    doc_md=__doc__,
)
def waspada_alerts():
    @task(execution_timeout=timedelta(minutes=10))
    def evaluate_rules(params=None) -> dict:
        from waspada.alerts import load_rules, open_engine, rules_dir

        rules = load_rules(rules_dir())
        engine = open_engine()
        try:
            report = engine.run(rules, now=evaluation_time(params))
        finally:
            engine.index.close()
        print(report.summary())
        if report.errors:
            # The other rules were evaluated and their state saved; fail so someone looks.
            raise RuntimeError(f"alert rules failed: {report.errors}")
        return {"fired": report.fired, "windows": report.windows, "suppressed": report.suppressed}

    @task(execution_timeout=timedelta(minutes=10))
    def deliver_notifications(evaluated: dict, params=None) -> dict:
        from waspada import config
        from waspada.alerts.engine import AlertEngine
        from waspada.alerts.store import AlertStore
        from waspada.investigations import InvestigationStore

        db = config.get("WEB_DB")
        engine = AlertEngine(None, AlertStore(db), InvestigationStore(db))  # delivery needs no index
        report = engine.deliver(evaluation_time(params))
        print(report.summary())
        return {"sent": report.sent, "retrying": report.retrying, "failed": report.failed,
                "fired": evaluated["fired"]}

    deliver_notifications(evaluate_rules())


waspada_alerts()
