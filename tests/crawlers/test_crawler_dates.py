"""Indonesian and feed date formats, and refusing to guess."""
import pytest

from crawlers.dates import parse_date


@pytest.mark.parametrize("raw, expected", [
    ("Rabu, 14 Februari 2024 08:30 WIB", "2024-02-14T08:30:00+07:00"),
    ("Kamis, 15 Februari 2024 19:45 WITA", "2024-02-15T19:45:00+08:00"),
    ("Sabtu, 10 Feb 2024 08:00 WIT", "2024-02-10T08:00:00+09:00"),
    ("14 Feb 2024, 08.30 WIB", "2024-02-14T08:30:00+07:00"),
    ("Sabtu, 10 Feb 2024 pukul 19.45 WIB", "2024-02-10T19:45:00+07:00"),
    ("14/02/2024 08:30", "2024-02-14T08:30:00+07:00"),
    ("Rabu, 14/02/2024 | 08:30 WIB", "2024-02-14T08:30:00+07:00"),
    ("Jum'at, 16 Pebruari 2024", "2024-02-16T00:00:00+07:00"),
    ("1 Agustus 2024 10:00:05 +0700", "2024-08-01T10:00:05+07:00"),
    ("Wed, 14 Feb 2024 01:30:00 GMT", "2024-02-14T01:30:00+00:00"),
    ("Wed, 14 Feb 2024 08:30:00 +0700", "2024-02-14T08:30:00+07:00"),
    ("Wed, 14 Feb 2024 08:30:00 WIB", "2024-02-14T08:30:00+07:00"),
    ("2024-02-14T01:30:00Z", "2024-02-14T01:30:00+00:00"),
    ("2024-02-14 08:30:00", "2024-02-14T08:30:00+07:00"),
])
def test_known_formats(raw, expected):
    assert parse_date(raw) == expected


@pytest.mark.parametrize("raw", [None, "", "   ", "baru saja", "2 jam yang lalu", "31 Februari 2024",
                                 "14 Brumaire 2024", "Wed, 14 Feb 1850 01:30:00 GMT", "<b>kemarin</b>"])
def test_unreadable_dates_are_none_never_a_guess(raw):
    assert parse_date(raw) is None
