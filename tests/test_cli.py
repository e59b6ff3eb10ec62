"""The command as a whole: help for every command, light start-up."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import click
import pytest

from anklesleep.cli import COMMANDS, SUMMARIES, cli
from tests.cli_helpers import run_cli


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_has_help_with_an_example(
    capsys: pytest.CaptureFixture[str], name: str
) -> None:
    command = cli.get_command(click.Context(cli), name)
    assert command is not None
    assert command.help and len(command.help.strip()) > 10
    assert name in SUMMARIES
    result = run_cli(capsys, name, "--help")
    assert result.code == 0
    assert "Example" in result.out or "example" in result.out


def test_top_level_help_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    result = run_cli(capsys, "--help")
    assert result.code == 0
    for name in COMMANDS:
        assert f"  {name} " in result.out


def test_importing_the_cli_stays_light() -> None:
    code = (
        "import sys, anklesleep.cli; "
        "heavy = [m for m in ('sqlalchemy', 'fastapi', 'starlette', 'numpy', 'matplotlib', "
        "'alembic', 'rich', 'soundfile', 'jinja2') if m in sys.modules]; print(heavy)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


#: Modules the daily commands have no use for: each costs tens of milliseconds to import.
HEAVY = (
    "numpy",
    "scipy",
    "soundfile",
    "sounddevice",
    "onnxruntime",
    "icalendar",
    "recurring_ical_events",
    "alembic",
    "jinja2",
    "fastapi",
    "starlette",
    "pydantic",
    "matplotlib",
    "rich",
    "segno",
)
#: Runs one command as `anklesleep` does, then prints which of the heavy modules it loaded.
_RUN_AND_LIST = f"""
import sys
from anklesleep.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
print("loaded:", [m for m in {HEAVY!r} if m in sys.modules])
"""


@pytest.mark.slow
@pytest.mark.parametrize("command", ["today", "history", "slots"])
def test_daily_commands_load_no_heavy_module(isolated_home: Path, command: str) -> None:
    """`today`, `history` and `slots` start fast: no NumPy, sound files, Alembic (once the
    database is up to date), calendar or web libraries. `slots` measures each routine from the
    speech clips' WAV headers, not their samples."""

    def run() -> str:
        done = subprocess.run(
            [sys.executable, "-c", _RUN_AND_LIST, command],
            capture_output=True,
            text=True,
            check=True,
        )
        return done.stdout.splitlines()[-1]

    run()  # the first run creates the database and, for `slots`, makes the speech clips
    if command == "slots" and shutil.which("espeak-ng"):  # the tests' voice (see conftest)
        assert list((isolated_home / "cache" / "clips" / "espeak-ng").glob("*.wav"))
    assert run() == "loaded: []"


def test_unknown_command_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    result = run_cli(capsys, "dance")
    assert result.code == 2
    assert result.err.startswith("anklesleep: error: No such command 'dance'; see")
    assert result.err.count("\n") == 1


def test_clicks_own_usage_errors_are_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    result = run_cli(capsys, "show", "full", "--no-such-flag")
    assert result.code == 2
    assert result.err == (
        "anklesleep: error: No such option '--no-such-flag'; see `anklesleep show --help`\n"
    )
