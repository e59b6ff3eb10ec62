"""`export`, `import` and `backup`: your data, out and back in, whole."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import click

from anklesleep.basics.errors import AnkleSleepError
from anklesleep.basics.i18n import _, ngettext
from anklesleep.basics.wording import join_list
from anklesleep.cli import localtime as local
from anklesleep.cli.common import database, json_words_in_english

#: how each table's rows are counted for people
TABLE_LABELS: dict[str, Callable[[int], str]] = {
    "sessions": lambda n: ngettext("{n} session", "{n} sessions", n),
    "sleep_entries": lambda n: ngettext("{n} night", "{n} nights", n),
    "symptom_entries": lambda n: ngettext("{n} symptom score", "{n} symptom scores", n),
    "settings": lambda n: ngettext("{n} setting", "{n} settings", n),
    "experiments": lambda n: ngettext("{n} experiment", "{n} experiments", n),
    "tracker_nights": lambda n: ngettext("{n} tracker night", "{n} tracker nights", n),
}


def _counts(counts: dict[str, int]) -> str:
    parts = [TABLE_LABELS[t](n).format(n=n) for t, n in counts.items() if n]
    return join_list(parts, _) if parts else _("nothing")


@click.command(
    "export",
    epilog="Examples: anklesleep export -o anklesleep.json\n\n"
    "anklesleep export --format csv -o anklesleep-csv.zip",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["json", "csv"]),
    default=None,
    help="json (one file) or csv (one file per table, in a folder or a .zip). "
    "Default: from the name (.json or .zip), else json.",
)
@click.option(
    "-o",
    "--output",
    metavar="PATH",
    required=True,
    help="Where to write: a .json file, a .zip file or a new folder; - prints JSON.",
)
@click.option("--force", is_flag=True, help="Overwrite PATH if it exists.")
@click.pass_context
def export_cmd(ctx: click.Context, /, fmt: str | None, output: str, force: bool) -> None:
    """Export everything you have recorded: sessions, sleep diary, symptom scores, settings and
    experiments.

    The files are yours to keep, read in a spreadsheet, or bring back with `anklesleep import`.
    Nothing is ever sent anywhere.
    """
    from anklesleep.store import export_files as exportfiles
    from anklesleep.store import transfer

    chosen = fmt or ("csv" if output.lower().endswith(".zip") else "json")
    engine = database(ctx)
    with engine.connect() as conn:
        tables = transfer.collect(conn)
    now = local.utc_now()
    counts = {name: len(rows) for name, rows in tables.items()}
    if output == "-":
        if chosen != "json":
            raise AnkleSleepError(
                _("output: '-' prints JSON only; give a folder or .zip name for CSV"),
                field="output",
            )
        click.echo(transfer.to_json(tables, now), nl=False)
        return
    path = Path(output).expanduser()
    exportfiles.write_export(path, tables, chosen, now, force=force)  # type: ignore[arg-type]
    if not any(counts.values()):
        click.echo(_("Exported nothing to {path} ({fmt}).").format(path=path, fmt=chosen.upper()))
        return
    click.echo(
        _("Exported {what} to {path} ({fmt}).").format(
            what=_counts(counts), path=path, fmt=chosen.upper()
        )
    )


@click.command("import", epilog="Example: anklesleep import anklesleep.json --dry-run")
@click.argument("path", metavar="PATH")
@click.option(
    "--replace",
    is_flag=True,
    help="When a row differs from what is stored (same night, day, key or id), take the "
    "file's version. Default: keep what is stored.",
)
@click.option("--dry-run", is_flag=True, help="Check the file and report; change nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.pass_context
def import_cmd(
    ctx: click.Context, /, path: str, replace: bool, dry_run: bool, as_json: bool
) -> None:
    """Import PATH: a JSON export, a CSV folder or .zip, one table's CSV, or a backup file.

    All or nothing: every row is checked first, and if any is wrong nothing is imported and
    the error lists each bad row. Importing the same file twice adds nothing.
    """
    json_words_in_english(as_json)
    from anklesleep.store import export_files as exportfiles
    from anklesleep.store import transfer

    incoming = exportfiles.read_import(Path(path).expanduser())
    engine = database(ctx)
    with engine.connect() as conn:  # one transaction: everything is written, or nothing
        report = transfer.import_rows(
            conn,
            incoming,
            local.user_today(engine),
            local.utc_now(),
            conflict="replace" if replace else "keep",
            dry_run=dry_run,
        )
        if dry_run:
            conn.rollback()
        else:
            conn.commit()
    if as_json:
        click.echo(json.dumps(report.to_dict()))
        return
    if not any(report.added.values()):
        click.echo(_("Would import nothing.") if dry_run else _("Imported nothing."))
    else:
        added = _("Would import {what}.") if dry_run else _("Imported {what}.")
        click.echo(added.format(what=_counts(report.added)))
    if report.replaced:
        replaced = (
            _("Would replace {what} with the file's version.")
            if dry_run
            else _("Replaced {what} with the file's version.")
        )
        click.echo(replaced.format(what=_counts(report.replaced)))
    if report.unchanged:
        click.echo(_("Already here, unchanged: {what}.").format(what=_counts(report.unchanged)))
    if report.fixed:
        click.echo(
            _("Kept as stored, because a saved experiment plan is never rewritten: {what}.").format(
                what=_counts(report.fixed)
            )
        )
    if report.kept:
        click.echo(
            _(
                "Different in the file, kept as stored: {what} (use --replace to take the "
                "file's version)."
            ).format(what=_counts(report.kept))
        )


@click.command(epilog="Example: anklesleep backup -o ~/anklesleep-backup.sqlite3")
@click.option(
    "-o",
    "--output",
    metavar="PATH",
    default=None,
    help="The backup file (default: backups/anklesleep-DATE-TIME.sqlite3 in the data folder).",
)
@click.option("--force", is_flag=True, help="Overwrite PATH if it exists.")
@click.pass_context
def backup(ctx: click.Context, /, output: str | None, force: bool) -> None:
    """Copy the database to a single file, safely even while the app is in use.

    To restore: `anklesleep import BACKUP` (merges, all or nothing), or stop anklesleep and
    copy the file over the database (see docs/data.md).
    """
    from anklesleep.basics.paths import data_dir
    from anklesleep.store.backup import backup as make_backup

    engine = database(ctx)
    if output is None:
        folder = data_dir() / "backups"
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / f"anklesleep-{local.utc_now().astimezone():%Y%m%d-%H%M%S}.sqlite3"
    else:
        target = Path(output).expanduser()
    result = make_backup(engine, target, force=force)
    size = f"{result.size_bytes / 1024:.0f} KiB"
    click.echo(
        _("Backed up {source} to {target} ({size}).").format(
            source=result.source, target=result.target, size=size
        )
    )
