"""The scale check's parts, each on its own: what it counts, how it paces and gates the writer,
and that it stops exactly what it started. The whole check (three Elasticsearch nodes, a node
kill) is `make scale-check`, run in short form from .ci/run: too slow for the suite."""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import threading
import time
import uuid
from pathlib import Path

import pytest

from scale.load import Writer, count_ids, demo_records, documents
from scale.processes import Daemon, NotUp, Stack, free_ports, wait_until
from scale.services import Postgres, Redis


def test_demo_posts_scale_up_to_distinct_documents():
    docs = documents(demo_records(2500))  # more than the demo site's few hundred: several portal copies
    ids = [doc["waspada"]["id"] for doc in docs]
    assert len(set(ids)) == 2500
    assert len({doc["waspada"]["source"]["id"] for doc in docs}) > 10


class RecordingIndex:
    def __init__(self):
        self.calls: list[int] = []

    def upsert(self, docs):
        from waspada.index.base import BulkResult
        self.calls.append(len(docs))
        return BulkResult(indexed=len(docs))


def test_writer_stops_at_each_gate_until_it_opens():
    docs = documents(demo_records(1000))
    index, gate = RecordingIndex(), threading.Event()
    writer = Writer(index, docs, batch=100, gates={300: gate})
    writer.start()
    wait_until(lambda: writer.acknowledged == 300, timeout=10, what="the first three batches")
    time.sleep(0.3)
    assert writer.alive() and writer.acknowledged == 300  # held at the gate, not past it
    gate.set()
    writer.thread.join(timeout=10)
    assert writer.acknowledged == 1000 and writer.error is None and index.calls == [100] * 10


def test_writer_reports_a_gate_that_never_opens():
    writer = Writer(RecordingIndex(), documents(demo_records(1000)), batch=500, gates={500: threading.Event()},
                    gate_timeout=0.2)
    writer.start()
    writer.thread.join(timeout=5)
    assert isinstance(writer.error, TimeoutError) and writer.acknowledged == 500


def test_free_ports_are_distinct():
    ports = free_ports(20)
    assert len(set(ports)) == 20


def test_wait_until_names_what_did_not_come_up():
    with pytest.raises(NotUp, match="the frobnicator not ready after 0s"):
        wait_until(lambda: False, timeout=0.2, what="the frobnicator", interval=0.05)
    with pytest.raises(NotUp, match="the frobnicator exited"):
        wait_until(lambda: False, timeout=5, what="the frobnicator", alive=lambda: False)


def test_stack_stops_what_it_started_in_reverse_order_even_on_failure(tmp_path):
    stopped = []

    class Fake:
        def __init__(self, name):
            self.name = name

        def stop(self):
            stopped.append(self.name)

    with pytest.raises(RuntimeError):
        with Stack() as stack:
            stack.add(Fake("a"))
            stack.add(Fake("b"))
            raise RuntimeError("boom")
    assert stopped == ["b", "a"]


def test_daemon_stop_ends_its_whole_process_group_and_nothing_else(tmp_path):
    bystander = subprocess.Popen(["sleep", "60"], start_new_session=True)
    # A parent that ignores SIGTERM and a child: stop() must escalate and reach both.
    daemon = Daemon("sleeper", ["bash", "-c", "trap '' TERM; sleep 60 & wait"], tmp_path / "log")
    daemon.start()
    wait_until(lambda: "sleep" in subprocess.run(["ps", "-o", "comm=", "-g", str(daemon.proc.pid)],
                                                 capture_output=True, text=True).stdout,
               timeout=30, what="the sleeper's child")
    daemon.stop(wait=10)  # a loaded machine may take seconds to deliver and reap
    try:
        with pytest.raises(ProcessLookupError):
            os.killpg(daemon.proc.pid, 0)
        assert bystander.poll() is None
    finally:
        bystander.kill()
        bystander.wait()


@pytest.mark.skipif(shutil.which("redis-server") is None, reason="redis-server not installed (make scale-packages)")
def test_redis_starts_with_a_password_and_stops(tmp_path):
    redis = Redis(tmp_path)
    redis.start()
    try:
        redis.wait_ready(timeout=20)
        assert redis.url.startswith(f"redis://:{redis.password}@127.0.0.1:{redis.port}/")
    finally:
        redis.stop()
    assert not redis.alive()


