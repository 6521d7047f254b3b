"""Engagement refresh: re-read the likes, shares, replies and views of recently flagged social posts.

A post's reach grows for hours or days after we first see it, and the severity ranking (score ×
reach, ``waspada.index.common.severity``) must follow. Each run:

1. **selects** the flagged posts (any label) on Mastodon, Telegram, Reddit and YouTube whose first
   sight (``event.created``, the fetch that indexed them) and publication (``@timestamp``) both
   fall within the last ``ENGAGEMENT_REFRESH_HOURS``, not yet known to be deleted. The index is
   searched by publication time (indexed on both backends) and first sight is checked per hit,
   so a post first seen long after it was published (a first crawl reaching back into a channel)
   is not refreshed: the early spread the refresh follows was over before we saw it. At most
   ``ENGAGEMENT_REFRESH_MAX_ITEMS`` per run, those never refreshed first, then the longest ago;
2. **fetches** their current counts with ``scrapy crawl engagement`` in a child process
   (``crawlers/spiders/engagement.py``), like crawling: the spiders' own parsing of each platform,
   the crawl's politeness, size caps and 429/Retry-After handling, and no HTTP client of our own;
3. **updates** each document in place (a partial update, both backends): the counts the platform
   shows now under ``waspada.engagement`` plus ``engagement.refreshed_at``; a post the platform
   reports gone gets ``waspada.post.deleted_at`` and ``deleted_reason`` and keeps everything
   else (it is evidence) and is not fetched again. Severity is recomputed from the new reach.

A failed fetch (rate limited, timeout, 5xx, changed markup) changes nothing and is tried again
next run; it never stops the other posts. The run's scrapy log is ``<STATE_DIR>/engagement/refresh.log``.

    >>> from waspada.index import open_index
    >>> report = refresh_engagement(open_index())   # doctest: +SKIP
    >>> report.as_dict()                              # doctest: +SKIP
    {'selected': 41, 'refreshed': 37, 'changed': 30, 'deleted': 1, 'unavailable': 2, 'failed': {'rate_limited': 1}, ...}
"""
from __future__ import annotations

import fcntl
import json
import logging
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Iterator

from waspada import config
from waspada.crawl import REPO, last_error_line, scrapy_environment, stop_process
from waspada.index.base import SearchQuery
from waspada.schema import LABELS, parse_time

log = logging.getLogger(__name__)

#: Platforms whose counts can be read again without an account.
PLATFORMS = ("mastodon", "telegram", "reddit", "youtube")
COUNTS = ("likes", "shares", "replies", "views")
_PAGE = 500


class EngagementRefreshError(RuntimeError):
    """A refresh could not run at all; the message names the cause, the log and the fix."""


@dataclass
class RefreshReport:
    selected: int = 0
    refreshed: int = 0
    #: Refreshed posts whose counts differ from what the index held.
    changed: int = 0
    deleted: int = 0
    unavailable: Counter = field(default_factory=Counter)
    failed: Counter = field(default_factory=Counter)
    #: Documents removed from the index while their counts were fetched.
    missing: int = 0
    log_path: str | None = None
    #: Why the fetch process ended early (timeout, crash), when it did.
    problem: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"selected": self.selected, "refreshed": self.refreshed, "changed": self.changed,
                "deleted": self.deleted, "unavailable": dict(self.unavailable), "failed": dict(self.failed),
                "missing": self.missing, "log": self.log_path, "problem": self.problem}


def select_posts(index, *, now: datetime, hours: float, limit: int) -> list[dict[str, Any]]:
    """The jobs for the posts due a refresh (see the module docstring), most in need first."""
    now = _utc(now)
    since = now - timedelta(hours=hours)
    due = []
    for doc in _recent_flagged(index, since):
        project = doc["waspada"]
        if project.get("post", {}).get("deleted_at"):
            continue
        try:
            first_seen = parse_time(str((doc.get("event") or {}).get("created")), "event.created")
        except ValueError:
            continue  # no usable first sight: cannot tell whether it is in the window
        if not since <= first_seen <= now:
            continue
        due.append({"id": project["id"], "platform": project["source"]["platform"],
                    "source_id": project["source"]["id"], "url": doc["url"]["original"],
                    "canonical_url": project.get("canonical_url"),
                    "_refreshed_at": project.get("engagement", {}).get("refreshed_at") or ""})
    due.sort(key=lambda job: (job["_refreshed_at"], job["id"]))  # never refreshed ("") first
    return [{k: v for k, v in job.items() if not k.startswith("_")} for job in due[:max(0, limit)]]


