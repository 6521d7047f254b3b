"""Crawl windows: the time slice a crawl belongs to, which names its spool file.

Airflow passes its data interval (``2024-02-14T08-00``) so a retried task rewrites the same file
instead of adding a second one; a manual crawl defaults to the current UTC hour.
"""
from __future__ import annotations

import re
from datetime import datetime, timezone

WINDOW_FORMAT = "%Y-%m-%dT%H-%M"
_WINDOW = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}-\d{2}$")


def current_window(now: datetime | None = None) -> str:
    """The window of the current UTC hour, e.g. ``2024-02-14T08-00``."""
    now = (now or datetime.now(timezone.utc)).astimezone(timezone.utc)
    return now.replace(minute=0, second=0, microsecond=0).strftime(WINDOW_FORMAT)


def check_window(value: str | None) -> str:
    """Return a valid window name, or raise ValueError saying what one looks like."""
    if not value:
        return current_window()
    if not _WINDOW.match(value):
        raise ValueError(f"window {value!r} is not of the form YYYY-MM-DDTHH-MM (e.g. 2024-02-14T08-00)")
    try:
        datetime.strptime(value, WINDOW_FORMAT)
    except ValueError:
        raise ValueError(f"window {value!r} is not a real date and time (e.g. 2024-02-14T08-00)") from None
    return value
