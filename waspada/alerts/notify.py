"""Deliver alert notifications: email over SMTP (a text and an HTML part) and JSON webhooks.

Delivery is at-least-once from the outbox in ``waspada.alerts.store``: a failure raises
``DeliveryError`` with the reason, the store records it and retries later with backoff.
Everything crawled that reaches a message (titles, summaries) is escaped in the HTML part.
"""
from __future__ import annotations

import html
import json
import smtplib
import ssl
import urllib.error
import urllib.request
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any

from waspada import config

_TIMEOUT = 20


class DeliveryError(RuntimeError):
    """A notification could not be delivered this time; the message says why."""


def investigation_url(inv: int | None) -> str | None:
    if inv is None:
        return None
    return f"{str(config.get('PUBLIC_URL')).rstrip('/')}/investigations/{inv}"


def item_url(doc_id: str) -> str:
    return f"{str(config.get('PUBLIC_URL')).rstrip('/')}/item/{doc_id}"


def payload(alert, inv: int | None) -> dict[str, Any]:
    """The JSON a webhook receives (and the facts the email shows)."""
    return {
        "type": "waspada.alert",
        "alert_id": alert.id,
        "rule": alert.rule,
        "rule_type": alert.rule_type,
        "key": alert.key,
        "window": {"start": alert.window_start, "end": alert.window_end},
        "count": alert.count,
        "summary": alert.summary,
        "fired_at": alert.fired_at,
        "investigation": {"id": inv, "url": investigation_url(inv)},
        "items": [{"id": d, "url": item_url(d)} for d in alert.doc_ids[:20]],
        "details": alert.details,
    }


def email_message(alert, inv: int | None, sender: str, to: str) -> EmailMessage:
    data = payload(alert, inv)
    subject = f"[Waspada] {alert.rule}: {alert.summary}"
    msg = EmailMessage()
    msg["Subject"] = " ".join(subject.split())[:200]
    msg["From"] = sender
    msg["To"] = to
    msg["Date"] = formatdate(localtime=False)
    msg["Message-ID"] = make_msgid(domain="waspada.local")
    link = data["investigation"]["url"]
    text = [f"Peringatan Waspada: aturan {alert.rule} ({alert.rule_type})", "",
            alert.summary, "",
            f"Jendela waktu (UTC): {alert.window_start} s.d. {alert.window_end}",
            f"Jumlah: {alert.count}"]
    if link:
        text.append(f"Investigasi: {link}")
    if data["items"]:
        text += ["", "Contoh pos:"] + [f"- {item['url']}" for item in data["items"][:10]]
    msg.set_content("\n".join(text))
    e = html.escape
    items = "".join(f'<li><a href="{e(i["url"])}">{e(i["id"])}</a></li>' for i in data["items"][:10])
    msg.add_alternative(
        f"""<!doctype html><html lang="id"><body style="font-family:sans-serif">
<h2 style="margin:0 0 8px">Peringatan Waspada: {e(alert.rule)}</h2>
<p>{e(alert.summary)}</p>
<table cellpadding="4"><tr><th align="left">Jenis aturan</th><td>{e(alert.rule_type)}</td></tr>
<tr><th align="left">Kunci</th><td>{e(alert.key or '-')}</td></tr>
<tr><th align="left">Jendela (UTC)</th><td>{e(alert.window_start)} s.d. {e(alert.window_end)}</td></tr>
<tr><th align="left">Jumlah</th><td>{alert.count}</td></tr></table>
{f'<p><a href="{e(link)}">Buka investigasi #{inv}</a></p>' if link else ''}
{f'<p>Contoh pos:</p><ul>{items}</ul>' if items else ''}
</body></html>""", subtype="html")
    return msg


def send_email(alert, inv: int | None, to: str) -> None:
    host = str(config.get("SMTP_HOST")).strip()
    if not host:
        raise DeliveryError("SMTP_HOST is not set: set WASPADA_SMTP_HOST (and PORT, FROM) to send alert email")
    msg = email_message(alert, inv, config.get("SMTP_FROM"), to)
    try:
        with smtplib.SMTP(host, config.get("SMTP_PORT"), timeout=_TIMEOUT) as smtp:
            if config.get("SMTP_STARTTLS"):
                smtp.starttls(context=ssl.create_default_context())
            user = config.get("SMTP_USER")
            if user:
                smtp.login(user, config.get("SMTP_PASSWORD"))
            smtp.send_message(msg)
    except (smtplib.SMTPException, OSError) as exc:
        raise DeliveryError(f"SMTP {host}:{config.get('SMTP_PORT')} refused or unreachable: "
                            f"{type(exc).__name__}: {exc}") from None


def send_webhook(alert, inv: int | None, url: str) -> None:
    body = json.dumps(payload(alert, inv), ensure_ascii=False).encode("utf-8")
    request = urllib.request.Request(url, data=body, method="POST",
                                     headers={"Content-Type": "application/json; charset=utf-8",
                                              "User-Agent": "Waspada-alerts/1"})
    try:
        with urllib.request.urlopen(request, timeout=_TIMEOUT) as response:
            status = response.status
    except urllib.error.HTTPError as exc:
        raise DeliveryError(f"webhook {url} answered HTTP {exc.code}") from None
    except (urllib.error.URLError, OSError) as exc:
        raise DeliveryError(f"webhook {url} unreachable: {getattr(exc, 'reason', exc)}") from None
    if not 200 <= status < 300:
        raise DeliveryError(f"webhook {url} answered HTTP {status}")


def deliver(channel: str, target: str, alert, inv: int | None) -> None:
    if channel == "email":
        send_email(alert, inv, target)
    elif channel == "webhook":
        send_webhook(alert, inv, target)
    else:
        raise DeliveryError(f"unknown notification channel {channel!r}")
