"""Start, wait for and stop the processes the scale check owns, and only those.

Every service runs in its own session, so its process group id is the pid we started and a signal
to the group reaches its children (a launcher and its JVM, a postmaster and its backends) and
nothing else on the machine. ``Stack`` remembers what was started and stops it in reverse order,
also when the check fails half-way.
"""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from pathlib import Path
from typing import Callable, Protocol


class NotUp(RuntimeError):
    """A service did not come up (or back) within its wait; the message names it and shows its log."""


def free_ports(count: int) -> list[int]:
    """``count`` distinct free TCP ports on 127.0.0.1 (held open together so none repeats)."""
    socks = []
    try:
        for _ in range(count):
            sock = socket.socket()
            sock.bind(("127.0.0.1", 0))
            socks.append(sock)
        return [sock.getsockname()[1] for sock in socks]
    finally:
        for sock in socks:
            sock.close()


def wait_until(ready: Callable[[], bool], *, timeout: float, what: str, alive: Callable[[], bool] = lambda: True,
               log: Callable[[], str] = lambda: "", interval: float = 0.5) -> float:
    """Poll ``ready`` until it is true; return the seconds it took. Raise ``NotUp`` naming ``what``
    if ``timeout`` passes or ``alive`` turns false first."""
    start = time.monotonic()
    while True:
        try:
            if ready():
                return time.monotonic() - start
        except OSError:
            pass
        if not alive():
            raise NotUp(f"{what} exited before it was ready:\n{log()}")
        if time.monotonic() - start > timeout:
            raise NotUp(f"{what} not ready after {timeout:.0f}s:\n{log()}")
        time.sleep(interval)


def tail(path: Path, lines: int = 25) -> str:
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:]) if path.exists() else f"(no log at {path})"


class Service(Protocol):
    name: str

    def stop(self) -> None: ...


class Daemon:
    """One command run in its own session, its output in ``log``. ``stop`` signals its group only."""

    def __init__(self, name: str, cmd: list[str], log: Path, env: dict[str, str] | None = None,
                 stop_signal: int = signal.SIGTERM) -> None:
        self.name = name
        self.cmd = cmd
        self.log = log
        self.env = env
        self.stop_signal = stop_signal
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        with open(self.log, "ab") as out:
            self.proc = subprocess.Popen(self.cmd, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                         env={**os.environ, **(self.env or {})}, start_new_session=True)

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def log_tail(self) -> str:
        return tail(self.log)

    def stop(self, wait: float = 30) -> None:
        if self.proc is None:
            return
        for sig in (self.stop_signal, signal.SIGKILL):
            try:
                os.killpg(self.proc.pid, sig)
            except ProcessLookupError:
                break
            deadline = time.monotonic() + wait
            while time.monotonic() < deadline and _group_exists(self.proc.pid):
                self.proc.poll()
                time.sleep(0.2)
            if not _group_exists(self.proc.pid):
                break
        self.proc.poll()


def _group_exists(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class Stack:
    """What the check started, stopped in reverse order on exit (success or failure)."""

    def __init__(self) -> None:
        self.services: list[Service] = []

    def add(self, service: Service) -> Service:
        self.services.append(service)
        return service

    def __enter__(self) -> "Stack":
        return self

    def __exit__(self, *exc) -> None:
        self.stop_all()

    def stop_all(self) -> None:
        while self.services:
            service = self.services.pop()
            try:
                service.stop()
            except Exception as err:  # keep stopping the rest; say what could not be stopped
                print(f"scale-check: could not stop {service.name}: {err}", flush=True)
