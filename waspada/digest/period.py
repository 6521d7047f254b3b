"""The WIB day a digest covers, and the windows around it.

Supervisors read the digest by the Jakarta calendar, so a "day" is a WIB day: D 00:00 WIB up to
(not including) D+1 00:00 WIB, which is D-1 17:00 UTC up to D 17:00 UTC. Indonesia has no daylight
saving time, so a fixed UTC+7 offset is exact and needs no tz database.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

from waspada.wib import WIB
#: Days before the digest day that make up the baseline it is compared with.
BASELINE_DAYS = 7
#: Days the trend chart covers, the digest day included.
TREND_DAYS = 14

_MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
           "Oktober", "November", "Desember")
_WEEKDAYS = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")


class PeriodError(ValueError):
    """A digest date cannot be used; the message names the value and the expected form."""


@dataclass(frozen=True)
class Day:
    """One WIB calendar day."""
    date: date

    @property
    def start(self) -> datetime:
        """The day's first moment, in UTC (the index and the stores compare UTC)."""
        return datetime.combine(self.date, time(0), tzinfo=WIB).astimezone(timezone.utc)

    @property
    def end(self) -> datetime:
        """The next day's first moment, in UTC (exclusive)."""
        return self.start + timedelta(days=1)

    @property
    def iso(self) -> str:
        return self.date.isoformat()

    def shifted(self, days: int) -> "Day":
        return Day(self.date + timedelta(days=days))

    def contains(self, moment: datetime) -> bool:
        moment = moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
        return self.start <= moment < self.end

    def label(self) -> str:
        """'Sabtu, 10 Februari 2024': how the report names the day."""
        d = self.date
        return f"{_WEEKDAYS[d.weekday()]}, {d.day} {_MONTHS[d.month - 1]} {d.year}"

    def short_label(self) -> str:
        """'10 Feb': for chart axes."""
        return f"{self.date.day} {_MONTHS[self.date.month - 1][:3]}"


def parse_day(value: str) -> Day:
    """``YYYY-MM-DD`` (a WIB calendar date) to a Day."""
    try:
        return Day(date.fromisoformat(str(value).strip()))
    except ValueError:
        raise PeriodError(f"date {value!r} is not a calendar date; use YYYY-MM-DD, e.g. 2024-02-14") from None


def yesterday_wib(now: datetime | None = None) -> Day:
    """The WIB day before the one ``now`` (default: the wall clock) falls in: the last complete day."""
    now = now or datetime.now(timezone.utc)
    now = now if now.tzinfo else now.replace(tzinfo=timezone.utc)
    return Day(now.astimezone(WIB).date() - timedelta(days=1))


def iso_utc(moment: datetime) -> str:
    """The string form the alert and investigation stores compare: ``2024-02-09T17:00:00+00:00``."""
    return moment.astimezone(timezone.utc).isoformat(timespec="seconds")
