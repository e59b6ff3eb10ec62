"""The Insights page with a tracker (its nights beside the diary's, the Bland–Altman charts) and
the Sleep page of a tracked night, in Chromium at a phone's and a laptop's size: screenshots in
test-artifacts/pages/, axe with no serious or critical problem, nothing too small or too wide."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser_helpers import (
    Live,
    live_server,
    wait_until,
    watch,
)
from tests.test_browser_pages import OVERLAPPING_LABELS, SHOTS, SMALL_TEXT, SMALLEST_TEXT_PX, WIDE

pytestmark = pytest.mark.browser

SIZES = {"390x844": {"width": 390, "height": 844}, "1280x800": {"width": 1280, "height": 800}}
NIGHTS = 21


@pytest.fixture
def live(tmp_path: Path) -> Iterator[Live]:
    with live_server(tmp_path) as server:
        yield server
        assert server.foreign_requests() == []


def seed(live: Live) -> None:
    """Three weeks of diary and tracker nights; the diary says a little more sleep, by a varying
    amount; the last night has only its tracker (the diary form is still to fill in), and two
    diary nights took their times from the tracker."""
    from anklesleep.diary import forms
    from anklesleep.diary.entries import SleepEntry
    from anklesleep.store import diary as diary_store
    from anklesleep.store import settings as settings_store
    from anklesleep.store import trackers as tracker_store
    from anklesleep.trackers.records import TrackerNight

    now = live.clock()
    today = now.date()
    tracked: list[TrackerNight] = []
    with live.engine.begin() as conn:
        settings_store.put(conn, "safety_acknowledged_at", now.isoformat(), now)
        for back in range(NIGHTS):
            night = today - dt.timedelta(days=back)
            start = dt.datetime.combine(night - dt.timedelta(days=1), dt.time(23, 0), dt.UTC)
            start += dt.timedelta(minutes=back * 13 % 17)
            end = dt.datetime.combine(night, dt.time(6, 30), dt.UTC) + dt.timedelta(
                minutes=back * 29 % 23
            )
            in_bed = round((end - start).total_seconds() / 60)
            awake = 20 + back * 11 % 31
            one = TrackerNight(
                "fitbit", f"log{back}", "Charge 5", start, end, night, in_bed,
                in_bed - awake, awake, {"deep": 70, "light": 250, "rem": 80}, False,
            )  # fmt: skip
            tracked.append(one)
            if back == 0:
                continue
            if back in (3, 8):
                entry = forms.night_from_form({"quality": "3"}, night, "UTC", today, tracked=one)
            else:
                entry = SleepEntry(
                    night, dt.time(22, 50), dt.time(23, 5), 5 + back * 7 % 19, 1 + back % 2,
                    5 + back * 3 % 11, dt.time(6, 40), dt.time(6, 55), 2 + back % 4,
                )  # fmt: skip
            diary_store.save_night(conn, entry, now)
        tracker_store.save(conn, tracked, now)


def check(page: Any, name: str) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    wait_until(page, "document.readyState === 'complete'")
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    problems = [
        f"{name}: axe {v['id']} {[n['target'] for n in v['nodes']][:3]}"
        for v in Axe().run(page).response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    if small := page.evaluate(SMALL_TEXT, SMALLEST_TEXT_PX):
        problems.append(f"{name}: text under {SMALLEST_TEXT_PX} px: {small[:5]}")
    if wide := page.evaluate(WIDE):
        problems.append(f"{name}: wider than the screen: {wide}")
    if crowded := page.evaluate(OVERLAPPING_LABELS):
        problems.append(f"{name}: chart labels overlap: {crowded}")
    return problems


@pytest.mark.slow
@pytest.mark.parametrize("theme", ["dark", "light"])
@pytest.mark.parametrize("size", list(SIZES))
def test_insights_and_sleep_pages_with_a_tracker(
    browser: Any, live: Live, size: str, theme: str
) -> None:
    from anklesleep.store import preferences

    with live.engine.begin() as conn:
        preferences.save(conn, preferences.Preferences(theme=theme), live.clock())  # type: ignore[arg-type]
    seed(live)
    SHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport=SIZES[size], color_scheme=theme)
    page = context.new_page()
    watch(page, live)
    page.goto(live.base + "/insights")
    problems = check(page, f"insights-tracker-{size}-{theme}")
    card = page.locator("[data-testid=tracker-agreement]")
    words = card.text_content() or ""
    assert "18 nights have both a diary entry and a tracker night." in words
    assert "2 diary nights took their times from the tracker" in words
    trends = page.locator("[data-chart=tracker]")
    assert "Your diary" in (trends.locator(".legend").text_content() or "")
    assert "Tracker (Charge 5)" in (trends.locator(".legend").text_content() or "")
    agreement = page.locator("[data-chart=agreement-tst]")
    summary = agreement.locator("figcaption").text_content() or ""
    assert "Over 18 nights with both" in summary and "on average (diary minus" in summary
    assert "on most nights (95 %) the difference lay between" in summary
    points = agreement.locator(".pt[tabindex]")
    assert points.count() == 18
    points.nth(0).focus()  # the keyboard reaches every night, however close two are
    page.keyboard.press("ArrowRight")
    readout = agreement.locator(".readout").text_content() or ""
    assert readout == points.nth(1).get_attribute("aria-label")
    assert "compared with the tracker" in readout
    page.goto(live.base + "/sleep")
    problems += check(page, f"sleep-tracked-{size}-{theme}")
    assert page.locator("[data-from-tracker]").count() == 5
    page.check("#quality input[value='4']")
    page.click("[data-testid=save-night]")
    wait_until(page, "location.search.includes('saved=1')")
    assert "7 h" in (page.text_content("[data-metric=tst]") or "")
    assert page.errors == []
    context.close()
    assert problems == []
