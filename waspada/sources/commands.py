"""`waspada sources`: the source health table, and enabling or disabling a source by hand.

    waspada sources status [--json] [--days 7] [--sources PATH]
    waspada sources enable ID
    waspada sources disable ID [--hours N] [--reason TEXT]

The state lives in ``<STATE_DIR>/source_health.db`` (see ``waspada.sources.store``); the crawler
reads it before every crawl, so a change here takes effect on the next crawl.
"""
from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import click

from waspada import config
from waspada.wib import WIB


def _store():
    from waspada.sources.store import HealthStore
    return HealthStore.from_settings()


def _entries(sources_path: Path | None, *, required: bool) -> list[dict]:
    from waspada.sources.health import HealthError, load_source_entries
    try:
        return load_source_entries(sources_path or Path(config.get("SOURCES_PATH")))
    except HealthError as exc:
        if required:
            raise click.ClickException(str(exc)) from None
        click.echo(f"warning: {exc}; showing only the sources the health store knows", err=True)
        return []


def _known_id(source_id: str, sources_path: Path | None) -> None:
    entries = _entries(sources_path, required=False)
    known = {e["id"] for e in entries} | set(_store().all())
    if source_id not in known:
        raise click.ClickException(f"source {source_id!r} is neither in the sources file nor in the health store; "
                                   f"known ids: {', '.join(sorted(known)) or 'none'}")


def _when(value: str | None) -> str:
    """An ISO time as 'YYYY-MM-DD HH:MM' in WIB; '-' when absent."""
    if not value:
        return "-"
    try:
        return datetime.fromisoformat(value).astimezone(WIB).strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return value


@click.group("sources")
def sources() -> None:
    """Source health: schedule, failures, items per day; disable or re-enable a source."""


@sources.command("status")
@click.option("--sources", "sources_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Sources YAML (default: WASPADA_SOURCES_PATH).")
@click.option("--days", type=click.IntRange(1, 60), default=7, show_default=True, help="Days of items per day.")
@click.option("--json", "as_json", is_flag=True, help="Print the rows as a JSON list.")
def status(sources_path: Path | None, days: int, as_json: bool) -> None:
    """One line per source: state, last success, last error, failure score, items per day, next due."""
    rows = _store().status(_entries(sources_path, required=False), days=days)
    if as_json:
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    if not rows:
        click.echo("No sources.")
        return
    header = ("ID", "PLATFORM", "STATE", "LAST SUCCESS", "LAST ERROR", "SCORE", f"ITEMS/DAY ({days}d, oldest first)",
              "NEXT DUE")
    lines = []
    for row in rows:
        state = row["state"]
        if row["disabled_until"] and row["disabled"]:
            state = ("disabled by hand until " if row["disabled_by_hand"] else "disabled until ") + _when(row["disabled_until"])
        elif row["disabled"] and row["disabled_by_hand"]:
            state = "disabled by hand"
        error = f"{_when(row['last_error_at'])} {row['last_error'].split(':', 1)[0]}" if row["last_error"] else "-"
        lines.append((row["id"], row["platform"], state, _when(row["last_success"]), error,
                      f"{row['failure_score']:g}", " ".join(str(n) for n in row["items_per_day"].values()),
                      _when(row["next_due"]) if row["next_due"] else ("-" if row["disabled"] else "now")))
    widths = [max(len(str(line[i])) for line in [header, *lines]) for i in range(len(header))]
    click.echo("  ".join(h.ljust(w) for h, w in zip(header, widths)).rstrip())
    for row, line in zip(rows, lines):
        click.echo("  ".join(str(v).ljust(w) for v, w in zip(line, widths)).rstrip())
        if row["last_error"]:
            click.echo(f"    last error ({row['last_error_kind']}, {row['consecutive_failures']} failed crawls in a row): "
                       f"{row['last_error']}")
        if row["disabled_reason"]:
            since = f" (since {_when(row['disabled_since'])})" if row.get("disabled_since") else ""
            click.echo(f"    disabled{since}: {row['disabled_reason']}")
    click.echo("Times are WIB. `waspada sources enable ID` re-enables a disabled source; "
               "`waspada sources disable ID [--hours N]` stops crawling one.")


@sources.command("enable")
@click.argument("source_id")
@click.option("--sources", "sources_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Sources YAML (default: WASPADA_SOURCES_PATH).")
def enable(source_id: str, sources_path: Path | None) -> None:
    """Re-enable SOURCE_ID now: ends a cool-down or a disabling by hand and resets its failure score."""
    _known_id(source_id, sources_path)
    _store().enable(source_id)
    click.echo(f"Source {source_id} enabled; the next crawl fetches it.")


@sources.command("disable")
@click.argument("source_id")
@click.option("--hours", type=click.FloatRange(min=0, min_open=True), default=None,
              help="Disable for this many hours (default: until `waspada sources enable`).")
@click.option("--reason", default="", help="Why, shown in the status table.")
@click.option("--sources", "sources_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Sources YAML (default: WASPADA_SOURCES_PATH).")
def disable(source_id: str, hours: float | None, reason: str, sources_path: Path | None) -> None:
    """Stop crawling SOURCE_ID, for --hours or until enabled again."""
    _known_id(source_id, sources_path)
    row = _store().disable(source_id, hours, reason=reason or "disabled by hand (CLI)")
    until = f"until {_when(row.disabled_until)} WIB" if row.disabled_until else "until `waspada sources enable`"
    click.echo(f"Source {source_id} disabled {until}.")
