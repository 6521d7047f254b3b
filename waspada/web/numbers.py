"""Whole numbers from the URL or a form (record ids, page numbers), bounded before they reach
SQLite: its INTEGER ends at 2**63 - 1, and a larger id used to raise OverflowError, an HTTP 500.
A value out of range fails FastAPI's validation, whose error page names the value and the bounds
in Indonesian (``app.validation_message``).

    @router.get("/investigations/{inv_id}")
    def page(inv_id: RecordId): ...
"""
from __future__ import annotations

from typing import Annotated

from fastapi import Form, Path, Query

SQLITE_MAX_INT = 2 ** 63 - 1
#: Deepest audit-log page: OFFSET paging reads every row it skips, and nobody reads page 100,001.
MAX_PAGE = 100_000

RecordId = Annotated[int, Path(ge=1, le=SQLITE_MAX_INT)]
RecordIdForm = Annotated[int, Form(ge=1, le=SQLITE_MAX_INT)]
PageNumber = Annotated[int, Query(ge=1, le=MAX_PAGE)]
