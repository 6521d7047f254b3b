"""Fixtures every test directory may use. Keep this file small: package-specific fixtures live
next to their tests."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # tests/ helpers (es_server) import by name

from conftest_helpers import es_skipped, es_unavailable  # noqa: E402
from es_server import EsServer, EsUnavailable  # noqa: E402


@pytest.fixture(scope="session")
def es_url():
    """URL of a real Elasticsearch: WASPADA_TEST_ES_URL if set, else one started for this session
    (from scripts/es-test-server.sh's install) and stopped at the end."""
    if os.environ.get("WASPADA_TEST_ES_URL"):
        yield os.environ["WASPADA_TEST_ES_URL"].rstrip("/")
        return
    try:
        server = EsServer()
        server.start()
        server.wait_healthy(timeout=90)
    except EsUnavailable as exc:
        if "server" in locals():
            server.cleanup()
        es_unavailable(str(exc))
    yield server.url
    server.cleanup()


def pytest_terminal_summary(terminalreporter):
    if es_skipped:
        terminalreporter.write_sep("!", "ELASTICSEARCH TESTS SKIPPED", red=True, bold=True)
        terminalreporter.write_line(es_skipped[0])
        terminalreporter.write_line("Install it with scripts/es-test-server.sh; in CI (CI=true) this is a failure.")