def _utc(moment: datetime) -> datetime:
    """A plain aware UTC datetime from any datetime (Airflow hands pendulum ones); naive is UTC."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return datetime.fromtimestamp(moment.timestamp(), timezone.utc)


def _recent_flagged(index, since: datetime) -> Iterator[dict[str, Any]]:
    query = SearchQuery(labels=LABELS, platforms=PLATFORMS, date_from=since, sort="time", size=_PAGE)
    while True:
        result = index.search(query)
        for hit in result.hits:
            yield hit.doc
        if len(result.hits) < _PAGE:
            return
        query = SearchQuery(labels=LABELS, platforms=PLATFORMS, date_from=since, sort="time", size=_PAGE,
                            after=tuple(result.hits[-1].cursor))


def refresh_engagement(index, *, now: datetime | None = None, hours: float | None = None,
                       max_items: int | None = None, sources_path: str | Path | None = None,
                       polite: bool | None = None, timeout: float | None = None,
                       env: dict[str, str] | None = None) -> RefreshReport:
    """Refresh the counts of the flagged social posts first seen in the last ``hours``
    (default: setting ENGAGEMENT_REFRESH_HOURS), at most ``max_items`` (ENGAGEMENT_REFRESH_MAX_ITEMS).

    ``now`` is the end of the window (the DAG passes its data interval's end; default: the clock).
    ``sources_path`` names YouTube sources' channel feeds (default: SOURCES_PATH). ``timeout``
    bounds the fetching in seconds (default: CRAWL_RUN_TIMEOUT); the answers received by then are
    applied. ``polite=False`` (tests, the local demo site) lifts the live-web delays; ``env`` adds
    ``WASPADA_*`` settings for the fetching process. Raises ``EngagementRefreshError`` only when
    the fetch failed as a whole (nothing came back from a process that failed).
    """
    now = _utc(now or datetime.now(timezone.utc))
    hours = float(config.get("ENGAGEMENT_REFRESH_HOURS") if hours is None else hours)
    max_items = int(config.get("ENGAGEMENT_REFRESH_MAX_ITEMS") if max_items is None else max_items)
    if hours <= 0:
        raise ValueError(f"hours must be more than 0, got {hours:g} (setting WASPADA_ENGAGEMENT_REFRESH_HOURS)")
    if max_items < 1:
        raise ValueError(f"max_items must be at least 1, got {max_items} (setting WASPADA_ENGAGEMENT_REFRESH_MAX_ITEMS)")
    work = Path(config.get("STATE_DIR")) / "engagement"
    work.mkdir(parents=True, exist_ok=True)
    with _only_run(work / "refresh.lock"):
        jobs = select_posts(index, now=now, hours=hours, limit=max_items)
        report = RefreshReport(selected=len(jobs))
        if not jobs:
            log.info("engagement refresh: no flagged social post first seen since %s", now - timedelta(hours=hours))
            return report
        results = _fetch(jobs, work, report, sources_path=sources_path,
                         polite=config.get("CRAWL_POLITE") if polite is None else polite,
                         timeout=float(config.get("CRAWL_RUN_TIMEOUT") if timeout is None else timeout), env=env)
        apply_results(index, jobs, results, report)
        index.refresh()
    log.info("engagement refresh: %s", report.as_dict())
    return report


def _fetch(jobs: list[dict], work: Path, report: RefreshReport, *, sources_path, polite: bool, timeout: float,
           env: dict[str, str] | None) -> list[dict]:
    """Run the engagement spider over ``jobs``; its result lines (possibly fewer than the jobs)."""
    jobs_path, results_path, log_path = work / "jobs.jsonl", work / "results.jsonl", work / "refresh.log"
    jobs_path.write_text("".join(json.dumps(job, ensure_ascii=False) + "\n" for job in jobs), encoding="utf-8")
    results_path.unlink(missing_ok=True)
    report.log_path = str(log_path)
    sources = Path(sources_path or config.get("SOURCES_PATH")).resolve()
    command = [sys.executable, "-m", "scrapy", "crawl", "engagement", "-a", f"jobs={jobs_path}",
               "-a", f"results={results_path}", "-a", f"sources={sources}",
               "-s", f"LOG_FILE={log_path}", "-s", "LOG_FILE_APPEND=False"]
    child_env = scrapy_environment(spool_dir=Path(config.get("SPOOL_DIR")).resolve(), polite=polite, env=env)
    stderr_path = log_path.with_suffix(".stderr")
    with open(stderr_path, "wb") as stderr:
        process = subprocess.Popen(command, env=child_env, cwd=str(REPO), stdout=subprocess.DEVNULL, stderr=stderr,
                                   start_new_session=True)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            stop_process(process)
            report.problem = (f"the fetch ran past {timeout:g} s and was stopped; posts without an answer are tried "
                              f"again next run (raise WASPADA_CRAWL_RUN_TIMEOUT or lower "
                              f"WASPADA_ENGAGEMENT_REFRESH_MAX_ITEMS); log: {log_path}")
    results = _read_results(results_path)
    if report.problem is None and process.returncode != 0:
        report.problem = (f"the engagement spider exited with status {process.returncode} (log: {log_path}): "
                          + last_error_line(stderr_path, log_path))
    if report.problem and not results:
        raise EngagementRefreshError(report.problem)
    if report.problem:
        log.warning("engagement refresh: %s", report.problem)
    return results


def _read_results(path: Path) -> list[dict]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return []
    results = []
    for line in lines:
        try:
            results.append(json.loads(line))
        except ValueError:
            continue  # a line cut short by a stopped process: that post counts as unanswered
    return results


def apply_results(index, jobs: list[dict], results: list[dict], report: RefreshReport) -> None:
    """Write each result to its document (see the module docstring); count every job in ``report``."""
    answered = set()
    for result in results:
        doc_id, status = result.get("id"), result.get("status")
        if doc_id in answered or doc_id is None:
            continue
        answered.add(doc_id)
        if status == "refreshed":
            _apply_counts(index, doc_id, result, report)
        elif status == "deleted":
            _apply_deleted(index, doc_id, result, report)
        elif status == "unavailable":
            report.unavailable[result.get("reason") or "unknown"] += 1
        else:
            report.failed[result.get("reason") or "unknown"] += 1
    unanswered = sum(1 for job in jobs if job["id"] not in answered)
    if unanswered:  # the fetch was stopped before these: tried again next run
        report.failed["not_answered"] += unanswered


def _apply_counts(index, doc_id: str, result: dict, report: RefreshReport) -> None:
    counts = {k: int(v) for k, v in (result.get("engagement") or {}).items() if k in COUNTS and isinstance(v, int)}
    before = index.get(doc_id)
    if before is None:
        report.missing += 1
        return
    old = before["waspada"].get("engagement") or {}
    try:
        index.update(doc_id, {"waspada": {"engagement": {**counts, "refreshed_at": result["checked_at"]}}},
                     refresh=False)
    except KeyError:
        report.missing += 1
        return
    report.refreshed += 1
    if any(int(old.get(k) or 0) != v for k, v in counts.items()):
        report.changed += 1


def _apply_deleted(index, doc_id: str, result: dict, report: RefreshReport) -> None:
    why = f"{result.get('reason') or 'gone'}: {result.get('detail') or ''}".strip(": ")
    partial = {"waspada": {"post": {"deleted_at": result["checked_at"], "deleted_reason": why[:300]},
                           "engagement": {"refreshed_at": result["checked_at"]}}}
    try:
        index.update(doc_id, partial, refresh=False)
    except KeyError:
        report.missing += 1
        return
    report.deleted += 1


class _only_run:
    """One refresh at a time per STATE_DIR: two would fetch the same posts twice."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __enter__(self):
        self.handle = open(self.path, "w")  # noqa: SIM115 - closed in __exit__
        try:
            fcntl.flock(self.handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self.handle.close()
            raise EngagementRefreshError(f"another engagement refresh is running (lock {self.path}); "
                                         "wait for it to finish") from None
        return self

    def __exit__(self, *exc):
        fcntl.flock(self.handle, fcntl.LOCK_UN)
        self.handle.close()
