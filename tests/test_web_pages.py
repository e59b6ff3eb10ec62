"""The HTML pages, in-process: what each shows, the forms, their errors and redirects."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import Engine

from anklesleep.diary import entries as diary
from anklesleep.diary.entries import SleepEntry
from anklesleep.practice.records import new_record
from anklesleep.schedule.slots import SlotSettings
from anklesleep.store import diary as diary_store
from anklesleep.store import preferences
from anklesleep.store import settings as settings_store
from anklesleep.store import slots as slots_store
from anklesleep.web.context import theme_for
from anklesleep.web.routes_pages import safe_next
from tests.session_helpers import store_session
from tests.web_helpers import MORNING, Clock, client, form_csrf

NIGHT = SleepEntry(
    night=dt.date(2026, 3, 14),
    into_bed=dt.time(23, 0),
    tried_to_sleep=dt.time(23, 15),
    sol_minutes=20,
    awakenings=2,
    waso_minutes=25,
    final_awakening=dt.time(6, 45),
    out_of_bed=dt.time(7, 0),
    quality=4,
)


def _finished_session(engine: Engine, day_time: dt.datetime, routine: str = "quick") -> str:
    record = new_record(routine=routine, local_start=day_time, planned_seconds=70, source="web")
    store_session(
        engine,
        record,
        completed=True,
        ended_at=day_time + dt.timedelta(seconds=70),
        completed_seconds=70,
        steps_done=["A0 (left)"],
    )
    return record.uuid


def test_today_shows_slots_streak_start_buttons_and_the_diary_nudge(
    engine: Engine, tmp_path: Path
) -> None:
    c, _ = client(engine, tmp_path)
    _finished_session(engine, MORNING - dt.timedelta(days=1))
    _finished_session(engine, MORNING - dt.timedelta(minutes=20))
    html = c.get("/").text
    assert "Good morning" in html
    assert 'href="/play/full"' in html
    assert 'href="/play/quick"' in html
    assert re.search(r'data-slot="morning" data-status="done"', html)
    assert re.search(r'data-slot="bedtime" data-status="not yet"', html)
    assert re.search(r'data-testid="streak">2<', html)
    assert "How did you sleep?" in html  # morning, no diary yet
    assert "1 of 3 sessions done today" in html


def test_today_leads_with_the_diary_then_acknowledges_the_session_just_done(
    engine: Engine, tmp_path: Path
) -> None:
    c, _ = client(engine, tmp_path)
    html = c.get("/").text
    lead = re.search(r'data-testid="primary-action" data-kind="(\w+)"', html)
    assert lead is not None and lead.group(1) == "diary"  # morning, no diary yet
    assert 'data-testid="ack"' not in html
    with engine.begin() as conn:
        diary_store.save_night(conn, NIGHT, MORNING)
    html = c.get("/").text
    assert re.search(r'data-testid="primary-action" data-kind="routine" data-routine="full">'
                     r'<span>Start your morning routine · <span class="unbroken">\d+:\d\d</span><',
                     html)  # fmt: skip
    assert re.search(
        r'data-testid="secondary-action" data-kind="routine" data-routine="quick"', html
    )
    _finished_session(engine, MORNING - dt.timedelta(minutes=20))
    html = c.get("/").text
    assert 'data-testid="ack"' in html
    assert re.search(r'data-testid="ack-streak">1 day<', html)
    assert 'data-slot="morning" data-status="done" data-moment="done"' in html
    assert 'data-slot="home" data-status="not yet" data-moment="upcoming"' in html


def test_after_midnight_today_is_still_the_evening_before(engine: Engine, tmp_path: Path) -> None:
    late = dt.datetime(2026, 3, 15, 0, 30, tzinfo=dt.UTC)  # Sunday, half past midnight
    c, _ = client(engine, tmp_path, clock=Clock(late))
    _finished_session(engine, MORNING - dt.timedelta(minutes=20))  # Saturday morning
    html = c.get("/").text
    assert "Good evening" in html and "Good morning" not in html
    # the date agrees with the three moments and the count, which are Saturday's
    assert 'data-testid="today-day">Saturday 14 March · 1 of 3 sessions done today' in html
    assert 'data-slot="bedtime" data-status="not yet" data-moment="now"' in html
    # last night is still the one that ended on Saturday morning, not the one under way
    assert "No diary entry for last night yet." in html
    with engine.begin() as conn:
        diary_store.save_night(conn, NIGHT, MORNING)  # the night before Saturday
    html = c.get("/").text
    assert "No diary entry for last night yet." not in html
    assert 'href="/sleep?night=2026-03-14"' in html


@pytest.mark.parametrize("language", ["en", "ja"])
def test_today_gives_each_routine_the_length_the_player_will_play(
    engine: Engine, tmp_path: Path, language: str
) -> None:
    from anklesleep.basics import formats
    from anklesleep.routine.descriptions import clock

    c, _ = client(engine, tmp_path, clock=Clock(MORNING.replace(hour=21)))
    headers = {"accept-language": language}
    html = c.get("/", headers=headers).text
    # each length is one unbroken piece ("12分" and "8秒" never on two lines)
    shown = dict(
        re.findall(
            r'data-routine="(\w+)">(?:<span>)?[^<]* · <span class="unbroken">([^<]+)</span>', html
        )
    )
    assert set(shown) == {"full", "quick"}
    listed = {
        r["id"]: r["total"] for r in c.get("/api/routines", headers=headers).json()["routines"]
    }
    for routine, length in shown.items():
        # the player's track is timed by /api/timeline and /api/track with the same options
        played = c.get(f"/api/timeline?routine={routine}", headers=headers).json()
        assert length == formats.duration(played["total_seconds"], language), routine
        assert listed[routine] == clock(played["total_seconds"]), routine


def test_a_slot_with_ones_own_routine_shows_its_length(
    engine: Engine, tmp_path: Path, isolated_home: Path
) -> None:
    from anklesleep.basics import formats
    from anklesleep.routine import catalog

    folder = isolated_home / "config" / "routines"
    folder.mkdir(parents=True)
    quick = (Path(catalog.__file__).parent / "builtin" / "quick.toml").read_text()
    mine = quick.replace('id = "quick"', 'id = "mine"').replace(
        'name = "Quick routine"', 'name = "My calm routine"'
    )
    (folder / "mine.toml").write_text(mine)
    c, _ = client(engine, tmp_path, clock=Clock(MORNING.replace(hour=21)))
    with engine.begin() as conn:
        bedtime = replace(SlotSettings(timezone="UTC").slot("bedtime"), routine="mine")
        settings = SlotSettings(timezone="UTC")
        slots = tuple(bedtime if s.name == "bedtime" else s for s in settings.slots)
        slots_store.save(conn, replace(settings, slots=slots), MORNING)
    html = c.get("/").text
    lead = re.search(
        r'data-testid="primary-action" data-kind="routine" data-routine="mine">(.*?)</a>',
        html,
        re.S,
    )
    assert lead is not None
    played = c.get("/api/timeline?routine=mine").json()["total_seconds"]
    assert re.sub("<[^>]+>", "", lead.group(1)).strip() == (
        f"Start your bedtime routine · {formats.duration(played)}"
    )
    # the routine is called by its name, not its file's id
    record = new_record(
        routine="mine",
        local_start=MORNING.replace(hour=20, minute=50),
        planned_seconds=played,
        source="web",
    )
    store_session(
        engine,
        record,
        completed=True,
        ended_at=MORNING.replace(hour=20, minute=53),
        completed_seconds=played,
        steps_done=[],
    )
    html = c.get("/").text
    assert "My calm routine finished:" in html
    assert "mine finished" not in html


def test_in_the_morning_the_diary_is_one_button_not_two(engine: Engine, tmp_path: Path) -> None:
    c, _ = client(engine, tmp_path)
    html = c.get("/").text
    assert 'data-testid="primary-action" data-kind="diary"' in html
    assert html.count('href="/sleep"') == 2  # the primary action and the tab bar
    assert 'data-testid="diary-link"' not in html
    c2, _ = client(engine, tmp_path, clock=Clock(MORNING.replace(hour=20)))
    assert 'data-testid="diary-link"' in c2.get("/").text  # no nudge: the card offers it


def test_today_shows_last_nights_summary_instead_of_the_nudge(
    engine: Engine, tmp_path: Path
) -> None:
    c, _ = client(engine, tmp_path)
    with engine.begin() as conn:
        diary_store.save_night(conn, NIGHT, MORNING)
    html = c.get("/").text
    assert "How did you sleep?" not in html
    assert "6 h 45" in html  # (06:45 - 23:15) - 20 - 25 min asleep
    assert "good" in html


def test_no_nudge_in_the_evening(engine: Engine, tmp_path: Path) -> None:
    c, _ = client(engine, tmp_path, clock=Clock(MORNING.replace(hour=20)))
    html = c.get("/").text
    assert "How did you sleep?" not in html
    assert "Good evening" in html


def test_theme_is_dark_in_the_evening_and_follows_the_system_by_day() -> None:
    assert theme_for("auto", dt.time(21, 0)) == "dark"
    assert theme_for("auto", dt.time(3, 0)) == "dark"
    assert theme_for("auto", dt.time(12, 0)) == "auto"
    assert theme_for("light", dt.time(23, 0)) == "light"
    assert theme_for("dark", dt.time(12, 0)) == "dark"


def test_the_page_carries_the_theme(engine: Engine, tmp_path: Path) -> None:
    evening, _ = client(engine, tmp_path, clock=Clock(MORNING.replace(hour=22)))
    assert 'data-theme="dark"' in evening.get("/").text
    day, _ = client(engine, tmp_path, clock=Clock(MORNING.replace(hour=12)))
    assert 'data-theme="auto"' in day.get("/").text


def test_the_player_needs_the_safety_notes_first(engine: Engine, tmp_path: Path) -> None:
    c, _ = client(engine, tmp_path, acknowledged=False)
    first = c.get("/play/quick?tempo=0.5", follow_redirects=False)
    assert first.status_code == 303
    assert first.headers["location"] == "/safety?next=/play/quick?tempo=0.5"
    page = c.get(first.headers["location"]).text
    assert "Before you start" in page
    assert "blood clot" in page
    done = c.post(
        "/safety",
        data={"csrf_token": form_csrf(c), "next": "/play/quick?tempo=0.5"},
        follow_redirects=False,
    )
    assert done.headers["location"] == "/play/quick?tempo=0.5"
    with engine.connect() as conn:
        stamp = settings_store.get(conn, "safety_acknowledged_at")
    assert stamp == MORNING.isoformat()
    player = c.get("/play/quick?tempo=0.5")
    assert player.status_code == 200
    assert 'id="player-config"' in player.text
    assert "You read these notes before" in c.get("/safety").text


@pytest.mark.parametrize(
    ("value", "expected"),
    [("/play/quick", "/play/quick"), ("//evil.example/", "/"), ("https://x", "/"), (None, "/")],
)
def test_safety_redirects_stay_on_this_site(value: str | None, expected: str) -> None:
    assert safe_next(value) == expected


def test_player_page_describes_the_routine(engine: Engine, tmp_path: Path) -> None:
    c, _ = client(engine, tmp_path)
    html = c.get("/play/full").text
    assert "Full routine" in html
    assert "Download:" in html and 'id="download-other"' in html
    assert '<audio id="audio"' in html
    assert 'src="/static/player.js"' in html


def test_player_rejects_unknown_routines_and_options(engine: Engine, tmp_path: Path) -> None:
    c, _ = client(engine, tmp_path)
    unknown = c.get("/play/nope")
    assert unknown.status_code == 400
    assert "routine: got &#39;nope&#39;" in unknown.text
    bad = c.get("/play/quick?tempo=99")
    assert bad.status_code == 400
    assert "--tempo: got &#39;99&#39;" in bad.text


def test_about_presents_the_claim_as_a_claim_and_the_safety_notes(
    engine: Engine, tmp_path: Path
) -> None:
    html = c_get(engine, tmp_path, "/about")
    assert "one practitioner" in html
    assert "not medical advice" in html.lower() or "not a treatment" in html
    assert "Pull the big toe and the second toe apart." in html


def c_get(engine: Engine, tmp_path: Path, path: str) -> str:
    c, _ = client(engine, tmp_path)
    return c.get(path).text


def _settings_form(csrf: str, **changes: str) -> dict[str, str]:
    form = {
        "csrf_token": csrf,
        "slot_morning_time": "06:30",
        "slot_morning_enabled": "on",
        "slot_morning_routine": "quick",
        "slot_home_time": "18:30",
        "slot_home_routine": "full",
        "slot_bedtime_time": "22:15",
        "slot_bedtime_enabled": "on",
        "slot_bedtime_routine": "full",
        "timezone": "Europe/Paris",
        "hold": "",
        "release": "3",
        "circle_pace": "",
        "tilt_pace": "",
        "tempo": "1.2",
        "foot_order": "by-foot",
        "first_foot": "right",
        "extra_circles_left": "inward",
        "extra_circles_right": "none",
        "voice": "on",
        "theme": "dark",
    }
    form.update(changes)
    return form


def test_settings_are_saved_and_shown_again(engine: Engine, tmp_path: Path) -> None:
    c, _ = client(engine, tmp_path)
    response = c.post("/settings", data=_settings_form(form_csrf(c)), follow_redirects=False)
    assert response.status_code == 303
    with engine.connect() as conn:
        slots = slots_store.load(conn)
        prefs = preferences.load(conn)
    assert slots.timezone == "Europe/Paris"
    assert slots.slot("morning").time == dt.time(6, 30)
    assert slots.slot("morning").routine == "quick"
    assert not slots.slot("home").enabled
    assert prefs.theme == "dark"
    assert prefs.options.tempo == 1.2
    assert prefs.options.release == 3.0
    assert prefs.options.hold is None
    assert prefs.options.first_foot == "right"
    assert dict(prefs.options.extra_circles) == {"left": "inward"}
    page = c.get("/settings?saved=1").text
    assert "Saved." in page
    assert 'value="06:30"' in page
    assert 'value="Europe/Paris"' in page
    assert 'data-theme="dark"' in page


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("tempo", "7", "Tempo: use a number from 0.1 to 3."),
        ("hold", "-5", "Toe hold: use a number of seconds from 1 to 60, or leave it blank"),
        ("slot_home_time", "25:00", "Back home: give a time of day."),
        ("timezone", "Mars/Olympus", "Time zone: that is not a time zone name"),
        ("theme", "neon", "Theme: choose one of the choices given."),
        ("first_foot", "middle", "Start with: choose one of the choices given."),
        ("slot_home_routine", "long", "Back home: choose one of the choices given."),
        ("speech_rate", "400", "Speaking pace: use a number of words a minute from 80 to 220"),
        ("bed", "-5", "Quiet bed: choose one of the choices given."),
        ("speaker", "Robot Voice!", "Voice: choose one of the choices given."),
        ("extra_circles_right", "sideways", "Extra circles: choose one of the choices given."),
    ],
)
def test_a_settings_mistake_names_the_field_and_saves_nothing(
    engine: Engine, tmp_path: Path, field: str, value: str, message: str
) -> None:
    c, _ = client(engine, tmp_path)
    form = _settings_form(form_csrf(c), **{field: value})
    response = c.post("/settings", data=form)
    assert response.status_code == 400
    assert message.replace("'", "&#39;") in response.text
    # in the page's words, next to its own field: no command-line flag, no echoed value
    assert "--" not in _alert(response.text) and " got " not in _alert(response.text)
    if field != "theme":  # the theme's radio buttons are named by the message at the top
        assert f'id="{field}-error"' in response.text
    assert 'aria-invalid="true"' in response.text or field == "theme"
    with engine.connect() as conn:
        assert slots_store.load(conn).timezone == "UTC"
        assert preferences.load(conn) == preferences.Preferences()


def test_the_voice_pace_and_quiet_bed_are_saved_and_time_every_page(
    engine: Engine, tmp_path: Path
) -> None:
    from anklesleep.audio import voices
    from anklesleep.audio.playing import timeline_to_play
    from anklesleep.routine import catalog

    if not voices.EspeakEngine().available():
        pytest.skip("needs espeak-ng")
    c, _ = client(engine, tmp_path)
    form = _settings_form(form_csrf(c), speaker="espeak-ng", speech_rate="110", bed="-48")
    assert c.post("/settings", data=form, follow_redirects=False).status_code == 303
    with engine.connect() as conn:
        options = preferences.load(conn).options
    assert (options.speaker, options.speech_rate, options.bed) == ("espeak-ng", 110, -48.0)
    page = c.get("/settings").text
    assert re.search(r'<option value="espeak-ng" selected>espeak-ng \(English\)</option>', page)
    assert 'value="110"' in page and re.search(r'<option value="-48" selected>', page)
    # the timeline the web player asks for is spoken at the saved pace by the saved voice
    answer = c.get("/api/timeline?routine=quick").json()
    expected = timeline_to_play(
        catalog.load("quick"), options, engine=voices.get_engine("espeak-ng", 110)
    )
    assert answer["total_seconds"] == pytest.approx(expected.total_seconds, abs=1e-3)
    calm = timeline_to_play(catalog.load("quick"), replace(options, speech_rate=None))
    assert expected.total_seconds > calm.total_seconds + 3  # 110 words a minute, not 130


def _night_form(csrf: str, **changes: str) -> dict[str, str]:
    form = {
        "csrf_token": csrf,
        "night": "2026-03-14",
        "into_bed": "23:00",
        "tried_to_sleep": "23:15",
        "sol_minutes": "20",
        "awakenings": "2",
        "waso_minutes": "25",
        "final_awakening": "06:45",
        "out_of_bed": "07:00",
        "quality": "4",
        "note": "late coffee",
    }
    form.update(changes)
    return form


def test_the_diary_form_is_prefilled_and_shows_metrics_after_saving(
    engine: Engine, tmp_path: Path
) -> None:
    c, _ = client(engine, tmp_path)
    first = c.get("/sleep").text
    # Nothing invented: the first form is empty, the bedtime slot is only a placeholder.
    assert 'data-testid="empty-first"' in first
    assert 'value="23:00"' not in first and 'value=""' in first
    assert 'placeholder="22:00"' in first
    form = first[first.index('action="/sleep" class="card"') :]
    form = form[: form.index("</form>")]
    inputs = re.findall(r'<input type="(?:time|number)"[^>]*>', form)
    assert len(inputs) == 7 and all('value=""' in tag for tag in inputs), inputs
    assert not re.search(r'name="quality" value="\d"[^>]*checked', form)
    # the suggestion is seen beside the field (browsers show no placeholder in a time input)
    assert 'data-testid="into_bed-hint">your bedtime reminder is at 22:00<' in form
    saved = c.post("/sleep", data=_night_form(form_csrf(c)), follow_redirects=False)
    assert saved.headers["location"] == "/sleep?night=2026-03-14&saved=1"
    page = c.get(saved.headers["location"]).text
    assert "Saved. Here is your night" in page
    # asleep = (06:45 - 23:15) - 20 - 25 = 405 min; in bed 480 min; efficiency 84 %
    assert re.search(r'data-metric="tst">6 h 45<', page)
    assert re.search(r'data-metric="tib">8 h 00<', page)
    assert re.search(r'data-metric="se">84 %<', page)
    with engine.connect() as conn:
        entry = diary_store.get_night(conn, dt.date(2026, 3, 14))
    assert entry is not None
    assert entry.note == "late coffee"
    # the next night starts from these times, without the note
    nxt = c.get("/sleep?night=2026-03-15").text
    assert "not ended yet" in nxt and 'name="into_bed"' not in nxt
    later = c.get("/sleep?night=2026-03-14")
    assert later.status_code == 200
    with engine.begin() as conn:
        diary_store.delete_night(conn, dt.date(2026, 3, 14))
        diary_store.save_night(
            conn, replace(entry, night=dt.date(2026, 3, 12)), dt.datetime.now(dt.UTC)
        )
    copied = c.get("/sleep?night=2026-03-14").text
    assert 'data-testid="copied"' in copied and "Thursday 12 March" in copied
    assert 'value="23:00"' in copied and "late coffee" not in copied


def test_earlier_nights_can_be_edited(engine: Engine, tmp_path: Path) -> None:
    c, _ = client(engine, tmp_path)
    c.post("/sleep", data=_night_form(form_csrf(c), night="2026-03-10"))
    page = c.get("/sleep").text
    assert 'href="/sleep?night=2026-03-10"' in page
    c.post("/sleep", data=_night_form(form_csrf(c), night="2026-03-10", quality="1"))
    with engine.connect() as conn:
        entry = diary_store.get_night(conn, dt.date(2026, 3, 10))
    assert entry is not None
    assert entry.quality == 1


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("into_bed", "late", "Got into bed: “late” is not a clock time"),
        ("sol_minutes", "-5", "Minutes to fall asleep: “-5” is not a whole number"),
        ("sol_minutes", "99999999999999999999", "is not a whole number from 0 to 1440"),
        ("awakenings", "5000", "Times you woke up: “5000” is not a whole number"),
        ("waso_minutes", "600", "minutes to fall asleep plus minutes awake"),
        ("out_of_bed", "22:30", "23 h 30 min in bed"),
        ("night", "2026-03-20", "Night: 2026-03-20 is after today"),
        ("quality", "", "Sleep quality: please fill this in"),
        ("note", "x" * 2001, "Note: 2001 characters; keep it to 2000 or fewer"),
    ],
)
def test_a_diary_mistake_names_the_field_and_saves_nothing(
    engine: Engine, tmp_path: Path, field: str, value: str, message: str
) -> None:
    c, _ = client(engine, tmp_path)
    response = c.post("/sleep", data=_night_form(form_csrf(c), **{field: value}))
    assert response.status_code == 400
    assert message.replace("'", "&#39;") in response.text
    if field not in ("night", "out_of_bed"):
        assert f'id="{field}-error"' in response.text
    with engine.connect() as conn:
        assert diary_store.list_nights(conn) == []


def test_every_missing_answer_is_listed_at_once(engine: Engine, tmp_path: Path) -> None:
    c, _ = client(engine, tmp_path)
    empty = dict.fromkeys(("into_bed", "tried_to_sleep", "sol_minutes", "awakenings"), "")
    response = c.post("/sleep", data=_night_form(form_csrf(c), quality="", **empty))
    assert response.status_code == 400
    for name in (*empty, "quality"):
        assert f'id="{name}-error"' in response.text
    assert response.text.count("please fill this in") >= 2 * 5  # in the list and at the field


def test_an_unusual_night_is_saved_once_confirmed(engine: Engine, tmp_path: Path) -> None:
    c, _ = client(engine, tmp_path)
    long = _night_form(form_csrf(c), into_bed="15:00", tried_to_sleep="15:10")
    asked = c.post("/sleep", data=long)
    assert asked.status_code == 400 and 'name="confirm"' in asked.text
    with engine.connect() as conn:
        assert diary_store.list_nights(conn) == []
    saved = c.post("/sleep", data={**long, "confirm": "1"}, follow_redirects=False)
    assert saved.status_code == 303


def test_an_unusual_night_says_what_is_unusual_with_its_times(
    engine: Engine, tmp_path: Path
) -> None:
    c, _ = client(engine, tmp_path)
    # out of bed before into bed on the clock: read in order, 23 h 30 in bed
    late = _night_form(form_csrf(c), final_awakening="22:00", out_of_bed="22:30")
    asked = c.post("/sleep", data=late)
    assert asked.status_code == 400
    assert (
        "From getting into bed at 23:00 to getting out of bed at 22:30 is 23 h 30 min in bed, "
        "more than 14 h 00 min." in asked.text
    )
    assert "to fall asleep" not in asked.text.split('id="confirm-error"')[1].split("</p>")[0]
    slow = c.post("/sleep", data=_night_form(form_csrf(c), sol_minutes="200", waso_minutes="0"))
    message = slow.text.split('id="confirm-error"')[1].split("</p>")[0]
    assert "3 h 20 min to fall asleep is more than 3 h 00 min." in message
    assert "in bed" not in message and "Confirm:" not in message


def test_an_edited_night_keeps_the_zone_it_was_read_in(engine: Engine, tmp_path: Path) -> None:
    c, _ = client(engine, tmp_path, clock=Clock(dt.datetime(2026, 4, 2, 8, tzinfo=dt.UTC)))
    # Saved in London on the morning the clocks went forward (7 h in bed, not 8) ...
    with engine.begin() as conn:
        slots_store.save(conn, SlotSettings(timezone="Europe/London"), MORNING)
    night = _night_form(form_csrf(c), night="2026-03-29", tried_to_sleep="23:15")
    assert c.post("/sleep", data=night, follow_redirects=False).status_code == 303
    # ... then the person moves to Tokyo and corrects the quality of that night.
    with engine.begin() as conn:
        slots_store.save(conn, SlotSettings(timezone="Asia/Tokyo"), MORNING)
    page = c.get("/sleep?night=2026-03-29").text
    assert "The times of this night are in Europe/London, where you were then." in page
    edited = {**night, "csrf_token": form_csrf(c), "quality": "2"}
    assert c.post("/sleep", data=edited, follow_redirects=False).status_code == 303
    with engine.connect() as conn:
        entry = diary_store.get_night(conn, dt.date(2026, 3, 29))
    assert entry is not None and entry.zone == "Europe/London" and entry.quality == 2
    assert diary.metrics(entry).tib == 420


def test_symptoms_are_scored_and_cleared(engine: Engine, tmp_path: Path) -> None:
    c, _ = client(engine, tmp_path)
    page = c.get("/symptoms").text
    assert "Stiff shoulders" in page
    token = form_csrf(c)
    response = c.post(
        "/symptoms",
        data={"csrf_token": token, "day": "2026-03-14", "knee": "3", "headache": "7"},
        follow_redirects=False,
    )
    assert response.headers["location"] == "/symptoms?day=2026-03-14&saved=1"
    with engine.connect() as conn:
        scores = diary_store.get_symptoms(conn, dt.date(2026, 3, 14))
    assert {k: v.score for k, v in scores.items()} == {"knee": 3, "headache": 7}
    shown = c.get("/symptoms?day=2026-03-14&saved=1").text
    assert 'name="knee" value="3" checked' in shown
    # the form's "not scored" choice sends the complaint blank: that clears it
    c.post(
        "/symptoms", data={"csrf_token": token, "day": "2026-03-14", "knee": "3", "headache": ""}
    )
    with engine.connect() as conn:
        assert set(diary_store.get_symptoms(conn, dt.date(2026, 3, 14))) == {"knee"}


def test_a_symptom_mistake_saves_nothing(engine: Engine, tmp_path: Path) -> None:
    c, _ = client(engine, tmp_path)
    response = c.post(
        "/symptoms",
        data={"csrf_token": form_csrf(c), "day": "2026-03-14", "knee": "3", "headache": "11"},
    )
    assert response.status_code == 400
    assert "Headache: “11” is not on the scale" in response.text
    with engine.connect() as conn:
        assert diary_store.list_symptoms(conn) == []


def test_history_lists_sessions_and_nights(engine: Engine, tmp_path: Path) -> None:
    c, _ = client(engine, tmp_path)
    uuid = _finished_session(engine, MORNING - dt.timedelta(hours=1))
    partial = new_record(routine="full", local_start=MORNING, planned_seconds=600, source="web")
    store_session(engine, partial, steps_done=["T1 (left)"], completed_seconds=150)
    with engine.begin() as conn:
        diary_store.save_night(conn, NIGHT, MORNING)
    html = c.get("/history").text
    assert f'data-session="{uuid}"' in html
    assert "finished" in html
    assert re.search(r"stopped at </span>25 %", html)
    assert 'href="/sleep?night=2026-03-14"' in html


def test_empty_history_says_so(engine: Engine, tmp_path: Path) -> None:
    html = c_get(engine, tmp_path, "/history")
    assert "No sessions yet" in html
    assert 'No nights yet. <a href="/sleep">Fill in last night</a>' in html


def test_empty_history_joins_its_japanese_sentences_without_a_space(
    engine: Engine, tmp_path: Path
) -> None:
    c, _ = client(engine, tmp_path)
    html = c.get("/history", headers={"accept-language": "ja"}).text
    assert '夜の記録はまだありません。<a href="/sleep">昨夜の記録をつける</a>' in html
    assert '医療ではありません。<a href="/about#safety">' in html  # the footer, likewise
    english = c.get("/history", headers={"accept-language": "en"}).text
    assert 'not medical care. <a href="/about#safety">Safety notes</a>' in english


def test_unknown_pages_get_a_friendly_404(engine: Engine, tmp_path: Path) -> None:
    c, _ = client(engine, tmp_path)
    response = c.get("/nothing-here")
    assert response.status_code == 404
    assert "Back to Today" in response.text


def test_navigation_marks_the_current_page(engine: Engine, tmp_path: Path) -> None:
    html = c_get(engine, tmp_path, "/history")
    assert re.search(r'<a href="/history" aria-current="page">', html)


def test_pages_load_nothing_from_outside(engine: Engine, tmp_path: Path) -> None:
    c, _ = client(engine, tmp_path)
    for path in ("/", "/about", "/settings", "/sleep", "/symptoms", "/history", "/play/quick"):
        html = c.get(path).text
        assert not re.search(r'(src|href)="(https?:)?//', html), path
        assert "<style" not in html and " style=" not in html, path
        assert "<script>" not in html, path


def test_the_calendar_links_each_reminder_to_its_player(engine: Engine, tmp_path: Path) -> None:
    c, _ = client(engine, tmp_path)
    response = c.get("/calendar.ics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/calendar")
    text = response.text
    assert text.startswith("BEGIN:VCALENDAR")
    assert text.count("BEGIN:VEVENT") == 3
    assert "http://127.0.0.1:8000/play/full" in text.replace("\r\n ", "")


def test_today_sees_writes_from_other_processes_at_once(engine: Engine, tmp_path: Path) -> None:
    c, _ = client(engine, tmp_path)
    assert 'data-slot="morning" data-status="not yet"' in c.get("/").text
    _finished_session(engine, MORNING - dt.timedelta(minutes=5))  # e.g. the terminal player
    assert 'data-slot="morning" data-status="done"' in c.get("/").text


def test_writes_through_the_app_show_on_today_at_once(engine: Engine, tmp_path: Path) -> None:
    c, _ = client(engine, tmp_path)
    assert "How did you sleep?" in c.get("/").text
    c.post("/sleep", data={**_night_form(form_csrf(c))})
    assert "How did you sleep?" not in c.get("/").text


def test_insights_draw_charts_in_the_page_with_tables_and_pictures_for_printing(
    engine: Engine, tmp_path: Path
) -> None:
    c, _ = client(engine, tmp_path)
    _finished_session(engine, MORNING - dt.timedelta(days=1))
    with engine.begin() as conn:
        diary_store.save_night(conn, NIGHT, MORNING)
    html = c.get("/insights").text
    assert "Sleep diary: 1 night recorded." in html
    # counted from the first day of use (yesterday), not as 2 of 90 days
    assert "Practice: 1 of 2 days" in html
    assert 'data-chart="practice"' in html and 'data-chart="habit"' in html
    assert 'data-chart="sleep"' in html
    assert html.count('<details class="chart-table">') == 3  # no complaint scores yet
    assert "No complaint scores to show yet." in html
    assert 'style="' not in html  # the page's Content-Security-Policy forbids inline styles
    for name in ("practice", "habit", "sleep", "symptoms"):
        if name != "symptoms":
            assert f'href="/insights/{name}.svg"' in html
        image = c.get(f"/insights/{name}.svg")
        assert image.status_code == 200
        assert image.headers["content-type"].startswith("image/svg+xml")
        assert image.headers["content-security-policy"].startswith("default-src 'none'")
        assert "<svg" in image.text
    assert c.get("/insights/secrets.svg").status_code == 404
    assert 'href="/insights"' in c.get("/history").text


def test_today_says_what_a_running_experiment_asks(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from anklesleep.store import open_database
    from tests.cli_helpers import run_cli

    db = tmp_path / "exp.sqlite3"
    assert run_cli(capsys, "--db", str(db), "experiment", "start", "--seed", "5").code == 0
    engine = open_database(db)
    c, _ = client(engine, tmp_path)
    data = c.get("/api/today").json()["experiment"]
    assert data["phase"] in ("upcoming", "baseline", "routine", "usual")
    html = c.get("/").text
    assert 'data-testid="experiment"' in html
    assert data["headline"] in html
    engine.dispose()


def test_no_experiment_no_card(engine: Engine, tmp_path: Path) -> None:
    c, _ = client(engine, tmp_path)
    assert c.get("/api/today").json()["experiment"] is None
    assert 'data-testid="experiment"' not in c.get("/").text


def test_today_remembered_on_a_file_database_still_sees_every_write(tmp_path: Path) -> None:
    """On SQLite files Today is remembered until the commit counter moves; a write from
    another connection (e.g. the terminal player) shows on the next request."""
    from anklesleep.store import open_database

    engine = open_database(tmp_path / "file.sqlite3")
    c, _ = client(engine, tmp_path)
    assert 'data-slot="morning" data-status="not yet"' in c.get("/").text
    assert 'data-slot="morning" data-status="not yet"' in c.get("/").text  # remembered
    other = open_database(tmp_path / "file.sqlite3")
    _finished_session(other, MORNING - dt.timedelta(minutes=5))
    assert 'data-slot="morning" data-status="done"' in c.get("/").text
    c.post("/sleep", data={**_night_form(form_csrf(c))})
    assert "How did you sleep?" not in c.get("/").text


def test_symptoms_keep_the_day_after_a_mistake_and_never_erase_an_unshown_note(
    engine: Engine, tmp_path: Path
) -> None:
    c, _ = client(engine, tmp_path)
    token = form_csrf(c)
    saved = c.post(
        "/symptoms",
        data={"csrf_token": token, "day": "2026-03-10", "knee": "3", "knee_note": "stairs"},
    )
    assert saved.status_code == 200
    wrong = c.post("/symptoms", data={"csrf_token": token, "day": "2026-03-10", "knee": "12"})
    assert wrong.status_code == 400
    assert 'name="day" value="2026-03-10"' in wrong.text
    assert 'id="knee-error"' in wrong.text
    # A form (or an API body) without the note field keeps the note stored before.
    c.post("/symptoms", data={"csrf_token": token, "day": "2026-03-10", "knee": "4"})
    with engine.connect() as conn:
        knee = diary_store.get_symptoms(conn, dt.date(2026, 3, 10))["knee"]
    assert (knee.score, knee.note) == (4, "stairs")
    # ... and a complaint the form did not send keeps its score; one sent blank is cleared.
    c.post("/symptoms", data={"csrf_token": token, "day": "2026-03-10", "headache": "2"})
    with engine.connect() as conn:
        scores = diary_store.get_symptoms(conn, dt.date(2026, 3, 10))
    assert (scores["knee"].score, scores["knee"].note, scores["headache"].score) == (4, "stairs", 2)
    c.post("/symptoms", data={"csrf_token": token, "day": "2026-03-10", "knee": ""})
    with engine.connect() as conn:
        assert set(diary_store.get_symptoms(conn, dt.date(2026, 3, 10))) == {"headache"}
    future = c.get("/symptoms?day=2099-01-01").text
    assert 'data-testid="future"' in future and 'name="knee"' not in future


def test_a_repeated_hour_is_asked_about_and_the_answer_counts(
    engine: Engine, tmp_path: Path
) -> None:
    c, _ = client(engine, tmp_path, clock=Clock(dt.datetime(2026, 11, 1, 15, 0, tzinfo=dt.UTC)))
    with engine.begin() as conn:
        slots_store.save(conn, SlotSettings(timezone="America/New_York"), MORNING)
    # New York, 1 Nov 2026: 01:00-01:59 happens twice.
    night = _night_form(
        form_csrf(c),
        night="2026-11-01",
        into_bed="00:30",
        tried_to_sleep="01:30",
        sol_minutes="10",
        awakenings="0",
        waso_minutes="0",
        final_awakening="06:30",
        out_of_bed="07:00",
    )
    asked = c.post("/sleep", data=night)
    assert asked.status_code == 400
    assert 'name="fold" value="earlier"' in asked.text and 'id="fold-error"' in asked.text
    saved = c.post("/sleep", data={**night, "fold": "later"}, follow_redirects=False)
    assert saved.status_code == 303
    with engine.connect() as conn:
        entry = diary_store.get_night(conn, dt.date(2026, 11, 1))
    assert entry is not None and entry.fold == 1 and entry.zone == "America/New_York"
    # Bed 00:30 EDT = 04:30 UTC, the later 01:30 = 06:30 UTC, final 06:30 EST = 11:30 UTC.
    page = c.get("/sleep?night=2026-11-01").text
    assert re.search(r'data-metric="tib">7 h 30<', page)
    assert re.search(r'data-metric="tst">4 h 50<', page)


def _alert(page: str) -> str:
    """The text of the page's top error box."""
    start = page.index('id="form-error"')
    return page[start : page.index("</p>", start)]


