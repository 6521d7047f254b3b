"""One message carried across a redirect (post, redirect, get): a bulk action's summary shown on
the search page it returns to.

It rides in the signed session cookie, so it is kept short: browsers drop cookies over 4 KB, and
a cookie they drop would log the analyst out.
"""
from __future__ import annotations

from fastapi import Request

MAX_CHARS = 1000


def flash(request: Request, message: str) -> None:
    request.session["flash"] = message[:MAX_CHARS]


def take_flash(request: Request) -> str | None:
    """The waiting message, once: a reload does not show it again."""
    message = request.session.pop("flash", None)
    return message if isinstance(message, str) else None
