"""Helpers test modules import by name (tests/ is on sys.path via tests/conftest.py).

They live here, not in conftest.py, because several test folders have their own conftest.py and
`from conftest import ...` would pick whichever one Python imported first.
"""
from __future__ import annotations

import os
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest

#: ``params`` for a fixture that runs a test on each index backend (the Elasticsearch one is
#: marked, so ``-m "not elasticsearch"`` leaves it out).
BACKENDS = ["sqlite", pytest.param("elasticsearch", marks=pytest.mark.elasticsearch)]

#: Reasons the Elasticsearch tests were skipped this session, for the terminal summary.
es_skipped: list[str] = []


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def es_unavailable(reason: str) -> None:
    """Skip locally, loudly; fail in CI, where the Elasticsearch tests must run (DESIGN.md)."""
    if in_ci():
        pytest.fail(f"Elasticsearch tests cannot run in CI: {reason}", pytrace=False)
    es_skipped.append(reason)
    pytest.skip(f"ELASTICSEARCH NOT AVAILABLE, tests skipped: {reason}")


def free_port() -> int:
    """A TCP port on 127.0.0.1 nothing listens on right now."""
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class SmtpInbox:
    """aiosmtpd handler keeping every message received: (recipients, parsed message)."""

    def __init__(self) -> None:
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd handler hook
        from email import message_from_bytes, policy
        self.messages.append((envelope.rcpt_tos, message_from_bytes(envelope.content, policy=policy.default)))
        return "250 OK"


@contextmanager
def smtp_receiver():
    """An SMTP server on 127.0.0.1 for the test's duration: yields (inbox, port)."""
    from aiosmtpd.controller import Controller

    inbox = SmtpInbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield inbox, controller.port
    finally:
        controller.stop()


@contextmanager
def backend_index(request, sqlite_path: Path, prefix: str):
    """An empty, ensured index of the backend ``request.param`` names: SQLite at ``sqlite_path``, or
    an Elasticsearch alias ``<prefix>-<random>`` of its own, whose indices and template are removed
    afterwards so tests sharing the server never see each other's documents."""
    from waspada.index import open_index

    if request.param == "sqlite":
        idx = open_index("sqlite", path=sqlite_path)
    else:
        idx = open_index("elasticsearch", url=request.getfixturevalue("es_url"),
                         alias=f"{prefix}-{uuid.uuid4().hex[:12]}", replicas=0, retry_seconds=30)
    idx.ensure()
    try:
        yield idx
    finally:
        if hasattr(idx, "alias"):
            names = list(idx.client.indices.get(index=f"{idx.alias}-*", allow_no_indices=True).body)
            if names:
                idx.client.indices.delete(index=",".join(names))
            idx.client.indices.delete_index_template(name=idx.alias)
        idx.close()
