"""`waspada domains check|scan`: look-alike domains of the election bodies."""
from __future__ import annotations

import json
from urllib.parse import urlsplit

import click

from waspada import config


def official_domains() -> list[str]:
    from waspada.threats.lookalike import OFFICIAL_DOMAINS
    extra = [d.strip() for d in str(config.get("LOOKALIKE_OFFICIAL_DOMAINS")).split(",") if d.strip()]
    return [*OFFICIAL_DOMAINS, *extra]


@click.group()
def domains() -> None:
    """Look-alike domains of KPU, Bawaslu, DKPP, MK and WASPADA_LOOKALIKE_OFFICIAL_DOMAINS."""


@domains.command("check")
@click.argument("names", nargs=-1, required=True)
def domains_check(names: tuple[str, ...]) -> None:
    """Check domain names (or URLs); exit status 1 if any is a look-alike."""
    from waspada.threats.lookalike import check
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
    """Check every domain in the index: the posts' own domains and the links they push."""
    from waspada.index import open_index
    from waspada.index.base import SearchQuery
    from waspada.threats.lookalike import check
    index = open_index(backend)
    try:
        counts: dict[str, int] = {}
        for domain, n in index.facets("url.domain", size=1000).items():
            counts[domain] = counts.get(domain, 0) + n
        for link, n in index.facets("waspada.post.links", size=1000).items():
            host = urlsplit(link).hostname or ""
            counts[host] = counts.get(host, 0) + n
        hits = [(check(d, official_domains()), n) for d, n in sorted(counts.items())]
        for hit, n in hits:
            if hit is None:
                continue
            posts = index.count(SearchQuery(text=f'"{hit.domain}"')) if not as_json else None
            if as_json:
                click.echo(json.dumps({"domain": hit.domain, "official": hit.official, "kind": hit.kind,
                                       "detail": hit.detail, "seen": n}))
            else:
                click.echo(f"{hit.domain}: look-alike of {hit.official} ({hit.kind}), seen {n} time(s)"
                           f"{f', named in {posts} post text(s)' if posts else ''}")
        if not as_json:
            click.echo(f"{len(counts)} domains checked, {sum(1 for h, _ in hits if h)} look-alike(s)")
    finally:
        index.close()
