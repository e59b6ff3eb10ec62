"""Whatever is typed or sent into a diary or symptom field, the answer is a 4xx naming that
field (never a 500), and nothing is saved."""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine

from anklesleep.diary.entries import SYMPTOM_KEYS
from anklesleep.store import create, migrate
from anklesleep.store import diary as diary_store
from tests.web_helpers import TestClient, client, csrf

NIGHT: dict[str, Any] = {
    "into_bed": "23:00",
    "tried_to_sleep": "23:15",
    "sol_minutes": "20",
    "awakenings": "2",
    "waso_minutes": "25",
    "final_awakening": "06:45",
    "out_of_bed": "07:00",
    "quality": "4",
    "note": "",
}
NUMBER_FIELDS = ("sol_minutes", "awakenings", "waso_minutes", "quality")
TIME_FIELDS = ("into_bed", "tried_to_sleep", "final_awakening", "out_of_bed")

huge = st.integers(min_value=10**4, max_value=10**40).map(str)
negative = st.integers(max_value=-1, min_value=-(10**30)).map(str)
fractional = (
    st.floats(allow_nan=False, allow_infinity=False)
    .filter(lambda x: x != int(x) if abs(x) < 1e15 else True)
    .map(repr)
)
empty = st.sampled_from(["", " ", "\t"])
words = st.text(min_size=1, max_size=40).filter(lambda s: not s.strip().isdigit() and s.strip())
specials = st.sampled_from(["nan", "inf", "-inf", "1e9", "0x10", "٣", "１２", "12:00", "3.0"])
bad_numbers = st.one_of(huge, negative, fractional, empty, words, specials)


def _a_clock_time(text: str) -> bool:
    """Independently of the app: HH:MM, H:MM, HH.MM or HHMM naming a real time of day."""
    shape = re.fullmatch(r"([0-9]{1,2})[:.]?([0-9]{2})", text.strip(), re.ASCII)
    return shape is not None and int(shape[1]) < 24 and int(shape[2]) < 60


bad_times = st.one_of(
    huge,
    negative,
    fractional.filter(lambda s: not _a_clock_time(s)),  # "1.25" is 01:25, a real time
    empty,
    words.filter(lambda s: not _a_clock_time(s)),
    st.sampled_from(["24:00", "7pm", "23:60", "1.5", "1:5", "0:7"]),
)
bad_notes = st.one_of(st.text(min_size=2001, max_size=2100), st.just("a\x00b"))
bad_scores = st.one_of(
    st.integers(min_value=11, max_value=10**40).map(str), negative, fractional, words, specials
)


def _field_value() -> st.SearchStrategy[tuple[str, str]]:
    return st.one_of(
        st.tuples(st.sampled_from(NUMBER_FIELDS), bad_numbers),
        st.tuples(st.sampled_from(TIME_FIELDS), bad_times),
        st.tuples(st.just("note"), bad_notes),
        st.tuples(
            st.just("fold"),
            words.filter(lambda s: s.strip().lower() not in ("earlier", "later", "0", "1")),
        ),
    )


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, Engine]]:
    engine = create("sqlite://")
    migrate(engine)
    c, _ = client(engine, Path(tmp_path_factory.mktemp("tracks")))
    yield c, engine
    engine.dispose()


def _nothing_saved(engine: Engine) -> None:
    with engine.connect() as conn:
        assert diary_store.list_nights(conn) == []
        assert diary_store.list_symptoms(conn) == []


SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@SETTINGS
@given(_field_value())
def test_every_diary_form_field(
    app: tuple[TestClient, Engine], field_value: tuple[str, str]
) -> None:
    c, engine = app
    field, value = field_value
    form = {**NIGHT, field: value, "night": "2026-03-14", "csrf_token": csrf(c)["x-csrf-token"]}
    response = c.post("/sleep", data=form)
    assert response.status_code == 400, (field, value)
    assert f'id="{field}-error"' in response.text
    _nothing_saved(engine)


@SETTINGS
@given(_field_value())
def test_every_diary_api_field(
    app: tuple[TestClient, Engine], field_value: tuple[str, str]
) -> None:
    c, engine = app
    field, value = field_value
    body: dict[str, Any] = {**NIGHT, field: value}
    response = c.put("/api/sleep/2026-03-14", json=body, headers=csrf(c))
    assert response.status_code == 400, (field, value)
    data = response.json()
    assert data["field"] == field or field in data.get("problems", {})
    _nothing_saved(engine)


json_junk = st.one_of(
    st.integers(min_value=10**4, max_value=10**40),
    st.integers(max_value=-1, min_value=-(10**30)),
    st.floats(allow_nan=False, allow_infinity=False),  # JSON has no infinity
    st.booleans(),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)


