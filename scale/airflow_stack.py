"""Airflow 3 on the CeleryExecutor as separate processes: API server, scheduler, dag-processor
and Celery workers, configured by the settings names docker-compose.yml gives its Airflow
containers (``x-airflow-common.environment``), with values that point at this machine.

Where the check differs from the compose file it says so in ``NOT_FROM_COMPOSE`` (settings the
compose file sets that the check leaves out, and why) and ``CHECK_ONLY`` (settings the check
adds); a test keeps both lists in step with the compose file.
"""
from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
import time
import urllib.request
from base64 import urlsafe_b64encode
from pathlib import Path

import yaml

from scale.processes import Daemon, NotUp, free_ports, tail, wait_until

ROOT = Path(__file__).resolve().parents[1]

#: Compose settings the check does not set, with the reason.
NOT_FROM_COMPOSE = {
    "AIRFLOW__CORE__AUTH_MANAGER": "FAB is not installed here; Airflow's default simple auth manager serves the API",
    "AIRFLOW__LOGGING__BASE_LOG_FOLDER": "logs go under the check's temporary AIRFLOW_HOME",
    "WASPADA_MODEL_DIR": "the released ONNX model scores, as in the compose default",
    "WASPADA_ALERT_RULES_DIR": "alerts are not run by the check yet",
    "WASPADA_ALERT_EMAIL_TO": "no notifications from a check",
    "WASPADA_ALERT_WEBHOOK_URL": "no notifications from a check",
    "WASPADA_PUBLIC_URL": "no web app in the check",
    "WASPADA_SMTP_HOST": "no mail from a check",
    "WASPADA_SMTP_PORT": "no mail from a check",
    "WASPADA_SMTP_FROM": "no mail from a check",
    "WASPADA_SMTP_USER": "no mail from a check",
    "WASPADA_SMTP_PASSWORD": "no mail from a check",
    "WASPADA_SMTP_STARTTLS": "no mail from a check",
}

#: Settings the check adds to the compose file's, with the reason.
CHECK_ONLY = {
    "AIRFLOW_HOME": "a temporary home per check",
    "AIRFLOW__CORE__HOSTNAME_CALLABLE": "two workers on one machine must record distinct hostnames",
    "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_ALL_ADMINS": "the simple auth manager without users",
    "AIRFLOW__SCHEDULER__SCHEDULER_HEALTH_CHECK_SERVER_HOST": "the health check on 127.0.0.1 only",
    "AIRFLOW__SCHEDULER__SCHEDULER_HEALTH_CHECK_SERVER_PORT": "the health check on a free port",
    "AIRFLOW__CELERY__WORKER_CONCURRENCY": "a small machine: two task slots per worker",
    "AIRFLOW__API__PORT": "the API server on a free port",
    "WASPADA_INDEX_ALL": "index every election post, so the count covers the whole load",
    "WASPADA_CRAWL_POLITE": "the demo site is ours; no AutoThrottle delays",
    "WASPADA_SCALE_HOSTNAME": "read by scale.worker_hostname",
    "PYTHONPATH": "the checkout's code, not an installed copy",
}


def compose_environment(path: Path = ROOT / "docker-compose.yml") -> dict[str, str]:
    """The environment docker-compose.yml gives every Airflow container."""
    compose = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {str(k): str(v) for k, v in compose["x-airflow-common"]["environment"].items()}


def fernet_key() -> str:
    return urlsafe_b64encode(secrets.token_bytes(32)).decode()


