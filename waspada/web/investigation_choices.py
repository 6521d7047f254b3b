"""The investigations offered in a select (item page, bulk form on the search page)."""
from __future__ import annotations


def open_investigations(store, exclude: set[int] = frozenset()) -> list:
    """The investigations a post can still be added to (open or in progress), sorted by title so
    an analyst picks one by name from a list, never by typing its number."""
    rows = [inv for status in ("open", "in_progress") for inv in store.list(status=status, limit=500)
            if inv.id not in exclude]
    return sorted(rows, key=lambda inv: (inv.title.casefold(), inv.id))
