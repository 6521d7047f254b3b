"""Western Indonesia Time (UTC+7), the time analysts read: one definition for every module that
shows or parses a local time (Indonesia has no daylight saving, so a fixed offset is exact)."""
from datetime import date, datetime, timedelta, timezone

WIB = timezone(timedelta(hours=7), "WIB")
#: Days a date filter accepts (web form and `waspada search`). The day after 9999-12-31 overflows
#: datetime (it was an HTTP 500 and a traceback), and a date outside this range is a typo (0224
#: for 2024), not a search anyone means.
FIRST_SEARCH_DAY, LAST_SEARCH_DAY = date(1970, 1, 1), date(2100, 12, 31)


def wib_text(value: str | None, day_first: bool = True) -> str:
    """An ISO 8601 time as Indonesians read it, day first, in WIB: '07-12-2026 14:05 WIB';
    year first ('2026-12-07 14:05 WIB', sortable) for command-line listings when not
    ``day_first``. '-' when absent, the raw text if unparseable."""
    if not value:
        return "-"
    try:
        moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return str(value)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(WIB).strftime("%d-%m-%Y %H:%M WIB" if day_first else "%Y-%m-%d %H:%M WIB")
