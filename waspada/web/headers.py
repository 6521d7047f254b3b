"""Security headers on every response, error pages included.

A route middleware (``@app.middleware("http")``) sits inside Starlette's ServerErrorMiddleware, so
the page for an unhandled exception (HTTP 500) left without them. This ASGI wrapper goes around the
whole stack instead (``WaspadaApp.build_middleware_stack``) and adds each header the response
did not set itself to the ``http.response.start`` message, whatever produced it.
"""
from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

#: Sent with every response. No inline script or style is allowed anywhere: crawled text that
#: slipped past escaping still could not run.
SECURITY_HEADERS = {
    "Content-Security-Policy": ("default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
                                "base-uri 'none'; frame-ancestors 'none'"),
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "Cross-Origin-Opener-Policy": "same-origin",
}


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = dict(SECURITY_HEADERS)
        if not scope["path"].startswith("/static/"):
            extra["Cache-Control"] = "no-store"  # flagged content stays off shared caches

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                added = [(name.lower().encode("latin-1"), value.encode("latin-1"))
                         for name, value in extra.items() if name.lower().encode("latin-1") not in present]
                message = {**message, "headers": [*message.get("headers", []), *added]}
            await send(message)

        await self.app(scope, receive, with_headers)
