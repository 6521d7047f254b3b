"""The defacement watch DAG through `dag.test()`: official pages served by the mock server on
127.0.0.1; the first run takes the baselines, the page is then defaced, and the next run opens an
investigation and emails it to a real SMTP server on 127.0.0.1, without failing the task."""
from __future__ import annotations

import sqlite3

import pytest
import yaml

from airflow_env import airflow_env, migrate, require_airflow, run_airflow
from conftest_helpers import smtp_receiver
from tests.mockserver.official_pages import state as page_state
from tests.mockserver.server import MockServer

pytestmark = pytest.mark.slow


def test_pages_dag_baselines_then_alerts_on_a_defaced_page(tmp_path):
    require_airflow()
    data = tmp_path / "data"
    with smtp_receiver() as (inbox, smtp_port):
        with MockServer() as server:
            urls = [server.url("/resmi/halaman?id=dag-kpu"), server.url("/resmi/halaman?id=dag-bawaslu")]
            pages = tmp_path / "pages.yaml"
            pages.write_text(yaml.safe_dump({"pages": [{"url": u, "name": f"Halaman {n}", "body": "KPU"}
                                                       for n, u in enumerate(urls)]}), encoding="utf-8")
            env = airflow_env(tmp_path / "airflow", WASPADA_DATA_DIR=str(data), WASPADA_PAGES_PATH=str(pages),
                              WASPADA_SMTP_HOST="127.0.0.1", WASPADA_SMTP_PORT=str(smtp_port),
                              WASPADA_ALERT_EMAIL_TO="piket-siber@polri.example", WASPADA_CRAWL_TIMEOUT="5")
            migrate(env)
            for logical_date, serving in (("2026-02-14T08:10:00+00:00", "kpu-beranda.html"),
                                          ("2026-02-14T08:40:00+00:00", "kpu-beranda-diretas.html")):
                page_state(server.httpd)["dag-kpu"] = serving
                result = run_airflow(env, "test", "waspada_pages", logical_date)
                assert result.get("state") == "success", result
                assert result["task_states"] == {"check_pages[-1]": "success"}

    [(rcpt, message)] = inbox.messages
    assert rcpt == ["piket-siber@polri.example"] and "diretas" in message["Subject"]
    db = sqlite3.connect(data / "web.db")
    assert db.execute("SELECT rule, rule_type, key, investigation_id FROM alerts").fetchall() == [
        ("halaman-resmi-diubah", "defaced", urls[0], 1)]
    assert db.execute("SELECT rule_key, status FROM investigations").fetchall() == [(urls[0], "open")]
    checks = sqlite3.connect(data / "state" / "pages.db").execute(
        "SELECT url, verdict FROM page_checks ORDER BY id").fetchall()
    assert checks == [(urls[0], "baselined"), (urls[1], "baselined"), (urls[0], "defaced"), (urls[1], "ok")]
