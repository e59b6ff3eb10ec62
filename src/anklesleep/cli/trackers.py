"""`import-sleep`: nights from Sleep as Android, Fitbit or Apple Health, kept beside the diary."""

from __future__ import annotations

from pathlib import Path

import click

from anklesleep.cli import localtime as local
from anklesleep.cli.common import database


@click.command(
    "import-sleep",
    epilog="Examples: anklesleep import-sleep sleep-export.zip\n\n"
    "anklesleep import-sleep ~/Downloads/export.zip --dry-run",
)
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--dry-run", is_flag=True, help="Read and report, but save nothing.")
@click.pass_context
def import_sleep(ctx: click.Context, /, file: Path, dry_run: bool) -> None:
    """Import the nights your sleep tracker recorded (Sleep as Android, Fitbit, Apple Health).

    FILE is the export as the app made it: a file, a folder or a zip; the format is recognized
    from what is inside. Tracker nights are kept apart from your diary, each assigned to the
    morning's date in your time zone. Importing the same export again adds nothing, and a file
    with any record that cannot be read imports nothing.
    """
    from anklesleep.services.trackers import import_export, report_lines

    engine = database(ctx)
    _slots, zone = local.slot_settings(engine)
    outcome = import_export(engine, file, zone, local.utc_now(), save=not dry_run)
    for line in report_lines(outcome, saved=not dry_run):
        click.echo(line)
