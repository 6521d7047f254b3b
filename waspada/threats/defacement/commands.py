"""`waspada pages`: the defacement watch of official election pages.

    waspada pages check [--json]          fetch every watched page, compare, alert (exit 1 if any is tampered)
    waspada pages baseline [URL...]       take the pages as they are now as their baselines
    waspada pages status [--json]         each page's baseline and latest check

The pages come from WASPADA_PAGES_PATH; state lives in ``<STATE_DIR>/pages.db``, alerts and
investigations in WEB_DB (see waspada/threats/defacement/watch.py).
"""
from __future__ import annotations

import json

import click

from waspada.wib import wib_text as _wib


def wib(value):
    # Command-line listings keep year-first times, which sort as text; the web pages read day first.
    return _wib(value, day_first=False)


def _pages():
    from waspada.threats.defacement.watched_pages import PagesFileError, load_pages
    try:
        return load_pages()
    except PagesFileError as exc:
        raise click.ClickException(str(exc)) from None


def _watch():
    from waspada.threats.defacement.watch import DefacementWatch
    try:
        return DefacementWatch.from_settings()
    except ValueError as exc:  # a setting out of range names itself
        raise click.ClickException(str(exc)) from None


def _line(result) -> str:
    score = f" similarity {result.similarity:.2f}" if result.similarity is not None else ""
    alert = f" -> alert #{result.alert_id}, investigation #{result.investigation_id}" if result.alert_id else ""
    reason = f": {result.reason}" if result.reason else ""
    return f"{result.verdict.upper():12} {result.url}  {result.name}{score}{reason}{alert}"


@click.group("pages")
def pages() -> None:
    """Defacement watch of official election pages (KPU, Bawaslu, DKPP, MK, regional bodies)."""


@pages.command("check")
@click.option("--json", "as_json", is_flag=True, help="One JSON line per page instead of text.")
def pages_check(as_json: bool) -> None:
    """Fetch every watched page, compare it with its baseline, alert; exit status 1 if any page is
    defaced, replaced or redirected elsewhere (unreachable pages do not change the exit status)."""
    watched = _pages()
    watch = _watch()
    try:
        report = watch.check_all(watched)
    finally:
        watch.close()
    for result in report.results:
        if as_json:
            from dataclasses import asdict
            click.echo(json.dumps(asdict(result), ensure_ascii=False))
        else:
            click.echo(_line(result))
    if not as_json:
        counts = ", ".join(f"{n} {verdict}" for verdict, n in sorted(report.counts().items()))
        note = report.notifications
        click.echo(f"{len(report.results)} pages checked: {counts or 'none'}; notifications sent {note.sent}, "
                   f"retrying {note.retrying}, failed {note.failed}")
    raise SystemExit(1 if report.tampered else 0)


@pages.command("baseline")
@click.argument("urls", nargs=-1)
@click.option("--force", is_flag=True, help="Accept a page that shows defacement markers or redirects elsewhere.")
def pages_baseline(urls: tuple[str, ...], force: bool) -> None:
    """Take the pages (all, or the URLs given) as they are now as their new baselines: after a
    legitimate redesign, or once a defaced page is repaired. Exit status 1 if any could not be taken."""
    watched = _pages()
    by_url = {p.url: p for p in watched}
    unknown = [u for u in urls if u not in by_url]
    if unknown:
        from waspada.threats.defacement.watched_pages import pages_path
        raise click.ClickException(f"{unknown[0]} is not a watched page; add it to {pages_path()} "
                                   f"(WASPADA_PAGES_PATH) or use one of: {', '.join(by_url) or 'none'}")
    chosen = [by_url[u] for u in urls] if urls else watched
    watch = _watch()
    failed = False
    try:
        for page in chosen:
            result = watch.rebaseline(page, force=force)
            failed |= result.verdict != "baselined"
            click.echo(_line(result))
    finally:
        watch.close()
    raise SystemExit(1 if failed else 0)


@pages.command("status")
@click.option("--json", "as_json", is_flag=True, help="One JSON line per page.")
def pages_status(as_json: bool) -> None:
    """Each watched page: its baseline, its latest check, failures in a row, its last alert."""
    from waspada.threats.defacement.store import PageStore
    store = PageStore.from_settings()
    try:
        last = store.last_checks()
        for page in _pages():
            base, check, state = store.baseline(page.url), last.get(page.url), store.state(page.url)
            row = {"url": page.url, "name": page.name, "body": page.body,
                   "baseline_at": base.fetched_at if base else None, "baseline_title": base.title if base else None,
                   "stable_shingles": len(base.stable) if base else 0,
                   "last_check_at": check["checked_at"] if check else None,
                   "verdict": check["verdict"] if check else None, "reason": check["reason"] if check else None,
                   "similarity": check["similarity"] if check else None, "failures_in_a_row": state["failures"],
                   "alerted": state["alerted_verdict"], "alerted_at": state["alerted_at"]}
            if as_json:
                click.echo(json.dumps(row, ensure_ascii=False))
                continue
            score = f", similarity {row['similarity']:.2f}" if row["similarity"] is not None else ""
            click.echo(f"{page.name} <{page.url}>")
            click.echo(f"  baseline   {wib(row['baseline_at'])}" + (f"  {base.title!r}" if base else "  (none yet)"))
            click.echo(f"  last check {wib(row['last_check_at'])}  {row['verdict'] or 'never checked'}{score}"
                       + (f"  ({row['reason']})" if row["reason"] else ""))
            if row["failures_in_a_row"]:
                click.echo(f"  unreachable {row['failures_in_a_row']} time(s) in a row")
            if row["alerted"]:
                click.echo(f"  alerted    {row['alerted']} at {wib(row['alerted_at'])}")
    finally:
        store.close()
