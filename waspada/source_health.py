"""Source health: when each source is due, whether its feed changed, how often it fails.

In the spirit of Media Cloud's feed fetcher, so the crawler can run for months unattended:

* **Schedule.** A source is *due* when ``now >= last attempt + interval`` (less a little slack for
  scheduler jitter), where time is the crawl *window* (``2024-02-14T08-00``: Airflow's data
  interval start, or the hour of a manual crawl): the window crawled now against the window the
  source was last crawled in, so a window gets the same decision whenever it runs (the wall clock
  is used only when there is no window). The interval is the source's ``interval`` in
  sources.yaml (minutes) if set; else what the feed advertises (RSS ``<ttl>``,
  ``sy:updatePeriod``/``sy:updateFrequency``), never shorter than setting CRAWL_DEFAULT_INTERVAL
  and at most ``MAX_ADVERTISED_MINUTES``; else CRAWL_DEFAULT_INTERVAL. A re-run of the window a
  source was last crawled in is always due: a re-run replaces that window's spool files, so it
  must reproduce them (Airflow retries and clears, ``waspada run`` twice in an hour); so is an
  earlier window (a backfill). A forced crawl (``run_crawl(force=True)``) ignores schedules,
  cool-downs and content hashes. Cool-downs and disabling by hand run on the clock (``now``).
* **Content hash.** The SHA-256 of each feed body that was parsed, per source and URL, with the
  window whose spool file got its entries. Another window that fetches the same bytes (typically
  a 304 answered from the HTTP cache) skips parsing: the items are already in that spool file. A
  re-run of that same window parses it again, since the re-run replaces the window's file.
* **Failure score.** Each crawl of a source that delivered nothing adds the weight of its worst
  error (``HARD_ERROR_WEIGHT`` or ``SOFT_ERROR_WEIGHT``); a crawl in which any listed URL worked
  multiplies it by ``SUCCESS_DECAY`` and resets the consecutive failures. At setting
  SOURCE_FAILURE_THRESHOLD the source is disabled for SOURCE_COOLDOWN_HOURS, doubled each time
  it is disabled again without a success in between, capped at SOURCE_COOLDOWN_MAX_HOURS. After
  the cool-down it is tried again. ``waspada sources enable ID`` / ``disable ID`` act by hand.
* **Items per day**, per source and WIB day, and the last success / last error, for the status
  table (``waspada sources status``, the web app's ``/sources``).

Everything lives in one SQLite file, ``<STATE_DIR>/source_health.db`` (WAL, so the spiders of one
crawl, the CLI and the web app can use it at once). Each spider records all its sources at close
in one transaction.

Import rule: DESIGN.md lets ``crawlers/`` import only ``waspada.schema`` and ``waspada.config``.
This module is a deliberate third exception: the crawler side writes source health and the
CLI/web side reads it, so it must stay light — standard library only (PyYAML lazily, for
``load_source_entries``), never Scrapy, never the rest of ``waspada``.
"""
from __future__ import annotations

import sqlite3
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Iterable, Iterator

from waspada.opsdb import enable_wal
from waspada.wib import WIB

DB_NAME = "source_health.db"

# --- Failure weights --------------------------------------------------------------------------
#: A hard error will most likely be the same next time (the URL is gone or forbidden, the host does
#: not resolve or refuses, the feed is not a feed): three crawls in a row are enough to stop asking
#: (with the default SOURCE_FAILURE_THRESHOLD of 3) and spare the publisher and our logs.
HARD_ERROR_WEIGHT = 1.0
#: A soft error is usually transient (a timeout, a 5xx during a traffic spike on election night, a
#: 429, a feed that is momentarily empty): it takes four of them to weigh one hard error, so a
#: source is only disabled after about a dozen bad crawls in a row (six hours at a 30-minute cadence).
SOFT_ERROR_WEIGHT = 0.25
#: A crawl that delivered halves the score: one good crawl after a bad patch does not wipe the
#: record (a flapping source still climbs), a long good run forgets it.
SUCCESS_DECAY = 0.5

