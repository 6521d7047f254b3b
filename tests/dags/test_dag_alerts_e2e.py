"""The alerts DAG through `dag.test()`: rules evaluated over a seeded SQLite index, an
investigation opened, the email delivered to a real SMTP server on 127.0.0.1, and a second run
of the same moment firing nothing."""
from __future__ import annotations

import sqlite3
import sys
from pathlib import Path


from conftest_helpers import smtp_receiver
from airflow_env import airflow_env, migrate, require_airflow, run_airflow

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "alerts"))
from alerts_helpers import add, at, post  # noqa: E402

RULE = """
name: dag-frekuensi
type: frequency
filter: {labels: [hoax]}
window: 1h
query_delay: 15m
realert: 0
key: region
threshold: 3
notify: {email: [piket@polri.example]}
"""


def test_alerts_dag_fires_once_and_notifies(tmp_path):
    require_airflow()
    from waspada.index import open_index

    data, rules = tmp_path / "data", tmp_path / "rules"
    rules.mkdir()
    (rules / "uji.yaml").write_text(RULE, encoding="utf-8")
    index = open_index("sqlite", path=data / "waspada.db")
    index.ensure()
    add(index, *[post(at(10 + i / 10), region="Aceh") for i in range(4)])
    index.close()

    with smtp_receiver() as (inbox, smtp_port):
        env = airflow_env(tmp_path / "airflow", WASPADA_DATA_DIR=str(data), WASPADA_INDEX_BACKEND="sqlite",
                          WASPADA_ALERT_RULES_DIR=str(rules), WASPADA_SMTP_HOST="127.0.0.1",
                          WASPADA_SMTP_PORT=str(smtp_port))
        migrate(env)
        # Logical dates after the DAG's start_date (tasks exist only from then); `now` sets the
        # moment the rules are evaluated at, on the seeded day.
        conf = '{"now": "2024-02-10T11:20:00+00:00"}'
        for logical_date in ("2026-02-14T11:20:00+00:00", "2026-02-14T11:30:00+00:00"):
            result = run_airflow(env, "test", "waspada_alerts", logical_date, conf)
            assert result.get("state") == "success", result
            assert set(result["task_states"].values()) == {"success"}, result["task_states"]

    assert [rcpt for rcpt, _ in inbox.messages] == [["piket@polri.example"]]  # once, though the DAG ran twice
    db = sqlite3.connect(data / "web.db")
    alerts = db.execute("SELECT rule, key, count, investigation_id FROM alerts").fetchall()
    assert alerts == [("dag-frekuensi", "Aceh", 4, 1)]
    linked = db.execute("SELECT COUNT(*) FROM investigation_items WHERE investigation_id = 1").fetchone()[0]
    assert linked == 4
    assert db.execute("SELECT status FROM notifications").fetchall() == [("sent",)]
