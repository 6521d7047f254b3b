"""Helpers test modules import by name (tests/ is on sys.path via tests/conftest.py).

They live here, not in conftest.py, because several test folders have their own conftest.py and
`from conftest import ...` would pick whichever one Python imported first.
"""
from __future__ import annotations

import os

import pytest

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
