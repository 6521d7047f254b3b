"""Run Airflow in a fresh process for the DAG tests and print one JSON line with what happened.

Airflow reads its configuration when it is first imported, so every test gets its own process
whose environment (AIRFLOW_HOME, DAGS_FOLDER, the metadata database) was set before the import.

    python tests/dags/airflow_runner.py parse dags/waspada_ingest.py
    python tests/dags/airflow_runner.py test waspada_ingest 2026-02-14T08:00:00+00:00 '{"recrawl": true}'
"""
from __future__ import annotations

import json
import sys
from datetime import datetime

RESULT_PREFIX = "AIRFLOW_RUNNER_RESULT "


def _count_connects() -> list[str]:
    """Record every database connection SQLAlchemy opens from now on."""
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    seen: list[str] = []
    event.listen(Engine, "connect", lambda dbapi_conn, record: seen.append("connect"))
    event.listen(Engine, "before_cursor_execute",
                 lambda conn, cursor, statement, *args: seen.append(statement.split()[0] if statement else "?"))
    return seen


def parse(path: str) -> dict:
    queries = _count_connects()
    from airflow.dag_processing.dagbag import DagBag

    bag = DagBag(dag_folder=path)
    dags = {}
    for dag_id, dag in bag.dags.items():
        dags[dag_id] = {
            "tags": sorted(dag.tags),
            "schedule": repr(dag.timetable),
            "catchup": dag.catchup,
            "start_date_tz": str(dag.start_date.tzinfo) if dag.start_date else None,
            "doc_md": bool(dag.doc_md),
            "tasks": {t.task_id: {"retries": t.retries, "retry_delay_s": t.retry_delay.total_seconds()}
                      for t in dag.tasks},
        }
    return {"import_errors": {k: str(v) for k, v in bag.import_errors.items()}, "dags": dags,
            "db_activity": list(queries)}


def test(dag_id: str, logical_date: str, conf: str = "{}") -> dict:
    from airflow.dag_processing.dagbag import DagBag

    bag = DagBag()
    if bag.import_errors:
        return {"import_errors": {k: str(v) for k, v in bag.import_errors.items()}}
    dag = bag.dags[dag_id]
    run = dag.test(logical_date=datetime.fromisoformat(logical_date), run_conf=json.loads(conf))
    tis = {f"{ti.task_id}[{ti.map_index}]": str(ti.state) for ti in run.get_task_instances()}
    return {"state": str(run.state), "run_id": run.run_id, "task_states": tis,
            "data_interval": [str(run.data_interval_start), str(run.data_interval_end)],
            "asset_events": _asset_events(dag_id, run.run_id)}


def _asset_events(dag_id: str, run_id: str) -> list[dict]:
    """Asset events the run emitted: [{uri, task, extra}]."""
    from sqlalchemy import select

    from airflow.models.asset import AssetEvent, AssetModel
    from airflow.utils.session import create_session

    with create_session() as session:
        rows = session.execute(
            select(AssetModel.uri, AssetEvent.source_task_id, AssetEvent.extra)
            .join(AssetModel, AssetModel.id == AssetEvent.asset_id)
            .where(AssetEvent.source_dag_id == dag_id, AssetEvent.source_run_id == run_id)).all()
    return [{"uri": uri, "task": task, "extra": extra} for uri, task, extra in rows]


def main(argv: list[str]) -> int:
    command, *args = argv
    result = {"parse": parse, "test": test}[command](*args)
    print(RESULT_PREFIX + json.dumps(result, default=str), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
