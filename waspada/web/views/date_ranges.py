"""Quick date ranges on the search page: links that set the date filters to today, the last 7 or
the last 30 days, keeping every other filter. Days are WIB days, as the date filters are."""
from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from waspada.web.views.params import encode
from waspada.wib import WIB

#: (link text, days including today)
RANGES = (("hari ini", 1), ("7 hari", 7), ("30 hari", 30))


def date_ranges(form: dict[str, Any], today: date | None = None) -> list[dict[str, Any]]:
    """One link per range, ``chosen`` when the form's dates are exactly that range; then a link
    that clears the dates when any is set.

    >>> [r["href"] for r in date_ranges({"q": "kpu", "date_from": "", "date_to": ""}, date(2024, 2, 14))][1]
    '/?q=kpu&date_from=2024-02-08&date_to=2024-02-14'
    """
    today = today or datetime.now(WIB).date()
    links = []
    for text, days in RANGES:
        start, end = (today - timedelta(days=days - 1)).isoformat(), today.isoformat()
        links.append({"text": text, "href": "/?" + encode(form, date_from=start, date_to=end, page=1, after=""),
                      "chosen": form.get("date_from") == start and form.get("date_to") == end})
    if form.get("date_from") or form.get("date_to"):
        links.append({"text": "semua tanggal", "href": "/?" + encode(form, date_from="", date_to="", page=1, after=""),
                      "chosen": False})
    return links
