"""Every DAG file parses cleanly, follows the house rules, and touches no database while parsing.

Each file is parsed by a DagBag in a fresh process whose AIRFLOW_HOME has no metadata database;
SQLAlchemy's connect and execute events are recorded, and the database file must still be
absent afterwards.
"""
from __future__ import annotations

import pytest

from airflow_env import DAGS, airflow_env, require_airflow, run_airflow

DAG_FILES = sorted(p for p in DAGS.glob("*.py") if not p.name.startswith("_"))


@pytest.fixture(scope="module", autouse=True)
def _airflow():
    require_airflow()


def test_there_are_dag_files():
    assert [p.name for p in DAG_FILES], f"no DAG files in {DAGS}"


@pytest.fixture(scope="module", params=DAG_FILES, ids=lambda p: p.name)
def parsed(request, tmp_path_factory):
    home = tmp_path_factory.mktemp("airflow-home")
    result = run_airflow(airflow_env(home), "parse", str(request.param))
    result["home"] = home
    return result


def test_imports_without_errors(parsed):
    assert parsed["import_errors"] == {}
    assert parsed["dags"], "the file defines no DAG"


def test_dag_conventions(parsed):
    for dag_id, dag in parsed["dags"].items():
        assert dag_id.startswith("waspada_"), dag_id
        assert "waspada" in dag["tags"], f"{dag_id} tags {dag['tags']}"
        assert len(dag["tags"]) >= 2, f"{dag_id} needs a tag saying what it does, has {dag['tags']}"
        assert dag["catchup"] is False, dag_id
        assert dag["start_date_tz"] in {"UTC", "Asia/Jakarta"}, f"{dag_id} start_date tz {dag['start_date_tz']}"
        assert dag["doc_md"], f"{dag_id} has no doc_md"


def test_every_task_retries(parsed):
    for dag_id, dag in parsed["dags"].items():
        for task_id, task in dag["tasks"].items():
            assert task["retries"] >= 2, f"{dag_id}.{task_id} retries={task['retries']}"
            assert task["retry_delay_s"] >= 30, f"{dag_id}.{task_id} retry_delay={task['retry_delay_s']}s"


def test_parsing_makes_no_database_query(parsed):
    assert parsed["db_activity"] == [], f"parsing opened or queried a database: {parsed['db_activity'][:10]}"
    assert not (parsed["home"] / "airflow.db").exists(), "parsing created the metadata database"


def test_the_database_probe_catches_a_query_at_parse_time(tmp_path):
    """The check above can fail: a DAG file that queries a database at parse time is caught."""
    bad = tmp_path / "dags" / "waspada_bad.py"
    bad.parent.mkdir()
    db = tmp_path / "home" / "airflow.db"
    bad.write_text(
        "import sqlalchemy\n"
        f"sqlalchemy.create_engine('sqlite:///{db}').connect().exec_driver_sql('SELECT 1')\n"
        "from airflow.sdk import dag\n"
        "@dag(schedule=None, tags=['waspada', 'bad'])\n"
        "def waspada_bad():\n    pass\n"
        "waspada_bad()\n")
    result = run_airflow(airflow_env(tmp_path / "home", AIRFLOW__CORE__DAGS_FOLDER=str(bad.parent)),
                         "parse", str(bad))
    assert "connect" in result["db_activity"] and "SELECT" in result["db_activity"]
