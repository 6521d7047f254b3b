"""Run a crawl: ``scrapy crawl`` in subprocesses, then read back what it wrote.

Scrapy runs on Twisted, whose reactor cannot be restarted in one process, so Airflow tasks and
``waspada run`` crawl in a child process. Each source kind (``feed``, ``article``, ``mastodon``,
``telegram``, ``reddit``) has a spider; ``run_crawl`` starts one subprocess per kind that has
selected sources, *concurrently*, and waits for all of them. Each spider merges its section into ``<spool_dir>/_stats/<scope>-<window>.json``
(scope = source id, group, or ``all``), which ``run_crawl`` returns with the spool files written.

Source health (``waspada.sources``): each spider crawls only its sources that are due and
not disabled; the others are logged (here too, one line each) and counted in the report as
``not_due`` / ``disabled`` (listed under ``not_crawled``), and feeds whose body was already parsed
in an earlier window count as ``unchanged``. ``force=True`` crawls everything.

This module must not import Scrapy: it only builds a command line and an environment.
"""
from __future__ import annotations

import json
import logging
import os
import re
import signal
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

from waspada import config

logger = logging.getLogger(__name__)

KINDS = ("feed", "article", "mastodon", "telegram", "reddit")
_WINDOW = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}-\d{2}$")
#: The checkout: the working directory of the child, so it imports crawlers/ and waspada/ from here.
REPO = Path(__file__).resolve().parent.parent
#: Seconds a spider gets to close cleanly (rename its spool files) after SIGINT before SIGKILL.
GRACE_SECONDS = 20


class CrawlError(RuntimeError):
    """A crawl failed or ran out of time; the message names the spider, its log and the fix."""


def run_crawl(sources_path: str | os.PathLike, *, spool_dir: str | os.PathLike, window: str,
              group: str | None = None, source: str | None = None, polite: bool = True,
              timeout: float | None = None, env: dict[str, str] | None = None, force: bool = False,
              now: datetime | None = None) -> dict:
    """Crawl the enabled sources in ``sources_path`` (optionally one ``group`` or one ``source``).

    Spool files land in ``<spool_dir>/<source_id>/<window>.jsonl``. Returns the crawl report
    (pages_fetched, items_written, skipped by reason, spiders, spool_files) plus ``report_path`` and
    ``logs``. ``timeout`` bounds the whole crawl in seconds (default: setting CRAWL_RUN_TIMEOUT);
    ``polite=False`` lifts the live-web delays, for the local demo site and tests only. ``env``
    adds ``WASPADA_*`` settings for the child (e.g. ``{"WASPADA_CRAWL_TIMEOUT": "3"}``).

    Only sources that are due and not disabled are fetched (see ``waspada.sources``);
    ``force=True`` fetches every selected source and parses every feed (the ingest DAG's
    ``recrawl``, ``waspada run --demo``). Schedules compare crawl windows; ``now`` replaces the
    clock for cool-downs and the times source health records (tests).

    >>> run_crawl("crawlers/sources.yaml", spool_dir="var/spool", window="2024-02-14T08-00",
    ...           group="nasional")   # doctest: +SKIP
    {'items_written': 412, 'pages_fetched': 430, 'skipped': {'http_404': 2}, ...}
    """
    if not _WINDOW.match(window or ""):
        raise ValueError(f"window {window!r} is not of the form YYYY-MM-DDTHH-MM (e.g. 2024-02-14T08-00)")
    if group and source:
        raise ValueError(f"give group={group!r} or source={source!r}, not both")
    sources_path = Path(sources_path).resolve()
    spool_dir = Path(spool_dir).resolve()
    timeout = float(timeout if timeout is not None else config.get("CRAWL_RUN_TIMEOUT"))
    kinds = _kinds_to_run(sources_path, group, source)
    scope = source or group or "all"
    report_path = spool_dir / "_stats" / f"{scope}-{window}.json"
    report_path.unlink(missing_ok=True)  # a re-run of the window reports itself, not a stale mix
    log_dir = spool_dir / "_logs"
    log_dir.mkdir(parents=True, exist_ok=True)

    child_env = scrapy_environment(spool_dir=spool_dir, polite=polite, env=env)
    repo = str(REPO)
    running = {}
    for kind in kinds:
        log_path = log_dir / f"{scope}-{window}-{kind}.log"
        command = [sys.executable, "-m", "scrapy", "crawl", kind, "-a", f"sources={sources_path}",
                   "-a", f"window={window}", "-s", f"LOG_FILE={log_path}", "-s", "LOG_FILE_APPEND=False"]
        if group:
            command += ["-a", f"group={group}"]
        if source:
            command += ["-a", f"source={source}"]
        if force:
            command += ["-a", "force=true"]
        if now is not None:
            command += ["-a", f"now={now.isoformat()}"]
        # stderr goes to a file, not a pipe: two children writing to unread pipes could block.
        with open(log_path.with_suffix(".stderr"), "wb") as stderr:
            running[kind] = (subprocess.Popen(command, env=child_env, cwd=repo, stdout=subprocess.DEVNULL,
                                              stderr=stderr, start_new_session=True), log_path)
    deadline = time.monotonic() + timeout
    failures = []
    for kind, (process, log_path) in running.items():
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            stop_process(process)
            failures.append(f"spider {kind!r} ran past timeout={timeout:g}s and was stopped (log: {log_path}); "
                            "raise the timeout (WASPADA_CRAWL_RUN_TIMEOUT) or crawl one group at a time")
            continue
        if process.returncode != 0:
            failures.append(f"spider {kind!r} exited with status {process.returncode} (log: {log_path}): "
                            + last_error_line(log_path.with_suffix(".stderr"), log_path))
    report = _read_report(report_path)
    if failures:
        raise CrawlError("; ".join(failures) + (f"; partial report: {report_path}" if report else ""))
    if report is None:
        if not kinds:
            report = {"scope": scope, "window": window, "pages_fetched": 0, "items_written": 0,
                      "skipped": {}, "spool_files": [], "not_due": 0, "disabled": 0, "unchanged": 0,
                      "revalidated": 0, "not_crawled": [], "spiders": {}}
        else:
            raise CrawlError(f"the crawl finished but wrote no report at {report_path}; see the logs in {log_dir}")
    for entry in report.get("not_crawled", []):
        level = logging.WARNING if entry.get("state") == "disabled" else logging.INFO
        logger.log(level, "source %s not crawled (%s): %s", entry.get("source"), entry.get("state"), entry.get("why"))
    report["report_path"] = str(report_path)
    report["logs"] = {kind: str(log_path) for kind, (_, log_path) in running.items()}
    return report


