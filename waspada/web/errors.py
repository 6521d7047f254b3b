"""The web app's one error type, rendered in one place (``app._render_error``)."""
from __future__ import annotations


class WebError(Exception):
    """An error the user should see: an HTTP status and an Indonesian message saying what to do."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}
