"""Build one day's digest end to end: collect the numbers, draw the charts, render HTML and PDF,
archive them, and email them.

The order matters: the archive is written before the email is sent, so a mail server that is
down costs only the email (the error says so) and the day can be rebuilt and re-sent.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from waspada import config
from waspada.digest import charts, mailer
from waspada.digest.archive import write_archive
from waspada.digest.collect import collect
from waspada.digest.period import Day
from waspada.digest.render_html import data_uri, render_html
from waspada.digest.render_pdf import render_pdf
from waspada.digest.render_text import render_text

#: Archived chart files, by the name the templates use.
CHART_FILES = {"trend": "tren-14-hari.png", "platforms": "platform.png"}


@dataclass
class DigestResult:
    day: Day
    folder: Path
    digest: dict[str, Any]
    files: list[str] = field(default_factory=list)
    #: Addresses the email went to; empty when none were configured or email was turned off.
    emailed: list[str] = field(default_factory=list)
    #: Why no email was sent, when none was (Indonesian-free: this is for operators' logs).
    email_skipped: str | None = None

    def summary(self) -> str:
        h = self.digest["headline"]
        lines = [f"digest {self.day.iso} (WIB) archived in {self.folder}",
                 f"  files: {', '.join(self.files)}",
                 f"  flagged posts {h['flagged']} (7-day average {h['avg7']}), alerts {h['alerts']}, "
                 f"investigations opened {h['investigations_opened']} / closed {h['investigations_closed']}, "
                 f"failed sources {h['failed_sources']}, dark sources {h.get('dark_sources', 0)}, "
                 f"cyber-threat posts {h.get('cyber_threats', 0)}, look-alike domains {h.get('lookalike_domains', 0)}"]
        if self.digest["no_data"]:
            lines.append("  no flagged posts on this day (the digest says so)")
        lines.append(f"  emailed to {', '.join(self.emailed)}" if self.emailed
                     else f"  email skipped: {self.email_skipped}")
        return "\n".join(lines)


def build_digest(day: Day, *, index=None, backend: str | None = None, email: bool = True,
                 now: datetime | None = None) -> DigestResult:
    """Build, archive and (unless ``email`` is False or no recipients are set) email ``day``'s digest.

    ``index`` is an open index to read (the caller keeps it); without one, the configured backend
    (or ``backend``) is opened and closed here. Raises ``mailer.DigestEmailError`` after archiving
    when the email cannot be sent.
    """
    to = mailer.recipients() if email else []  # a bad address fails before any work is done
    backend_name = (backend or config.get("INDEX_BACKEND")).strip().lower()
    own_index = index is None
    if own_index:
        from waspada.index import open_index

        index = open_index(backend_name)
        index.ensure()
    try:
        digest = collect(index, day, web_db=config.get("WEB_DB"), stats_dir=Path(config.get("SPOOL_DIR")) / "_stats",
                         sources_path=config.get("SOURCES_PATH"), top=config.get("DIGEST_TOP_ITEMS"),
                         backend=backend_name, now=now, state_dir=config.get("STATE_DIR"))
    finally:
        if own_index:
            index.close()

    pngs = {"trend": charts.trend_chart(digest["trend"]),
            "platforms": charts.platform_chart(digest["breakdowns"]["platform"], day.label())}
    digest["charts"] = dict(CHART_FILES)
    html = render_html(digest, {name: data_uri(png) for name, png in pngs.items()})
    pdf = render_pdf(digest, pngs)
    files = {"digest.html": html.encode("utf-8"), "digest.pdf": pdf,
             "digest.json": json.dumps(digest, ensure_ascii=False, indent=2, sort_keys=True).encode("utf-8"),
             **{CHART_FILES[name]: png for name, png in pngs.items()}}
    folder = write_archive(config.get("DIGEST_DIR"), day, files)
    result = DigestResult(day=day, folder=folder, digest=digest, files=sorted(files))

    if not email:
        result.email_skipped = "turned off (--no-email)"
    elif not to:
        result.email_skipped = "no recipients configured (set WASPADA_DIGEST_EMAIL_TO)"
    else:
        result.emailed = email_archived(folder, to)
    return result


def email_archived(folder: str | Path, to: list[str] | None = None) -> list[str]:
    """Email the digest archived in ``folder`` to ``to`` (default: setting DIGEST_EMAIL_TO);
    returns the addresses, [] when there are none. Everything comes from the archive (digest.json,
    the PNGs, digest.pdf), so the mail matches the archive exactly and a retry rebuilds nothing."""
    folder = Path(folder)
    to = mailer.recipients() if to is None else to
    if not to:
        return []
    try:
        digest = json.loads((folder / "digest.json").read_text(encoding="utf-8"))
        pngs = {name: (folder / file).read_bytes() for name, file in digest["charts"].items()}
        pdf = (folder / "digest.pdf").read_bytes()
    except (OSError, ValueError, KeyError) as exc:
        raise mailer.DigestEmailError(f"the digest archive {folder} is incomplete ({type(exc).__name__}: {exc}); "
                                      "rebuild the day with `waspada digest --date YYYY-MM-DD`") from None
    total = digest["total"]["day"]
    subject = (f"[Waspada] Ringkasan harian {digest['date_label']}: "
               + (f"{total} pos terdeteksi, {len(digest['alerts'])} peringatan" if total else "tidak ada pos terdeteksi"))
    message = mailer.build_message(subject=subject, text=render_text(digest),
                                   html=render_html(digest, {name: f"cid:{name}" for name in pngs}),
                                   inline_images=pngs, pdf=pdf, pdf_name=f"waspada-ringkasan-{digest['date']}.pdf",
                                   sender=config.get("SMTP_FROM"), to=to)
    try:
        mailer.send(message, to)
    except mailer.DigestEmailError as exc:
        raise mailer.DigestEmailError(f"{exc}. The digest is archived in {folder}; rebuild the day "
                                      "to send it again") from None
    return to
