"""The ingest DAG end to end with `dag.test()`: the demo site on 127.0.0.1 is crawled, classified
and indexed, on SQLite and on the real Elasticsearch; a second run of the same interval changes
neither the index nor the evidence store.

Each test has its own AIRFLOW_HOME with a SQLite metadata database, and runs Airflow in child
processes (see airflow_env.py); the demo site runs in this process.
"""
from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest

from airflow_env import REPO, airflow_env, migrate, require_airflow, run_airflow

pytestmark = pytest.mark.slow

#: Any 30-minute boundary; both runs of a test use the same one.
LOGICAL_DATE = "2026-02-14T08:30:00+00:00"


@pytest.fixture(scope="module")
def demo_base_url():
    from waspada.demosite import serve
    server, base_url = serve(0)
    yield base_url
    server.shutdown()


@pytest.fixture(scope="module")
def model_dir():
    """The model the DAG classifies with: WASPADA_MODEL_DIR if set, else the bundled artifact.

    (Checked by path: `import models` here could find tests/models, which shadows the package.)"""
    configured = os.environ.get("WASPADA_MODEL_DIR", "")
    directory = Path(configured).expanduser() if configured else REPO / "models" / "artifact"
    if not (directory / "config.json").is_file():
        pytest.skip(f"no model to classify with in {directory}; commit models/artifact or set WASPADA_MODEL_DIR")
    return configured


@pytest.fixture
def ingest_env(tmp_path, demo_base_url, model_dir):
    """An Airflow home with a migrated SQLite metadata DB and Waspada settings for the demo crawl."""
    require_airflow()
    from waspada.demosite import write_sources
    sources = _two_groups(write_sources(demo_base_url, tmp_path / "demo-sources.yaml"))
    data = tmp_path / "data"

    def make(**settings: str) -> dict[str, str]:
        env = airflow_env(tmp_path / "airflow", WASPADA_DATA_DIR=str(data), WASPADA_SOURCES_PATH=str(sources),
                          WASPADA_CRAWL_POLITE="false", WASPADA_MODEL_DIR=model_dir, **settings)
        migrate(env)
        return env

    make.data = data
    return make


def _two_groups(sources: Path) -> Path:
    """Spread the demo sources over two groups, so the crawl is mapped over more than one."""
    import yaml
    raw = yaml.safe_load(sources.read_text(encoding="utf-8"))
    for i, entry in enumerate(raw["sources"]):
        entry["group"] = f"demo-{i % 2}"
    sources.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return sources


def _evidence(data: Path) -> dict[str, int]:
    root = data / "evidence"
    return {str(p.relative_to(root)): p.stat().st_size for p in root.rglob("*") if p.is_file()}


def _run_ok(env: dict[str, str], conf: str = "{}") -> dict:
    result = run_airflow(env, "test", "waspada_ingest", LOGICAL_DATE, conf)
    assert result.get("state") == "success", result
    mapped = {t: state for t, state in result["task_states"].items() if t.startswith("crawl_group[")}
    assert len(mapped) == 2, f"one crawl per source group (demo-0, demo-1), got {mapped}"
    assert set(mapped.values()) == {"success"}, mapped
    return result


def _ingest_twice(env: dict[str, str], data: Path, count) -> int:
    first = _run_ok(env)
    spool = sorted(p.relative_to(data / "spool") for p in (data / "spool").glob("*/*.jsonl"))
    assert spool, "the crawl wrote no spool file"
    assert {p.name for p in spool} == {window_of(first) + ".jsonl"}, f"spool files are named by the interval, got {spool}"
    indexed = count()
    assert indexed > 0, "the run indexed nothing"
    events = [e for e in first["asset_events"] if e["uri"].rstrip("/") == "waspada://flagged"]  # Airflow adds the /
    assert len(events) == 1, f"the run did not update the flagged asset once: {first['asset_events']}"
    assert events[0]["extra"]["indexed"] == indexed and events[0]["extra"]["window"] == window_of(first)
    evidence = _evidence(data)
    assert evidence, "flagged posts kept no evidence"

    second = _run_ok(env)
    assert second["data_interval"] == first["data_interval"]
    assert sorted(p.relative_to(data / "spool") for p in (data / "spool").glob("*/*.jsonl")) == spool
    assert count() == indexed, "a second run of the same interval changed the number of indexed documents"
    assert _evidence(data) == evidence, "a second run of the same interval changed the evidence store"
    return indexed


def window_of(result: dict) -> str:
    from datetime import datetime, timezone
    start = datetime.fromisoformat(result["data_interval"][0]).astimezone(timezone.utc)
    return start.strftime("%Y-%m-%dT%H-%M")


def test_ingest_on_sqlite(ingest_env):
    env = ingest_env(WASPADA_INDEX_BACKEND="sqlite")
    data = ingest_env.data

    def count() -> int:
        from waspada.index import open_index
        index = open_index("sqlite", path=data / "waspada.db")
        try:
            return index.count()
        finally:
            index.close()

    indexed = _ingest_twice(env, data, count)

    # Fetching the interval's pages anew rewrites the spool files and reprocesses them: the same
    # posts get the same ids, so the index still holds the same documents.
    mtimes = {p: p.stat().st_mtime_ns for p in (data / "spool").glob("*/*.jsonl")}
    _run_ok(env, '{"recrawl": true}')
    assert all(p.stat().st_mtime_ns != m for p, m in mtimes.items()), "recrawl did not fetch the groups again"
    assert count() == indexed, "re-crawling the same interval changed the number of indexed documents"


@pytest.mark.elasticsearch
def test_ingest_on_elasticsearch(ingest_env, es_url):
    alias = f"waspada-dagtest-{uuid.uuid4().hex[:8]}"
    env = ingest_env(WASPADA_INDEX_BACKEND="elasticsearch", WASPADA_ES_URL=es_url, WASPADA_ES_INDEX=alias,
                     WASPADA_ES_ANALYZER="standard", WASPADA_ES_REPLICAS="0")
    from waspada.index import open_index
    index = open_index("elasticsearch", url=es_url, alias=alias, analyzer="standard", replicas=0)

    def count() -> int:
        index.client.indices.refresh(index=alias)
        return index.count()

    try:
        _ingest_twice(env, ingest_env.data, count)
    finally:
        index.client.indices.delete(index=f"{alias}-*", ignore_unavailable=True, allow_no_indices=True)
        index.client.options(ignore_status=404).indices.delete_index_template(name=alias)
        index.close()
