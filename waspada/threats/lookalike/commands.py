"""`waspada domains check|scan|list`: look-alike domains of the election bodies."""
from __future__ import annotations

import json
from dataclasses import asdict
from urllib.parse import urlsplit

import click

from waspada.threats.lookalike.domains import official_domains
from waspada.wib import wib_text as _wib


def wib(value):
    # Command-line listings keep year-first times, which sort as text; the web pages read day first.
    return _wib(value, day_first=False)


@click.group()
def domains() -> None:
    """Look-alike domains of KPU, Bawaslu, DKPP, MK and WASPADA_LOOKALIKE_OFFICIAL_DOMAINS."""


@domains.command("check")
@click.argument("names", nargs=-1, required=True)
def domains_check(names: tuple[str, ...]) -> None:
    """Check domain names (or URLs); exit status 1 if any is a look-alike."""
    from waspada.threats.lookalike.domains import check
    found = False
    for name in names:
        host = urlsplit(name).hostname if "://" in name else name
        hit = check(host or "", official_domains())
        found |= hit is not None
        click.echo(f"{name}: " + (f"LOOK-ALIKE of {hit.official} ({hit.kind}: {hit.detail})" if hit else "ok"))
    raise SystemExit(1 if found else 0)


@domains.command("scan")
@click.option("--backend", type=click.Choice(["sqlite", "elasticsearch"]), default=None)
@click.option("--json", "as_json", is_flag=True, help="One JSON line per look-alike.")
def domains_scan(backend: str | None, as_json: bool) -> None:
    """Check every domain in the index (the posts' own and the links they push), tag the posts
    carrying a look-alike, and remember each look-alike (see `waspada domains list`)."""
    from waspada.index import open_index
    from waspada.threats.lookalike.scan import scan_index
    from waspada.threats.lookalike.store import LookalikeStore
    from waspada.threats.lookalike.posts import LookalikeFinder
    index = open_index(backend)
    try:
        index.ensure()  # monthly indices made before look-alikes were mapped gain the fields first
        result = scan_index(index, LookalikeFinder())
    finally:
        index.close()
    store = LookalikeStore.from_settings()
    try:
        store.remember(result.found)
    finally:
        store.close()
    for item in result.found:
        if as_json:
            click.echo(json.dumps(asdict(item), ensure_ascii=False))
        else:
            click.echo(f"{item.domain}: look-alike of {item.official} ({item.kind}), {item.posts} post(s), "
                       f"first {wib(item.first_seen)}, last {wib(item.last_seen)}")
    if not as_json:
        click.echo(f"{result.checked} domains checked, {len(result.found)} look-alike(s), "
                   f"{result.tagged} post(s) newly tagged; remembered in {store.path}")


@domains.command("list")
@click.option("--json", "as_json", is_flag=True, help="One JSON line per remembered look-alike.")
def domains_list(as_json: bool) -> None:
    """Every look-alike domain a scan has found, the most recently seen first."""
    from waspada.threats.lookalike.store import LookalikeStore
    store = LookalikeStore.from_settings()
    try:
        known = store.all()
    finally:
        store.close()
    if as_json:
        for item in known:
            click.echo(json.dumps(asdict(item), ensure_ascii=False))
        return
    if not known:
        click.echo("No look-alike domain remembered yet; run `waspada domains scan`.")
        return
    for item in known:
        click.echo(f"{item.domain}  imitates {item.official} ({item.kind}: {item.detail})")
        click.echo(f"    {item.posts} post(s) · first seen {wib(item.first_seen)} · last seen {wib(item.last_seen)}"
                   f" · last scan {wib(item.last_scan)}")