@pytest.mark.slow
def test_postgres_serves_the_airflow_database_and_stops():
    # Not tmp_path: PostgreSQL's own user must reach the directory, as in the check's mkdtemp.
    base = Path(tempfile.mkdtemp(prefix="waspada-scale-test-"))
    os.chmod(base, 0o711)
    try:
        try:
            postgres = Postgres(base)
        except NotUp as exc:
            pytest.skip(str(exc))
        postgres.init()
        postgres.start()
        try:
            postgres.wait_ready(timeout=60)
            assert postgres.query("select current_user || '@' || current_database()") == "airflow@airflow"
        finally:
            postgres.stop()
        assert not postgres.alive()
    finally:
        shutil.rmtree(base, ignore_errors=True)


@pytest.mark.elasticsearch
def test_count_ids_finds_the_lost_the_doubled_and_the_unexpected(es_url):
    from elasticsearch import Elasticsearch

    client = Elasticsearch(es_url)
    alias = f"scale-count-{uuid.uuid4().hex[:8]}"
    try:
        for month in ("a", "b"):
            client.indices.create(index=f"{alias}-{month}", aliases={alias: {}})
        for doc_id in ("1", "2", "3"):
            client.index(index=f"{alias}-a", id=doc_id, document={"n": doc_id})
        client.index(index=f"{alias}-b", id="2", document={"n": "2"})  # the same post in a second index
        client.index(index=f"{alias}-b", id="9", document={"n": "9"})  # nobody sent this one
        counted = count_ids(client, alias, {"1", "2", "3", "4"})
        assert (counted.indexed, counted.lost, counted.duplicated) == (5, 1, 2)
        assert count_ids(client, alias, {"1", "3"}).lost == 0
    finally:
        client.indices.delete(index=f"{alias}-*")
        client.close()


def test_airflow_settings_are_the_compose_files_names_or_say_why_not():
    from scale.airflow_stack import CHECK_ONLY, NOT_FROM_COMPOSE, compose_environment

    compose = set(compose_environment())
    assert set(NOT_FROM_COMPOSE) <= compose, "a setting left out must be one the compose file sets"
    assert not set(CHECK_ONLY) & compose, "a setting the compose file sets is not check-only"


def test_airflow_stack_sets_every_compose_setting_it_does_not_explain(tmp_path):
    from scale.airflow_stack import NOT_FROM_COMPOSE, Airflow, compose_environment
    from scale.ingest_run import waspada_environment

    settings = {"AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": "postgresql+psycopg2://a@127.0.0.1:1/airflow",
                "AIRFLOW__CELERY__RESULT_BACKEND": "db+postgresql+psycopg2://a@127.0.0.1:1/airflow",
                "AIRFLOW__CELERY__BROKER_URL": "redis://:p@127.0.0.1:2/0",
                **waspada_environment(tmp_path, tmp_path / "sources.yaml", ["http://127.0.0.1:3"], "alias")}
    airflow = Airflow(tmp_path, settings)
    missing = set(compose_environment()) - set(airflow.env) - set(NOT_FROM_COMPOSE)
    assert not missing, f"compose settings the check neither sets nor explains: {sorted(missing)}"
    (tmp_path / "again").mkdir()
    with pytest.raises(ValueError, match="WASPADA_NOT_A_SETTING"):
        Airflow(tmp_path / "again", {**settings, "WASPADA_NOT_A_SETTING": "1"})


def test_demo_sources_split_into_one_crawl_group_each(tmp_path):
    from scale.ingest_run import write_grouped_sources
    from waspada.crawl import source_groups

    groups = write_grouped_sources("http://127.0.0.1:1", tmp_path / "sources.yaml")
    assert groups >= 4  # more crawl tasks than one worker's two slots
    assert len(source_groups(tmp_path / "sources.yaml")) == groups


def test_workers_record_the_hostname_they_are_given(monkeypatch):
    from scale.worker_hostname import hostname

    monkeypatch.setenv("WASPADA_SCALE_HOSTNAME", "worker2")
    assert hostname() == "worker2"
    monkeypatch.delenv("WASPADA_SCALE_HOSTNAME")
    assert hostname()
