"""`doctor`: check the database and the values stored in it, and repair what can be repaired."""

from __future__ import annotations

import sys

import click

from anklesleep.basics.i18n import _, ngettext
from anklesleep.cli import localtime as local
from anklesleep.cli.common import database


@click.command(epilog="Examples: anklesleep doctor\n\nanklesleep doctor --repair")
@click.option(
    "--repair",
    is_flag=True,
    help="Remove damaged settings (their defaults apply again). Diary rows are never removed.",
)
@click.pass_context
def doctor(ctx: click.Context, /, repair: bool) -> None:
    """Check the database file and every stored value; exit 1 when something is wrong."""
    from anklesleep.store import doctor as checks
    from anklesleep.store.database import integrity_problem

    engine = database(ctx)
    damaged = integrity_problem(engine)
    if damaged:
        click.echo(_("Database file: damaged ({problem}).").format(problem=damaged))
    else:
        click.echo(_("Database file: ok."))
    with engine.begin() as conn:
        findings = checks.examine(conn, local.user_today(engine), local.utc_now())
        for finding in findings:
            click.echo(f"{finding.where}: {finding.problem}")
        fixed = checks.repair(conn, findings) if repair else 0
    left = len(findings) - fixed
    if not findings:
        click.echo(_("Stored values: ok."))
    if fixed:
        click.echo(
            ngettext(
                "Repaired {n} setting: its default applies again.",
                "Repaired {n} settings: their defaults apply again.",
                fixed,
            ).format(n=fixed)
        )
    if left:
        if any(f.damaged for f in findings):
            hint = _(
                "a row whose bytes are damaged cannot be read, exported or replaced; put a "
                "backup back in place as docs/data.md says (To restore, 2)"
            )
        elif not repair and any(f.repairable for f in findings):
            hint = _("run `anklesleep doctor --repair` to remove damaged settings")
        else:
            hint = _("correct these rows with an export, an edit and `anklesleep import --replace`")
        click.echo(
            ngettext("{n} problem left; {hint}.", "{n} problems left; {hint}.", left).format(
                n=left, hint=hint
            )
        )
    if left or damaged:
        sys.exit(1)
