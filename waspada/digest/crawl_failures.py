"""Sources that failed on the day, read from the crawl reports in ``<SPOOL_DIR>/_stats/*.json``.

A crawl report (written by ``crawlers/extensions/crawl_report.py``) has one section per spider
under ``spiders``, each with ``finished`` (UTC), ``finish_reason``, ``errors`` (ERROR lines in the
spider's log), ``skipped`` counts by reason and a sample of ``skip_details`` (url, reason, detail).

**Definition.** A spider section whose ``finished`` time falls in the WIB day is a *failure* when

1. its ``finish_reason`` is not ``finished`` (stopped by the run timeout, shut down, crashed), or
2. its ``errors`` count is above 0 (the spider logged an error: a bug or an unhandled answer), or
3. it skipped anything for a reason that means *the source did not deliver*:
   ``http_<status>`` (4xx/5xx after retries), ``timeout``, ``connection_error``, ``download_error``,
   ``rate_limited``, ``redirect_loop``, ``malformed_feed`` or ``changed_markup``.

Skips that are decisions about content, not failures of the source, do not count: ``duplicate``,
``no_text``, ``invalid_record``, ``binary_content``, ``too_large``, ``robots_disallowed``,
``deleted``, ``empty_channel``, ``empty_feed``. A report file that cannot be read as JSON is a
failure too (when its modification time falls in the day): the crawl that wrote it is suspect.

The failing URLs are attributed to sources from the sources file (setting ``SOURCES_PATH``): a URL
that is a source's configured URL names that source; otherwise a host used by exactly one source
names it; otherwise the host itself is shown.
"""
from __future__ import annotations

import json
import re
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from waspada.digest.period import Day

#: Skip reasons that mean the source did not deliver (besides every ``http_<status>``).
FAILURE_REASONS = frozenset({"timeout", "connection_error", "download_error", "rate_limited", "redirect_loop",
                             "malformed_feed", "changed_markup"})
#: Failing URLs kept per spider section as examples.
MAX_EXAMPLES = 5
#: Report file names: ``<scope>-<window>.json`` with the crawl window as YYYY-MM-DDTHH-MM.
_REPORT_NAME = re.compile(r"^(?P<scope>.+)-(?P<window>\d{4}-\d{2}-\d{2}T\d{2}-\d{2})$")


def is_failure_reason(reason: str) -> bool:
    return reason.startswith("http_") or reason in FAILURE_REASONS


def failed_sources(stats_dir: str | Path, day: Day, sources_path: str | Path | None = None) -> list[dict[str, Any]]:
    """One entry per failed spider section finished on ``day``, in order of finishing time."""
    stats_dir = Path(stats_dir)
    if not stats_dir.is_dir():
        return []
    attribute = SourceAttribution.load(sources_path)
    failures = []
    for path in sorted(stats_dir.glob("*.json")):
        try:
            report = json.loads(path.read_text(encoding="utf-8"))
            if not isinstance(report, dict) or not isinstance(report.get("spiders", {}), dict):
                raise ValueError("not a crawl report object")
        except (OSError, ValueError) as exc:
            modified = datetime.fromtimestamp(path.stat().st_mtime, timezone.utc)
            if day.contains(modified):
                failures.append(_unreadable(path, modified, exc))
            continue
        for spider, section in sorted(report.get("spiders", {}).items()):
            entry = _section_failure(path, report, spider, section, day, attribute)
            if entry:
                failures.append(entry)
    failures.sort(key=lambda f: (f["finished"] or "", f["report"], f["spider"]))
    return failures