@SETTINGS
@given(st.sampled_from([*NUMBER_FIELDS, *TIME_FIELDS, "note"]), json_junk)
def test_json_values_of_the_wrong_kind(
    app: tuple[TestClient, Engine], field: str, value: Any
) -> None:
    c, engine = app
    response = c.put("/api/sleep/2026-03-14", json={**NIGHT, field: value}, headers=csrf(c))
    assert response.status_code == 400, (field, value)
    data = response.json()
    assert data["field"] == field or field in data.get("problems", {})
    _nothing_saved(engine)


@SETTINGS
@given(st.sampled_from(SYMPTOM_KEYS), st.one_of(bad_scores, bad_notes), st.booleans())
def test_every_symptom_field(
    app: tuple[TestClient, Engine], key: str, value: str, as_note: bool
) -> None:
    c, engine = app
    if as_note and len(value) < 2001 and "\x00" not in value:
        value = value + "x" * 2001
    field = f"{key}_note" if as_note else key
    form = {"day": "2026-03-14", "csrf_token": csrf(c)["x-csrf-token"], key: "3", field: value}
    if not as_note:
        form[key] = value
    response = c.post("/symptoms", data=form)
    assert response.status_code == 400, (field, value)
    assert f'id="{field}-error"' in response.text
    body: dict[str, Any] = {key: 3, field: value} if as_note else {key: value}
    api = c.put("/api/symptoms/2026-03-14", json=body, headers=csrf(c))
    assert api.status_code == 400, (field, value)
    data = api.json()
    assert data["field"] == field or field in data.get("problems", {})
    _nothing_saved(engine)


bad_dates = st.one_of(
    huge,
    negative,
    fractional,
    words,
    st.sampled_from(["2099-01-01", "2026-02-30", "2026-13-01", "99999-01-01", "14/03/2026"]),
)
bad_zones = st.one_of(
    words.filter(lambda s: "/" not in s and s.strip() != "UTC"),
    st.sampled_from(["Mars/Olympus", "../../etc/passwd", "/etc/localtime", "Europe/", "+01"]),
)


@SETTINGS
@given(bad_dates)
def test_the_night_and_the_day_themselves(app: tuple[TestClient, Engine], value: str) -> None:
    """The date a form carries and the one in an API address: refused naming it, never a 500
    (a date after today too: a night is filled in from its morning)."""
    c, engine = app
    form = {**NIGHT, "night": value, "csrf_token": csrf(c)["x-csrf-token"]}
    response = c.post("/sleep", data=form)
    assert response.status_code == 400, value
    assert 'id="night-error"' in response.text
    symptoms = {"day": value, "knee": "3", "csrf_token": csrf(c)["x-csrf-token"]}
    response = c.post("/symptoms", data=symptoms)
    assert response.status_code == 400, value
    assert 'id="day-error"' in response.text
    path = urllib.parse.quote(value, safe="")
    api = c.put(f"/api/sleep/{path}", json=NIGHT, headers=csrf(c))
    assert api.status_code in (400, 404), value
    if api.status_code == 400:
        assert api.json()["field"] == "night"
    api = c.put(f"/api/symptoms/{path}", json={"knee": 3}, headers=csrf(c))
    assert api.status_code in (400, 404), value
    if api.status_code == 400:
        assert api.json()["field"] == "day"
    _nothing_saved(engine)


@SETTINGS
@given(st.one_of(bad_zones, json_junk))
def test_the_zone_of_a_night(app: tuple[TestClient, Engine], value: Any) -> None:
    c, engine = app
    api = c.put("/api/sleep/2026-03-14", json={**NIGHT, "zone": value}, headers=csrf(c))
    assert api.status_code == 400, value
    data = api.json()
    assert data["field"] == "zone" or "zone" in data.get("problems", {})
    assert data["error"].startswith("Time zone:")  # named as people know it, not "zone:"
    if isinstance(value, str):
        form = {
            **NIGHT,
            "zone": value,
            "night": "2026-03-14",
            "csrf_token": csrf(c)["x-csrf-token"],
        }
        response = c.post("/sleep", data=form)
        assert response.status_code == 400, value
        assert 'id="zone-error"' in response.text or "Time zone" in response.text
    _nothing_saved(engine)


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("sol_minutes", 1.5, "Minutes to fall asleep: “1.5” is not a whole number from 0 to"),
        ("into_bed", 23.15, "Got into bed: 23.15 is not a clock time; write it as text, like"),
        ("into_bed", [23, 15], "Got into bed: [23, 15] is not a clock time; write it as text"),
        ("awakenings", True, "Times you woke up: true is not a whole number; give one like 2"),
        ("note", 5, "Note: 5 is not text; write it between quotes"),
        ("fold", "maybe", "“maybe” is not one of the answers; choose “earlier” or “later”"),
    ],
)
def test_a_json_value_of_the_wrong_kind_is_named_in_plain_words(
    app: tuple[TestClient, Engine], field: str, value: Any, words: str
) -> None:
    c, engine = app
    response = c.put("/api/sleep/2026-03-14", json={**NIGHT, field: value}, headers=csrf(c))
    assert response.status_code == 400
    assert words in response.json()["problems"][field]
    _nothing_saved(engine)
