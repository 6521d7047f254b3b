"""CLI commands for the web app: `waspada user add`, `waspada user end-sessions`, `waspada web`,
`waspada triage export`.
Registered on the main group in ``waspada.cli``; heavy imports stay inside the commands."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from waspada import config


def _users():
    from waspada.web.users import UserStore
    return UserStore(config.get("WEB_DB"))


@click.group()
def user() -> None:
    """Manage web app users (stored in WASPADA_WEB_DB)."""


@user.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice(["analyst", "supervisor", "admin"]), default="analyst", show_default=True,
              help="analyst: search, read, triage; supervisor: also export; admin: also read the audit log.")
@click.option("--password-stdin", is_flag=True,
              help="Read the password from the first line of standard input (scripts) instead of prompting.")
@click.option("--replace", is_flag=True, help="Reset the role and password of an existing user.")
def user_add(name: str, role: str, password_stdin: bool, replace: bool) -> None:
    """Create a web user NAME, e.g. the first admin: `waspada user add siti --role admin`.

    A new NAME is lower-case a-z, digits, '.', '_' or '-', up to 64 characters, starting with a
    letter or digit: look-alike letters (a Cyrillic 'а') cannot pass for another account."""
    from waspada.web.users import UserError
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Kata sandi / password", hide_input=True, confirmation_prompt=True)
    store = _users()
    try:
        created = store.add(name, password, role, replace=replace)
        store.audit("cli", "user.add" if not replace else "user.replace", created.name, {"role": role})
    except UserError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"user {created.name!r} ({created.role}) saved in {store.path}")


@user.command("end-sessions")
@click.argument("name")
def user_end_sessions(name: str) -> None:
    """Log NAME out everywhere: end every web session of NAME at once (a lost laptop, a leaked
    cookie). The same as the admin page's button; NAME can log in again with its password."""
    store = _users()
    if not store.exists(name):
        raise click.ClickException(f"there is no user {name!r} in {store.path}; check the name with the /users page")
    ended = store.end_sessions(name)
    store.audit("cli", "user.logout_all", name, {"sessions_ended": ended})
    click.echo(f"{ended} session(s) of {name!r} ended")


@click.command()
@click.option("--host", default=None, help="Listen address (default: WASPADA_WEB_HOST).")
@click.option("--port", type=int, default=None, help="Port (default: WASPADA_WEB_PORT).")
@click.option("--backend", type=click.Choice(["sqlite", "elasticsearch"]), default=None,
              help="Index backend (default: WASPADA_INDEX_BACKEND).")
def web(host: str | None, port: int | None, backend: str | None) -> None:
    """Serve the analyst web app (create a user first with `waspada user add`)."""
    import uvicorn
    from waspada.index import open_index
    from waspada.web import create_app
    try:
        app = create_app(index=open_index(backend))
        proxies = config.get("WEB_TRUSTED_PROXIES")
    except config.SettingError as exc:
        raise click.ClickException(str(exc)) from None
    if not _users().names():
        click.echo("No web users yet: create one with `waspada user add NAME --role admin`.", err=True)
    # Proxy headers only from the configured proxies: trusted from anyone, X-Forwarded-For would
    # let a client pick its own address and walk past the login limits.
    uvicorn.run(app, host=host or config.get("WEB_HOST"), port=port or config.get("WEB_PORT"),
                proxy_headers=bool(proxies), forwarded_allow_ips=",".join(proxies) or None,
                server_header=False)


@click.group()
def triage() -> None:
    """Analysts' triage decisions."""


@triage.command("export")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="JSON Lines file to write (default: standard output).")
@click.option("--backend", type=click.Choice(["sqlite", "elasticsearch"]), default=None,
              help="Index backend (default: WASPADA_INDEX_BACKEND).")
def triage_export(output: Path | None, backend: str | None) -> None:
    """Write triaged posts as labelled feedback for retraining: one JSON object per line with
    text, hoax and provocation (1, 0 or null), id, verdict, by and at."""
    from waspada.index import open_index
    from waspada.web.triage import write_feedback
    index = open_index(backend)
    try:
        if output is None:
            count = write_feedback(index, sys.stdout)
        else:
            with open(output, "w", encoding="utf-8") as fh:
                count = write_feedback(index, fh)
    finally:
        index.close()
    click.echo(f"{count} feedback rows written", err=True)