def test_every_settings_mistake_is_shown_at_once_next_to_its_field(
    engine: Engine, tmp_path: Path
) -> None:
    c, _ = client(engine, tmp_path)
    form = _settings_form(
        form_csrf(c), tempo="9", hold="-5", slot_home_time="25:00", timezone="Mars/Olympus"
    )
    response = c.post("/settings", data=form)
    assert response.status_code == 400
    assert "4 answers need a look:" in response.text
    for field, words in (
        ("tempo", "Tempo: use a number from 0.1 to 3."),
        ("hold", "Toe hold: use a number of seconds from 1 to 60"),
        ("slot_home_time", "Back home: give a time of day."),
        ("timezone", "Time zone: that is not a time zone name"),
    ):
        after = response.text.split(f'id="{field}-error"')[1].split("</p>")[0]
        assert words in after, field


def test_the_style_sheet_sizes_text_only_from_the_type_scale() -> None:
    """Every font size in app.css is one of the scale's custom properties (documented in
    docs/web.md), apart from the root size and the player's count, which grows with the
    screen's height (less on short screens)."""
    from anklesleep.web.app import STATIC

    css = (STATIC / "app.css").read_text()
    scale = set(re.findall(r"(--text-[a-z0-9]+):", css))
    assert scale == {"--text-xs", "--text-sm", "--text-md", "--text-lg", "--text-xl", "--text-2xl"}
    allowed = {"112.5%", "inherit", "clamp(2rem, 9vh, 4.2rem)", "clamp(2rem, 7vh, 4.2rem)"}
    sizes = re.findall(r"font-size:\s*([^;}]+?)\s*[;}]", css)
    off_scale = [
        size
        for size in sizes
        if size not in allowed and not re.fullmatch(r"var\(--text-\w+\)", size)
    ]
    assert len(sizes) > 40
    assert off_scale == []


