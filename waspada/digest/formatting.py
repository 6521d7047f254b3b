"""How numbers, changes and times read in the digest: Indonesian conventions, shared by the HTML,
PDF and text renderers so the three never disagree."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from waspada.digest.counts import LABEL_NAMES
from waspada.wib import WIB


def number(value: float | int | None, decimals: int = 0) -> str:
    """1234.5 -> '1.234,5': Indonesian uses '.' for thousands and ',' for decimals."""
    if value is None:
        return "-"
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def change(row: dict[str, Any]) -> str:
    """'+3,0 (+150,0%)', '-1,5 (-50,0%)', 'baru' (nothing in the seven days before), or '±0'."""
    if row["change_pct"] is None:
        return "baru" if row["day"] else "±0"
    if row["change"] == 0:
        return "±0 (0%)"
    sign = "+" if row["change"] > 0 else "-"
    return f"{sign}{number(abs(row['change']), 1)} ({sign}{number(abs(row['change_pct']), 1)}%)"


def trend_class(row: dict[str, Any]) -> str:
    """CSS class for a change: up (more than the average) is the one that needs attention."""
    if row["change"] > 0:
        return "naik"
    if row["change"] < 0:
        return "turun"
    return "tetap"


def wib(value: str | None, with_date: bool = True) -> str:
    """An ISO 8601 time as '10-02-2024 08:15 WIB' (or '08:15 WIB')."""
    if not value:
        return "-"
    try:
        moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return str(value)
    local = moment.astimezone(WIB)
    return local.strftime("%d-%m-%Y %H:%M WIB" if with_date else "%H:%M WIB")


def labels(values: list[str]) -> str:
    return ", ".join(LABEL_NAMES.get(v, v) for v in values) or "-"


def score(value: float | None) -> str:
    return number(value, 2)
