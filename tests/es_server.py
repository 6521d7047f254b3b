"""Start and stop a real Elasticsearch for tests (DESIGN.md: "A real Elasticsearch in tests").

The distribution is Elastic's integration-test zip, installed by ``scripts/es-test-server.sh``
into ``/var/cache/waspada`` (``~/.cache/waspada`` when not root). Each ``EsServer`` gets its own config, data and log directories under
one temporary directory, a free HTTP port, and runs in its own process group so that stopping it
(or SIGKILLing it, for the outage test) ends exactly the processes we started and nothing else.
"""
from __future__ import annotations

import atexit
import glob
import json
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

ES_VERSION = os.environ.get("WASPADA_ES_VERSION", "9.2.0")
ES_USER = os.environ.get("WASPADA_ES_USER", "waspada-es")
SETUP_HINT = "run scripts/es-test-server.sh (or `make setup`) to install it"


class EsUnavailable(RuntimeError):
    """The test Elasticsearch is not installed or cannot run here; the message says what is missing."""


def es_home() -> Path:
    # As root the cache lives outside /root, which the unprivileged server user cannot enter.
    default = Path("/var/cache/waspada") if os.geteuid() == 0 else Path.home() / ".cache" / "waspada"
    cache = Path(os.environ.get("WASPADA_ES_CACHE", default))
    return Path(os.environ.get("WASPADA_ES_HOME", cache / f"elasticsearch-{ES_VERSION}"))


def java_home() -> Path:
    """A JDK 21+ for Elasticsearch 9: ES_JAVA_HOME if set, else the newest Temurin under /usr/lib/jvm."""
    if os.environ.get("ES_JAVA_HOME"):
        return Path(os.environ["ES_JAVA_HOME"])
    candidates = sorted(glob.glob("/usr/lib/jvm/temurin-*"))
    if not candidates:
        raise EsUnavailable("no JDK 21+ found (looked for /usr/lib/jvm/temurin-*); set ES_JAVA_HOME")
    return Path(candidates[-1])


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class EsServer:
    """One single-node Elasticsearch. ``start()`` may be called again after ``kill()`` to bring
    the same node back on the same data directory and port."""

    def __init__(self, settings: dict[str, str] | None = None, heap: str = "512m") -> None:
        self.home = es_home()
        if not (self.home / "bin" / "elasticsearch").exists():
            raise EsUnavailable(f"Elasticsearch {ES_VERSION} is not installed at {self.home}; {SETUP_HINT}")
        self.java = java_home()
        self.heap = heap
        self.port = free_port()
        self.base = Path(tempfile.mkdtemp(prefix="waspada-es-"))
        self.settings = {
            "cluster.name": f"waspada-test-{self.port}",
            "node.name": "node-1",
            "discovery.type": "single-node",
            "network.host": "127.0.0.1",
            "http.port": str(self.port),
            "transport.port": str(free_port()),
            "xpack.security.enabled": "false",
            # Test machines have full disks often enough; never let a watermark block writes.
            "cluster.routing.allocation.disk.threshold_enabled": "false",
            "action.destructive_requires_name": "false",
            "path.data": str(self.base / "data"),
            "path.logs": str(self.base / "logs"),
            **(settings or {}),
        }
        self.proc: subprocess.Popen | None = None
        self._prepare()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _prepare(self) -> None:
        conf = self.base / "config"
        shutil.copytree(self.home / "config", conf)
        (conf / "elasticsearch.yml").write_text(
            "".join(f"{key}: {json.dumps(value)}\n" for key, value in self.settings.items()))
        for sub in ("data", "logs"):
            (self.base / sub).mkdir()
        if os.geteuid() == 0:
            # Elasticsearch refuses root: everything it writes must belong to its own user.
            try:
                user = pwd.getpwnam(ES_USER)
            except KeyError:
                raise EsUnavailable(f"user {ES_USER!r} does not exist; {SETUP_HINT}") from None
            for path in [self.base, *self.base.rglob("*")]:
                os.chown(path, user.pw_uid, user.pw_gid)

    def start(self) -> None:
        env_vars = {"ES_JAVA_HOME": str(self.java), "ES_PATH_CONF": str(self.base / "config"),
                    "ES_JAVA_OPTS": f"-Xms{self.heap} -Xmx{self.heap}"}
        cmd = [str(self.home / "bin" / "elasticsearch")]
        if os.geteuid() == 0:
            cmd = ["runuser", "-u", ES_USER, "--", "env", *(f"{k}={v}" for k, v in env_vars.items()), *cmd]
        log = open(self.base / "stdout.log", "ab")
        # A new session makes the whole tree (launcher + server JVM) one process group we can kill.
        self.proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                     env={**os.environ, **env_vars}, start_new_session=True)
        log.close()
        # Should the test process die without running its fixtures' teardown, do not leak a JVM.
        atexit.register(self.stop)

    def wait_healthy(self, timeout: float = 90.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc is not None and self.proc.poll() is not None:
                raise EsUnavailable(f"Elasticsearch exited with {self.proc.returncode}:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(
                        f"{self.url}/_cluster/health?wait_for_status=yellow&timeout=2s", timeout=5) as resp:
                    if json.load(resp).get("status") in ("yellow", "green"):
                        return
            except (OSError, ValueError):
                pass
            time.sleep(0.5)
        raise EsUnavailable(f"Elasticsearch on {self.url} not healthy after {timeout:.0f}s:\n{self.log_tail()}")

    def log_tail(self, lines: int = 30) -> str:
        path = self.base / "stdout.log"
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:]) if path.exists() else ""

    def kill(self) -> None:
        """SIGKILL the server, as a crash would: no flush, no clean shutdown."""
        self._signal(signal.SIGKILL, wait=30)

    def stop(self) -> None:
        self._signal(signal.SIGTERM, wait=30)
        if self.proc is not None and self.proc.poll() is None:
            self._signal(signal.SIGKILL, wait=30)

    def _signal(self, sig: int, wait: float) -> None:
        if self.proc is None or self.proc.poll() is not None:
            self._reap_group()
            return
        try:
            os.killpg(self.proc.pid, sig)  # our own group: the pid we started leads it
        except ProcessLookupError:
            pass
        try:
            self.proc.wait(timeout=wait)
        except subprocess.TimeoutExpired:
            pass
        self._reap_group()

    def _reap_group(self) -> None:
        # The JVM may outlive the launcher by a moment; wait until nothing in our group is left so a
        # restart on the same data directory does not trip over the old node's lock.
        if self.proc is None:
            return
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                os.killpg(self.proc.pid, 0)
            except ProcessLookupError:
                return
            except PermissionError:
                pass
            time.sleep(0.2)

    def cleanup(self) -> None:
        self.stop()
        shutil.rmtree(self.base, ignore_errors=True)