#: Skip reasons (crawlers/skips.py) of a listed URL that count as hard errors; every ``http_4xx``
#: except 429 (rate limiting) and 408 (request timeout) is hard too.
HARD_REASONS = frozenset({"connection_error", "malformed_feed", "binary_content", "redirect_loop",
                          "robots_disallowed", "too_large", "changed_markup"})
#: Soft ones; ``http_5xx``, ``http_429`` and ``http_408`` are soft too, and so is any unknown reason.
SOFT_REASONS = frozenset({"timeout", "rate_limited", "empty_feed", "empty_channel", "no_text", "download_error"})

# --- Schedule ---------------------------------------------------------------------------------
#: An advertised interval longer than this is not trusted: an election feed that claims to change
#: once a day is still looked at four times a day.
MAX_ADVERTISED_MINUTES = 6 * 60
#: Bounds of a source's own ``interval`` in sources.yaml (minutes): at least one, at most a week.
MIN_CONFIGURED_MINUTES, MAX_CONFIGURED_MINUTES = 1, 7 * 24 * 60
#: A crawl starting a little before the due time (scheduler jitter, a crawl that started a few
#: seconds late last time) still counts: 10% of the interval, at most 5 minutes.
SLACK_FRACTION, MAX_SLACK = 0.1, timedelta(minutes=5)
#: ``sy:updatePeriod`` values in minutes.
_PERIODS = {"hourly": 60, "daily": 24 * 60, "weekly": 7 * 24 * 60, "monthly": 30 * 24 * 60, "yearly": 365 * 24 * 60}


class HealthError(ValueError):
    """A source id or value the health store cannot use; the message says what to do."""


# --- Pure helpers -----------------------------------------------------------------------------

def utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(microsecond=0)


def iso(moment: datetime | None) -> str | None:
    return moment.astimezone(timezone.utc).isoformat(timespec="seconds") if moment else None


def parse_moment(value: str | datetime | None) -> datetime | None:
    """An ISO 8601 time (or datetime) as an aware UTC datetime; a naive one is taken as UTC."""
    if value is None or value == "":
        return None
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc)


def error_weight(reason: str) -> tuple[str, float]:
    """``("hard", HARD_ERROR_WEIGHT)`` or ``("soft", SOFT_ERROR_WEIGHT)`` for a skip reason."""
    if reason.startswith("http_"):
        code = reason[len("http_"):]
        if code.isdigit() and 400 <= int(code) < 500 and int(code) not in (408, 429):
            return "hard", HARD_ERROR_WEIGHT
        return "soft", SOFT_ERROR_WEIGHT
    if reason in HARD_REASONS:
        return "hard", HARD_ERROR_WEIGHT
    return "soft", SOFT_ERROR_WEIGHT


