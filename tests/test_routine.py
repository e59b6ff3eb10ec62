"""Routine files: the built-ins match ROUTINE.md; every mistake is named precisely."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from anklesleep.basics.errors import AnkleSleepError
from anklesleep.routine import catalog as routines
from anklesleep.routine.definition import TOES, parse_routine

FULL_TEXT = (Path(routines.__file__).parent / "builtin" / "full.toml").read_text()


def test_full_matches_the_routine_spec() -> None:
    full = routines.builtin("full")
    assert [s.id for s in full.sections] == ["toes", "ankle", "heel"]
    assert [s.id for s in full.sections[0].steps] == ["T1", "T2", "T3", "T4", "T5", "T6"]
    assert [s.id for s in full.sections[1].steps] == ["A0", "A1", "A2"]
    assert [s.id for s in full.sections[2].steps] == ["H0", "H1"]
    for step in full.sections[0].steps:
        assert (step.reps, step.hold_seconds, step.release_seconds) == (5, 5.0, 2.0)
        assert step.source == {
            "reps": "article",
            "hold_seconds": "article",
            "release_seconds": "ours",
        }
        assert set(step.toes) <= set(TOES)
    assert full.step("T5").toes == ("second", "middle", "fourth")
    assert full.step("T6").toes == ("big", "little")
    assert (full.step("A1").direction, full.step("A1").reps) == ("inward", 5)
    assert (full.step("A2").direction, full.step("A2").reps) == ("outward", 5)
    assert full.step("A0").seconds == 6.0 and full.step("H0").seconds == 5.0
    assert full.step("H1").reps == 10 and full.step("H1").pace_seconds == 2.0
    assert "opposite hand" in full.step("H0").instruction
    assert full.order == "by-section"


def test_quick_is_marked_as_ours() -> None:
    quick = routines.builtin("quick")
    assert quick.origin == "ours"
    assert all(v == "ours" for s in quick.sections for st in s.steps for v in st.source.values())


def _broken(old: str, new: str, count: int = 1) -> str:
    assert old in FULL_TEXT
    return FULL_TEXT.replace(old, new, count)


@pytest.mark.parametrize(
    ("text", "place", "value"),
    [
        (_broken("reps = 5\nhold", "reps = -1\nhold"), "sections[0].steps[0].reps", "-1"),
        (_broken('kind = "circle"', 'kind = "spin"'), "sections[1].steps[1].kind", "'spin'"),
        (_broken('id = "T3"', 'id = "A1"'), "sections[0].steps[2].id", "'A1'"),
        (
            _broken("pace_seconds = 2.0", "pace_seconds = 0"),
            "sections[1].steps[1].pace_seconds",
            "0",
        ),
        (
            _broken('toes = ["big", "second"]', 'toes = ["thumb"]'),
            "sections[0].steps[0].toes",
            "['thumb']",
        ),
        (_broken("schema = 1", "schema = 9"), "schema", "9"),
        (_broken('id = "heel"', 'id = "knee"'), "sections[2].id", "'knee'"),
        (_broken("reps = 10", "reps = 10\nrepz = 3"), "sections[2].steps[1].repz", "3"),
        (
            _broken('direction = "inward"', 'direction = "up"'),
            "sections[1].steps[1].direction",
            "'up'",
        ),
        (
            _broken('release_seconds = "ours"', 'release_seconds = "mine"'),
            "sections[0].steps[0].source.release_seconds",
            "'mine'",
        ),
        (_broken('id = "full"', 'id = "Full Routine"'), "id", "'Full Routine'"),
    ],
)
def test_each_mistake_names_file_place_value_and_fix(text: str, place: str, value: str) -> None:
    with pytest.raises(AnkleSleepError) as info:
        parse_routine(text, "mine.toml")
    message = info.value.message
    assert message.startswith(f"mine.toml: {place}: got {value}")
    assert (
        "expected" in message
        or "allowed" in message
        or "unique" in message
        or "step is one of" in message
    )
    assert "\n" not in message


def test_bad_toml_syntax() -> None:
    with pytest.raises(AnkleSleepError, match=r"^mine.toml: not valid TOML"):
        parse_routine("id = ", "mine.toml")


def test_duplicate_step_ids() -> None:
    text = _broken('id = "T2"', 'id = "T1"')
    with pytest.raises(AnkleSleepError, match=r"sections\[0\]\.steps\[1\]\.id: got 'T1'; step ids"):
        parse_routine(text, "x.toml")


@settings(max_examples=50, deadline=None)
@given(
    reps=st.one_of(
        st.integers(-(2**63), 2**63 - 1),
        st.floats(allow_nan=True),
        st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=5),
        st.booleans(),
    )
)
def test_reps_only_accepts_whole_numbers_in_range(reps: object) -> None:
    literal = json.dumps(reps, ensure_ascii=False) if isinstance(reps, str) else repr(reps).lower()
    text = _broken("reps = 5\nhold", f"reps = {literal}\nhold")
    ok = isinstance(reps, int) and not isinstance(reps, bool) and 1 <= reps <= 100
    if ok:
        assert parse_routine(text, "x.toml").step("T1").reps == reps
    else:
        with pytest.raises(AnkleSleepError, match=re.escape("sections[0].steps[0].reps")):
            parse_routine(text, "x.toml")


def test_user_routines_dir_and_routine_file(isolated_home: Path) -> None:
    folder = isolated_home / "config" / "routines"
    folder.mkdir(parents=True)
    (folder / "gentle.toml").write_text(FULL_TEXT.replace('id = "full"', 'id = "gentle"'))
    assert "gentle" in routines.available()
    assert routines.load("gentle").id == "gentle"
    other = isolated_home / "other.toml"
    other.write_text(FULL_TEXT.replace('id = "full"', 'id = "other"'))
    assert routines.load("full", other).id == "other"


def test_unknown_routine_and_missing_file(isolated_home: Path) -> None:
    with pytest.raises(AnkleSleepError, match=r"^routine: got 'nope'; choose one of full, quick"):
        routines.load("nope")
    with pytest.raises(AnkleSleepError, match="does not exist"):
        routines.load("full", isolated_home / "missing.toml")
