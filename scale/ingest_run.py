"""The ingest DAG on the Celery workers, over the bundled demo site.

The demo site runs in the check's process on a free port; its sources are written with one
``group`` per source, so ``crawl_group`` maps to one task per source and the scheduler has more
crawl tasks than one worker's slots. What ran where comes from the metadata database
(``task_instance.hostname``, which ``scale.worker_hostname`` makes distinct per worker).
"""
from __future__ import annotations

import time
from pathlib import Path

import yaml

from scale.processes import NotUp, wait_until

DAG_ID = "waspada_ingest"


def write_grouped_sources(base_url: str, path: Path) -> int:
    """The demo site's sources, one crawl group each; returns the number of groups."""
    from waspada.demosite.sources_file import demo_sources

    entries = demo_sources(base_url)
    for entry in entries:
        entry["group"] = entry["id"]
    path.write_text(yaml.safe_dump({"sources": entries}, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return len(entries)


def waspada_environment(base: Path, sources: Path, es_urls: list[str], alias: str) -> dict[str, str]:
    """The WASPADA_* settings docker-compose.yml gives the Airflow containers, for this machine."""
    data = base / "waspada"
    return {
        "WASPADA_DATA_DIR": str(data),
        "WASPADA_SPOOL_DIR": str(data / "spool"),
        "WASPADA_EVIDENCE_DIR": str(data / "evidence"),
        "WASPADA_SOURCES_PATH": str(sources),
        "WASPADA_USER_AGENT": "Waspada scale check (local demo site only)",
        "WASPADA_INDEX_BACKEND": "elasticsearch",
        "WASPADA_ES_URL": ",".join(es_urls),
        "WASPADA_ES_INDEX": alias,
        "WASPADA_ES_ANALYZER": "standard",  # the test distribution has core analyzers only
        "WASPADA_ES_REPLICAS": "1",
        "WASPADA_INDEX_ALL": "true",
        "WASPADA_CRAWL_POLITE": "false",
    }


class IngestRun:
    """Trigger one ingest run and follow it through the metadata database."""

    def __init__(self, airflow, postgres) -> None:
        self.airflow = airflow
        self.postgres = postgres

    def wait_parsed(self, timeout: float = 300) -> float:
        return wait_until(lambda: self.postgres.query(
            f"select count(*) from serialized_dag where dag_id = '{DAG_ID}'") == "1",
            timeout=timeout, what=f"the dag-processor parsing {DAG_ID}", interval=2,
            log=lambda: self.airflow.daemons[2].log_tail())

    def trigger(self) -> None:
        self.airflow.run("dags", "unpause", DAG_ID)
        self.airflow.run("dags", "trigger", DAG_ID)

    def state(self) -> str:
        return self.postgres.query(f"select state from dag_run where dag_id = '{DAG_ID}' order by id desc limit 1")

    def wait_done(self, timeout: float = 1200) -> tuple[str, float]:
        start = time.monotonic()
        try:
            wait_until(lambda: self.state() in ("success", "failed"), timeout=timeout, interval=3,
                       what=f"the {DAG_ID} run", log=self.task_states)
        except NotUp as exc:
            raise NotUp(str(exc)) from None
        return self.state(), time.monotonic() - start

    def task_states(self) -> str:
        return self.postgres.query(
            "select task_id || coalesce('[' || map_index || ']', '') || ' ' || coalesce(state, 'none') || ' on ' "
            f"|| coalesce(hostname, '-') || ' try ' || try_number from task_instance where dag_id = '{DAG_ID}' "
            "order by task_id, map_index")

    def tasks_by_host(self) -> dict[str, int]:
        rows = self.postgres.query(
            f"select hostname, count(*) from task_instance where dag_id = '{DAG_ID}' and state = 'success' "
            "group by hostname order by hostname")
        return {host: int(n) for host, n in (row.split("|") for row in rows.splitlines() if row)}

    def report(self) -> dict:
        """process_spool's report (counts of the run) from XCom, as the task returned it."""
        import json

        value = self.postgres.query(
            f"select value from xcom where dag_id = '{DAG_ID}' and task_id = 'process_spool' "
            "and key = 'return_value' order by dag_run_id desc limit 1")
        return json.loads(value) if value else {}
