"""A night with a tracker's record: the diary's times and counts become optional, in the forms
module (`diary.tracked`) and alike in the web form, the API and `anklesleep sleep`."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine

from anklesleep.basics.errors import AnkleSleepError
from anklesleep.diary import entries as diary
from anklesleep.diary import forms
from anklesleep.diary import tracked as rules
from anklesleep.trackers.records import TrackerNight

TODAY = dt.date(2026, 3, 14)
PLUS_ONE = dt.timezone(dt.timedelta(hours=1))


def tracker_night(
    night: dt.date = TODAY,
    start: dt.datetime | None = None,
    end: dt.datetime | None = None,
    awake: int | None = 45,
) -> TrackerNight:
    start = start or dt.datetime(2026, 3, 13, 23, 5, 40, tzinfo=dt.UTC)
    end = end or dt.datetime(2026, 3, 14, 6, 55, 10, tzinfo=dt.UTC)
    minutes = round((end - start).total_seconds() / 60)
    return TrackerNight(
        source="fitbit",
        record_id=f"r{night.isoformat()}",
        device="Charge 5",
        start=start,
        end=end,
        night=night,
        in_bed_minutes=minutes,
        asleep_minutes=None if awake is None else minutes - awake,
        awake_minutes=awake,
        stages=None,
        nap=False,
    )


STORED = diary.SleepEntry(
    night=TODAY,
    into_bed=dt.time(22, 40),
    tried_to_sleep=dt.time(23, 0),
    sol_minutes=15,
    awakenings=2,
    waso_minutes=20,
    final_awakening=dt.time(6, 30),
    out_of_bed=dt.time(6, 45),
    quality=3,
    note="late tea",
    zone="UTC",
)


# --- the rules, pure --------------------------------------------------------------------------


def test_quality_alone_is_a_night_when_the_tracker_has_it() -> None:
    entry = forms.night_from_form(
        {"quality": "4", "note": "slept well"}, TODAY, "UTC", TODAY, tracked=tracker_night()
    )
    assert (entry.into_bed, entry.tried_to_sleep) == (dt.time(23, 5), dt.time(23, 5))
    assert (entry.final_awakening, entry.out_of_bed) == (dt.time(6, 55), dt.time(6, 55))
    assert (entry.sol_minutes, entry.waso_minutes, entry.awakenings) == (0, 45, 1)
    assert (entry.quality, entry.note) == (4, "slept well")
    assert diary.metrics(entry).tst == 470 - 45


def test_without_a_tracker_night_every_answer_is_still_required() -> None:
    with pytest.raises(forms.FormProblems) as caught:
        forms.night_from_form({"quality": "4"}, TODAY, "UTC", TODAY)
    assert set(caught.value.problems) == {
        "into_bed",
        "tried_to_sleep",
        "sol_minutes",
        "awakenings",
        "waso_minutes",
        "final_awakening",
        "out_of_bed",
    }
    assert "please fill this in" in caught.value.problems["into_bed"]


def test_what_the_person_types_wins_and_blank_counts_follow_it() -> None:
    entry = forms.night_from_form(
        {"quality": "3", "into_bed": "22:50", "waso_minutes": "0", "sol_minutes": ""},
        TODAY,
        "UTC",
        TODAY,
        tracked=tracker_night(),
    )
    assert entry.into_bed == dt.time(22, 50) and entry.tried_to_sleep == dt.time(23, 5)
    assert (entry.waso_minutes, entry.awakenings, entry.sol_minutes) == (0, 0, 0)
    no_awake = forms.night_from_form(
        {"quality": "3"}, TODAY, "UTC", TODAY, tracked=tracker_night(awake=None)
    )
    assert (no_awake.waso_minutes, no_awake.awakenings) == (0, 0)


def test_a_stored_entry_loses_nothing_to_a_shorter_one() -> None:
    entry = forms.night_from_form(
        {"quality": "5"}, TODAY, "UTC", TODAY, tracked=tracker_night(), stored=STORED
    )
    assert entry == STORED.__class__(**{**STORED.__dict__, "quality": 5})


@pytest.mark.parametrize(
    ("form", "field", "words"),
    [
        ({"quality": "4", "into_bed": "25:99"}, "into_bed", "“25:99” is not a clock time"),
        ({"quality": "4", "sol_minutes": "lots"}, "sol_minutes", "“lots” is not a whole"),
        ({"quality": "9"}, "quality", "“9” is not on the scale; choose 1 (very poor) to 5"),
        ({"note": "x"}, "quality", "please fill this in"),
        ({"quality": "4", "waso_minutes": "600"}, "waso_minutes", "check the minutes or the times"),
    ],
)
def test_bad_input_on_a_tracked_night_is_one_line_naming_field_value_and_fix(
    form: dict[str, str], field: str, words: str
) -> None:
    with pytest.raises(AnkleSleepError) as caught:
        forms.night_from_form(form, TODAY, "UTC", TODAY, tracked=tracker_night())
    assert caught.value.field == field and words in caught.value.message
    assert "\n" not in caught.value.message


def test_the_tracker_answers_the_repeated_hour_of_a_fall_back_night() -> None:
    """London, 27 Oct 2024: 01:00-02:00 happened twice; the tracker's instant says which."""
    night = dt.date(2024, 10, 27)
    later_0130 = dt.datetime(2024, 10, 27, 1, 30, tzinfo=dt.UTC)  # 01:30 GMT, the second one
    tracked = tracker_night(
        night, dt.datetime(2024, 10, 26, 22, 0, tzinfo=dt.UTC), later_0130, awake=0
    )
    entry = forms.night_from_form({"quality": "3"}, night, "Europe/London", TODAY, tracked=tracked)
    assert entry.out_of_bed == dt.time(1, 30) and entry.fold == 1
    assert diary.metrics(entry).tib == 210  # 23:00 BST to 01:30 GMT
    plain = forms.night_from_form({"quality": "3"}, TODAY, "UTC", TODAY, tracked=tracker_night())
    assert plain.fold is None


