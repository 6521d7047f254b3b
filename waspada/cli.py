"""The `waspada` command: run a monitoring cycle, crawl, process the spool, search, show."""
from __future__ import annotations

import html
import json
import os
import logging
import re
from datetime import datetime, timedelta, timezone
from pathlib import Path

import click

from waspada import config
from waspada.threats.cyber import KINDS as CYBER_KINDS
from waspada.wib import FIRST_SEARCH_DAY, LAST_SEARCH_DAY, WIB


def _setup_logging(verbose: bool) -> None:
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-v", "--verbose", is_flag=True, help="Log progress, not only warnings.")
def main(verbose: bool) -> None:
    """Waspada: election monitoring for Indonesian news and social feeds."""
    _setup_logging(verbose)


def _window_now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H-00")


def _open_index(backend: str | None):
    from waspada.index import open_index
    try:
        return open_index(backend)
    except Exception as exc:  # the message of a backend error already says what to check
        raise click.ClickException(str(exc)) from None


@main.command()
@click.option("--demo/--live", default=True, show_default=True,
              help="Crawl the bundled demo site on 127.0.0.1 (--demo) or the sources file (--live).")
@click.option("--sources", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Sources YAML for --live (default: WASPADA_SOURCES_PATH).")
@click.option("--backend", type=click.Choice(["sqlite", "elasticsearch"]), default=None,
              help="Index backend (default: WASPADA_INDEX_BACKEND).")
@click.option("--window", default=None, help="Crawl window label, e.g. 2024-02-14T08-00 (default: this UTC hour).")
def run(demo: bool, sources: Path | None, backend: str | None, window: str | None) -> None:
    """One full monitoring cycle: crawl, keep election posts, classify, index, summarise."""
    from waspada.crawl import run_crawl
    from waspada.pipeline import Pipeline

    window = window or _window_now()
    spool_dir = Path(config.get("SPOOL_DIR"))
    server = None
    try:
        if demo:
            from waspada.demosite import serve, write_sources
            server, base_url = serve(config.get("DEMO_PORT"))
            sources = write_sources(base_url, Path(config.get("DATA_DIR")) / "demo-sources.yaml")
            click.echo(f"Demo site serving on {base_url}")
        sources = sources or Path(config.get("SOURCES_PATH"))
        click.echo(f"Crawling {sources} (window {window}) ...")
        # The demo crawls everything every time; live runs follow each source's schedule.
        crawl = run_crawl(sources, spool_dir=spool_dir, window=window, polite=not demo, force=demo)
    finally:
        if server is not None:
            server.shutdown()
    click.echo("Classifying and indexing ...")
    pipeline = Pipeline.from_settings(index=_open_index(backend))
    try:
        report = pipeline.run()
    finally:
        pipeline.close()
    _print_summary(crawl, report.as_dict(), backend or config.get("INDEX_BACKEND"))


def _print_summary(crawl: dict, report: dict, backend: str) -> None:
    click.echo("")
    click.secho("Ringkasan / summary", bold=True)
    stats = crawl.get("stats", crawl)
    click.echo(f"  fetched pages        {stats.get('pages_fetched', stats.get('pages', '?'))}")
    click.echo(f"  crawled items        {stats.get('items_written', stats.get('items', '?'))}")
    for reason, count in sorted((stats.get("skipped") or {}).items()):
        click.echo(f"    crawl skipped      {count:>5}  {reason}")
    click.echo(f"  spool records read   {report['read']}")
    click.echo(f"  election-related     {report['election']}")
    click.echo(f"  classified           {report['classified']}  (model {report['model_id']})")
    for label in ("hoax", "provocation"):
        click.echo(f"  flagged {label:<12} {report['flagged'].get(label, 0)}")
    for rule, count in sorted(report["withheld"].items()):
        click.echo(f"    label withheld     {count:>5}  {rule}")
    for kind, count in sorted((report.get("cyber") or {}).items()):
        click.echo(f"  cyber threat         {count}  {kind} (waspada search --cyber {kind})")
    if report.get("lookalike_posts"):
        click.echo(f"  look-alike domains   {report['lookalike_posts']}  posts (waspada domains list)")
    click.echo(f"  indexed ({backend})   {report['indexed']}")
    for reason, count in sorted(report["skipped"].items()):
        click.echo(f"    skipped            {count:>5}  {reason}")
    click.echo(f"  dead-lettered        {report['deadlettered']}  (see {config.get('DEADLETTER_DIR')})")
    for warning, count in sorted((report.get("warnings") or {}).items()):
        click.echo(f"    warning            {count:>5}  {warning}")
    if report["files_already_done"]:
        click.echo(f"  spool files already processed earlier: {report['files_already_done']}")
    click.echo("")
    click.echo("Search the flagged posts, for example:")
    click.echo('  waspada search "kpu" --label hoax')
    click.echo('  waspada search "surat suara" --min-score 0.8 --since 2024-02-01')


@main.command()
@click.option("--sources", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="Sources YAML (default: WASPADA_SOURCES_PATH).")
@click.option("--group", default=None, help="Only the sources of this group.")
@click.option("--source", "source_id", default=None, help="Only this source id.")
@click.option("--window", default=None, help="Crawl window label (default: this UTC hour).")
@click.option("--all", "force", is_flag=True,
              help="Crawl every selected source now, ignoring schedules, cool-downs and unchanged feeds.")
def crawl(sources: Path | None, group: str | None, source_id: str | None, window: str | None, force: bool) -> None:
    """Crawl sources into the spool (no classification)."""
    from waspada.crawl import run_crawl
    result = run_crawl(sources or Path(config.get("SOURCES_PATH")), spool_dir=Path(config.get("SPOOL_DIR")),
                       window=window or _window_now(), group=group, source=source_id,
                       polite=config.get("CRAWL_POLITE"), force=force)
    click.echo(json.dumps(result, indent=2, ensure_ascii=False, default=str))


@main.command()
@click.argument("files", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--backend", type=click.Choice(["sqlite", "elasticsearch"]), default=None,
              help="Index backend (default: WASPADA_INDEX_BACKEND).")
@click.option("--force", is_flag=True, help="Process files even if they were processed before.")
def process(files: tuple[Path, ...], backend: str | None, force: bool) -> None:
    """Process spool files (default: every file not yet processed) into the index."""
    from waspada.pipeline import Pipeline
    pipeline = Pipeline.from_settings(index=_open_index(backend))
    try:
        report = pipeline.run(files or None, force=force)
    finally:
        pipeline.close()
    click.echo(json.dumps(report.as_dict(), indent=2, ensure_ascii=False))


def _parse_day(value: str | None, end: bool = False) -> datetime | None:
    if not value:
        return None
    try:
        day = datetime.strptime(value, "%Y-%m-%d").replace(tzinfo=WIB)
    except ValueError:
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            raise click.BadParameter(f"{value!r} is not a date; use YYYY-MM-DD (a WIB day) or ISO 8601") from None
        _check_search_range(value, moment)
        return moment
    _check_search_range(value, day)
    return day + timedelta(days=1) if end else day


def _check_search_range(value: str, moment: datetime) -> None:
    if not FIRST_SEARCH_DAY <= moment.date() <= LAST_SEARCH_DAY:
        raise click.BadParameter(f"{value!r} is outside the days a search covers ({FIRST_SEARCH_DAY} to "
                                 f"{LAST_SEARCH_DAY}); check the year, e.g. 2024-02-14")


def _terminal_snippet(snippet: str) -> str:
    """Snippets come HTML-escaped with <mark>; show the marks as bold and unescape the rest."""
    parts = re.split(r"(<mark>|</mark>)", snippet)
    out, bold = [], False
    for part in parts:
        if part in ("<mark>", "</mark>"):
            bold = part == "<mark>"
            continue
        text = html.unescape(part).replace("\n", " ")
        out.append(click.style(text, bold=True, fg="yellow") if bold else text)
    return "".join(out)


@main.command()
@click.argument("query", required=False, default="")
@click.option("--label", "labels", multiple=True, type=click.Choice(["hoax", "provocation"]),
              help="Only posts flagged with this label (repeatable: any of them).")
@click.option("--min-score", type=click.FloatRange(0, 1), default=None, help="Lowest score (0-1) for the labels.")
@click.option("--max-score", type=click.FloatRange(0, 1), default=None, help="Highest score (0-1) for the labels.")
@click.option("--since", default=None, help="From this day (YYYY-MM-DD, WIB) or ISO time.")
@click.option("--until", default=None, help="Up to and including this day (YYYY-MM-DD, WIB) or ISO time.")
@click.option("--source", "sources", multiple=True, help="Source id (repeatable).")
@click.option("--platform", "platforms", multiple=True, help="Platform, e.g. news, factcheck (repeatable).")
@click.option("--region", "regions", multiple=True, help="Province, e.g. 'Jawa Barat' (repeatable).")
@click.option("--status", "statuses", multiple=True, help="Triage status, e.g. new, confirmed (repeatable).")
@click.option("--assignee", "assignees", multiple=True, help="Analyst the post is assigned to (repeatable).")
@click.option("--lookalike", "lookalikes", multiple=True,
              help="Posts hosted on or linking to this look-alike domain, e.g. kpu-go-id.net (repeatable).")
@click.option("--cyber", "cyber", multiple=True, type=click.Choice(CYBER_KINDS),
              help="Posts with this cyber-threat finding (repeatable).")
@click.option("--sort", type=click.Choice(["relevance", "time", "severity"]), default="relevance", show_default=True)
@click.option("--limit", type=click.IntRange(1, 1000), default=10, show_default=True)
@click.option("--page", type=click.IntRange(1), default=1, show_default=True)
@click.option("--backend", type=click.Choice(["sqlite", "elasticsearch"]), default=None)
@click.option("--json", "as_json", is_flag=True, help="Print hits as JSON lines.")
def search(query, labels, min_score, max_score, since, until, sources, platforms, regions, statuses, assignees,
           lookalikes, cyber, sort, limit, page, backend, as_json) -> None:
    """Search flagged posts. QUERY: words (all must match), "phrases", OR, NOT/-word, prefix*."""
    from waspada.index.base import SearchQuery
    from waspada.threats.lookalike import ascii_domain
    try:
        q = SearchQuery(text=query, labels=labels, min_score=min_score, max_score=max_score,
                        date_from=_parse_day(since), date_to=_parse_day(until, end=True), sources=sources,
                        platforms=platforms, regions=regions, statuses=statuses, assignees=assignees,
                        lookalikes=tuple(ascii_domain(d) for d in lookalikes), cyber=cyber, sort=sort,
                        size=limit, offset=(page - 1) * limit)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None
    index = _open_index(backend)
    try:
        result = index.search(q)
    except ValueError as exc:  # query syntax errors name the problem and the fix
        raise click.ClickException(str(exc)) from None
    finally:
        index.close()
    if as_json:
        for hit in result.hits:
            click.echo(json.dumps({"id": hit.id, "score": hit.score, "highlights": hit.highlights, "doc": hit.doc},
                                  ensure_ascii=False))
        return
    click.echo(f"{result.total} hasil / results" + (f" (page {page})" if page > 1 else ""))
    for hit in result.hits:
        w = hit.doc["waspada"]
        scores = " ".join(f"{k} {v:.2f}" for k, v in w["scores"].items())
        when = datetime.fromisoformat(hit.doc["@timestamp"]).astimezone(WIB).strftime("%Y-%m-%d %H:%M WIB")
        click.echo("")
        click.secho(f"[{', '.join(w['labels']) or '-'}] {w['post']['title'] or '(tanpa judul)'}", bold=True)
        click.echo(f"  {when} · {w['source']['name']} ({w['source']['platform']}) · {scores}")
        for snippet in hit.highlights[:2]:
            click.echo(f"  … {_terminal_snippet(snippet)} …")
        for fake in (w.get("threats") or {}).get("lookalike") or []:
            click.echo(f"  domain tiruan {fake['domain']} (meniru {fake['official']}, {fake['kind']})")
        if (w.get("threats") or {}).get("cyber"):
            click.echo(f"  ancaman siber: {w['threats']['cyber']['reason']}")
        click.echo(f"  {hit.doc['url']['original']}")
        click.echo(f"  id {hit.id}")


@main.command()
@click.argument("doc_id")
@click.option("--backend", type=click.Choice(["sqlite", "elasticsearch"]), default=None)
def show(doc_id: str, backend: str | None) -> None:
    """Print one indexed document as JSON."""
    index = _open_index(backend)
    try:
        doc = index.get(doc_id)
    finally:
        index.close()
    if doc is None:
        raise click.ClickException(f"no document with id {doc_id!r}; ids are printed by `waspada search`")
    click.echo(json.dumps(doc, indent=2, ensure_ascii=False))


@main.command("settings")
@click.option("--markdown", is_flag=True, help="Print the README's settings table (defaults, not current values).")
def settings_cmd(markdown: bool) -> None:
    """List every setting, its environment variable and its current value."""
    if markdown:
        click.echo("| variable | default | meaning |\n|---|---|---|")
        for setting in config.SETTINGS.values():
            default = setting.default
            if isinstance(default, Path):
                default = os.path.relpath(default, Path(__file__).resolve().parent.parent)
            shown = "" if default is None or default == () else f"`{default}`"
            click.echo(f"| `{setting.env}` | {shown} | {setting.help} |")
        return
    for setting in config.SETTINGS.values():
        value = config.get(setting.name)
        if "KEY" in setting.name or "PASSWORD" in setting.name or "SECRET" in setting.name:
            value = "***" if value else ""
        click.echo(f"{setting.env}={value}\n    {setting.help}")


# --- The capabilities' command groups ---------------------------------------------------------
# Each capability keeps its CLI group in its own commands.py; this is the one place they join the
# main group. A new capability with commands adds one import and one entry here.
from waspada.alerts.commands import alerts  # noqa: E402 - `waspada alerts check|run|test|list`
from waspada.claims.commands import claims  # noqa: E402 - `waspada claims ...`, debunked claims
from waspada.digest.commands import digest  # noqa: E402 - `waspada digest --date YYYY-MM-DD`
from waspada.engagement.commands import engagement  # noqa: E402 - `waspada engagement refresh`
from waspada.sources.commands import sources  # noqa: E402 - `waspada sources status|enable|disable`
from waspada.threats.defacement.commands import pages  # noqa: E402 - `waspada pages check|baseline|status`
from waspada.threats.lookalike.commands import domains  # noqa: E402 - `waspada domains ...`
from waspada.web.commands import triage, user, web  # noqa: E402 - the web app, its users, triage

COMMAND_GROUPS = (alerts, claims, digest, engagement, sources, pages, domains, triage, user, web)
for _group in COMMAND_GROUPS:
    main.add_command(_group)

if __name__ == "__main__":
    main()
