"""The `anklesleep` command: a thin shell that parses input, calls the library and presents.

Subcommands live in their own modules and are imported only when run, so `anklesleep --help`
stays quick (no SQLAlchemy, numpy or web framework at start-up).
"""

from __future__ import annotations

import importlib
import os
import sys
from typing import Any

import click

from anklesleep import __version__
from anklesleep.basics.errors import AnkleSleepError
from anklesleep.basics.i18n import N_, _, reset_language, set_language
from anklesleep.cli.click_words import install as install_click_words
from anklesleep.cli.click_words import localize
from anklesleep.cli.language import choose as choose_language

#: command name -> "module:attribute", imported on first use
COMMANDS: dict[str, str] = {
    "routines": "anklesleep.cli.routines:routines",
    "show": "anklesleep.cli.routines:show",
    "timeline": "anklesleep.cli.routines:timeline",
    "start": "anklesleep.cli.start:start",
    "today": "anklesleep.cli.today:today",
    "history": "anklesleep.cli.today:history",
    "audio": "anklesleep.cli.audio:audio",
    "voice": "anklesleep.cli.voice:voice",
    "sleep": "anklesleep.cli.diary:sleep",
    "symptoms": "anklesleep.cli.diary:symptoms",
    "export": "anklesleep.cli.data:export_cmd",
    "import": "anklesleep.cli.data:import_cmd",
    "backup": "anklesleep.cli.data:backup",
    "import-sleep": "anklesleep.cli.trackers:import_sleep",
    "slots": "anklesleep.cli.reminders:slots",
    "calendar": "anklesleep.cli.reminders:calendar_cmd",
    "remind": "anklesleep.cli.reminders:remind",
    "stats": "anklesleep.cli.insights:stats",
    "report": "anklesleep.cli.insights:report",
    "experiment": "anklesleep.cli.experiment:experiment",
    "serve": "anklesleep.cli.serve:serve",
    "doctor": "anklesleep.cli.doctor:doctor",
    "language": "anklesleep.cli.languages:language",
}

#: short help for the command list, without importing each command's module
SUMMARIES: dict[str, str] = {
    "routines": N_("List the routines you can follow."),
    "show": N_("Show a routine step by step, with timing."),
    "timeline": N_("Print every cue of a session with exact times."),
    "start": N_("Start a guided session in the terminal."),
    "today": N_("Today's three slots and your streak."),
    "history": N_("The sessions you have done."),
    "audio": N_("Render a guided audio track (Opus, MP3 or WAV)."),
    "voice": N_("List the voices that can speak, and which one does."),
    "sleep": N_("Fill in last night's sleep diary."),
    "symptoms": N_("Score the seven complaints for today."),
    "export": N_("Export all your data (JSON or CSV)."),
    "import": N_("Import data exported before (all or nothing)."),
    "backup": N_("Copy the database safely."),
    "import-sleep": N_("Import nights from Sleep as Android, Fitbit or Apple Health."),
    "slots": N_("Show or change the three daily reminder times."),
    "calendar": N_("Write a calendar file with the daily reminders."),
    "remind": N_("Run the reminder service in the foreground."),
    "stats": N_("Adherence, streaks and sleep trends."),
    "report": N_("Write a printable HTML report with charts."),
    "experiment": N_("Run a randomized personal experiment."),
    "serve": N_("Start the web app."),
    "doctor": N_("Check the database and repair damaged settings."),
    "language": N_("Show or choose the language of messages."),
}


class LazyGroup(click.Group):
    """A group whose subcommands are imported when they are invoked (click's documented pattern)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module_name, attr = target.split(":")
        command = getattr(importlib.import_module(module_name), attr)
        assert isinstance(command, click.Command)
        return localize(command)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, _(SUMMARIES.get(name, ""))) for name in self.list_commands(ctx)]
        with formatter.section(_("Commands")):
            formatter.write_dl(rows)


@click.group(
    cls=LazyGroup,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    epilog="Example: anklesleep show full",
)
@click.option(
    "--db",
    "db",
    metavar="PATH",
    default=None,
    help="Use this SQLite file (default: the user data folder, or $ANKLESLEEP_DATABASE_URL).",
)
@click.option(
    "--lang",
    "lang",
    metavar="LANG",
    default=None,
    help="The language of messages, such as en or ja (default: $ANKLESLEEP_LANG, else the one "
    "chosen with `anklesleep language`, else this computer's locale).",
)
@click.version_option(__version__, prog_name="anklesleep")
@click.pass_context
def cli(ctx: click.Context, db: str | None, lang: str | None) -> None:
    """Guided ankle-bone self-massage, a sleep diary, and a way to find out if it helps you.

    The routine follows one bodywork practitioner's method; it is not a medical treatment.
    """
    ctx.ensure_object(dict)
    ctx.obj["db"] = db


def main(argv: list[str] | None = None) -> Any:
    """Entry point: user mistakes print one line on stderr and exit with status 2.

    The command's language is chosen first (see `anklesleep.cli.language`), so that its help,
    its errors and click's own words come out in it."""
    args = sys.argv[1:] if argv is None else list(argv)
    install_click_words()
    try:
        language = choose_language(args, os.environ)
    except AnkleSleepError as exc:
        click.echo(f"anklesleep: error: {exc.message}", err=True)
        sys.exit(2)
    token = set_language(language)
    try:
        return _run(args)
    finally:
        reset_language(token)


def _run(args: list[str]) -> Any:
    localize(cli)
    try:
        return cli.main(args=args, prog_name="anklesleep", standalone_mode=False)
    except AnkleSleepError as exc:
        click.echo(f"anklesleep: error: {exc.message}", err=True)
        sys.exit(2)
    except click.exceptions.Abort:
        click.echo(_("Aborted."), err=True)
        sys.exit(130)
    except click.UsageError as exc:
        # click's own checks (unknown option, bad choice, missing argument) get the same one
        # line as ours, pointing at the command's help.
        where = exc.ctx.command_path if exc.ctx is not None else "anklesleep"
        message = exc.format_message().replace("\n", " ")
        line = _("{message}; see `{command} --help`").format(
            message=message.rstrip(".。"), command=where
        )
        click.echo(f"anklesleep: error: {line}", err=True)
        sys.exit(2)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except Exception as exc:
        if _is_unreadable_value(exc):
            click.echo(
                "anklesleep: error: "
                + _(
                    "a date or time stored in the database cannot be read, so it may be "
                    "damaged; `anklesleep doctor` shows which row"
                ),
                err=True,
            )
            sys.exit(1)
        if not _is_database_error(exc):
            raise
        from anklesleep.store.failures import describe

        failure = describe(exc)
        click.echo(f"anklesleep: error: {failure.message}", err=True)
        sys.exit(1)


def _is_unreadable_value(exc: BaseException) -> bool:
    """A value SQLAlchemy could not turn back into a date or time while reading rows: stored
    text that is damaged. (Never shown: it may be part of a diary entry.)"""
    if not isinstance(exc, ValueError):
        return False
    tb = exc.__traceback__
    innermost = ""
    while tb is not None:
        innermost = str(tb.tb_frame.f_globals.get("__name__", ""))
        tb = tb.tb_next
    return innermost.startswith("sqlalchemy.engine") and "processors" in innermost


def _is_database_error(exc: BaseException) -> bool:
    """A SQLAlchemy or sqlite3 error (checked without importing either when neither was used)."""
    modules = {"sqlalchemy", "sqlite3", "_sqlite3", "psycopg"}
    return any(kind.__module__.split(".")[0] in modules for kind in type(exc).__mro__)