def test_same_as_tracker_and_times_from_tracker() -> None:
    tracked = tracker_night()
    copied = forms.night_from_form({"quality": "4"}, TODAY, "UTC", TODAY, tracked=tracked)
    assert rules.same_as_tracker(copied, tracked) == rules.FROM_TRACKER
    assert rules.times_from_tracker(copied, tracked)
    assert not rules.times_from_tracker(STORED, tracked)
    offset = tracker_night(start=dt.datetime(2026, 3, 13, 22, 40, tzinfo=PLUS_ONE))
    assert rules.tracker_answers(offset, "UTC")["into_bed"] == "21:40"  # in the night's zone


# --- the web form and the API -----------------------------------------------------------------


def save_tracked(engine: Engine, *nights: TrackerNight) -> None:
    from anklesleep.store import trackers as store

    with engine.begin() as conn:
        store.save(conn, list(nights), dt.datetime(2026, 3, 14, 7, 0, tzinfo=dt.UTC))


def test_the_web_form_marks_the_trackers_values_and_saves_quality_alone(
    engine: Engine, tmp_path: Path
) -> None:
    from tests.web_helpers import client, form_csrf

    save_tracked(engine, tracker_night())
    c, _renderer = client(engine, tmp_path)
    page = c.get("/sleep?night=2026-03-14").text
    assert 'data-testid="from-tracker"' in page and "only how well you slept is needed" in page
    for name in rules.FROM_TRACKER:
        assert f'data-from-tracker="{name}"' in page
    assert 'data-from-tracker="sol_minutes"' not in page  # a tracker cannot know it
    assert " required" not in page.split('id="into_bed"')[1].split(">")[0]
    saved = c.post(
        "/sleep",
        data={"csrf_token": form_csrf(c), "night": "2026-03-14", "quality": "4", "note": "ok"},
        follow_redirects=False,
    )
    assert saved.status_code == 303, saved.text
    after = c.get("/sleep?night=2026-03-14").text
    assert "same as your tracker" in after and "keeps what you saved before" in after
    assert 'data-metric="tst">7 h 05' in after and 'name="into_bed" value="23:05"' in after
    bad = c.post(
        "/sleep",
        data={
            "csrf_token": form_csrf(c),
            "night": "2026-03-14",
            "quality": "4",
            "sol_minutes": "x",
        },
    )
    assert (
        bad.status_code == 400 and "Minutes to fall asleep: “x” is not a whole number" in bad.text
    )


def test_the_web_form_without_a_tracker_still_requires_every_answer(
    engine: Engine, tmp_path: Path
) -> None:
    from tests.web_helpers import client, form_csrf

    c, _renderer = client(engine, tmp_path)
    page = c.get("/sleep?night=2026-03-14").text
    assert 'data-testid="from-tracker"' not in page and " required" in page
    refused = c.post(
        "/sleep", data={"csrf_token": form_csrf(c), "night": "2026-03-14", "quality": "4"}
    )
    assert refused.status_code == 400 and "please fill this in" in refused.text


def test_the_api_takes_quality_alone_for_a_tracked_night_only(
    engine: Engine, tmp_path: Path
) -> None:
    from tests.web_helpers import client, csrf

    save_tracked(engine, tracker_night())
    c, _renderer = client(engine, tmp_path)
    made = c.put("/api/sleep/2026-03-14", json={"quality": 4}, headers=csrf(c))
    assert made.status_code == 201, made.text
    assert made.json()["into_bed"] == "23:05" and made.json()["awakenings"] == 1
    # a later, shorter answer keeps what was stored, the note included
    c.put("/api/sleep/2026-03-14", json={"quality": 4, "note": "fan on"}, headers=csrf(c))
    kept = c.put("/api/sleep/2026-03-14", json={"quality": 2, "sol_minutes": 30}, headers=csrf(c))
    assert kept.status_code == 200 and kept.json()["note"] == "fan on"
    assert (kept.json()["quality"], kept.json()["sol_minutes"]) == (2, 30)
    untracked = c.put("/api/sleep/2026-03-13", json={"quality": 4}, headers=csrf(c))
    assert untracked.status_code == 400 and untracked.json()["field"] == "into_bed"


