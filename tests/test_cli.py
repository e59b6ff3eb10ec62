"""The command as a whole: help for every command, light start-up."""

from __future__ import annotations

import subprocess
import sys

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
