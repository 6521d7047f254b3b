"""Airflow's broker and metadata database as the compose file runs them: Redis with a password,
PostgreSQL with a password-protected ``airflow`` user and database. Both run from Debian's
packages on free ports on 127.0.0.1, with their data in the check's temporary directory.
"""
from __future__ import annotations

import glob
import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
from pathlib import Path

from scale.processes import Daemon, NotUp, free_ports, wait_until

#: PostgreSQL refuses to run as root; Debian's package creates this user.
PG_USER = os.environ.get("WASPADA_SCALE_PG_USER", "postgres")


class Redis(Daemon):
    """``redis-server`` on a free port, password required, nothing persisted (a broker queue)."""

    def __init__(self, base: Path) -> None:
        exe = shutil.which("redis-server")
        if exe is None:
            raise NotUp("redis-server not found: install Debian's redis-server (`make scale-packages`)")
        self.port = free_ports(1)[0]
        self.password = secrets.token_hex(16)
        data = base / "redis"
        data.mkdir()
        super().__init__("redis", [exe, "--bind", "127.0.0.1", "--port", str(self.port), "--dir", str(data),
                                   "--save", "", "--appendonly", "no", "--requirepass", self.password,
                                   "--daemonize", "no"], base / "redis.log")

    @property
    def url(self) -> str:
        return f"redis://:{self.password}@127.0.0.1:{self.port}/0"

    def ping(self) -> bool:
        with socket.create_connection(("127.0.0.1", self.port), timeout=2) as sock:
            sock.sendall(f"AUTH {self.password}\r\nPING\r\n".encode())
            reply = b""
            while reply.count(b"\r\n") < 2:
                chunk = sock.recv(256)
                if not chunk:
                    break
                reply += chunk
        return reply == b"+OK\r\n+PONG\r\n"

    def wait_ready(self, timeout: float = 30) -> float:
        return wait_until(self.ping, timeout=timeout, what=f"Redis on 127.0.0.1:{self.port}",
                          alive=self.alive, log=self.log_tail)


def pg_bin(name: str) -> str:
    """A PostgreSQL server binary: on PATH, else in Debian's versioned directory."""
    found = shutil.which(name) or next(iter(sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)), None)
    if found is None:
        raise NotUp(f"PostgreSQL's {name} not found: install Debian's postgresql (`make scale-packages`)")
    return found


class Postgres(Daemon):
    """A fresh cluster (``initdb``) on a free port, owned by ``PG_USER`` when we are root.
    ``airflow`` owns the ``airflow`` database and logs in with a generated password over TCP."""

    def __init__(self, base: Path) -> None:
        self.port = free_ports(1)[0]
        self.password = secrets.token_hex(16)
        self.dir = base / "postgres"
        self.dir.mkdir()
        self.data = self.dir / "data"
        (self.dir / "pwfile").write_text(self.password + "\n")
        self.as_user: list[str] = []
        if os.geteuid() == 0:
            try:
                user = pwd.getpwnam(PG_USER)
            except KeyError:
                raise NotUp(f"user {PG_USER!r} does not exist: install Debian's postgresql, or set "
                            "WASPADA_SCALE_PG_USER to an unprivileged user") from None
            os.chown(self.dir, user.pw_uid, user.pw_gid)
            os.chown(self.dir / "pwfile", user.pw_uid, user.pw_gid)
            self.as_user = ["runuser", "-u", PG_USER, "--"]
        # SIGINT is PostgreSQL's "fast" shutdown: abort sessions, write a checkpoint, exit.
        super().__init__("postgres", [*self.as_user, pg_bin("postgres"), "-D", str(self.data), "-p", str(self.port),
                                      "-h", "127.0.0.1", "-k", str(self.dir)],
                         base / "postgres.log", stop_signal=signal.SIGINT)

    def init(self) -> None:
        run = subprocess.run([*self.as_user, pg_bin("initdb"), "-D", str(self.data), "-U", "airflow",
                              "--pwfile", str(self.dir / "pwfile"), "--auth-host=scram-sha-256",
                              "--auth-local=scram-sha-256", "-E", "UTF8", "--no-instructions"],
                             capture_output=True, text=True, timeout=120)
        if run.returncode != 0:
            raise NotUp(f"initdb failed ({run.returncode}):\n{run.stdout[-2000:]}{run.stderr[-2000:]}")

    @property
    def url(self) -> str:
        return f"postgresql+psycopg2://airflow:{self.password}@127.0.0.1:{self.port}/airflow"

    def _psql(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run([pg_bin("psql"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "airflow",
                               "-v", "ON_ERROR_STOP=1", "-At", *args], capture_output=True, text=True,
                              timeout=30, env={**os.environ, "PGPASSWORD": self.password})

    def wait_ready(self, timeout: float = 60) -> float:
        took = wait_until(lambda: self._psql("-d", "postgres", "-c", "select 1").returncode == 0, timeout=timeout,
                          what=f"PostgreSQL on 127.0.0.1:{self.port}", alive=self.alive, log=self.log_tail)
        made = self._psql("-d", "postgres", "-c", "create database airflow owner airflow")
        if made.returncode != 0 and "already exists" not in made.stderr:
            raise NotUp(f"could not create the airflow database: {made.stderr.strip()}")
        return took

    def query(self, sql: str) -> str:
        done = self._psql("-d", "airflow", "-c", sql)
        if done.returncode != 0:
            raise RuntimeError(f"psql {sql!r}: {done.stderr.strip()}")
        return done.stdout.strip()


def airflow_environment(redis: Redis, postgres: Postgres) -> dict[str, str]:
    """The settings docker-compose.yml gives every Airflow container for its broker and database,
    by the same names, pointing at the services started here."""
    return {
        "AIRFLOW__CORE__EXECUTOR": "CeleryExecutor",
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": postgres.url,
        # The compose file's value names no driver (db+postgresql://): SQLAlchemy 2.1 then loads
        # psycopg 3, which is not installed; name psycopg2, the driver the connection uses.
        "AIRFLOW__CELERY__RESULT_BACKEND": "db+" + postgres.url,
        "AIRFLOW__CELERY__BROKER_URL": redis.url,
    }
