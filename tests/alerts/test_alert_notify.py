"""Notifications reach a real SMTP server and a real HTTP receiver on 127.0.0.1; failures are
retried with backoff and recorded, never dropped."""
from __future__ import annotations

import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from aiosmtpd.controller import Controller

from conftest_helpers import SmtpInbox, free_port, smtp_receiver

from alerts_helpers import add, at, post, rule
from waspada.alerts.store import MAX_ATTEMPTS
from waspada.index import open_index


@pytest.fixture
def smtp():
    with smtp_receiver() as (inbox, port):
        yield port, inbox


@pytest.fixture
def receiver():
    """An HTTP receiver that fails the first ``fail_first`` posts with HTTP 500."""
    state = {"bodies": [], "fail_first": 0}

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            if state["fail_first"] > 0:
                state["fail_first"] -= 1
                self.send_response(500)
                self.end_headers()
                return
            state["bodies"].append(json.loads(body))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state["url"] = f"http://127.0.0.1:{server.server_address[1]}/hook"
    yield state
    server.shutdown()
    server.server_close()


@pytest.fixture
def index(tmp_path):
    """Delivery does not depend on the index backend: SQLite only (overrides conftest's pair)."""
    idx = open_index("sqlite", path=tmp_path / "index.db")
    idx.ensure()
    yield idx
    idx.close()


def configure_smtp(monkeypatch, port: int) -> None:
    monkeypatch.setenv("WASPADA_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("WASPADA_SMTP_PORT", str(port))
    monkeypatch.setenv("WASPADA_SMTP_FROM", "waspada@polri.example")
    monkeypatch.setenv("WASPADA_PUBLIC_URL", "https://waspada.example")


def test_email_and_webhook_arrive_with_the_investigation_link(index, engine_factory, smtp, receiver, monkeypatch):
    port, inbox = smtp
    configure_smtp(monkeypatch, port)
    hostile = post(at(10.1), text="<script>alert(1)</script> surat suara pemilu")
    add(index, hostile, *[post(at(10.2 + i / 10)) for i in range(2)])
    engine = engine_factory()
    r = rule(threshold=3, notify={"email": ["analis@polri.example"], "webhook": [receiver["url"]]})

    report = engine.run([r], now=at(11.25))
    assert len(report.fired) == 1 and report.sent == 2 and report.failed == 0
    alert = engine.alerts.get(report.fired[0])

    [(rcpt, msg)] = inbox.messages
    assert rcpt == ["analis@polri.example"] and "[Waspada] r" in msg["Subject"]
    text = msg.get_body(("plain",)).get_content()
    html = msg.get_body(("html",)).get_content()
    link = f"https://waspada.example/investigations/{alert.investigation_id}"
    assert link in text and link in html and "3 pos terdeteksi" in text

    [body] = receiver["bodies"]
    assert body["rule"] == "r" and body["count"] == 3 and body["investigation"]["url"] == link
    assert {i["id"] for i in body["items"]} == set(alert.doc_ids)
    events = [e["kind"] for e in engine.investigations.get(alert.investigation_id).events]
    assert events.count("notified") == 2


def test_failures_are_retried_with_backoff_and_recorded(index, engine_factory, receiver, monkeypatch):
    port = free_port()  # nothing listens here yet: the mail server is down
    configure_smtp(monkeypatch, port)
    receiver["fail_first"] = 2
    add(index, *[post(at(10 + i / 10)) for i in range(3)])
    engine = engine_factory()
    r = rule(threshold=3, notify={"email": ["analis@polri.example"], "webhook": [receiver["url"]]})

    report = engine.run([r], now=at(11.25))
    assert report.sent == 0 and report.retrying == 2
    notes = engine.alerts.notifications()
    assert all(n.status == "pending" and n.attempts == 1 for n in notes)
    assert "127.0.0.1" in notes[0].last_error and "HTTP 500" in notes[1].last_error

    assert engine.deliver(at(11.26)).sent == 0  # not due yet: backoff
    report = engine.deliver(at(11.25) + timedelta(minutes=2))
    assert report.retrying == 2  # the webhook fails once more, SMTP is still down

    inbox = SmtpInbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        report = engine.deliver(at(11.25) + timedelta(minutes=10))
    finally:
        controller.stop()
    assert report.sent == 2 and len(inbox.messages) == 1 and len(receiver["bodies"]) == 1
    assert {n.status for n in engine.alerts.notifications()} == {"sent"}


def test_a_notification_that_keeps_failing_ends_failed_with_its_error(index, engine_factory, monkeypatch):
    monkeypatch.setenv("WASPADA_SMTP_HOST", "")
    add(index, *[post(at(10 + i / 10)) for i in range(3)])
    engine = engine_factory()
    r = rule(threshold=3, notify={"email": ["analis@polri.example"]})
    engine.run([r], now=at(11.25))
    moment = at(11.25)
    for _ in range(MAX_ATTEMPTS + 2):
        moment += timedelta(hours=4)
        engine.deliver(moment)
    [note] = engine.alerts.notifications()
    assert note.status == "failed" and note.attempts == MAX_ATTEMPTS and "SMTP_HOST" in note.last_error
    alert = engine.alerts.get(note.alert_id)
    kinds = [e["kind"] for e in engine.investigations.get(alert.investigation_id).events]
    assert "notification_failed" in kinds
