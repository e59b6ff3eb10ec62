"""Running the CLI in-process and capturing what a user would see."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from anklesleep.cli import main


@dataclass
class Result:
    code: int
    out: str
    err: str


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> Result:
    """Run `anklesleep ARGS` in this process; return its exit code, stdout and stderr."""
    code = 0
    try:
        main(list(args))
    except SystemExit as exc:
        code = int(exc.code or 0)
    captured = capsys.readouterr()
    return Result(code, captured.out, captured.err)
