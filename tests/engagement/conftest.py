"""Engagement refresh tests: the mock server serves the platforms' status pages on 127.0.0.1."""
from tests.mockserver.fixtures import mock_server  # noqa: F401 - re-exported fixture
