"""The digest's charts as PNG bytes: the 14-day trend per label, and the day's posts by platform.

matplotlib is imported inside the functions (it is slow to import and only the digest needs it),
and the figures are drawn on the Agg canvas directly, without pyplot: no global figure state, no
display backend to pick, safe in Airflow workers and threads.
"""
from __future__ import annotations

import io
from typing import Any

from waspada.digest.counts import LABEL_NAMES

#: Colours per line: hoax red, provocation orange, all posts grey (the web app's palette).
_COLOURS = {"hoax": "#c0392b", "provocation": "#e67e22", "total": "#555555"}
_DPI = 110


def _figure(width: float, height: float):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width, height), dpi=_DPI)
    FigureCanvasAgg(figure)
    return figure


def _png(figure) -> bytes:
    buffer = io.BytesIO()
    # No Software/date metadata: the same numbers give the same bytes.
    figure.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()


def trend_chart(trend: dict[str, Any]) -> bytes:
    """Lines: flagged posts per WIB day over the trend's days, one line per label and one for all."""
    figure = _figure(8.0, 3.4)
    axes = figure.add_subplot(1, 1, 1)
    positions = list(range(len(trend["days"])))
    axes.plot(positions, trend["total"], color=_COLOURS["total"], linestyle="--", marker=".", label="Semua pos")
    for label, values in trend["labels"].items():
        axes.plot(positions, values, color=_COLOURS.get(label, None), marker="o", linewidth=2,
                  label=LABEL_NAMES.get(label, label))
    axes.set_xticks(positions)
    axes.set_xticklabels(trend["day_labels"], rotation=45, ha="right", fontsize=8)
    axes.set_ylabel("Pos terdeteksi per hari")
    axes.set_title(f"Tren {len(positions)} hari terakhir (WIB)")
    axes.set_ylim(bottom=0)
    # Counts are whole posts: no 0.5 ticks on a quiet fortnight.
    axes.yaxis.get_major_locator().set_params(integer=True)
    axes.grid(axis="y", alpha=0.3)
    axes.legend(loc="upper left", fontsize=8, frameon=False)
    figure.tight_layout()
    return _png(figure)


def platform_chart(rows: list[dict[str, Any]], day_label: str) -> bytes:
    """Bars: the day's flagged posts per platform (platforms with none today are left out)."""
    rows = [r for r in rows if r["day"] > 0]
    figure = _figure(8.0, 3.0)
    axes = figure.add_subplot(1, 1, 1)
    if rows:
        names = [r["name"] for r in rows]
        values = [r["day"] for r in rows]
        bars = axes.bar(range(len(rows)), values, color="#2c6e9b")
        axes.bar_label(bars, fontsize=8)
        axes.margins(y=0.15)  # room above the tallest bar for its label
        axes.set_xticks(range(len(rows)))
        axes.set_xticklabels(names, rotation=20, ha="right", fontsize=8)
        axes.yaxis.get_major_locator().set_params(integer=True)
        axes.grid(axis="y", alpha=0.3)
    else:
        axes.text(0.5, 0.5, "Tidak ada pos terdeteksi pada hari ini", ha="center", va="center",
                  transform=axes.transAxes, fontsize=11, color="#555555")
        axes.set_xticks([])
        axes.set_yticks([])
    axes.set_ylabel("Pos")
    axes.set_title(f"Pos terdeteksi per platform, {day_label}")
    figure.tight_layout()
    return _png(figure)