def source_groups(sources_path: str | os.PathLike) -> list[str]:
    """The groups of the enabled sources in a sources file: one crawl partition each."""
    path = Path(sources_path)
    groups = sorted({str(e.get("group") or "default") for e in _entries(path) if e.get("enabled", True)})
    if not groups:
        raise ValueError(f"sources file {str(path)!r} has no enabled source; enable one or set WASPADA_SOURCES_PATH")
    return groups


def _entries(sources_path: Path) -> list[dict]:
    import yaml  # only needed here; keeps `import waspada.crawl` cheap

    try:
        raw = yaml.safe_load(sources_path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ValueError(f"sources file {str(sources_path)!r} does not exist; pass a path or set WASPADA_SOURCES_PATH") from None
    entries = raw.get("sources") if isinstance(raw, dict) else raw
    if not isinstance(entries, list):
        raise ValueError(f"sources file {str(sources_path)!r} must hold a list of sources under `sources:`")
    return [e for e in entries if isinstance(e, dict)]


def _kinds_to_run(sources_path: Path, group: str | None, source: str | None) -> list[str]:
    """Kinds with at least one selected, enabled source; checks the file before any process starts."""
    entries = _entries(sources_path)
    if source and source not in {e.get("id") for e in entries}:
        raise ValueError(f"source {source!r} is not in {str(sources_path)!r}")
    if group and group not in {str(e.get("group") or "default") for e in entries}:
        raise ValueError(f"group {group!r} is not in {str(sources_path)!r}")
    selected = [e for e in entries if e.get("enabled", True)
                and (not group or str(e.get("group") or "default") == group) and (not source or e.get("id") == source)]
    return [kind for kind in KINDS if any(e.get("kind") == kind for e in selected)]


def scrapy_environment(*, spool_dir: Path, polite: bool, env: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of a ``scrapy crawl`` child: ours, plus ``env``, the project's Scrapy
    settings, the spool directory and the politeness switch."""
    child_env = {**os.environ, **(env or {}), "SCRAPY_SETTINGS_MODULE": "crawlers.settings",
                 "WASPADA_SPOOL_DIR": str(spool_dir), "WASPADA_CRAWL_POLITE": "true" if polite else "false"}
    # The child must import crawlers/ and waspada/ from this checkout even when not installed.
    child_env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), child_env.get("PYTHONPATH")]))
    return child_env


def stop_process(process: subprocess.Popen) -> None:
    """SIGINT first: Scrapy then closes the spider and renames its spool files."""
    try:
        os.killpg(process.pid, signal.SIGINT)
        process.wait(timeout=GRACE_SECONDS)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    except ProcessLookupError:
        pass


def last_error_line(*paths: Path) -> str:
    """The last error line a failed spider wrote (Scrapy sends startup tracebacks to its log file)."""
    for path in paths:
        try:
            lines = [line.strip() for line in path.read_text(encoding="utf-8", errors="replace").splitlines()]
        except FileNotFoundError:
            continue
        errors = [line for line in lines if "Error" in line or "error" in line]
        if errors:
            return errors[-1]
    return "no error message; see the log"


def _read_report(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return None