#: The only lengths in a margin, padding, gap or inset that are not a `--space-*` step.
SPACING_ALLOWED = {
    ("margin-left", "-0.7rem"): "half the progress thumb's width: centres it on its place",
    ("gap", "3px"): "the calendar's cells sit a hairline apart, as a drawn grid does",
    ("gap", "3vw"): "the player's buttons spread with the screen, between two steps",
}


def test_the_style_sheet_spaces_things_only_from_the_spacing_scale() -> None:
    """Every margin, padding, gap and inset in app.css is 0, auto or made of the spacing
    scale's custom properties (documented in docs/web.md), alone or in calc(), max() or
    clamp() with the screen's safe-area insets; SPACING_ALLOWED names the few exceptions."""
    from anklesleep.web.app import STATIC

    css = re.sub(r"/\*.*?\*/", "", (STATIC / "app.css").read_text(), flags=re.DOTALL)
    scale = dict(re.findall(r"(--space-\d+):\s*([^;]+);", css))
    assert list(scale) == [f"--space-{n}" for n in range(1, len(scale) + 1)]
    assert 6 <= len(scale) <= 8  # a small scale
    declarations = re.findall(
        r"(?<![-\w])(margin(?:-[a-z-]+)?|padding(?:-[a-z-]+)?|(?:row-|column-)?gap|inset(?:-[a-z-]+)?)"
        r"\s*:\s*([^;}]+?)\s*(?:!important\s*)?[;}]",
        css,
    )
    used = set(re.findall(r"var\((--space-\d+)\)", css))
    assert used <= set(scale), used - set(scale)
    off_scale: list[str] = []
    allowed_seen: set[tuple[str, str]] = set()
    for prop, value in declarations:
        rest = re.sub(r"var\(--space-\d+\)|env\([a-z-]+\)", "", value)
        lengths = re.findall(r"-?(?<![\w.])\d*\.?\d+(?:[a-z]+|%)", rest)
        allowed_seen |= {(prop, length) for length in lengths} & set(SPACING_ALLOWED)
        if any((prop, length) not in SPACING_ALLOWED for length in lengths):
            off_scale.append(f"{prop}: {value}")
    assert len(declarations) > 90
    assert off_scale == []
    assert allowed_seen == set(SPACING_ALLOWED)  # no exception outlives its reason


def test_insights_lede_joins_its_sentences_as_the_language_does(
    engine: Engine, tmp_path: Path
) -> None:
    c, _ = client(engine, tmp_path)
    _finished_session(engine, MORNING - dt.timedelta(days=2))
    english = c.get("/insights", headers={"accept-language": "en"}).text
    assert "The last 3 days, since 12 March. Patterns here are yours" in english
    japanese = c.get("/insights", headers={"accept-language": "ja"}).text
    lede = re.search(r'<p class="lede">(.*?)</p>', japanese)
    assert lede is not None
    assert "。ここに見えるパターン" in lede.group(1)  # no space after 「。」
