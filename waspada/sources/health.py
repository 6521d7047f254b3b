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

This module holds the rules and the records; store.py keeps them in one SQLite file,
``<STATE_DIR>/source_health.db``. Both are standard library only (PyYAML lazily, for
``load_source_entries``), because the spiders import them (see the package docstring).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from waspada.wib import WIB

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