class Airflow:
    """The Airflow processes, started from ``python`` (an interpreter with apache-airflow and the
    Celery provider) with ``settings`` (the broker and database) on top of the compose names."""

    name = "airflow"

    def __init__(self, base: Path, settings: dict[str, str], *, workers: int = 2,
                 python: str = sys.executable) -> None:
        self.home = base / "airflow"
        self.home.mkdir()
        self.python = python
        api_port, health_port = free_ports(2)
        self.api_url = f"http://127.0.0.1:{api_port}"
        compose = compose_environment()
        env = {
            "AIRFLOW_HOME": str(self.home),
            "AIRFLOW__CORE__EXECUTOR": "CeleryExecutor",
            "AIRFLOW__CORE__LOAD_EXAMPLES": "false",
            "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "true",
            "AIRFLOW__CORE__DAGS_FOLDER": str(ROOT / "dags"),
            "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"{self.api_url}/execution/",
            "AIRFLOW__CORE__FERNET_KEY": fernet_key(),
            "AIRFLOW__API__SECRET_KEY": secrets.token_hex(16),
            "AIRFLOW__API_AUTH__JWT_SECRET": secrets.token_hex(32),
            "AIRFLOW__SCHEDULER__ENABLE_HEALTH_CHECK": "true",
            "AIRFLOW__SCHEDULER__SCHEDULER_HEALTH_CHECK_SERVER_HOST": "127.0.0.1",
            "AIRFLOW__SCHEDULER__SCHEDULER_HEALTH_CHECK_SERVER_PORT": str(health_port),
            "AIRFLOW__CORE__HOSTNAME_CALLABLE": "scale.worker_hostname.hostname",
            "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_ALL_ADMINS": "true",
            "AIRFLOW__CELERY__WORKER_CONCURRENCY": "2",
            "AIRFLOW__API__PORT": str(api_port),
            "PYTHONPATH": str(ROOT),
            **settings,
        }
        unknown = set(env) - set(compose) - set(CHECK_ONLY)
        if unknown:
            raise ValueError(f"settings not in docker-compose.yml nor in CHECK_ONLY: {sorted(unknown)}")
        self.env = env
        self.worker_count = workers
        self.daemons: list[Daemon] = []
        self.workers: list[Daemon] = []

    def _airflow(self, *args: str) -> list[str]:
        return ["nice", "-n", "19", self.python, "-m", "airflow", *args]

    def run(self, *args: str, timeout: float = 300) -> str:
        """One Airflow CLI command, its output; raises ``NotUp`` naming it if it fails."""
        done = subprocess.run(self._airflow(*args), capture_output=True, text=True, timeout=timeout,
                              env={**os.environ, **self.env})
        if done.returncode != 0:
            raise NotUp(f"`airflow {' '.join(args)}` failed ({done.returncode}):\n{done.stderr[-3000:]}")
        return done.stdout

    def migrate(self) -> None:
        self.run("db", "migrate", timeout=900)

    def _daemon(self, name: str, args: list[str], extra: dict[str, str] | None = None) -> Daemon:
        daemon = Daemon(name, self._airflow(*args), self.home / f"{name}.log", env={**self.env, **(extra or {})})
        daemon.start()
        self.daemons.append(daemon)
        return daemon

    def start(self) -> None:
        port = self.api_url.rsplit(":", 1)[1]
        self._daemon("api-server", ["api-server", "--host", "127.0.0.1", "--port", port, "--workers", "1"])
        self._daemon("scheduler", ["scheduler"])
        self._daemon("dag-processor", ["dag-processor"])
        for n in range(1, self.worker_count + 1):
            self.workers.append(self.start_worker(n))

    def start_worker(self, n: int) -> Daemon:
        host = f"worker{n}"
        # --skip-serve-logs: the log server binds every interface; the task logs are files under
        # AIRFLOW_HOME on this same machine, where the API server reads them.
        return self._daemon(host, ["celery", "worker", "--celery-hostname", f"{host}@%h", "--skip-serve-logs",
                                   "--without-mingle", "--without-gossip"], {"WASPADA_SCALE_HOSTNAME": host})

    def health(self) -> dict:
        with urllib.request.urlopen(f"{self.api_url}/api/v2/monitor/health", timeout=5) as resp:
            return json.load(resp)

    def wait_ready(self, timeout: float = 300) -> float:
        start = time.monotonic()

        def dead() -> str:
            return "; ".join(f"{d.name} exited:\n{d.log_tail()}" for d in self.daemons if not d.alive())

        def ready() -> bool:
            if dead():
                raise NotUp(f"Airflow: {dead()}")
            health = self.health()
            parts = [health.get(k, {}).get("status") for k in ("metadatabase", "scheduler", "dag_processor")]
            workers_up = all(" ready." in tail(w.log, 400) for w in self.workers)
            return parts == ["healthy"] * 3 and workers_up

        def why() -> str:
            try:
                status = json.dumps(self.health())
            except OSError as exc:
                status = f"API server at {self.api_url} not answering ({exc}):\n{self.daemons[0].log_tail()}"
            waiting = [w.name for w in self.workers if " ready." not in tail(w.log, 400)]
            return f"health {status}; workers not ready: {waiting or 'none'}" + "".join(
                f"\n{name} log:\n{tail(self.home / f'{name}.log', 10)}" for name in waiting)

        wait_until(ready, timeout=timeout, what="Airflow (API server, scheduler, dag-processor, workers)", log=why,
                   interval=2)
        return time.monotonic() - start

    def stop(self) -> None:
        for daemon in reversed(self.daemons):
            daemon.stop(wait=20)