# --- the command line -------------------------------------------------------------------------


def test_sleep_command_with_a_tracker_night_needs_only_the_quality(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from anklesleep.cli import localtime as local
    from anklesleep.store import create, migrate
    from tests.cli_helpers import run_cli

    monkeypatch.setenv("TZ", "UTC")
    monkeypatch.setattr(local, "utc_now", lambda: dt.datetime(2026, 3, 14, 7, 30, tzinfo=dt.UTC))
    db = str(tmp_path / "d.sqlite3")
    engine = create(f"sqlite:///{db}")
    migrate(engine)
    save_tracked(engine, tracker_night())
    engine.dispose()
    done = run_cli(capsys, "--db", db, "sleep", "--quality", "good", "--json")
    assert done.code == 0, done.err
    night = json.loads(done.out)["night"]
    assert (night["into_bed"], night["out_of_bed"], night["quality"]) == ("23:05", "06:55", 4)
    args = ("--db", db, "sleep", "--night", "2026-03-14", "--replace")
    bad = run_cli(capsys, *args, "--sol", "lots")
    assert bad.code == 2 and bad.err.count("\n") == 1
    assert "Minutes to fall asleep: “lots” is not a whole number" in bad.err
    changed = run_cli(capsys, *args, "--sol", "25", "--note", "noisy", "--json")
    assert changed.code == 0, changed.err
    again = json.loads(changed.out)["night"]
    assert (again["into_bed"], again["sol_minutes"], again["quality"]) == ("23:05", 25, 4)
    assert again["note"] == "noisy"


def test_sleep_command_asks_with_the_trackers_answers_as_defaults(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import io

    from anklesleep.cli import localtime as local
    from anklesleep.store import create, migrate
    from tests.cli_helpers import run_cli

    monkeypatch.setenv("TZ", "UTC")
    monkeypatch.setattr(local, "utc_now", lambda: dt.datetime(2026, 3, 14, 7, 30, tzinfo=dt.UTC))
    db = str(tmp_path / "d.sqlite3")
    engine = create(f"sqlite:///{db}")
    migrate(engine)
    save_tracked(engine, tracker_night())
    engine.dispose()
    # Enter for every time and count, then the quality and an empty note
    monkeypatch.setattr("sys.stdin", io.StringIO("\n" * 7 + "fair\n\n"))
    done = run_cli(capsys, "--db", db, "sleep")
    assert done.code == 0, done.err
    assert "Your tracker recorded this night (23:05–06:55)" in done.out
    assert "[23:05]" in done.out and "[45]" in done.out
    assert "into bed 23:05, out of bed 06:55" in done.out and "fair (3 of 5)" in done.out


@settings(max_examples=80, deadline=None)
@given(
    start_minute=st.integers(0, 24 * 60 - 1),
    hours=st.integers(2, 12),
    awake=st.one_of(st.none(), st.integers(0, 90)),
    given_fields=st.sets(st.sampled_from(rules.OPTIONAL)),
    quality=st.integers(1, 5),
)
def test_blanks_take_the_trackers_answers_and_given_ones_win(
    start_minute: int, hours: int, awake: int | None, given_fields: set[str], quality: int
) -> None:
    """Whatever is left blank, the night is the tracker's there and the person's elsewhere,
    or one line says what is wrong; nothing in between."""
    start = dt.datetime(2026, 3, 13, tzinfo=dt.UTC) + dt.timedelta(minutes=start_minute)
    tracked = tracker_night(start=start, end=start + dt.timedelta(hours=hours), awake=awake)
    typed = {name: STORED.to_dict()[name] for name in given_fields}
    form = {**{k: str(v) for k, v in typed.items()}, "quality": str(quality)}
    try:
        entry = forms.night_from_form(form, TODAY, "UTC", TODAY, tracked=tracked)
    except AnkleSleepError as exc:
        assert exc.message and "\n" not in exc.message
        return
    data = entry.to_dict()
    answers = rules.tracker_answers(tracked, "UTC")
    for name in rules.OPTIONAL:
        if name in given_fields:
            assert str(data[name]) == str(typed[name])
        elif name in answers:
            assert str(data[name]) == answers[name]
    if "sol_minutes" not in given_fields:
        assert entry.sol_minutes == 0
    assert entry.quality == quality