def advertised_minutes(ttl: Any = None, update_period: Any = None, update_frequency: Any = None) -> int | None:
    """The update interval a feed advertises, in minutes: RSS ``<ttl>`` (minutes), else the
    syndication module's ``updatePeriod`` divided by ``updateFrequency``; None when it says
    nothing readable (Atom has neither)."""
    try:
        minutes = int(str(ttl).strip()) if ttl not in (None, "") else None
    except ValueError:
        minutes = None
    if minutes is not None and minutes > 0:
        return minutes
    period = _PERIODS.get(str(update_period or "").strip().lower())
    if period is None:
        return None
    try:
        frequency = int(str(update_frequency).strip()) if update_frequency not in (None, "") else 1
    except ValueError:
        frequency = 1
    return max(1, period // max(1, frequency))


def parse_interval(value: Any) -> int | None:
    """A sources.yaml ``interval`` (whole minutes) or None; ValueError saying what is wrong."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"interval must be a whole number of minutes, got {value!r}")
    if not MIN_CONFIGURED_MINUTES <= value <= MAX_CONFIGURED_MINUTES:
        raise ValueError(f"interval must be between {MIN_CONFIGURED_MINUTES} and {MAX_CONFIGURED_MINUTES} "
                         f"minutes (a week), got {value}")
    return value


def effective_interval(configured: int | None, advertised: int | None, default: int) -> tuple[int, str]:
    """(minutes, where they come from): the source's own setting, the feed's, or the default."""
    if configured:
        return configured, "sources.yaml"
    if advertised:
        return max(default, min(advertised, MAX_ADVERTISED_MINUTES)), "feed"
    return default, "default"


WINDOW_FORMAT = "%Y-%m-%dT%H-%M"


def window_time(window: str | None) -> datetime | None:
    """The start of a crawl window (``2024-02-14T08-00``, UTC); None when absent or not a window."""
    try:
        return datetime.strptime(window, WINDOW_FORMAT).replace(tzinfo=timezone.utc) if window else None
    except ValueError:
        return None


def window_name(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime(WINDOW_FORMAT)


def wib_day(moment: datetime) -> str:
    return moment.astimezone(WIB).strftime("%Y-%m-%d")


def last_days(days: int, now: datetime) -> list[str]:
    """The last ``days`` WIB days up to the one of ``now``, oldest first."""
    return [wib_day(now - timedelta(days=n)) for n in reversed(range(max(1, days)))]


@dataclass(frozen=True)
class HealthSettings:
    """The tunables, from the WASPADA_* settings unless given."""
    default_interval: int = 15
    failure_threshold: float = 3.0
    cooldown_hours: float = 24.0
    cooldown_max_hours: float = 168.0

    @classmethod
    def from_config(cls) -> "HealthSettings":
        from waspada import config
        return cls(default_interval=config.get("CRAWL_DEFAULT_INTERVAL"),
                   failure_threshold=config.get("SOURCE_FAILURE_THRESHOLD"),
                   cooldown_hours=config.get("SOURCE_COOLDOWN_HOURS"),
                   cooldown_max_hours=config.get("SOURCE_COOLDOWN_MAX_HOURS"))


@dataclass
class SourceHealth:
    """One row of the store: what is known about a source's crawls."""
    source_id: str
    last_attempt: str | None = None
    last_window: str | None = None
    last_success: str | None = None
    last_error_at: str | None = None
    last_error: str | None = None
    last_error_kind: str | None = None
    consecutive_failures: int = 0
    failure_score: float = 0.0
    times_disabled: int = 0
    disabled_until: str | None = None
    disabled_by_hand: bool = False
    disabled_reason: str | None = None
    #: When the current disabling began (a cool-down, or by hand); None while enabled. The digest
    #: shows it so supervisors see how long a source has been dark.
    disabled_since: str | None = None
    advertised_interval: int | None = None
    next_due: str | None = None
    updated: str | None = None

    def disabled_at(self, now: datetime) -> bool:
        """Disabled at ``now``: by hand (until a time, or until enabled), or for a cool-down."""
        until = parse_moment(self.disabled_until)
        if self.disabled_by_hand:
            return until is None or now < until
        return until is not None and now < until


@dataclass(frozen=True)
class Decision:
    """Whether a source is crawled now: ``state`` is ``due``, ``not_due`` or ``disabled``."""
    source_id: str
    state: str
    why: str
    interval: int
    next_due: str | None = None


@dataclass
class SourceResult:
    """What one crawl learnt about one source (built by ``CrawlTracker``)."""
    ok_urls: set[str] = field(default_factory=set)
    failures: dict[str, tuple[str, str]] = field(default_factory=dict)  # url -> (reason, detail)
    unchanged_urls: set[str] = field(default_factory=set)
    advertised: dict[str, int | None] = field(default_factory=dict)  # url -> minutes, for feeds parsed
    hashes: dict[str, str] = field(default_factory=dict)  # url -> sha256 of a body parsed this crawl
    items: int = 0
    configured_interval: int | None = None

    @property
    def attempted(self) -> bool:
        return bool(self.ok_urls or self.failures or self.unchanged_urls)

    @property
    def succeeded(self) -> bool:
        """Any listed URL worked (answered and was read, or was unchanged)."""
        return bool((self.ok_urls - set(self.failures)) or self.unchanged_urls)

    def worst_failure(self) -> tuple[str, float, str] | None:
        """(kind, weight, "reason: detail (url)") of the heaviest error, or None."""
        worst = None
        for url, (reason, detail) in sorted(self.failures.items()):
            kind, weight = error_weight(reason)
            if worst is None or weight > worst[1]:
                worst = (kind, weight, f"{reason}: {detail} ({url})"[:500])
        return worst


class CrawlTracker:
    """Collects, during one spider run, what happened to each source's listed URLs."""

    def __init__(self) -> None:
        self.results: dict[str, SourceResult] = {}

    def result(self, source_id: str) -> SourceResult:
        return self.results.setdefault(source_id, SourceResult())

    def fetched(self, source_id: str, url: str) -> None:
        self.result(source_id).ok_urls.add(url)

    def failed(self, source_id: str, url: str, reason: str, detail: str) -> None:
        failures = self.result(source_id).failures
        # The heaviest error of a URL is the one that counts.
        if url not in failures or error_weight(reason)[1] > error_weight(failures[url][0])[1]:
            failures[url] = (reason, detail)

    def unchanged(self, source_id: str, url: str) -> None:
        self.result(source_id).unchanged_urls.add(url)

    def parsed_feed(self, source_id: str, url: str, sha256: str, advertised: int | None) -> None:
        result = self.result(source_id)
        result.hashes[url] = sha256
        result.advertised[url] = advertised


# --- The store --------------------------------------------------------------------------------

_SCHEMA = """
CREATE TABLE IF NOT EXISTS source_health (
    source_id TEXT PRIMARY KEY,
    last_attempt TEXT, last_window TEXT, last_success TEXT,
    last_error_at TEXT, last_error TEXT, last_error_kind TEXT,
    consecutive_failures INTEGER NOT NULL DEFAULT 0,
    failure_score REAL NOT NULL DEFAULT 0,
    times_disabled INTEGER NOT NULL DEFAULT 0,
    disabled_until TEXT, disabled_by_hand INTEGER NOT NULL DEFAULT 0, disabled_reason TEXT,
    disabled_since TEXT, advertised_interval INTEGER, next_due TEXT, updated TEXT);
CREATE TABLE IF NOT EXISTS feed_hashes (
    source_id TEXT NOT NULL, url TEXT NOT NULL, sha256 TEXT NOT NULL,
    window TEXT NOT NULL, stored_at TEXT NOT NULL, checked_at TEXT NOT NULL,
    PRIMARY KEY (source_id, url));
CREATE TABLE IF NOT EXISTS items_daily (
    source_id TEXT NOT NULL, day TEXT NOT NULL,
    items INTEGER NOT NULL DEFAULT 0, crawls INTEGER NOT NULL DEFAULT 0, failures INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (source_id, day));
"""
_COLUMNS = [f for f in SourceHealth.__dataclass_fields__]
#: Columns added after the first release: a store file written before gains them, empty.
_ADDED_COLUMNS = {"disabled_since": "TEXT"}


class HealthStore:
    """``HealthStore(state_dir)`` (or the path of the .db file). Every method takes ``now`` so
    tests and backfills can move time instead of sleeping."""

    def __init__(self, path: str | Path, settings: HealthSettings | None = None) -> None:
        path = Path(path)
        self.path = path if path.suffix == ".db" else path / DB_NAME
        self.settings = settings or HealthSettings.from_config()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as db:
            db.executescript(_SCHEMA)
            have = {row["name"] for row in db.execute("PRAGMA table_info(source_health)")}
            for column, kind in _ADDED_COLUMNS.items():
                if column not in have:
                    db.execute(f"ALTER TABLE source_health ADD COLUMN {column} {kind}")

    @classmethod
    def from_settings(cls) -> "HealthStore":
        from waspada import config
        return cls(Path(config.get("STATE_DIR")))

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        db = sqlite3.connect(str(self.path), timeout=30, isolation_level=None)
        try:
            db.row_factory = sqlite3.Row
            db.execute("PRAGMA busy_timeout=30000")
            enable_wal(db)
            yield db
        finally:
            db.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, taken up front (BEGIN IMMEDIATE): read-modify-write is safe
        while other spiders, the CLI or the web app write too."""
        with self._connect() as db:
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")

    # reading --------------------------------------------------------------------------------
    def get(self, source_id: str) -> SourceHealth | None:
        with self._connect() as db:
            return self._row(db, source_id)

    def all(self) -> dict[str, SourceHealth]:
        with self._connect() as db:
            return {row["source_id"]: _health(row) for row in db.execute("SELECT * FROM source_health")}

    @staticmethod
    def _row(db: sqlite3.Connection, source_id: str) -> SourceHealth | None:
        row = db.execute("SELECT * FROM source_health WHERE source_id = ?", (source_id,)).fetchone()
        return _health(row) if row else None

    def feed_hashes(self, source_ids: Iterable[str]) -> dict[tuple[str, str], tuple[str, str, str]]:
        """(source_id, url) -> (sha256, window, stored_at) of the last body parsed."""
        ids = list(source_ids)
        if not ids:
            return {}
        with self._connect() as db:
            rows = db.execute(f"SELECT * FROM feed_hashes WHERE source_id IN ({','.join('?' * len(ids))})", ids)
            return {(r["source_id"], r["url"]): (r["sha256"], r["window"], r["stored_at"]) for r in rows}

    def items_per_day(self, days: int = 7, now: datetime | None = None) -> dict[str, dict[str, int]]:
        """source_id -> {WIB day: items written} over the last ``days`` days (today included),
        oldest first, every day present; sources with no crawl in that time are absent."""
        wanted = last_days(days, now or utcnow())
        out: dict[str, dict[str, int]] = {}
        with self._connect() as db:
            for row in db.execute("SELECT source_id, day, items FROM items_daily WHERE day >= ? AND day <= ?",
                                  (wanted[0], wanted[-1])):
                out.setdefault(row["source_id"], dict.fromkeys(wanted, 0))[row["day"]] = row["items"]
        return out

    # scheduling -----------------------------------------------------------------------------
    def decide(self, source_id: str, *, configured_interval: int | None = None, now: datetime | None = None,
               window: str | None = None, force: bool = False, health: SourceHealth | None = None) -> Decision:
        """Is ``source_id`` to be crawled now? See the module docstring for the rules."""
        now = now or utcnow()
        row = health if health is not None else self.get(source_id)
        interval, origin = effective_interval(configured_interval, row.advertised_interval if row else None,
                                              self.settings.default_interval)
        every = f"every {interval} min ({origin})"
        if force:
            return Decision(source_id, "due", "forced crawl", interval)
        if row is not None and row.disabled_at(now):
            return Decision(source_id, "disabled", _disabled_why(row), interval, row.disabled_until)
        if row is None or not row.last_attempt:
            return Decision(source_id, "due", "never crawled, or re-enabled by hand", interval)
        slack = min(timedelta(minutes=interval * SLACK_FRACTION), MAX_SLACK)
        current, last = window_time(window), window_time(row.last_window)
        if current is not None and last is not None:
            # Crawl time is the window (Airflow's data interval start): the same decision every
            # time a window is crawled, whenever that happens.
            if current == last:
                return Decision(source_id, "due", f"re-run of window {window}", interval)
            if current < last:
                return Decision(source_id, "due", f"window {window} is earlier than the last one crawled "
                                f"({row.last_window}): a backfill", interval)
            next_due = last + timedelta(minutes=interval)
            if current >= next_due - slack:
                return Decision(source_id, "due", f"due since {iso(next_due)} ({every})", interval, iso(next_due))
            return Decision(source_id, "not_due", f"next due at {iso(next_due)}, window {window_name(next_due)} "
                            f"({every}; last crawled in window {row.last_window})", interval, iso(next_due))
        # No window (the status table, a crawl without one): the clock.
        next_due = parse_moment(row.last_attempt) + timedelta(minutes=interval)
        if now >= next_due - slack:
            return Decision(source_id, "due", f"due since {iso(next_due)} ({every})", interval, iso(next_due))
        return Decision(source_id, "not_due", f"next due at {iso(next_due)} ({every}; last crawled {row.last_attempt})",
                        interval, iso(next_due))

    # recording ------------------------------------------------------------------------------
    def record_crawl(self, results: dict[str, SourceResult], *, now: datetime | None = None, window: str | None = None,
                     commit_hashes: bool = True) -> dict[str, SourceHealth]:
        """Record one spider run's results, every source in one transaction; returns the new rows.

        ``commit_hashes=False`` (a crawl that did not finish cleanly) keeps the old content hashes,
        so the next crawl parses those feeds again."""
        now = now or utcnow()
        stamp = iso(now)
        settings = self.settings
        updated: dict[str, SourceHealth] = {}
        with self._transaction() as db:
            for source_id, result in sorted(results.items()):
                if not result.attempted:
                    continue  # its requests never completed (the crawl was stopped): not an attempt
                row = self._row(db, source_id) or SourceHealth(source_id)
                row.last_attempt, row.last_window, row.updated = stamp, window, stamp
                parsed = [m for m in result.advertised.values()]
                if parsed:
                    known = [m for m in parsed if m]
                    row.advertised_interval = min(known) if known else None
                worst = result.worst_failure()
                if worst:
                    row.last_error_kind, row.last_error_at, row.last_error = worst[0], stamp, worst[2]
                if row.disabled_by_hand and row.disabled_until and parse_moment(row.disabled_until) <= now:
                    row.disabled_by_hand, row.disabled_until, row.disabled_reason = False, None, None
                    row.disabled_since = None
                if result.succeeded:
                    row.last_success = stamp
                    row.consecutive_failures = 0
                    row.failure_score = round(row.failure_score * SUCCESS_DECAY, 4)
                    row.times_disabled = 0
                    if not row.disabled_by_hand and row.failure_score < settings.failure_threshold:
                        # a forced crawl proved it works
                        row.disabled_until, row.disabled_reason, row.disabled_since = None, None, None
                elif worst:
                    row.consecutive_failures += 1
                    row.failure_score = round(row.failure_score + worst[1], 4)
                    if (not row.disabled_by_hand and row.failure_score >= settings.failure_threshold
                            and not row.disabled_at(now)):
                        hours = min(settings.cooldown_hours * 2 ** row.times_disabled, settings.cooldown_max_hours)
                        row.times_disabled += 1
                        row.disabled_until = iso(now + timedelta(hours=hours))
                        row.disabled_since = stamp
                        # Indonesian: the sources page and the digest show it to analysts as is.
                        row.disabled_reason = (f"skor kegagalan {row.failure_score:g} mencapai ambang {settings.failure_threshold:g} "
                                               f"setelah {row.consecutive_failures} crawl gagal berturut-turut; jeda {hours:g} jam")
                interval, _ = effective_interval(result.configured_interval, row.advertised_interval,
                                                 settings.default_interval)
                row.next_due = (row.disabled_until if row.disabled_at(now)
                                else iso(now + timedelta(minutes=interval)))
                self._write(db, row)
                db.execute("""INSERT INTO items_daily (source_id, day, items, crawls, failures) VALUES (?, ?, ?, 1, ?)
                              ON CONFLICT (source_id, day) DO UPDATE SET items = items + excluded.items,
                              crawls = crawls + 1, failures = failures + excluded.failures""",
                           (source_id, wib_day(now), result.items, 0 if result.succeeded else 1))
                if commit_hashes:
                    for url, sha in result.hashes.items():
                        # The window is the last one whose spool file got this body's entries: a
                        # re-run of that window parses it again (it replaces the file), others skip it.
                        db.execute("""INSERT OR REPLACE INTO feed_hashes VALUES (?, ?, ?, ?, ?, ?)""",
                                   (source_id, url, sha, window or "", stamp, stamp))
                for url in result.unchanged_urls:
                    db.execute("UPDATE feed_hashes SET checked_at = ? WHERE source_id = ? AND url = ?", (stamp, source_id, url))
                updated[source_id] = row
        return updated

    def enable(self, source_id: str, now: datetime | None = None) -> SourceHealth:
        """Re-enable by hand: clears any disabling and forgets the failure score."""
        now = now or utcnow()
        with self._transaction() as db:
            row = self._row(db, source_id) or SourceHealth(source_id)
            row.disabled_by_hand, row.disabled_until, row.disabled_reason = False, None, None
            row.disabled_since = None
            row.failure_score, row.consecutive_failures, row.times_disabled = 0.0, 0, 0
            row.last_attempt, row.last_window = None, None  # due at once, whatever its interval
            row.next_due, row.updated = iso(now), iso(now)
            self._write(db, row)
        return row

    def disable(self, source_id: str, hours: float | None = None, *, reason: str = "", now: datetime | None = None) -> SourceHealth:
        """Disable by hand, for ``hours`` or (None) until ``enable``."""
        now = now or utcnow()
        if hours is not None and hours <= 0:
            raise HealthError(f"hours must be more than 0, got {hours:g}; leave it out to disable until enabled by hand")
        with self._transaction() as db:
            row = self._row(db, source_id) or SourceHealth(source_id)
            if not row.disabled_at(now) or not row.disabled_since:
                row.disabled_since = iso(now)  # a new disabling; extending a current one keeps its start
            row.disabled_by_hand = True
            row.disabled_until = iso(now + timedelta(hours=hours)) if hours is not None else None
            row.disabled_reason = reason or "disabled by hand"
            row.next_due = row.disabled_until
            row.updated = iso(now)
            self._write(db, row)
        return row

    @staticmethod
    def _write(db: sqlite3.Connection, row: SourceHealth) -> None:
        values = [getattr(row, name) for name in _COLUMNS]
        values[_COLUMNS.index("disabled_by_hand")] = int(bool(row.disabled_by_hand))
        db.execute(f"INSERT OR REPLACE INTO source_health ({','.join(_COLUMNS)}) VALUES ({','.join('?' * len(_COLUMNS))})",
                   values)

    # the status table -----------------------------------------------------------------------
    def status(self, entries: list[dict] | None = None, *, now: datetime | None = None, days: int = 7) -> list[dict]:
        """One row per source (those of ``entries``, a sources file's entries, then any others the
        store knows): state, last success/error, score, items per day, next due."""
        now = now or utcnow()
        rows = self.all()
        per_day = self.items_per_day(days, now)
        empty = dict.fromkeys(last_days(days, now), 0)
        entries = list(entries or [])
        known = {e["id"] for e in entries}
        entries += [{"id": sid, "name": sid, "platform": "?", "kind": "?", "enabled": True, "interval": None,
                     "in_sources_file": False} for sid in sorted(set(rows) - known)]
        table = []
        for entry in entries:
            sid = entry["id"]
            row = rows.get(sid)
            decision = self.decide(sid, configured_interval=entry.get("interval"), now=now, health=row) if row else None
            if not entry.get("enabled", True):
                state, next_due = "off in sources file", None
            elif row is None:
                state, next_due = "enabled", None
            elif row.disabled_at(now):
                state = ("disabled by hand" + (f" until {row.disabled_until}" if row.disabled_until else "")
                         if row.disabled_by_hand else f"disabled until {row.disabled_until}")
                next_due = row.disabled_until
            else:
                state, next_due = "enabled", decision.next_due if decision else None
            counts = per_day.get(sid, dict(empty))
            table.append({
                "id": sid, "name": entry.get("name") or sid, "platform": entry.get("platform") or "?",
                "kind": entry.get("kind") or "?", "in_sources_file": entry.get("in_sources_file", True),
                "state": state, "disabled": bool(row and row.disabled_at(now)) or not entry.get("enabled", True),
                "disabled_until": row.disabled_until if row else None,
                "disabled_by_hand": bool(row and row.disabled_by_hand),
                "disabled_reason": row.disabled_reason if row and row.disabled_at(now) else None,
                "disabled_since": row.disabled_since if row and row.disabled_at(now) else None,
                "last_attempt": row.last_attempt if row else None,
                "last_success": row.last_success if row else None,
                "last_error_at": row.last_error_at if row else None,
                "last_error": row.last_error if row else None,
                "last_error_kind": row.last_error_kind if row else None,
                "consecutive_failures": row.consecutive_failures if row else 0,
                "failure_score": row.failure_score if row else 0.0,
                "interval_minutes": decision.interval if decision else effective_interval(
                    entry.get("interval"), None, self.settings.default_interval)[0],
                "advertised_interval": row.advertised_interval if row else None,
                "next_due": next_due,
                "items_per_day": counts,
                "items_7d": sum(counts.values()),
            })
        return table


def _health(row: sqlite3.Row) -> SourceHealth:
    data = {name: row[name] for name in _COLUMNS}
    data["disabled_by_hand"] = bool(data["disabled_by_hand"])
    return SourceHealth(**data)


def _disabled_why(row: SourceHealth) -> str:
    if row.disabled_by_hand:
        until = f"until {row.disabled_until}" if row.disabled_until else "until enabled"
        return f"disabled by hand {until} ({row.disabled_reason or 'no reason given'}); `waspada sources enable {row.source_id}` re-enables it"
    return (f"disabled until {row.disabled_until}: {row.disabled_reason or 'too many failures'}; last error: "
            f"{row.last_error or '-'}; `waspada sources enable {row.source_id}` re-enables it now")


def load_source_entries(path: str | Path) -> list[dict]:
    """The entries of a sources file, reduced to what the status table needs (id, name, platform,
    kind, group, enabled, interval). Lenient: the crawler validates the file strictly
    (crawlers/sources.py); a bad ``interval`` here is shown as the default."""
    import yaml  # only here: keeps the import of this module cheap for the spiders

    path = Path(path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise HealthError(f"sources file {str(path)!r} does not exist; pass --sources or set WASPADA_SOURCES_PATH") from None
    except yaml.YAMLError as exc:
        raise HealthError(f"sources file {str(path)!r} is not valid YAML: {exc}") from None
    entries = raw.get("sources") if isinstance(raw, dict) else raw
    out = []
    for entry in entries if isinstance(entries, list) else []:
        if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
            continue
        try:
            interval = parse_interval(entry.get("interval"))
        except ValueError:
            interval = None
        out.append({"id": entry["id"], "name": str(entry.get("name") or entry["id"]),
                    "platform": str(entry.get("platform") or "?"), "kind": str(entry.get("kind") or "?"),
                    "group": str(entry.get("group") or "default"), "enabled": entry.get("enabled", True) is not False,
                    "interval": interval, "in_sources_file": True})
    return out
