"""Request bodies are capped while read: an oversized POST gets HTTP 413 and the app's error
page, is never buffered whole, and leaves the app serving."""
from __future__ import annotations

import httpx
import pytest

from waspada.web.body_limit import BodyLimit
from web_fixtures import client_for, csrf_of, login, serve_web


def test_an_oversized_login_post_is_refused_before_any_check(sqlite_env, monkeypatch):
    app, _, _ = sqlite_env
    client = client_for(app, None)
    token = csrf_of(client.get("/login").text)
    huge = {"username": "analis", "password": "x" * (2 * 1024 * 1024), "csrf": token}
    refused = client.post("/login", data=huge, follow_redirects=False)
    assert refused.status_code == 413 and "terlalu besar" in refused.text
    assert login(client, "analis").status_code == 303  # the app, and this session, still work
    assert not any(e["action"] == "login.failed" for e in app.state.users.audit_entries())


def test_a_streamed_body_is_cut_off_at_the_cap():
    """Chunked, no Content-Length: the count stops the read after the chunk that passes the cap."""
    import asyncio

    chunks = [b"a" * 1000] * 50
    read = []

    async def app(scope, receive, send):
        while True:
            message = await receive()
            read.append(len(message.get("body", b"")))
            if not message.get("more_body"):
                break

    async def receive():
        body = chunks.pop(0)
        return {"type": "http.request", "body": body, "more_body": bool(chunks)}

    async def send(message):
        raise AssertionError("nothing is sent by this app")

    from starlette.exceptions import HTTPException
    with pytest.raises(HTTPException) as raised:
        asyncio.run(BodyLimit(app, max_bytes=5000)({"type": "http"}, receive, send))
    assert raised.value.status_code == 413 and sum(read) == 5000 and len(chunks) == 44


def test_the_cap_must_be_positive():
    with pytest.raises(ValueError, match="at least 1 byte"):
        BodyLimit(lambda *a: None, max_bytes=0)


@pytest.mark.slow
def test_uvicorn_answers_an_oversized_post_with_413(tmp_path):
    with serve_web(tmp_path, WASPADA_WEB_MAX_BODY_BYTES="4096") as (base, _):
        with httpx.Client(base_url=base, timeout=10) as client:
            token = csrf_of(client.get("/login").text)
            refused = client.post("/login", data={"username": "analis", "password": "y" * 10_000, "csrf": token})
            assert refused.status_code == 413
            assert client.get("/healthz").status_code == 200
