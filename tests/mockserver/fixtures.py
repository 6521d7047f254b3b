"""pytest fixtures for the mock server; ``tests/crawlers/conftest.py`` re-exports them."""
from __future__ import annotations

import pytest

from tests.mockserver.server import MockServer


@pytest.fixture(scope="session")
def mock_server():
    """The mock server, started once per test session on a free 127.0.0.1 port."""
    with MockServer() as server:
        yield server
