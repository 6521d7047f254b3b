"""The engagement DAG through `dag.test()`: flagged posts in a SQLite index, their platforms
served by the mock server on 127.0.0.1; the run ending at the window's end refreshes their counts
and marks the deleted one, and a run a week later fetches nothing."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from airflow_env import airflow_env, migrate, require_airflow, run_airflow
from tests.engagement.engagement_helpers import posts, write_sources
from tests.mockserver.server import MockServer

pytestmark = pytest.mark.slow

#: The posts were first seen two hours before NOW; the run tested ends its data interval at NOW,
#: the end of its refresh window (the DAG's start_date is in 2026, so are its runs).
NOW = datetime(2026, 2, 14, 12, 20, tzinfo=timezone.utc)
LOGICAL_DATE = "2026-02-14T12:20:00+00:00"
WEEK_LATER = "2026-02-21T12:20:00+00:00"


def test_engagement_dag_refreshes_counts(tmp_path):
    require_airflow()
    from waspada.index import open_index

    data = tmp_path / "data"
    with MockServer() as server:
        docs = posts(server.base_url, now=NOW)
        index = open_index("sqlite", path=data / "waspada.db")
        assert index.upsert(docs.values()).failed == []
        index.close()
        env = airflow_env(tmp_path / "airflow", WASPADA_DATA_DIR=str(data), WASPADA_INDEX_BACKEND="sqlite",
                          WASPADA_SOURCES_PATH=str(write_sources(tmp_path / "sources.yaml", server.base_url)),
                          WASPADA_CRAWL_POLITE="false", WASPADA_CRAWL_TIMEOUT="5")
        migrate(env)
        for logical_date in (LOGICAL_DATE, WEEK_LATER):
            result = run_airflow(env, "test", "waspada_engagement", logical_date)
            assert result.get("state") == "success", result
            assert result["task_states"] == {"refresh_engagement[-1]": "success"}
            assert result["data_interval"][1].startswith(logical_date[:16].replace("T", " ")), result["data_interval"]
        hits = list(server.hits)

    index = open_index("sqlite", path=data / "waspada.db")
    try:
        def doc(name):
            return index.get(docs[name]["waspada"]["id"])["waspada"]
        assert doc("m105")["engagement"]["likes"] == 40 and doc("m105")["engagement"]["refreshed_at"]
        assert doc("t201")["engagement"]["views"] == 2500
        assert doc("m104")["post"]["deleted_reason"].startswith("http_404")
        assert doc("m101")["engagement"]["likes"] == 7  # its 500 failed only itself, and not the run
    finally:
        index.close()
    # The week-later run found nothing first seen in its window: each post was asked for once.
    assert hits.count("/api/v1/statuses/105") == 1 and "/api/v1/statuses/102" not in hits
