"""Western Indonesia Time (UTC+7), the time analysts read: one definition for every module that
shows or parses a local time (Indonesia has no daylight saving, so a fixed offset is exact)."""
from datetime import timedelta, timezone

WIB = timezone(timedelta(hours=7), "WIB")
