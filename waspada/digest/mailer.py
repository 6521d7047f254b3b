"""Email the digest: a text part, the HTML part (charts as inline images) and the PDF attached.

It uses the alerts' SMTP settings (SMTP_HOST, SMTP_PORT, SMTP_FROM, SMTP_USER, SMTP_PASSWORD,
SMTP_STARTTLS). The archive is written before anything is sent, so a mail failure loses nothing:
``DigestEmailError`` says which server failed and the digest can be re-sent by rebuilding the day.
"""
from __future__ import annotations

import re
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from waspada import config

_TIMEOUT = 30
_ADDRESS = re.compile(r"^[^@\s,<>]+@[^@\s,<>]+$")


class DigestEmailError(RuntimeError):
    """The digest email could not be sent or addressed; the message names the host/port or the
    bad address and what to check."""


def recipients(raw: str | None = None) -> list[str]:
    """The addresses in ``raw`` (default: setting DIGEST_EMAIL_TO), comma-separated; [] when empty."""
    raw = config.get("DIGEST_EMAIL_TO") if raw is None else raw
    out = []
    for part in str(raw or "").split(","):
        address = part.strip()
        if not address:
            continue
        if not _ADDRESS.match(address):
            raise DigestEmailError(f"digest recipient {address!r} is not an email address; fix WASPADA_DIGEST_EMAIL_TO "
                                   "(comma-separated, e.g. kepala@polri.example,piket@polri.example)")
        out.append(address)
    return list(dict.fromkeys(out))


def build_message(*, subject: str, text: str, html: str, inline_images: dict[str, bytes], pdf: bytes,
                  pdf_name: str, sender: str, to: list[str]) -> EmailMessage:
    """``html`` refers to each inline image as ``cid:<name>``; ``inline_images`` maps name -> PNG."""
    msg = EmailMessage()
    msg["Subject"] = " ".join(subject.split())[:200]
    msg["From"] = sender
    msg["To"] = ", ".join(to)
    msg["Date"] = formatdate(localtime=False)
    msg["Message-ID"] = make_msgid(domain="waspada.local")
    msg.set_content(text)
    msg.add_alternative(html, subtype="html")
    html_part = msg.get_payload()[1]
    for name, png in inline_images.items():
        html_part.add_related(png, maintype="image", subtype="png", cid=f"<{name}>",
                              filename=f"{name}.png", disposition="inline")
    msg.add_attachment(pdf, maintype="application", subtype="pdf", filename=pdf_name)
    return msg


def send(msg: EmailMessage, to: list[str]) -> None:
    host = str(config.get("SMTP_HOST")).strip()
    port = config.get("SMTP_PORT")
    if not host:
        raise DigestEmailError("SMTP_HOST is not set: set WASPADA_SMTP_HOST (and SMTP_PORT, SMTP_FROM) to email the "
                               "digest, or leave WASPADA_DIGEST_EMAIL_TO empty to only archive it")
    try:
        with smtplib.SMTP(host, port, timeout=_TIMEOUT) as smtp:
            if config.get("SMTP_STARTTLS"):
                smtp.starttls(context=ssl.create_default_context())
            user = config.get("SMTP_USER")
            if user:
                smtp.login(user, config.get("SMTP_PASSWORD"))
            refused = smtp.send_message(msg, to_addrs=to)
    except (smtplib.SMTPException, OSError) as exc:
        raise DigestEmailError(f"SMTP {host}:{port} refused or unreachable while sending the digest: "
                               f"{type(exc).__name__}: {exc}; check WASPADA_SMTP_HOST/WASPADA_SMTP_PORT") from None
    if refused:
        raise DigestEmailError(f"SMTP {host}:{port} refused some digest recipients: {refused}")
