"""The player's default options and the theme, stored in the settings table."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import Engine

from anklesleep.basics.errors import AnkleSleepError
from anklesleep.routine.options import validate
from anklesleep.store import preferences
from anklesleep.store import settings as settings_store

NOW = dt.datetime(2026, 3, 14, 7, 30, tzinfo=dt.UTC)


def test_defaults_when_nothing_is_stored(engine: Engine) -> None:
    with engine.connect() as conn:
        prefs = preferences.load(conn)
    assert prefs.theme == "auto"
    assert prefs.options.tempo == 1.0
    assert prefs.options.voice is True


def test_save_and_load_round_trip(engine: Engine) -> None:
    value = preferences.Preferences(
        options=validate(
            hold=6,
            tempo=1.2,
            extra_circles="left=inward",
            foot_order="by-foot",
            first_foot="right",
            voice=False,
        ),
        theme="dark",
    )
    with engine.begin() as conn:
        preferences.save(conn, value, NOW)
    with engine.connect() as conn:
        loaded = preferences.load(conn)
    assert loaded == value


def test_a_damaged_stored_value_falls_back_to_defaults(engine: Engine) -> None:
    with engine.begin() as conn:
        settings_store.put(conn, preferences.KEY, {"theme": "purple"}, NOW)
    with engine.connect() as conn:
        assert preferences.load(conn) == preferences.Preferences()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"theme": "purple"}, "theme"),
        ({"options": {"tempo": 9}}, "tempo"),
        ({"options": {"speed": 1}}, "speed"),
        ({"colour": "x"}, "colour"),
        ({"options": "fast"}, "options"),
    ],
)
def test_bad_values_name_the_field(data: dict[str, object], field: str) -> None:
    with pytest.raises(AnkleSleepError) as info:
        preferences.from_mapping(data)
    assert info.value.field == field


@given(
    tempo=st.floats(0.1, 3.0),
    hold=st.one_of(st.none(), st.floats(1.0, 60.0)),
    theme=st.sampled_from(preferences.THEMES),
    first=st.sampled_from(["left", "right"]),
)
def test_to_dict_round_trips(tempo: float, hold: float | None, theme: str, first: str) -> None:
    value = preferences.Preferences(
        options=validate(tempo=tempo, hold=hold, first_foot=first),
        theme=preferences.check_theme(theme),
    )
    assert preferences.from_mapping(value.to_dict()) == value
