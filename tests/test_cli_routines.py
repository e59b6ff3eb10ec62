"""`routines`, `show` and `timeline` as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli_helpers import run_cli


def test_routines_lists_both_with_duration(capsys: pytest.CaptureFixture[str]) -> None:
    result = run_cli(capsys, "routines")
    assert result.code == 0
    lines = result.out.splitlines()
    assert lines[0].split()[0] == "full" and lines[1].split()[0] == "quick"
    assert "Full routine" in lines[0] and "1:2" in lines[1]


def test_show_full_table(capsys: pytest.CaptureFixture[str]) -> None:
    result = run_cli(capsys, "show", "full")
    assert result.code == 0
    out = result.out
    assert "Pull the big toe and the second toe apart." in out
    assert "5 x hold 5 s, rest 2 s*" in out
    assert "5 circles inward, 2 s each*" in out
    assert "10 tilts out and in, 2 s each*" in out
    assert "Switch to the right foot." in out
    assert out.count(" T1 ") == 2 and out.count(" H1 ") == 2
    assert "our default" in out
    assert out.rstrip().endswith("Total" + out.rstrip().split("Total")[-1])


def test_show_with_options(capsys: pytest.CaptureFixture[str]) -> None:
    result = run_cli(capsys, "show", "full", "--hold", "4", "--extra-circles", "inward")
    assert result.code == 0
    assert "5 x hold 4 s, rest 2 s*" in result.out
    assert "5 more circles inward" in result.out


def test_timeline_json(capsys: pytest.CaptureFixture[str]) -> None:
    result = run_cli(capsys, "timeline", "quick", "--json", "--tempo", "0.5")
    assert result.code == 0
    data = json.loads(result.out)
    assert data["routine"] == "quick"
    assert data["options"]["tempo"] == 0.5
    assert data["total_seconds"] == pytest.approx(
        data["cues"][-1]["start"] + data["cues"][-1]["duration"]
    )
    kinds = {c["kind"] for c in data["cues"]}
    assert {"grip", "announce", "circle", "tilt", "switch", "done"} <= kinds


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["show", "full", "--tempo", "5"], "--tempo: got '5'; expected a number from 0.1 to 3"),
        (["show", "full", "--hold", "0"], "--hold: got '0'; expected a number from 1 to 60"),
        (["timeline", "full", "--json", "--foot-order", "zigzag"], "--foot-order: got 'zigzag'"),
        (["show", "sideways"], "routine: got 'sideways'; choose one of full, quick"),
        (["show", "--first-foot", "middle"], "--first-foot: got 'middle'; use left or right"),
    ],
)
def test_bad_values_one_line_exit_2(
    capsys: pytest.CaptureFixture[str], args: list[str], expected: str
) -> None:
    result = run_cli(capsys, *args)
    assert result.code == 2
    assert result.out == ""
    assert result.err.count("\n") == 1
    assert expected in result.err
    assert "Traceback" not in result.err


def test_bad_routine_file_one_line(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "mine.toml"
    path.write_text("schema = 1\nid = 'mine'\n")
    result = run_cli(capsys, "show", "--routine-file", str(path))
    assert result.code == 2
    assert result.err.strip().startswith(f"anklesleep: error: {path}: name: got nothing")
    assert result.err.count("\n") == 1
