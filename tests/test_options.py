"""Option validation: ranges, choices and one clear message each."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from anklesleep.basics.errors import AnkleSleepError
from anklesleep.routine.options import RANGES, Options, from_dict, parse_extra_circles, validate


@pytest.mark.parametrize("name", sorted(RANGES))
@given(value=st.floats(allow_nan=True, allow_infinity=True))
def test_numeric_options_accept_only_their_range(name: str, value: float) -> None:
    low, high = RANGES[name]
    if not math.isnan(value) and low <= value <= high:
        assert getattr(validate(**{name: value}), name) == value
    else:
        flag = "--" + name.replace("_", "-")
        with pytest.raises(AnkleSleepError, match=f"^{flag}: got .*; expected a number from"):
            validate(**{name: value})


def test_text_numbers_are_parsed_and_junk_refused() -> None:
    assert validate(tempo="0.5").tempo == 0.5
    with pytest.raises(AnkleSleepError, match="--hold: got 'abc'"):
        validate(hold="abc")


def test_extra_circles_forms() -> None:
    assert parse_extra_circles("inward") == {"left": "inward", "right": "inward"}
    assert parse_extra_circles("none") == {}
    assert parse_extra_circles("left=outward,right=none") == {"left": "outward"}
    with pytest.raises(AnkleSleepError, match="--extra-circles: got 'sideways'"):
        parse_extra_circles("sideways")
    with pytest.raises(AnkleSleepError, match="--extra-circles"):
        parse_extra_circles("middle=inward")


def test_choices() -> None:
    with pytest.raises(
        AnkleSleepError, match="--foot-order: got 'random'; use by-section or by-foot"
    ):
        validate(foot_order="random")
    with pytest.raises(AnkleSleepError, match="--first-foot: got 'both'; use left or right"):
        validate(first_foot="both")


def test_round_trip_through_dict() -> None:
    options = validate(hold=4, tempo=1.5, extra_circles="left=inward", foot_order="by-foot")
    assert from_dict(options.to_dict()) == options
    assert from_dict(Options().to_dict()) == Options()
    with pytest.raises(AnkleSleepError, match="unknown option 'speed'"):
        from_dict({"speed": 2})
