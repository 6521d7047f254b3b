"""A local web server for crawler tests: saved feeds and pages plus named broken endpoints.

``MockServer`` serves ``tests/sample_data/`` (``{{BASE}}`` in a file becomes the server's base
URL) and the endpoints in ``BROKEN``; ``mock_server`` in ``fixtures.py`` is the pytest fixture.
"""
from tests.mockserver.server import BROKEN, MockServer

__all__ = ["BROKEN", "MockServer"]
