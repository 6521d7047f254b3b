"""`waspada alerts ...`: check rules, run the evaluator, dry-run a rule over a past window, and
list what fired. Registered on the main group in ``waspada.cli``."""
from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import click

from waspada import config


def _rules():
    from waspada.alerts import RuleError, load_rules, rules_dir
    try:
        return load_rules(rules_dir())
    except RuleError as exc:
        raise click.ClickException(str(exc)) from None


def _engine(backend: str | None):
    from waspada.alerts import open_engine
    from waspada.index import open_index
    try:
        index = open_index(backend)
        index.ensure()
    except Exception as exc:  # the backend's message already says what to check
        raise click.ClickException(str(exc)) from None
    return open_engine(index)


def _when(value: str | None, default: datetime) -> datetime:
    if not value:
        return default
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a time; use ISO 8601, e.g. 2024-02-14T10:00+07:00") from None
    if moment.tzinfo is None:
        raise click.BadParameter(f"{value!r} has no time zone; add one, e.g. +07:00 for WIB")
    return moment.astimezone(timezone.utc)


_BACKEND = click.option("--backend", type=click.Choice(["sqlite", "elasticsearch"]), default=None,
                        help="Index backend (default: setting INDEX_BACKEND).")


@click.group()
def alerts() -> None:
    """Alert rules (YAML in WASPADA_ALERT_RULES_DIR): check, run, dry-run, list."""


@alerts.command("check")
def alerts_check() -> None:
    """Validate every rule file and list the enabled rules."""
    from waspada.alerts import rules_dir
    rules = _rules()
    click.echo(f"{len(rules)} enabled rules in {rules_dir()}:")
    for rule in rules:
        key = f" per {rule.key}" if rule.key else ""
        click.echo(f"  {rule.name:32} {rule.type:12} window {rule.window}{key}  {rule.description}")


@alerts.command("run")
@_BACKEND
@click.option("--now", default=None, help="Evaluate as if it were this time (ISO 8601; default: now).")
def alerts_run(backend: str | None, now: str | None) -> None:
    """Evaluate every due window of every rule, open investigations, send notifications."""
    engine = _engine(backend)
    report = engine.run(_rules(), now=_when(now, datetime.now(timezone.utc)))
    for alert_id in report.fired:
        alert = engine.alerts.get(alert_id)
        click.echo(f"FIRED #{alert.id} {alert.rule} [{alert.key or '-'}] {alert.summary} "
                   f"-> investigation #{alert.investigation_id}")
    click.echo(report.summary())
    if report.errors:
        for error in report.errors:
            click.echo(f"rule error: {error}", err=True)
        raise SystemExit(1)


@alerts.command("test")
@click.argument("rule_name")
@_BACKEND
@click.option("--since", default=None, help="Start of the past window to replay (ISO 8601; default: 7 days ago).")
@click.option("--until", default=None, help="End of the window (ISO 8601; default: now).")
@click.option("--json", "as_json", is_flag=True, help="Print each firing as a JSON line.")
def alerts_test(rule_name: str, backend: str | None, since: str | None, until: str | None, as_json: bool) -> None:
    """Dry-run RULE_NAME over a past window: show what it would have fired. Changes nothing."""
    rules = {r.name: r for r in _rules()}
    if rule_name not in rules:
        raise click.ClickException(f"no enabled rule named {rule_name!r}; rules: {', '.join(sorted(rules)) or 'none'}")
    end = _when(until, datetime.now(timezone.utc))
    start = _when(since, end - timedelta(days=7))
    if start >= end:
        raise click.BadParameter(f"--since {start.isoformat()} must be before --until {end.isoformat()}")
    try:
        firings = _engine(backend).dry_run(rules[rule_name], start, end)
    except ValueError as exc:  # too long a period, or a query the index refuses: say which
        raise click.ClickException(str(exc)) from None
    for f in firings:
        if as_json:
            click.echo(json.dumps({"rule": f.rule, "key": f.key, "start": f.start.isoformat(), "end": f.end.isoformat(),
                                   "count": f.count, "summary": f.summary, "doc_ids": f.doc_ids,
                                   "details": f.details}, ensure_ascii=False, default=str))
        else:
            click.echo(f"{f.start:%Y-%m-%d %H:%M}–{f.end:%H:%M} UTC  [{f.key or '-'}]  {f.summary}")
    if not as_json:
        click.echo(f"{rule_name}: would have fired {len(firings)} time(s) between {start.isoformat()} and "
                   f"{end.isoformat()} (dry run: nothing stored, nobody notified)")


@alerts.command("list")
@click.option("--limit", type=click.IntRange(1, 10000), default=20, show_default=True)
def alerts_list(limit: int) -> None:
    """The latest alerts fired, with their investigation and notification state."""
    from waspada.alerts.store import AlertStore
    store = AlertStore(config.get("WEB_DB"))
    for alert in store.alerts(limit=limit):
        notes = store.notifications(alert_id=alert.id)
        state = ", ".join(f"{n.channel}:{n.status}" for n in notes) or "no notification"
        click.echo(f"#{alert.id} {alert.fired_at} {alert.rule} [{alert.key or '-'}] {alert.summary} "
                   f"(investigation #{alert.investigation_id}; {state})")
