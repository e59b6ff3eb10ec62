"""The web app in Debian's Chromium, end to end: the first-run safety screen, a whole quick
session, the player's controls, the diary, settings, accessibility and screenshots."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from anklesleep.store import diary as diary_store
from tests.browser_helpers import (
    ARTIFACTS,
    DESKTOP,
    EVENING,
    PHONE,
    Live,
    live_server,
    wait_until,
    watch,
)
from tests.session_helpers import store_session, stored_sessions

pytestmark = pytest.mark.browser

PAGES = {
    "today": "/",
    "sleep": "/sleep",
    "symptoms": "/symptoms",
    "history": "/history",
    "settings": "/settings",
    "about": "/about",
    "safety": "/safety",
    "player": "/play/quick",
    "insights": "/insights",
}


@pytest.fixture
def live(tmp_path: Path) -> Iterator[Live]:
    with live_server(tmp_path) as server:
        yield server
        assert server.foreign_requests() == []


def _page(browser: Any, live: Live, viewport: dict[str, int] = PHONE, **kwargs: Any) -> Any:
    context = browser.new_context(viewport=viewport, **kwargs)
    page = context.new_page()
    watch(page, live)
    return page


def _audio(page: Any, expression: str) -> Any:
    return page.evaluate(
        f"(() => {{ const a = document.getElementById('audio'); return {expression}; }})()"
    )


def _ready_player(page: Any) -> None:
    page.wait_for_selector("#play:not([disabled])", timeout=30_000)


@pytest.mark.slow
def test_first_session_shows_safety_then_plays_to_the_end_and_counts_on_today(
    browser: Any, live: Live
) -> None:
    page = _page(browser, live)
    page.goto(live.base + "/")
    page.click("a[href='/play/quick']")
    assert "/safety" in page.url
    assert "blood clot" in page.text_content("main")
    page.click("[data-testid=acknowledge]")
    assert page.url.endswith("/play/quick")
    _ready_player(page)
    page.click("#play")
    wait_until(page, "document.getElementById('audio').currentTime > 0.5")
    assert page.get_attribute("#play", "aria-label") == "Pause"
    _audio(page, "a.playbackRate = 8")
    page.wait_for_selector("#done:not([hidden])", timeout=60_000)
    records = stored_sessions(live.engine)
    assert len(records) == 1
    assert records[0].completed
    assert records[0].source == "web"
    assert records[0].slot == "bedtime"
    page.click("[data-testid=back-today]")
    assert page.get_attribute('[data-slot="bedtime"]', "data-status") == "done"
    assert page.text_content("[data-testid=streak]") == "1"
    assert page.errors == []
    # The safety screen is not shown again.
    page.goto(live.base + "/play/quick")
    assert page.url.endswith("/play/quick")


@pytest.mark.slow
def test_the_display_follows_the_audio_and_the_controls_work(browser: Any, live: Live) -> None:
    page = _page(browser, live)
    page.goto(live.base + "/safety?next=/play/quick")
    page.click("[data-testid=acknowledge]")
    _ready_player(page)
    assert page.text_content("#instruction") == "Settle in."  # the 2 s lead-in
    page.click("#play")
    wait_until(page, "document.getElementById('audio').currentTime > 2.5")
    assert page.text_content("#instruction") == "Grip under both ankle knobs."
    title = page.evaluate(
        "navigator.mediaSession.metadata && navigator.mediaSession.metadata.title"
    )
    assert title == page.text_content("#instruction")  # the step on the lock screen
    page.click("#play")  # pause
    paused_at = _audio(page, "a.currentTime")
    page.wait_for_timeout(400)
    assert _audio(page, "a.paused") is True
    assert _audio(page, "a.currentTime") == pytest.approx(paused_at, abs=0.01)
    page.click("#play")  # resume
    wait_until(page, f"document.getElementById('audio').currentTime > {paused_at + 0.3}")

    page.click("#next-step")
    wait_until(page, "document.getElementById('instruction').textContent === 'Circle inward.'")
    # the step's announcement, then the circles counted one by one
    wait_until(
        page, "/^circle \\d \\/ 5$/.test(document.getElementById('count-label').textContent)"
    )
    assert re.fullmatch(r"circle \d / 5", page.text_content("#count-label") or "")
    page.click("#next-step")
    wait_until(page, "document.getElementById('instruction').textContent === 'Now outward.'")
    page.click("#prev")  # back to the start of this step, then to the one before
    page.click("#prev")
    wait_until(page, "document.getElementById('instruction').textContent === 'Circle inward.'")
    # The screen derives from currentTime: seek and it follows at once.
    _audio(page, "(a.pause(), a.currentTime = 2.5, 0)")
    wait_until(
        page,
        "document.getElementById('instruction').textContent === 'Grip under both ankle knobs.'",
    )
    _audio(page, "(a.currentTime = 0, 0)")
    wait_until(page, "document.getElementById('instruction').textContent === 'Settle in.'")
    # The session was checkpointed while it played (a closed tab leaves this partial record).
    record = stored_sessions(live.engine)[0]
    assert record.steps_done
    assert not record.completed
    page.click("#stop")
    page.wait_for_selector("#stopped:not([hidden])")
    record = stored_sessions(live.engine)[0]
    assert record.ended_at is not None
    assert not record.completed
    assert page.get_attribute("#download", "href").endswith(".opus?download=1")  # type: ignore[union-attr]
    assert page.errors == []


@pytest.mark.slow
def test_five_more_circles_are_really_added_to_the_track(browser: Any, live: Live) -> None:
    page = _page(browser, live)
    page.goto(live.base + "/safety?next=/play/quick")
    page.click("[data-testid=acknowledge]")
    _ready_player(page)
    before = page.evaluate("fetch('/api/timeline?routine=quick').then(r => r.json())")
    page.click("#next-step")  # to the inward circles
    page.wait_for_selector("#more:not([hidden])")
    at = _audio(page, "a.currentTime")
    page.click("#more-inward")
    wait_until(
        page,
        "document.getElementById('status').textContent.startsWith('Five more circles added')",
        60,
    )
    assert _audio(page, "a.currentTime") == pytest.approx(at, abs=0.5)
    duration = _audio(page, "a.duration")
    assert duration > before["total_seconds"] + 7  # five circles of 1.5 s
    assert page.is_hidden("#more")  # once per foot
    assert page.errors == []


def test_the_diary_is_filled_in_and_shows_the_metrics(browser: Any, live: Live) -> None:
    page = _page(browser, live, DESKTOP)
    page.goto(live.base + "/sleep")
    page.fill("#into_bed", "22:45")
    page.fill("#tried_to_sleep", "23:00")
    page.fill("#sol_minutes", "30")
    page.fill("#awakenings", "1")
    page.fill("#waso_minutes", "15")
    page.fill("#final_awakening", "06:30")
    page.fill("#out_of_bed", "07:00")
    # people press the word; the radio itself is a visually hidden 1 px box
    page.click('input[name="quality"][value="4"] + span')
    assert page.is_checked('input[name="quality"][value="4"]')
    page.fill("#note", "warm bath first")
    page.click("[data-testid=save-night]")
    page.wait_for_selector("[data-testid=metrics]")
    # asleep: (06:30 - 23:00) - 30 - 15 = 405 min; in bed 495 min; 82 %
    assert page.text_content('[data-metric="tst"]') == "6 h 45"
    assert page.text_content('[data-metric="tib"]') == "8 h 15"
    assert page.text_content('[data-metric="se"]') == "82 %"
    with live.engine.connect() as conn:
        nights = diary_store.list_nights(conn)
    assert [n.note for n in nights] == ["warm bath first"]
    page.goto(live.base + "/")
    assert "6 h 45" in page.text_content("main")
    assert page.errors == []


def test_settings_persist_across_a_reload(browser: Any, live: Live) -> None:
    page = _page(browser, live)
    page.goto(live.base + "/settings")
    page.fill("#slot_bedtime_time", "21:40")
    page.fill("#tempo", "1.3")
    page.select_option("#first_foot", "right")
    page.check('input[name="theme"][value="light"]')
    page.click("[data-testid=save-settings]")
    page.wait_for_selector("[data-testid=saved]")
    page.reload()
    assert page.input_value("#slot_bedtime_time") == "21:40"
    assert page.input_value("#tempo") == "1.3"
    assert page.input_value("#first_foot") == "right"
    assert page.is_checked('input[name="theme"][value="light"]')
    assert page.get_attribute("html", "data-theme") == "light"
    page.fill("#tempo", "9")
    page.click("[data-testid=save-settings]")
    assert "Tempo: use a number from 0.1 to 3." in page.text_content("[role=alert]")
    assert page.is_visible("#tempo-error")  # next to the field too
    page.goto(live.base + "/settings")  # nothing of the refused form was stored
    assert page.input_value("#tempo") == "1.3"
    assert page.errors == []


FAKE_NOTIFICATION = """
window.__notes = [];
window.Notification = class {
  static permission = "default";
  static requestPermission() {
    window.Notification.permission = "granted";
    return Promise.resolve("granted");
  }
  constructor(title, options) {
    window.__notes.push({ title, body: options.body, tag: options.tag });
  }
};
"""


def test_the_browser_reminds_at_slot_time(browser: Any, live: Live) -> None:
    page = _page(browser, live)
    page.add_init_script(FAKE_NOTIFICATION)
    page.clock.install(time=EVENING)  # 21:30 UTC; the bedtime slot is at 22:00
    page.goto(live.base + "/settings")
    page.click("[data-testid=reminders-on]")
    page.wait_for_selector("[data-testid=reminders-off]:not([hidden])")
    assert "will remind you" in page.text_content("#reminders-status")
    page.clock.run_for("29:00")
    assert page.evaluate("window.__notes.length") == 0  # not yet
    page.clock.run_for("02:00")
    for _ in range(100):  # the reminder checks /api/today first (a real request)
        if page.evaluate("window.__notes.length") == 1:
            break
        page.wait_for_timeout(50)
    note = page.evaluate("window.__notes[0]")
    assert note["tag"] == "anklesleep-bedtime"
    assert note["title"] == "Time for your ankle routine"
    assert "Bedtime" in note["body"]
    assert page.errors == []


@pytest.mark.slow
def test_no_browser_reminder_for_a_slot_already_done(browser: Any, live: Live) -> None:
    import datetime as dt

    from anklesleep.practice.records import new_record

    page = _page(browser, live)
    page.add_init_script(FAKE_NOTIFICATION)
    page.clock.install(time=EVENING)
    page.goto(live.base + "/settings")
    page.click("[data-testid=reminders-on]")
    page.wait_for_selector("[data-testid=reminders-off]:not([hidden])")
    # The bedtime routine is done early, after the reminder was planned (at 21:45, UTC).
    start = EVENING + dt.timedelta(minutes=15)
    record = new_record(routine="quick", local_start=start, planned_seconds=75, source="web")
    store_session(
        live.engine, record, completed=True, ended_at=start, completed_seconds=75, steps_done=[]
    )
    live.clock.now = start + dt.timedelta(minutes=2)
    page.clock.run_for("31:00")
    page.wait_for_timeout(1500)  # time for the reminder's own check of /api/today
    assert page.evaluate("window.__notes.length") == 0
    assert page.errors == []


def _seed(live: Live) -> None:
    """A week of use, so the pages show what they look like in real life."""
    import datetime as dt

    from anklesleep.diary.entries import SleepEntry, SymptomEntry
    from anklesleep.practice.records import new_record
    from anklesleep.store import settings as settings_store

    now = live.clock()
    with live.engine.begin() as conn:
        settings_store.put(conn, "safety_acknowledged_at", now.isoformat(), now)
        for back in range(7):
            day = now.date() - dt.timedelta(days=back)
            night = SleepEntry(
                day,
                dt.time(23, 5),
                dt.time(23, 20),
                10 + 5 * back,
                back % 3,
                5 * (back % 3),
                dt.time(6, 40),
                dt.time(7, 0),
                2 + back % 4,
            )
            diary_store.save_night(conn, night, now)
            diary_store.save_symptoms(conn, [SymptomEntry(day, "shoulders", 6 - back % 3)], now)
    for back in range(1, 7):
        for hour in (7, 22):
            start = (now - dt.timedelta(days=back)).replace(hour=hour, minute=10)
            record = new_record(
                routine="full" if hour == 22 else "quick",
                local_start=start,
                planned_seconds=600,
                source="web",
            )
            store_session(
                live.engine,
                record,
                completed=back != 3,
                ended_at=start,
                completed_seconds=600 if back != 3 else 240,
                steps_done=[],
            )
    morning = now.replace(hour=7, minute=5)
    record = new_record(routine="quick", local_start=morning, planned_seconds=75, source="web")
    store_session(
        live.engine, record, completed=True, ended_at=morning, completed_seconds=75, steps_done=[]
    )


def test_history_tables_fit_a_phone_without_sideways_scrolling(browser: Any, live: Live) -> None:
    _seed(live)
    page = _page(browser, live)
    page.goto(live.base + "/history")
    sizes = page.evaluate(
        "[...document.querySelectorAll('.table-wrap')].map(w => [w.scrollWidth, w.clientWidth])"
    )
    assert len(sizes) == 2
    assert all(scroll <= client for scroll, client in sizes), sizes


@pytest.mark.slow
@pytest.mark.parametrize("theme", ["dark", "light"])
def test_every_page_screenshot_and_accessibility(browser: Any, live: Live, theme: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    from anklesleep.store import preferences

    with live.engine.begin() as conn:
        preferences.save(conn, preferences.Preferences(theme=theme), live.clock())  # type: ignore[arg-type]
    _seed(live)
    axe = Axe()
    problems: list[str] = []
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for size_name, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
        page = _page(browser, live, viewport, color_scheme=theme)
        for name, path in PAGES.items():
            page.goto(live.base + path)
            if name == "player":
                _ready_player(page)
                _audio(page, "a.currentTime = 12")  # into the inward circles
                wait_until(
                    page, "document.getElementById('count-label').textContent.startsWith('circle')"
                )
            assert page.get_attribute("html", "data-theme") == theme
            page.screenshot(path=str(ARTIFACTS / f"{name}-{size_name}-{theme}.png"), full_page=True)
            results = axe.run(page)
            for violation in results.response["violations"]:
                if violation["impact"] in ("serious", "critical"):
                    targets = [n["target"] for n in violation["nodes"]][:3]
                    problems.append(f"{name} {size_name}: {violation['id']} {targets}")
        assert page.errors == []
        page.context.close()
    assert problems == []
