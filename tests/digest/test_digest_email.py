"""The digest reaches a real SMTP server on 127.0.0.1 as text + HTML (charts inline) + PDF; with
no recipients it is only archived; a mail server that is down raises an error naming it, after
the archive is written."""
from __future__ import annotations


import pytest

from conftest_helpers import free_port, smtp_receiver

from digest_helpers import DAY
from waspada.digest import DigestEmailError, build_digest, parse_day
from waspada.digest.mailer import recipients


@pytest.fixture
def smtp(monkeypatch):
    with smtp_receiver() as (inbox, port):
        monkeypatch.setenv("WASPADA_SMTP_HOST", "127.0.0.1")
        monkeypatch.setenv("WASPADA_SMTP_PORT", str(port))
        monkeypatch.setenv("WASPADA_SMTP_FROM", "waspada@polri.example")
        yield inbox


def test_digest_email_has_text_html_and_pdf(sqlite_seeded, smtp, monkeypatch):
    monkeypatch.setenv("WASPADA_DIGEST_EMAIL_TO", " kepala@polri.example, piket@polri.example ,")
    index, _ = sqlite_seeded
    result = build_digest(parse_day(DAY), index=index, backend="sqlite")
    assert result.emailed == ["kepala@polri.example", "piket@polri.example"]
    assert len(smtp.messages) == 1
    rcpt, msg = smtp.messages[0]
    assert rcpt == ["kepala@polri.example", "piket@polri.example"]
    assert msg["From"] == "waspada@polri.example"
    assert "Ringkasan harian Sabtu, 10 Februari 2024" in msg["Subject"] and "4 pos terdeteksi" in msg["Subject"]

    text = msg.get_body(preferencelist=("plain",))
    assert text is not None and "Pos terdeteksi: 4" in text.get_content()
    html = msg.get_body(preferencelist=("html",))
    assert html is not None
    body = html.get_content()
    assert "&lt;script&gt;" in body and "<script" not in body.lower()
    assert 'src="cid:trend"' in body and 'src="cid:platforms"' in body
    inline = {part["Content-ID"]: part for part in msg.walk() if part.get_content_type() == "image/png"}
    assert set(inline) == {"<trend>", "<platforms>"}
    assert all(part.get_content().startswith(b"\x89PNG") for part in inline.values())

    attachments = [part for part in msg.iter_attachments() if part.get_content_type() == "application/pdf"]
    assert len(attachments) == 1
    assert attachments[0].get_filename() == f"waspada-ringkasan-{DAY}.pdf"
    pdf = attachments[0].get_content()
    assert pdf.startswith(b"%PDF") and pdf == (result.folder / "digest.pdf").read_bytes()


def test_no_recipients_means_no_email(sqlite_seeded, smtp):
    index, _ = sqlite_seeded
    result = build_digest(parse_day(DAY), index=index, backend="sqlite")
    assert result.emailed == [] and "no recipients" in result.email_skipped
    assert smtp.messages == [] and (result.folder / "digest.pdf").is_file()
    assert "email skipped: no recipients configured" in result.summary()


def test_email_can_be_turned_off(sqlite_seeded, smtp, monkeypatch):
    monkeypatch.setenv("WASPADA_DIGEST_EMAIL_TO", "kepala@polri.example")
    index, _ = sqlite_seeded
    result = build_digest(parse_day(DAY), index=index, backend="sqlite", email=False)
    assert smtp.messages == [] and result.email_skipped.startswith("turned off")


def test_smtp_down_names_host_and_port_and_keeps_the_archive(sqlite_seeded, data, monkeypatch):
    port = free_port()  # nothing listens there
    monkeypatch.setenv("WASPADA_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("WASPADA_SMTP_PORT", str(port))
    monkeypatch.setenv("WASPADA_DIGEST_EMAIL_TO", "kepala@polri.example")
    index, _ = sqlite_seeded
    with pytest.raises(DigestEmailError) as error:
        build_digest(parse_day(DAY), index=index, backend="sqlite")
    message = str(error.value)
    assert f"127.0.0.1:{port}" in message and "archived in" in message
    folder = data / "digest" / "2024" / DAY
    assert sorted(p.name for p in folder.iterdir()) == ["digest.html", "digest.json", "digest.pdf", "platform.png",
                                                        "tren-14-hari.png"]


def test_bad_recipient_is_named():
    with pytest.raises(DigestEmailError, match="'kepala-at-polri' is not an email address.*WASPADA_DIGEST_EMAIL_TO"):
        recipients("ok@polri.example, kepala-at-polri")
    assert recipients("") == []
