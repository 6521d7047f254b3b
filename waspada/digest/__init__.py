"""The daily digest for supervisors: one WIB day of flagged posts against the week before, trend
charts, the most severe posts, alerts, investigations, failed crawls and sources that went dark,
in Indonesian; rendered to HTML and PDF, archived under ``DIGEST_DIR`` and emailed to
``DIGEST_EMAIL_TO``.

    >>> from waspada.digest import build_digest, parse_day
    >>> result = build_digest(parse_day("2024-02-14"))   # doctest: +SKIP
    >>> print(result.summary())                          # doctest: +SKIP

Modules: ``period`` (the WIB day), ``counts`` / ``top_items`` (the index), ``activity`` (alerts and
investigations), ``crawl_failures`` (crawl reports), ``dark_sources`` (sources that source health
disabled), ``collect`` (all of it as digest.json), ``charts``, ``render_html`` / ``render_pdf`` /
``render_text``, ``archive``, ``mailer``, ``build`` (the whole run) and ``commands`` (the CLI).
matplotlib and fpdf2 are imported only when a digest is drawn.
"""
from __future__ import annotations

from waspada.digest.archive import ArchiveError, day_folder
from waspada.digest.build import DigestResult, build_digest, email_archived
from waspada.digest.mailer import DigestEmailError
from waspada.digest.period import Day, PeriodError, parse_day, yesterday_wib

__all__ = ["ArchiveError", "Day", "DigestEmailError", "DigestResult", "PeriodError", "build_digest", "day_folder",
           "email_archived", "parse_day", "yesterday_wib"]
