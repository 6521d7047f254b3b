"""`waspada engagement refresh`: fetch the current counts of recently flagged social posts again.

    waspada engagement refresh [--hours 72] [--max-items 500] [--backend sqlite] [--sources PATH] [--json]

See ``waspada.engagement.refresh`` for what is selected and how it is fetched. Registered on the
main group in ``waspada.cli``.
"""
from __future__ import annotations

import json
from pathlib import Path

import click


@click.group("engagement")
def engagement() -> None:
    """Engagement counts (likes, shares, replies, views) of flagged social posts."""


@engagement.command("refresh")
@click.option("--hours", type=click.FloatRange(min=0, min_open=True), default=None,
              help="Refresh posts first seen in the last N hours (default: WASPADA_ENGAGEMENT_REFRESH_HOURS).")
@click.option("--max-items", type=click.IntRange(min=1), default=None,
              help="Most posts to fetch this run (default: WASPADA_ENGAGEMENT_REFRESH_MAX_ITEMS).")
@click.option("--backend", type=click.Choice(["sqlite", "elasticsearch"]), default=None,
              help="Index backend (default: WASPADA_INDEX_BACKEND).")
@click.option("--sources", "sources_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Sources YAML naming YouTube channel feeds (default: WASPADA_SOURCES_PATH).")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
def refresh(hours: float | None, max_items: int | None, backend: str | None, sources_path: Path | None,
            as_json: bool) -> None:
    """Re-read the counts of flagged Mastodon, Telegram, Reddit and YouTube posts seen recently,
    and update them in the index (deleted posts are marked, never removed)."""
    from waspada.engagement.refresh import EngagementRefreshError, refresh_engagement
    from waspada.index import IndexError_, open_index

    try:
        index = open_index(backend)
    except Exception as exc:  # a backend error's message already says what to check
        raise click.ClickException(str(exc)) from None
    try:
        report = refresh_engagement(index, hours=hours, max_items=max_items, sources_path=sources_path)
    except (EngagementRefreshError, IndexError_, ValueError) as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        index.close()
    if as_json:
        click.echo(json.dumps(report.as_dict(), indent=2, ensure_ascii=False))
        return
    click.echo(f"posts selected       {report.selected}")
    click.echo(f"  refreshed          {report.refreshed}  ({report.changed} with new counts)")
    click.echo(f"  deleted            {report.deleted}  (marked waspada.post.deleted_at, kept as evidence)")
    for reason, n in sorted(report.unavailable.items()):
        click.echo(f"  unavailable        {n}  {reason}")
    for reason, n in sorted(report.failed.items()):
        click.echo(f"  failed             {n}  {reason}  (tried again next run)")
    if report.missing:
        click.echo(f"  no longer indexed  {report.missing}")
    if report.problem:
        click.echo(f"warning: {report.problem}", err=True)
    elif report.log_path:
        click.echo(f"log: {report.log_path}")
