"""`waspada claims list|check`: the debunked claims the pipeline learned, and matching a text by hand."""
from __future__ import annotations

import json

import click

from waspada import config


def _checker():
    from waspada.claims.matcher import ClaimMatcher, Weights
    from waspada.claims.store import ClaimStore

    store = ClaimStore(config.get("CLAIMS_DB"))
    weights = Weights.calibrated()
    if config.get("CLAIM_MATCH_THRESHOLD") is not None:
        weights.threshold = config.get("CLAIM_MATCH_THRESHOLD")
    return store, ClaimMatcher(store.all(), weights=weights)


@click.group()
def claims() -> None:
    """Debunked claims learned from fact-check sources (docs/claim_matching.md)."""


@claims.command("list")
@click.option("--limit", type=click.IntRange(1), default=20, show_default=True)
def claims_list(limit: int) -> None:
    """The most recent debunked claims."""
    from waspada.claims.store import ClaimStore

    store = ClaimStore(config.get("CLAIMS_DB"))
    try:
        rows = store.all()
        click.echo(f"{len(rows)} debunked claims in {store.path}")
        for c in sorted(rows, key=lambda c: c.published, reverse=True)[:limit]:
            click.echo(f"{c.published[:10] or '-':10}  [{c.verdict or '-'}] {c.title}  {c.url}")
    finally:
        store.close()


@claims.command("check")
@click.argument("text")
@click.option("-k", "k", type=click.IntRange(1, 50), default=3, show_default=True, help="Candidates to show.")
@click.option("--json", "as_json", is_flag=True)
def claims_check(text: str, k: int, as_json: bool) -> None:
    """Match TEXT against the claims; exit status 1 when it matches one at or above the threshold."""
    store, matcher = _checker()
    try:
        ranked = matcher.search(text, k=k)
        for m in ranked:
            mark = "MATCH" if m.similarity >= matcher.weights.threshold else "below"
            if as_json:
                click.echo(json.dumps(m.as_dict() | {"matched": mark == "MATCH"}, ensure_ascii=False))
            else:
                click.echo(f"{m.similarity:.3f} {mark}  [{m.claim.verdict or '-'}] {m.claim.title}  {m.claim.url}")
        if not ranked and not as_json:
            click.echo(f"no candidate among {len(matcher)} claims")
        raise SystemExit(1 if ranked and ranked[0].similarity >= matcher.weights.threshold else 0)
    finally:
        store.close()
