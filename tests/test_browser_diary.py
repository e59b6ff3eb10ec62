"""The diary and symptom pages in headless Chromium: errors next to their fields, the note
counter, the future and the repeated-hour question, at phone and desktop sizes (screenshots
go to test-artifacts/web/)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from anklesleep.schedule.slots import SlotSettings
from anklesleep.store import diary as diary_store
from anklesleep.store import slots as slots_store
from tests.browser_helpers import (
    ARTIFACTS,
    EVENING,
    PHONE,
    Live,
    live_server,
    watch,
)

pytestmark = pytest.mark.browser
DESKTOP = {"width": 1280, "height": 800}


@pytest.fixture
def live(tmp_path: Path) -> Iterator[Live]:
    with live_server(tmp_path, acknowledged=True) as server:
        yield server
        assert server.foreign_requests() == []


def _page(browser: Any, live: Live, viewport: dict[str, int]) -> Any:
    page = browser.new_context(viewport=viewport).new_page()
    watch(page, live)
    return page


def _shot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


@pytest.mark.parametrize(("size", "viewport"), [("phone", PHONE), ("desktop", DESKTOP)])
def test_an_empty_diary_lists_every_missing_answer_at_its_field(
    browser: Any, live: Live, size: str, viewport: dict[str, int]
) -> None:
    page = _page(browser, live, viewport)
    page.goto(live.base + "/sleep")
    assert page.input_value("#into_bed") == ""
    _shot(page, f"diary-empty-{size}")
    page.fill("#note", "x" * 2001)
    assert page.text_content("#note-count").startswith("2001 of 2000")  # type: ignore[union-attr]
    assert "error" in (page.get_attribute("#note-count", "class") or "")
    page.click("[data-testid=save-night]")
    page.wait_for_selector("[data-testid=form-error]")
    for name in ("into_bed", "tried_to_sleep", "sol_minutes", "awakenings", "waso_minutes"):
        assert page.is_visible(f"#{name}-error"), name
    assert page.is_visible("#quality-error") and page.is_visible("#note-error")
    assert page.input_value("#note") == "x" * 2001  # nothing typed is lost
    _shot(page, f"diary-errors-{size}")
    with live.engine.connect() as conn:
        assert diary_store.list_nights(conn) == []
    assert page.errors == []


@pytest.mark.parametrize(("size", "viewport"), [("phone", PHONE), ("desktop", DESKTOP)])
def test_future_pages_say_so_and_symptoms_keep_their_day(
    browser: Any, live: Live, size: str, viewport: dict[str, int]
) -> None:
    page = _page(browser, live, viewport)
    page.goto(live.base + "/sleep?night=2099-01-01")
    assert page.is_visible("[data-testid=future]") and not page.query_selector("#into_bed")
    page.goto(live.base + "/symptoms?day=2099-01-01")
    assert page.is_visible("[data-testid=future]")
    page.goto(live.base + "/symptoms?day=2026-03-10")
    page.fill("#knee_note", "y" * 2001)
    page.check('input[name="knee"][value="3"]')
    page.click("[data-testid=save-symptoms]")
    page.wait_for_selector("[data-testid=form-error]")
    assert page.input_value('input[name="day"]') == "2026-03-10"
    assert page.is_visible("#knee_note-error")
    _shot(page, f"symptoms-errors-{size}")
    assert page.errors == []


def test_a_skipped_time_is_explained_in_the_inputs_time_format(browser: Any, live: Live) -> None:
    with live.engine.begin() as conn:
        slots_store.save(conn, SlotSettings(timezone="America/New_York"), EVENING)
    page = browser.new_context(viewport=PHONE, locale="en-US").new_page()
    watch(page, live)
    page.goto(live.base + "/sleep?night=2026-03-08")
    page.fill("#into_bed", "23:00")
    page.fill("#tried_to_sleep", "02:30")  # New York's clocks skip 02:00-02:59 that night
    page.fill("#sol_minutes", "10")
    page.fill("#awakenings", "0")
    page.fill("#waso_minutes", "0")
    page.fill("#final_awakening", "06:30")
    page.fill("#out_of_bed", "07:00")
    page.check('input[name="quality"][value="3"]')
    page.click("[data-testid=save-night]")
    page.wait_for_selector("#tried_to_sleep-error")
    page.wait_for_load_state("load")  # the page's scripts rewrite the times once they have run
    message = page.text_content("#tried_to_sleep-error") or ""
    assert "2:30 AM" in message and "02:30" not in message
    assert "on Mar 8, 2026 in America/New_York" in message, message  # as a date input shows it
    assert "clocks went forward" in message
    _shot(page, "diary-skipped-time-phone")
    assert page.errors == []


@pytest.mark.parametrize(("size", "viewport"), [("phone", PHONE), ("desktop", DESKTOP)])
def test_the_first_form_shows_the_bedtime_hint_as_the_inputs_do_and_no_value(
    browser: Any, live: Live, size: str, viewport: dict[str, int]
) -> None:
    page = browser.new_context(viewport=viewport, locale="en-US").new_page()
    watch(page, live)
    page.goto(live.base + "/sleep")
    page.wait_for_load_state("load")
    assert page.input_value("#into_bed") == ""
    hint = page.text_content("[data-testid=into_bed-hint]") or ""
    assert hint == "your bedtime reminder is at 10:00 PM", hint  # the slot's 22:00, as shown
    assert page.is_visible("[data-testid=into_bed-hint]")
    assert page.query_selector("input[name=quality]:checked") is None
    _shot(page, f"diary-first-hint-{size}")
    assert page.errors == []


def test_an_unusual_night_is_explained_in_the_inputs_time_format(browser: Any, live: Live) -> None:
    page = browser.new_context(viewport=PHONE, locale="en-US").new_page()
    watch(page, live)
    page.goto(live.base + "/sleep?night=2026-03-10")
    for name, value in (
        ("into_bed", "23:00"),
        ("tried_to_sleep", "23:15"),
        ("sol_minutes", "10"),
        ("awakenings", "0"),
        ("waso_minutes", "0"),
        ("final_awakening", "22:00"),
        ("out_of_bed", "22:30"),
    ):
        page.fill(f"#{name}", value)
    page.check('input[name="quality"][value="3"]')
    page.click("[data-testid=save-night]")
    page.wait_for_selector("#confirm-error")
    page.wait_for_load_state("load")
    message = page.text_content("#confirm-error") or ""
    assert "into bed at 11:00 PM to getting out of bed at 10:30 PM" in message, message
    assert page.is_visible('input[name="confirm"]')
    _shot(page, "diary-unusual-phone")
    page.check('input[name="confirm"]')
    page.click("[data-testid=save-night]")
    page.wait_for_selector("[data-testid=metrics]")
    assert page.errors == []
