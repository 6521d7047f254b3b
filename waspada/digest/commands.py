"""`waspada digest`: build one WIB day's digest, archive it, email it, and say where it is.
Registered on the main group in ``waspada.cli``."""
from __future__ import annotations

import click


@click.command("digest")
@click.option("--date", "date_", default=None, metavar="YYYY-MM-DD",
              help="The WIB day to report (default: yesterday in WIB, the last complete day).")
@click.option("--backend", type=click.Choice(["sqlite", "elasticsearch"]), default=None,
              help="Index backend (default: setting INDEX_BACKEND).")
@click.option("--no-email", is_flag=True, help="Archive only; do not email (default: email WASPADA_DIGEST_EMAIL_TO).")
def digest(date_: str | None, backend: str | None, no_email: bool) -> None:
    """Daily digest for supervisors (HTML + PDF, Indonesian), archived under WASPADA_DIGEST_DIR."""
    from waspada.digest import ArchiveError, DigestEmailError, PeriodError, build_digest, parse_day, yesterday_wib
    from waspada.index import IndexError_

    try:
        day = parse_day(date_) if date_ else yesterday_wib()
    except PeriodError as exc:
        raise click.BadParameter(str(exc), param_hint="--date") from None
    try:
        result = build_digest(day, backend=backend, email=not no_email)
    except DigestEmailError as exc:  # after archiving, the message names the folder
        raise click.ClickException(str(exc)) from None
    except (ArchiveError, IndexError_, ValueError) as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(result.summary())
