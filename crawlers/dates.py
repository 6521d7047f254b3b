"""Publication dates as Indonesian sites write them, to ISO 8601 with an offset.

Feeds carry RFC 822 or ISO 8601 dates, but Indonesian portals often put their own display strings
in ``pubDate`` or in the page ("Rabu, 14 Februari 2024 08:30 WIB", "14/02/2024, 08.30 WITA").
``parse_date`` understands all of these and returns ``None`` for anything it cannot read: a wrong
date is worse than a missing one, because analysts sort and alert on it.
"""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime

# Indonesia's three time zones; feeds also use these abbreviations instead of offsets.
ZONES = {
    "WIB": timezone(timedelta(hours=7)),
    "WITA": timezone(timedelta(hours=8)),
    "WIT": timezone(timedelta(hours=9)),
    "UTC": timezone.utc, "GMT": timezone.utc, "Z": timezone.utc,
}
#: Dates without a zone are the publisher's local time; almost all national portals are in WIB.
DEFAULT_ZONE = ZONES["WIB"]

MONTHS = {
    "januari": 1, "jan": 1, "februari": 2, "feb": 2, "pebruari": 2, "peb": 2, "maret": 3, "mar": 3,
    "april": 4, "apr": 4, "mei": 5, "juni": 6, "jun": 6, "juli": 7, "jul": 7, "agustus": 8,
    "agu": 8, "agt": 8, "ags": 8, "aug": 8, "september": 9, "sep": 9, "sept": 9, "oktober": 10,
    "okt": 10, "oct": 10, "november": 11, "nov": 11, "nopember": 11, "nop": 11, "desember": 12,
    "des": 12, "dec": 12, "may": 5, "january": 1, "february": 2, "march": 3, "june": 6,
    "july": 7, "august": 8, "october": 10, "december": 12,
}
_DAY_NAMES = r"(?:senin|selasa|rabu|kamis|jum'?at|sabtu|minggu|ahad|mon|tue|wed|thu|fri|sat|sun)\w*"
_ZONE = r"(?P<zone>WIB|WITA|WIT|UTC|GMT|Z|[+-]\d{2}:?\d{2})?"
_TIME = r"(?:(?:,|\s|pukul|jam|-)+(?P<hour>\d{1,2})[:.](?P<minute>\d{2})(?:[:.](?P<second>\d{2}))?\s*" + _ZONE + r")?"

# "Rabu, 14 Februari 2024 08:30 WIB", "14 Feb 2024, 08.30 WITA", "14 februari 2024"
_WORDY = re.compile(r"^(?:" + _DAY_NAMES + r"[,\s]+)?(?P<day>\d{1,2})\s+(?P<month>[a-z]+)\.?\s+(?P<year>\d{4})" + _TIME + r"\s*$", re.I)
# "14/02/2024 08:30 WIB", "14-02-2024", "Rabu, 14/02/2024 | 08:30 WIB"
_NUMERIC = re.compile(r"^(?:" + _DAY_NAMES + r"[,\s]+)?(?P<day>\d{1,2})[/-](?P<month>\d{1,2})[/-](?P<year>\d{4})\s*\|?" + _TIME + r"\s*$", re.I)


def parse_date(value: str | None) -> str | None:
    """ISO 8601 with offset for a date string, or None when it cannot be read with confidence.

    >>> parse_date("Rabu, 14 Februari 2024 08:30 WIB")
    '2024-02-14T08:30:00+07:00'
    >>> parse_date("Wed, 14 Feb 2024 01:30:00 GMT")
    '2024-02-14T01:30:00+00:00'
    >>> parse_date("baru saja") is None
    True
    """
    parsed = parse_datetime(value)
    return parsed.isoformat(timespec="seconds") if parsed else None


def parse_datetime(value: str | None) -> datetime | None:
    """The aware datetime behind ``parse_date``; naive inputs are taken as WIB."""
    if not value or not isinstance(value, str):
        return None
    text = " ".join(value.replace("\u00a0", " ").split())
    if not text:
        return None
    for parser in (_iso, _rfc822, _indonesian):
        parsed = parser(text)
        if parsed is not None:
            if parsed.tzinfo is None:
                parsed = parsed.replace(tzinfo=DEFAULT_ZONE)
            # Years outside this window are typos or epoch placeholders, not publication dates.
            return parsed if 1990 <= parsed.year <= 2100 else None
    return None


_SLASHED_ISO = re.compile(r"^(\d{4})/(\d{2})/(\d{2})(?=[ T]|$)")


def _iso(text: str) -> datetime | None:
    # detik's dtk:publishdate writes ISO with slashes: "2023/11/02 20:59:53".
    text = _SLASHED_ISO.sub(r"\1-\2-\3", text)
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def _rfc822(text: str) -> datetime | None:
    # Feeds sometimes write Indonesian zone names in otherwise valid RFC 822 dates.
    match = re.search(r"\s(WIB|WITA|WIT)$", text)
    zone = ZONES[match.group(1)] if match else None
    candidate = text[: match.start()] + " +0000" if match else text
    try:
        parsed = parsedate_to_datetime(candidate)
    except (TypeError, ValueError, IndexError):
        return None
    if parsed is None:
        return None
    if zone is not None:
        parsed = parsed.replace(tzinfo=zone)
    return parsed


def _indonesian(text: str) -> datetime | None:
    for pattern in (_WORDY, _NUMERIC):
        match = pattern.match(text)
        if not match:
            continue
        month_raw = match.group("month")
        month = int(month_raw) if month_raw.isdigit() else MONTHS.get(month_raw.lower())
        if not month:
            return None
        try:
            return datetime(int(match.group("year")), month, int(match.group("day")),
                            int(match.group("hour") or 0), int(match.group("minute") or 0),
                            int(match.group("second") or 0), tzinfo=_zone(match.group("zone")))
        except ValueError:
            return None  # 31 Februari and friends
    return None


def _zone(raw: str | None) -> timezone:
    if not raw:
        return DEFAULT_ZONE
    if raw.upper() in ZONES:
        return ZONES[raw.upper()]
    sign = -1 if raw[0] == "-" else 1
    digits = raw[1:].replace(":", "")
    return timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))
