"""The source-health store: one SQLite file, ``<STATE_DIR>/source_health.db`` (WAL, so the spiders of
one crawl, the CLI and the web app can use it at once), with each source's schedule state, feed
hashes and items per day. It decides whether a source is due (``decide``), records a whole crawl
in one transaction (``record_crawl``), enables and disables by hand and builds the status table.
The rules it applies are in health.py; like it, this module is standard library only, because the
spiders import it (see the package docstring)."""
from __future__ import annotations

import sqlite3
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import Iterable, Iterator

from waspada.opsdb import enable_wal
from waspada.sources.health import (MAX_SLACK, SLACK_FRACTION, SUCCESS_DECAY, Decision, HealthError, HealthSettings,
                                    SourceHealth, SourceResult, effective_interval, iso, last_days, parse_moment, utcnow,
                                    wib_day, window_name, window_time)

DB_NAME = "source_health.db"

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
