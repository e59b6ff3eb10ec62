"""`anklesleep sleep` and `anklesleep symptoms`, as a user runs them."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pytest

from anklesleep.cli import localtime as local
from tests.cli_helpers import Result, run_cli

TODAY = dt.date(2026, 3, 14)
FULL = [
    "--into-bed",
    "23:10",
    "--tried",
    "23:30",
    "--sol",
    "20",
    "--awakenings",
    "2",
    "--waso",
    "35",
    "--final",
    "06:50",
    "--out",
    "07:05",
    "--quality",
    "good",
]


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    now = dt.datetime(2026, 3, 14, 7, 30, tzinfo=dt.UTC)  # morning of TODAY in UTC
    monkeypatch.setenv("TZ", "UTC")  # the user's zone, whatever this machine's
    monkeypatch.setattr(local, "utc_now", lambda: now)


@pytest.fixture
def db(tmp_path: Path) -> str:
    return str(tmp_path / "diary.sqlite3")


def typed(monkeypatch: pytest.MonkeyPatch, *lines: str) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("".join(f"{line}\n" for line in lines)))


def sleep(capsys: pytest.CaptureFixture[str], db: str, *args: str) -> Result:
    return run_cli(capsys, "--db", db, "sleep", *args)


def test_all_flags_save_without_questions_and_print_metrics(
    capsys: pytest.CaptureFixture[str], db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    typed(monkeypatch)  # any question would hit end of input and abort
    result = sleep(capsys, db, "--night", "2026-03-13", *FULL, "--note", "late tea")
    assert result.code == 0, result.err
    assert "Saved the night of 2026-03-13." in result.out
    assert "Time in bed (TIB)" in result.out and "7 h 55 min" in result.out
    assert "6 h 25 min" in result.out  # TST
    assert "81.1 %" in result.out  # SE = 385 / 475
    assert "good (4 of 5)" in result.out
    assert "?" not in result.out


def test_last_night_is_in_the_users_time_zone(
    capsys: pytest.CaptureFixture[str], db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 14 March 12:00 UTC is already 15 March (01:00) in Auckland, the zone the user chose.
    monkeypatch.setattr(local, "utc_now", lambda: dt.datetime(2026, 3, 14, 12, tzinfo=dt.UTC))
    assert run_cli(capsys, "--db", db, "slots", "timezone", "Pacific/Auckland").code == 0
    typed(monkeypatch)
    result = sleep(capsys, db, *FULL, "--json")
    assert result.code == 0, result.err
    assert json.loads(result.out)["night"]["night"] == "2026-03-15"


def test_json_metrics(capsys: pytest.CaptureFixture[str], db: str) -> None:
    result = sleep(capsys, db, *FULL, "--quality", "2", "--json")
    data = json.loads(result.out)
    assert data["night"]["night"] == "2026-03-14"
    assert data["night"]["quality"] == 2 and data["night"]["quality_label"] == "poor"
    assert data["metrics"] == {
        "tib_minutes": 475,
        "tst_minutes": 385,
        "se_percent": 81.1,
        "sol_minutes": 20,
        "waso_minutes": 35,
        "nwak": 2,
        "tib_after_final_minutes": 15,
        "tib_before_trying_minutes": 20,
    }
    assert data["replaced"] is False
    shown = json.loads(sleep(capsys, db, "--show", "--json").out)
    assert shown["metrics"] == data["metrics"]


def test_questions_in_diary_order_with_previous_night_as_defaults(
    capsys: pytest.CaptureFixture[str], db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert sleep(capsys, db, "--night", "2026-03-13", *FULL).code == 0
    # Enter accepts each default except into bed (00:20, after midnight) and awakenings (0):
    # the time-awake question is then skipped, and "tried" defaults to the new bedtime.
    typed(monkeypatch, "00:20", "", "", "0", "", "", "5", "slept well")
    result = sleep(capsys, db)
    assert result.code == 0, result.err
    out = result.out
    questions = [
        "get into bed? (HH:MM) [23:10]",
        "try to go to sleep? [00:20]",
        "fall asleep? (minutes) [20]",
        "wake up, not counting the final awakening? [2]",
        "final awakening? [06:50]",
        "out of bed for the day? [07:05]",
        "quality of your sleep?",
        "Note (optional)",
    ]
    positions = [out.index(q) for q in questions]
    assert positions == sorted(positions)
    assert "those awakenings last" not in out
    data = json.loads(sleep(capsys, db, "--show", "--json").out)
    assert data["night"] == {
        "night": "2026-03-14",
        "into_bed": "00:20",
        "tried_to_sleep": "00:20",
        "sol_minutes": 20,
        "awakenings": 0,
        "waso_minutes": 0,
        "final_awakening": "06:50",
        "out_of_bed": "07:05",
        "quality": 5,
        "quality_label": "very good",
        "note": "slept well",
        "zone": "UTC",
        "fold": None,
    }
    assert data["week"]["nights"] == 2


def test_a_wrong_answer_is_asked_again(
    capsys: pytest.CaptureFixture[str], db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    typed(
        monkeypatch,
        "11pm",
        "23:00",
        "23:15",
        "ten",
        "10",
        "1",
        "5",
        "6:45",
        "7:00",
        "great",
        "4",
        "",
    )
    result = sleep(capsys, db)
    assert result.code == 0, result.out + result.err
    assert (
        "Got into bed: “11pm” is not a clock time; give one like 23:15" in result.out + result.err
    )
    assert "Minutes to fall asleep: “ten” is not a whole number" in result.out + result.err
    assert "quality: “great” is not on the scale" in result.out + result.err


def test_an_impossible_night_can_be_corrected(
    capsys: pytest.CaptureFixture[str], db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 300 min awake between 23:15 and 06:45 with 10 to fall asleep: refused, then corrected.
    answers = ["23:00", "23:15", "10", "1", "500", "06:45", "07:00", "3", ""]
    fixed = ["", "", "", "", "50", "", "", "", ""]
    typed(monkeypatch, *answers, "y", *fixed)
    result = sleep(capsys, db)
    assert result.code == 0, result.err
    assert "more than the 450 minutes" in result.err
    data = json.loads(sleep(capsys, db, "--show", "--json").out)
    assert data["night"]["waso_minutes"] == 50


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--night", "2026-03-15"], "Night: 2026-03-15 is after today (2026-03-14)"),
        (["--sol", "-5"], "Minutes to fall asleep: “-5” is not a whole number from 0 to 1440"),
        (["--awakenings", "-1"], "Times you woke up: “-1” is not a whole number"),
        (["--quality", "7"], "Sleep quality: “7” is not on the scale; choose 1 (very poor) to 5"),
        (["--sol", "300", "--waso", "200"], "more than the 440 minutes"),
        (["--tried", "23:00"], "make a night of a day or more"),
        (["--into-bed", "7pm"], "Got into bed: “7pm” is not a clock time"),
        (["--night", "14/03/2026"], "Night: “14/03/2026” is not a date; use one like"),
    ],
)
def test_impossible_nights_are_refused_and_nothing_is_written(
    capsys: pytest.CaptureFixture[str],
    db: str,
    monkeypatch: pytest.MonkeyPatch,
    args: list[str],
    message: str,
) -> None:
    typed(monkeypatch)
    result = sleep(capsys, db, *FULL, *args)
    assert result.code == 2
    assert result.err.startswith("anklesleep: error: ")
    assert message in result.err
    assert result.err.count("\n") == 1
    assert sleep(capsys, db, "--show").code == 2  # no entry was saved


def test_an_existing_night_needs_confirmation_or_replace(
    capsys: pytest.CaptureFixture[str], db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    typed(monkeypatch)
    assert sleep(capsys, db, *FULL).code == 0
    refused = sleep(capsys, db, *FULL, "--quality", "1")
    assert refused.code == 2 and "pass --replace to overwrite it" in refused.err
    typed(monkeypatch, "n")
    declined = sleep(capsys, db, "--quality", "1", "--into-bed", "23:10")
    assert declined.code == 1 and "nothing changed" in declined.out
    assert json.loads(sleep(capsys, db, "--show", "--json").out)["night"]["quality"] == 4
    typed(monkeypatch, "y", "", "", "", "", "", "", "", "")
    confirmed = sleep(capsys, db, "--quality", "1")
    assert confirmed.code == 0, confirmed.err
    assert "Replaced the night of 2026-03-14." in confirmed.out
    replaced = sleep(capsys, db, *FULL, "--quality", "very-poor", "--replace", "--json")
    assert json.loads(replaced.out)["replaced"] is True
    typed(monkeypatch, "y")
    assert sleep(capsys, db, "--delete").code == 0
    assert sleep(capsys, db, "--show").code == 2


def test_help_names_every_item(capsys: pytest.CaptureFixture[str]) -> None:
    result = run_cli(capsys, "sleep", "--help")
    for flag in [*FULL[::2], "--night", "--note", "--replace", "--json"]:
        assert flag in result.out


# --- symptoms ---------------------------------------------------------------------------------


def symptoms(capsys: pytest.CaptureFixture[str], db: str, *args: str) -> Result:
    return run_cli(capsys, "--db", db, "symptoms", *args)


def test_symptom_flags_one_value_per_complaint_per_day(
    capsys: pytest.CaptureFixture[str], db: str
) -> None:
    result = symptoms(capsys, db, "--knee", "3", "--lower-back", "5", "--note", "long walk")
    assert result.code == 0, result.err
    assert "Knee ache" in result.out and "long walk" in result.out
    again = symptoms(capsys, db, "--knee", "6")
    assert "(was 3)" in again.out
    data = json.loads(symptoms(capsys, db, "--show", "--json").out)
    assert data == {
        "day": "2026-03-14",
        "scores": {
            "knee": {"score": 6, "note": "long walk"},  # a new score keeps the note
            "lower-back": {"score": 5, "note": "long walk"},
        },
    }
    symptoms(capsys, db, "--knee", "7", "--note", "")
    data = json.loads(symptoms(capsys, db, "--show", "--json").out)
    assert data["scores"]["knee"] == {"score": 7, "note": ""}  # an empty --note clears it


def test_symptom_questions_skip_on_enter(
    capsys: pytest.CaptureFixture[str], db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    symptoms(capsys, db, "--day", "2026-03-13", "--fatigue", "7")
    typed(monkeypatch, "2", "", "4", "", "", "11", "1", "", "after the bath")
    result = symptoms(capsys, db)
    assert result.code == 0, result.err
    assert "(last: 7 on 2026-03-13)" in result.out
    assert "Poor circulation (cold or heavy feet and legs): “11” is not on the scale" in result.out
    data = json.loads(symptoms(capsys, db, "--show", "--json").out)["scores"]
    assert {k: v["score"] for k, v in data.items()} == {"knee": 2, "fatigue": 4, "circulation": 1}
    assert data["knee"]["note"] == "after the bath"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--knee", "11"],
            "Knee ache that keeps coming back: “11” is not on the scale; use a whole number from 0 "
            "(none) to 10",
        ),
        (["--shoulders", "-1"], "Stiff shoulders: “-1” is not on the scale"),
        (["--day", "2026-03-15", "--knee", "1"], "after today"),
    ],
)
def test_bad_symptom_scores_are_refused(
    capsys: pytest.CaptureFixture[str], db: str, args: list[str], message: str
) -> None:
    result = symptoms(capsys, db, "--headache", "2", *args)
    assert result.code == 2 and message in result.err
    assert json.loads(symptoms(capsys, db, "--show", "--json").out)["scores"] == {}