def _section_failure(path: Path, report: dict, spider: str, section: Any, day: Day,
                     attribute: "SourceAttribution") -> dict[str, Any] | None:
    if not isinstance(section, dict):
        return None
    finished = section.get("finished") or report.get("updated")
    try:
        moment = datetime.fromisoformat(str(finished).replace("Z", "+00:00"))
    except ValueError:
        return None
    if not day.contains(moment):
        return None
    finish_reason = str(section.get("finish_reason") or "unknown")
    errors = int(section.get("errors") or 0)
    reasons = {r: int(n) for r, n in (section.get("skipped") or {}).items() if is_failure_reason(r) and int(n) > 0}
    if finish_reason == "finished" and not errors and not reasons:
        return None
    scope = str(report.get("scope") or _name_parts(path)[0])
    examples = [{"url": d.get("url"), "reason": d.get("reason"), "detail": d.get("detail"),
                 "source": attribute(d.get("url"))}
                for d in section.get("skip_details") or [] if isinstance(d, dict) and is_failure_reason(str(d.get("reason")))]
    sources = sorted({e["source"] for e in examples if e["source"]})
    if not sources or finish_reason != "finished" or errors:
        # Stopped or erroring spiders fail their whole scope (a source id, a group or "all").
        sources = sorted({*sources, scope})
    return {"report": path.name, "scope": scope, "window": report.get("window"), "spider": spider,
            "finished": moment.astimezone(timezone.utc).isoformat(timespec="seconds"),
            "finish_reason": finish_reason, "errors": errors, "reasons": dict(sorted(reasons.items())),
            "sources": sources, "examples": examples[:MAX_EXAMPLES],
            "why": _why(finish_reason, errors, reasons)}


def _name_parts(path: Path) -> tuple[str, str | None]:
    """(scope, window) from a report's file name; the whole stem and None if it is not of that form."""
    match = _REPORT_NAME.match(path.stem)
    return (match["scope"], match["window"]) if match else (path.stem, None)


def _unreadable(path: Path, modified: datetime, exc: Exception) -> dict[str, Any]:
    scope, window = _name_parts(path)
    return {"report": path.name, "scope": scope, "window": window, "spider": "-",
            "finished": modified.isoformat(timespec="seconds"), "finish_reason": "unreadable", "errors": 0,
            "reasons": {}, "sources": [scope], "examples": [],
            "why": f"laporan crawl tidak terbaca ({type(exc).__name__}: {str(exc)[:120]})"}


def _why(finish_reason: str, errors: int, reasons: dict[str, int]) -> str:
    """One Indonesian line a supervisor can read: what went wrong."""
    parts = []
    if finish_reason != "finished":
        parts.append(f"crawl berhenti tidak normal ({finish_reason})")
    if errors:
        parts.append(f"{errors} error di log")
    if reasons:
        parts.append("gagal diambil: " + ", ".join(f"{r} ×{n}" for r, n in sorted(reasons.items())))
    return "; ".join(parts)


class SourceAttribution:
    """Failing URL -> the source id it belongs to (see the module docstring), or its host."""

    def __init__(self, urls: dict[str, str], hosts: dict[str, set[str]]) -> None:
        self.urls = urls
        self.hosts = hosts

    @classmethod
    def load(cls, sources_path: str | Path | None) -> "SourceAttribution":
        urls: dict[str, str] = {}
        hosts: dict[str, set[str]] = {}
        # Read the YAML directly rather than through crawlers.sources: the digest must not depend
        # on the crawler package, and a broken sources file must not stop the report (the crawl
        # itself says what is wrong with it).
        try:
            import yaml

            raw = yaml.safe_load(Path(sources_path).read_text(encoding="utf-8")) if sources_path else None
        except Exception:  # noqa: BLE001 - attribution is best effort; the host is shown instead
            raw = None
        entries = raw.get("sources") if isinstance(raw, dict) else raw
        for entry in entries if isinstance(entries, list) else []:
            if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
                continue
            listed = entry.get("urls") or [entry.get("url")]
            for url in listed if isinstance(listed, list) else [listed]:
                if isinstance(url, str) and url:
                    urls[url] = entry["id"]
                    hosts.setdefault(_host(url), set()).add(entry["id"])
        return cls(urls, hosts)

    def __call__(self, url: Any) -> str | None:
        if not isinstance(url, str) or not url:
            return None
        if url in self.urls:
            return self.urls[url]
        owners = self.hosts.get(_host(url), set())
        return next(iter(owners)) if len(owners) == 1 else (_host(url) or None)


def _host(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""
