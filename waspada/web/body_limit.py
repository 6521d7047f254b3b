"""A cap on request bodies, enforced while they are read.

Every form the app takes (login, triage, notes, saved searches, user admin) is a few kilobytes,
but neither uvicorn nor Starlette bounds a url-encoded body: a 1 GB POST to /login, before any
login or CSRF check, would be read whole into memory. This ASGI middleware counts the bytes as
the app reads them and stops at the cap with HTTP 413, so the rest is never buffered; a body the
app never reads costs nothing.
"""
from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from waspada.web.errors import ShownHTTPException


class BodyLimit:
    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        if max_bytes < 1:
            raise ValueError(f"body limit must be at least 1 byte, got {max_bytes}")
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        received = 0

        async def limited() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    # Raised inside the route's body parsing, so the app's own error page answers.
                    raise ShownHTTPException(413, f"Isi permintaan terlalu besar (lebih dari {self.max_bytes:,} byte).")
            return message

        await self.app(scope, limited, send)
