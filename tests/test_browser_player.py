"""The web player in Debian's Chromium: one screen at every size, the picture on the audio's
clock, credit only for time played, resume, seeking and keys, clear ends and the chapters.

The tests move through the track by seeking the audio rather than waiting for it to play."""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from anklesleep.routine.descriptions import clock
from tests.browser_helpers import (
    ARTIFACTS,
    DESKTOP,
    PHONE,
    Live,
    live_server,
    wait_until,
    watch,
)
from tests.session_helpers import stored_sessions

pytestmark = pytest.mark.browser

#: phones upright and on their side, a tablet both ways, two laptops
SIZES = [
    (320, 568),
    (568, 320),
    (375, 667),
    (667, 375),
    (390, 844),
    (844, 390),
    (768, 1024),
    (1024, 768),
    (1280, 800),
    (1366, 768),
]
TRANSPORT = ("#prev", "#play", "#next-step", "#stop", "#progress")
SHOTS = ARTIFACTS.parent / "player"


@pytest.fixture
def live(tmp_path: Path) -> Iterator[Live]:
    with live_server(tmp_path, acknowledged=True) as server:
        yield server
        assert server.foreign_requests() == []


# Lets a test call the lock-screen actions the page registered.
CAPTURE_MEDIA_SESSION = """
window.__actions = {};
if ("mediaSession" in navigator) {
  const original = navigator.mediaSession.setActionHandler.bind(navigator.mediaSession);
  navigator.mediaSession.setActionHandler = (action, handler) => {
    window.__actions[action] = handler;
    return original(action, handler);
  };
}
"""


def _open(
    browser: Any, live: Live, routine: str = "quick", viewport: Any = PHONE, **kw: Any
) -> Any:
    context = browser.new_context(viewport=viewport, **kw)
    context.add_init_script(CAPTURE_MEDIA_SESSION)
    page = context.new_page()
    watch(page, live)
    page.goto(f"{live.base}/play/{routine}")
    page.wait_for_selector("#play:not([disabled])", timeout=180_000)
    return page


def _audio(page: Any, expression: str) -> Any:
    return page.evaluate(
        f"(() => {{ const a = document.getElementById('audio'); return {expression}; }})()"
    )


def _seek(page: Any, seconds: float) -> None:
    """Seek the audio and wait until the page has drawn the new moment."""
    page.evaluate(
        """(t) => new Promise((done) => {
          const a = document.getElementById('audio');
          const drawn = () => requestAnimationFrame(() => requestAnimationFrame(done));
          a.addEventListener('seeked', drawn, { once: true });
          a.currentTime = t;
        })""",
        seconds,
    )


def _timeline(page: Any, routine: str) -> dict[str, Any]:
    track: dict[str, Any] = page.evaluate(
        f"fetch('/api/track?routine={routine}', "
        "{headers: {'X-Requested-With': 'anklesleep'}}).then(r => r.json())"
    )
    return track["timeline"]  # type: ignore[no-any-return]


def _in_view(page: Any, selector: str) -> bool:
    box = page.locator(selector).bounding_box()
    size = page.viewport_size
    return (
        box is not None
        and box["x"] >= 0
        and box["y"] >= 0
        and box["x"] + box["width"] <= size["width"] + 0.5
        and box["y"] + box["height"] <= size["height"] + 0.5
    )


#: Steps whose count is still cut off at the stage's foot: the full routine's ankle steps, while
#: the "five more circles" card takes its room on a phone on its side (568x320). Still to fix;
#: the test fails when another step or size is cut off (and names this list when one is fixed).
KNOWN_CLIPPED = {
    ("full", 568, 320, f"{step} ({foot})") for step in ("A1", "A2") for foot in ("left", "right")
}


def _check_every_step_fits(browser: Any, live: Live, routine: str) -> None:
    clipped: set[tuple[str, int, int, str]] = set()
    for width, height in SIZES:
        page = _open(browser, live, routine, {"width": width, "height": height})
        timeline = _timeline(page, routine)
        cues = timeline["cues"]
        longest = max(timeline["chapters"], key=lambda c: len(cues[c["first_cue"]]["text"]))
        for chapter in timeline["chapters"]:
            _seek(page, chapter["start"] + min(0.4, (chapter["end"] - chapter["start"]) / 2))
            outside = [s for s in TRANSPORT if not _in_view(page, s)]
            assert outside == [], (width, height, chapter["title"], outside)
            assert _in_view(page, "#instruction"), (width, height, chapter["title"])
            # the count and its label are whole inside the stage, not cut off at its foot
            stage, count = (page.locator(s).bounding_box() for s in ("#stage", ".count-row"))
            if count["y"] + count["height"] > stage["y"] + stage["height"] + 0.5:
                clipped.add((routine, width, height, chapter["title"]))
            if chapter is longest:
                SHOTS.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(SHOTS / f"{routine}-{width}x{height}.png"))
        assert page.errors == []
        page.context.close()
    known = {c for c in KNOWN_CLIPPED if c[0] == routine}
    assert clipped == known, ("cut off:", clipped - known, "no longer cut off:", known - clipped)


@pytest.mark.slow
def test_the_transport_stays_on_one_screen_for_every_quick_step(browser: Any, live: Live) -> None:
    _check_every_step_fits(browser, live, "quick")


@pytest.mark.slow
def test_the_transport_stays_on_one_screen_for_every_full_step(browser: Any, live: Live) -> None:
    _check_every_step_fits(browser, live, "full")


@pytest.mark.slow
def test_holds_fill_a_ring_that_tracks_the_hold(browser: Any, live: Live) -> None:
    page = _open(browser, live, "full")
    timeline = _timeline(page, "full")
    holds = [c for c in timeline["cues"] if c["kind"] in ("hold", "release")][:6]
    for cue in holds:
        for share in (0.25, 0.75):
            _seek(page, cue["start"] + share * cue["duration"])
            fill = float(page.get_attribute("#ring", "data-fill") or "nan")
            expected = share if cue["kind"] == "hold" else 1 - share
            assert fill == pytest.approx(expected, abs=0.02)
            assert page.is_visible("#ring")
            assert page.text_content("#count") != "0"
    page.screenshot(path=str(SHOTS / "full-hold.png"))


def _angle(page: Any, cue: dict[str, Any] | None = None) -> float:
    """The picture's moving part's rotation in degrees, as the browser draws it."""
    if cue is not None:
        wait_until(
            page,
            f"document.getElementById('picture').dataset.shown === '{cue['step']}/{cue['foot']}'",
        )
        page.evaluate("new Promise((done) => requestAnimationFrame(() => done()))")
    matrix = page.evaluate(
        "getComputedStyle(document.querySelector('#picture .as-turn, #picture .as-rock')).transform"
    )
    if matrix in (None, "none"):
        return 0.0
    a, b = (float(x) for x in re.findall(r"-?[\d.e-]+", matrix)[:2])
    return math.degrees(math.atan2(b, a))


def _expected_angle(cue: dict[str, Any], share: float, inward: bool) -> float:
    if cue["kind"] == "tilt":
        start = -7 if cue["rep"] % 2 else 7
        return start - 2 * start * (0.5 - 0.5 * math.cos(math.pi * share))
    return (-360 if inward else 360) * share


def _same_angle(a: float, b: float) -> bool:
    return abs((a - b + 180) % 360 - 180) < 1.0


@pytest.mark.slow
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_picture_moves_once_per_cue_in_phase_with_the_audio(
    browser: Any, live: Live, viewport: dict[str, int]
) -> None:
    page = _open(browser, live, viewport=viewport)
    timeline = _timeline(page, "quick")
    moving = [c for c in timeline["cues"] if c["kind"] in ("circle", "tilt")]
    checked = 0
    for cue in moving[::3]:
        for share in (0.1, 0.5, 0.9):
            _seek(page, cue["start"] + share * cue["duration"])
            phase = float(page.get_attribute("#picture", "data-phase") or "nan")
            assert phase == pytest.approx(share, abs=0.01)
            drawn = _angle(page, cue)
            inward = bool(page.query_selector("#picture .as-turn-in"))
            assert _same_angle(drawn, _expected_angle(cue, share, inward)), (cue, share)
            checked += 1
    assert checked >= 9
    # While it plays, the drawn phase follows currentTime (sampled in the page's own frames).
    first_circle = moving[0]
    _seek(page, first_circle["start"])
    page.click("#play")
    wait_until(
        page, f"document.getElementById('audio').currentTime > {first_circle['start'] + 0.2}"
    )
    samples = page.evaluate(
        """() => new Promise((done) => {
          const a = document.getElementById('audio'), out = [];
          const tick = () => {
            requestAnimationFrame(() => {
              out.push([a.currentTime, Number(document.getElementById('picture').dataset.phase)]);
              out.length < 40 ? setTimeout(tick, 37) : done(out);
            });
          };
          tick();
        })"""
    )
    starts = [c["start"] for c in timeline["cues"]]
    good = 0
    for at, phase in samples:
        i = max(j for j, s in enumerate(starts) if s <= at)
        cue = timeline["cues"][i]
        if cue["kind"] not in ("circle", "tilt"):
            continue
        expected = (at - cue["start"]) / cue["duration"]
        good += abs(phase - expected) < 0.05 or abs(phase - expected) > 0.95  # wrap at a cue
    assert good >= 0.9 * len(samples)
    # Paused: everything stands still and says so.
    page.click("#play")
    wait_until(page, "document.getElementById('player-app').dataset.state === 'paused'")
    page.evaluate("new Promise((done) => requestAnimationFrame(() => done()))")
    before = (_angle(page), page.get_attribute("#picture", "data-phase"))
    page.wait_for_timeout(400)
    assert (_angle(page), page.get_attribute("#picture", "data-phase")) == before
    assert page.is_visible("#paused-badge")
    assert page.get_attribute("#player-app", "data-state") == "paused"
    page.screenshot(path=str(SHOTS / f"paused-{viewport['width']}.png"))
    assert page.errors == []


@pytest.mark.slow
def test_reduced_motion_shows_a_still_picture_and_the_count(browser: Any, live: Live) -> None:
    page = _open(browser, live, reduced_motion="reduce")
    timeline = _timeline(page, "quick")
    circle = next(c for c in timeline["cues"] if c["kind"] == "circle")
    for share in (0.2, 0.7):
        _seek(page, circle["start"] + share * circle["duration"])
        assert _angle(page, circle) == pytest.approx(0, abs=0.01)
    assert page.text_content("#count") == str(circle["rep"])
    assert page.text_content("#count-label") == f"circle {circle['rep']} / {circle['reps']}"


def _brightness(page: Any, x: float, y: float) -> float:
    """The lightness (0..1) of the pixel drawn at (x, y)."""
    from io import BytesIO

    from PIL import Image

    shot = page.screenshot(clip={"x": x, "y": y, "width": 1, "height": 1})
    red, green, blue = Image.open(BytesIO(shot)).convert("RGB").getpixel((0, 0))
    return float(0.2126 * red + 0.7152 * green + 0.0722 * blue) / 255


def _play_for(page: Any, seconds: float) -> None:
    start = _audio(page, "a.currentTime")
    page.click("#play")
    wait_until(page, f"document.getElementById('audio').currentTime > {start + seconds}")


@pytest.mark.slow
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_seeking_to_the_end_earns_no_finished_session(
    browser: Any, live: Live, viewport: dict[str, int]
) -> None:
    page = _open(browser, live, viewport=viewport)
    total = _timeline(page, "quick")["total_seconds"]
    _audio(page, "a.playbackRate = 4")
    _play_for(page, 6)
    _seek(page, total - 2)  # drag to near the end and let it finish
    page.wait_for_selector("#done:not([hidden])", timeout=30_000)
    record = stored_sessions(live.engine)[0]
    assert not record.completed
    assert 6 <= record.completed_seconds < 20
    assert page.text_content("#done-h") == "You reached the end"
    # the number and its per cent sign stay on one line
    assert f"{record.percent_played}\u00a0%" in (page.text_content("#done-what") or "")
    assert page.is_hidden("#stopped")
    page.screenshot(path=str(SHOTS / f"end-partial-{viewport['width']}.png"))
    page.click("[data-testid=back-today]")
    assert page.get_attribute('[data-slot="bedtime"]', "data-status") == "partial"
    assert f"{record.percent_played} %" in (page.text_content("[data-testid=last-session]") or "")
    page.goto(live.base + "/history")
    assert f"{record.percent_played} %" in (page.text_content("main") or "")
    assert page.errors == []


@pytest.mark.slow
def test_a_session_played_through_ends_with_one_card_and_today_says_so(
    browser: Any, live: Live
) -> None:
    page = _open(browser, live, viewport=DESKTOP)
    bar = page.locator("#progress").bounding_box()
    _audio(page, "a.playbackRate = 8")
    page.click("#play")
    page.wait_for_selector("#done:not([hidden])", timeout=60_000)
    # The card stands out: what it leaves showing of the player is dimmed behind it (the full
    # progress bar's start, left of the card, is no longer bright).
    page.wait_for_timeout(100)
    card = page.locator("#done").bounding_box()
    x, y = bar["x"] + 4, bar["y"] + bar["height"] / 2
    assert x < card["x"]
    assert _brightness(page, x, y) < 0.35
    record = stored_sessions(live.engine)[0]
    assert record.completed
    assert len(record.steps_done) == len(set(record.steps_done))
    assert record.ended_at is not None
    assert page.text_content("#done-h") == "Session finished"
    assert "1" in (page.text_content("#done-streak") or "")
    assert page.get_attribute("#done a[href='/sleep']", "href") == "/sleep"
    assert page.is_disabled("#stop")  # after the end there is nothing left to stop
    assert page.is_hidden("#stopped")
    page.screenshot(path=str(SHOTS / "end-done.png"))
    page.click("[data-testid=back-today]")
    assert "finished" in (page.text_content("[data-testid=last-session]") or "")
    assert page.errors == []


def test_stop_before_play_records_nothing_and_says_so(browser: Any, live: Live) -> None:
    page = _open(browser, live)
    page.click("#stop")
    wait_until(page, "document.getElementById('status').textContent.startsWith('Nothing')")
    assert page.is_hidden("#stopped")
    assert stored_sessions(live.engine) == []


@pytest.mark.slow
def test_the_countdown_never_shows_zero_while_a_step_runs(browser: Any, live: Live) -> None:
    page = _open(browser, live)
    timeline = _timeline(page, "quick")
    for chapter in timeline["chapters"][:-1]:
        _seek(page, chapter["end"] - 0.02)
        assert page.text_content("#count") != "0", chapter["title"]
        assert page.text_content("#remaining") not in ("−0:00", "-0:00")


@pytest.mark.slow
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_reopening_offers_to_resume_and_start_over_keeps_the_old_one(
    browser: Any, live: Live, viewport: dict[str, int]
) -> None:
    page = _open(browser, live, viewport=viewport)
    page.click("#next-step")
    page.wait_for_selector("#more:not([hidden])")
    page.click("#more-inward")
    wait_until(page, "document.getElementById('status').textContent.startsWith('Five more')", 60)
    grown = _audio(page, "a.duration")
    _play_for(page, 1.5)
    page.click("#play")  # pause: the position is reported
    wait_until(page, "document.getElementById('audio').paused")
    page.wait_for_timeout(300)
    left = stored_sessions(live.engine)[0]
    assert left.position_seconds is not None and left.position_seconds > 3
    assert left.planned_seconds == pytest.approx(grown, abs=0.2)  # the circles extend it
    page.reload()
    page.wait_for_selector("#resume-card:not([hidden])", timeout=60_000)
    label = page.text_content("#resume-at") or ""
    assert label == f"Resume at {clock(left.position_seconds)}"
    assert _audio(page, "a.duration") == pytest.approx(grown, abs=0.2)  # with its circles
    page.screenshot(path=str(SHOTS / f"resume-{viewport['width']}.png"))
    page.click("#resume-at")
    wait_until(page, "!document.getElementById('audio').paused")
    assert _audio(page, "a.currentTime") >= left.position_seconds - 0.1
    page.click("#play")
    page.wait_for_timeout(300)
    assert len(stored_sessions(live.engine)) == 1  # the same session carried on
    page.reload()
    page.wait_for_selector("#resume-card:not([hidden])", timeout=60_000)
    page.click("#start-over")
    wait_until(page, "!document.getElementById('audio').paused")
    wait_until(page, "document.getElementById('audio').currentTime > 0.3")
    page.click("#play")
    page.wait_for_timeout(300)
    old, new = stored_sessions(live.engine)
    assert old.uuid == left.uuid and old.ended_at is not None and not old.completed
    assert new.ended_at is None
    assert page.errors == []


@pytest.mark.slow
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_progress_bar_seeks_and_keys_work_from_any_control(
    browser: Any, live: Live, viewport: dict[str, int]
) -> None:
    page = _open(browser, live, viewport=viewport)
    total = _timeline(page, "quick")["total_seconds"]
    assert page.get_attribute("#progress", "role") == "slider"
    box = page.locator("#progress").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    assert _audio(page, "a.currentTime") == pytest.approx(total / 2, abs=1.5)
    assert page.get_attribute("#progress", "aria-valuenow") == str(
        round(_audio(page, "a.currentTime"))
    )
    page.focus("#progress")
    before = _audio(page, "a.currentTime")
    page.keyboard.press("ArrowRight")
    assert _audio(page, "a.currentTime") == pytest.approx(before + 5, abs=0.2)
    page.keyboard.press("Home")
    assert _audio(page, "a.currentTime") == pytest.approx(0, abs=0.1)
    # Space plays and pauses even with another button focused; the arrows change step.
    page.focus("#next-step")
    page.keyboard.press("Space")
    wait_until(page, "!document.getElementById('audio').paused")
    page.keyboard.press("Space")
    wait_until(page, "document.getElementById('audio').paused")
    first = page.text_content("#instruction")
    page.focus("#stop")
    page.keyboard.press("ArrowRight")
    wait_until(page, f"document.getElementById('instruction').textContent !== {first!r}")
    assert page.is_hidden("#stopped")  # Space or arrows never pressed Stop
    # The lock screen's seek actions.
    page.evaluate("window.__actions.seekto({ action: 'seekto', seekTime: 30 })")
    assert _audio(page, "a.currentTime") == pytest.approx(30, abs=0.1)
    page.evaluate("window.__actions.seekforward({ action: 'seekforward' })")
    assert _audio(page, "a.currentTime") == pytest.approx(40, abs=0.1)
    page.evaluate("window.__actions.seekbackward({ action: 'seekbackward', seekOffset: 5 })")
    assert _audio(page, "a.currentTime") == pytest.approx(35, abs=0.1)
    assert page.errors == []


@pytest.mark.slow
def test_touch_on_the_progress_bar_seeks(browser: Any, live: Live) -> None:
    page = _open(browser, live, has_touch=True, is_mobile=True)
    total = _timeline(page, "quick")["total_seconds"]
    box = page.locator("#progress").bounding_box()
    page.touchscreen.tap(box["x"] + box["width"] * 0.25, box["y"] + box["height"] / 2)
    wait_until(page, "document.getElementById('audio').currentTime > 5")
    assert _audio(page, "a.currentTime") == pytest.approx(total / 4, abs=1.5)


@pytest.mark.slow
def test_the_audio_carries_the_chapters(browser: Any, live: Live) -> None:
    page = _open(browser, live)
    chapters = _timeline(page, "quick")["chapters"]
    cues = page.evaluate(
        """() => new Promise((done) => {
          const track = document.getElementById('chapters');
          const read = () => done(Array.from(track.track.cues || [], (c) => [c.startTime, c.text]));
          track.track.mode = 'hidden';
          track.readyState === 2 ? read() : track.addEventListener('load', read, { once: true });
        })"""
    )
    assert page.evaluate("document.getElementById('audio').textTracks[0].kind") == "chapters"
    assert len(cues) == len(chapters)
    assert [round(c[0], 2) for c in cues] == [round(c["start"], 2) for c in chapters]


@pytest.mark.slow
def test_sound_that_stops_stops_the_display_says_so_and_can_be_retried(
    browser: Any, live: Live
) -> None:
    page = _open(browser, live)
    page.click("#play")
    wait_until(page, "document.getElementById('audio').currentTime > 0.5")
    # The audio stops advancing while the element still says it plays (a dead output): the
    # page says it is waiting at once, whatever events the engine sends, then that no sound comes.
    page.evaluate(
        """() => { window.__said = [];
          new MutationObserver(() => window.__said.push(document.getElementById('status')
            .textContent)).observe(document.getElementById('status'), { childList: true }); }"""
    )
    _audio(page, "(a.playbackRate = 0, 0)")
    page.wait_for_selector("#trouble:not([hidden])", timeout=30_000)
    assert "Waiting for the audio…" in page.evaluate("window.__said")
    assert page.text_content("#status") == ""
    assert page.text_content("#trouble-text") == (
        "No sound is coming out — check your headphones or volume."
    )
    assert page.get_attribute("#player-app", "data-state") == "stalled"
    assert _audio(page, "a.paused") is True
    assert page.text_content("#retry") == "Retry"
    shown = page.text_content("#elapsed")
    page.wait_for_timeout(600)
    assert page.text_content("#elapsed") == shown
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "no-sound-390.png"))
    _audio(page, "(a.playbackRate = 1, 0)")
    page.click("#retry")
    at = _audio(page, "a.currentTime")
    wait_until(page, f"document.getElementById('audio').currentTime > {at + 0.3}")
    assert page.is_hidden("#trouble")
    # Paused from outside the page (headphones out, a call): say so and offer to resume.
    _audio(page, "(a.pause(), 0)")
    page.wait_for_selector("#trouble:not([hidden])")
    assert "paused by the phone" in (page.text_content("#trouble-text") or "")
    assert page.text_content("#retry") == "Resume"
    assert page.get_attribute("#player-app", "data-state") == "interrupted"
    page.click("#retry")
    wait_until(page, "!document.getElementById('audio').paused")
    # A pause asked for on the page is just a pause.
    page.click("#play")
    wait_until(page, "document.getElementById('audio').paused")
    wait_until(page, "document.getElementById('player-app').dataset.state === 'paused'")
    assert page.is_hidden("#trouble")
    page.click("#stop")
    page.wait_for_selector("#stopped:not([hidden])")
    record = stored_sessions(live.engine)[0]
    kinds = [note["kind"] for note in record.options["interruptions"]]
    assert kinds == ["stalled", "interrupted"]
    assert page.errors == []


@pytest.mark.slow
def test_the_download_offers_the_other_format_too(browser: Any, live: Live) -> None:
    page = _open(browser, live)
    assert page.get_attribute("#download", "href").endswith(".opus?download=1")  # type: ignore[union-attr]
    assert page.text_content("#download-other") == "MP3"
    with page.expect_download(timeout=120_000) as made:
        page.click("#download-other")
    assert made.value.suggested_filename == "anklesleep-quick.mp3"
    assert page.get_attribute("#download-other", "href").endswith(".mp3?download=1")  # type: ignore[union-attr]
    assert page.errors == []


@pytest.mark.slow
def test_an_opus_track_the_engine_cannot_decode_falls_back_to_mp3(browser: Any, live: Live) -> None:
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    watch(page, live)
    # the engine says it plays Opus, but this file will not decode
    page.route(
        "**/tracks/*.opus",
        lambda route: route.fulfill(
            status=200, body=b"OggS" + b"\0" * 400, content_type="audio/ogg"
        ),
    )
    page.goto(f"{live.base}/play/quick")
    page.wait_for_selector("#play:not([disabled])", timeout=180_000)
    assert _audio(page, "a.currentSrc").endswith(".mp3")
    assert page.is_hidden("#trouble")
    assert page.get_attribute("#download", "href").endswith(".mp3?download=1")  # type: ignore[union-attr]
    assert page.text_content("#download-other") == "Opus"
    page.click("#play")
    wait_until(page, "document.getElementById('audio').currentTime > 0.3")
    assert page.errors == []


# A stand-in for Safari's navigator.audioSession (Chromium has none), recorded for the test.
FAKE_AUDIO_SESSION = """
(() => {
  const fake = new EventTarget();
  fake.type = "auto";
  fake.state = "active";
  Object.defineProperty(navigator, "audioSession", { value: fake, configurable: true });
  window.__audioSession = fake;
})();
"""


@pytest.mark.slow
def test_bedtime_audio_settings_interruptions_and_the_lock_screen_state(
    browser: Any, live: Live
) -> None:
    context = browser.new_context(viewport=PHONE)
    context.add_init_script(FAKE_AUDIO_SESSION)
    page = context.new_page()
    watch(page, live)
    page.goto(f"{live.base}/play/quick")
    page.wait_for_selector("#play:not([disabled])", timeout=180_000)
    # declared as playback audio, so it keeps going with the ringer switch off
    assert page.evaluate("window.__audioSession.type") == "playback"
    state = "navigator.mediaSession.playbackState"
    page.click("#play")
    wait_until(page, "document.getElementById('audio').currentTime > 0.3")
    assert page.evaluate(state) == "playing"
    # the platform interrupts the audio session (a call): pause, say so, offer to resume
    page.evaluate(
        "window.__audioSession.state = 'interrupted';"
        " window.__audioSession.dispatchEvent(new Event('statechange'))"
    )
    page.wait_for_selector("#trouble:not([hidden])")
    assert "paused by the phone" in (page.text_content("#trouble-text") or "")
    assert page.text_content("#retry") == "Resume"
    assert _audio(page, "a.paused") is True
    assert page.get_attribute("#player-app", "data-state") == "interrupted"
    assert page.evaluate(state) == "paused"
    page.evaluate("window.__audioSession.state = 'active'")
    page.click("#retry")
    wait_until(page, "!document.getElementById('audio').paused")
    assert page.is_hidden("#trouble")
    wait_until(page, f"{state} === 'playing'")  # set when the "play" event arrives
    # headphones pulled out: the output devices change
    page.evaluate("navigator.mediaDevices.dispatchEvent(new Event('devicechange'))")
    page.wait_for_selector("#trouble:not([hidden])")
    assert "paused by the phone" in (page.text_content("#trouble-text") or "")
    assert _audio(page, "a.paused") is True
    assert page.evaluate(state) == "paused"
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "interrupted-390.png"))
    page.click("#stop")
    page.wait_for_selector("#stopped:not([hidden])")
    record = stored_sessions(live.engine)[0]
    kinds = [note["kind"] for note in record.options["interruptions"]]
    assert kinds == ["interrupted", "interrupted"]
    assert page.errors == []


@pytest.mark.slow
def test_keys_typed_into_a_field_are_left_to_the_field(browser: Any, live: Live) -> None:
    page = _open(browser, live)
    page.evaluate(
        "(() => { const field = document.createElement('input'); field.id = 'note';"
        " document.querySelector('main').append(field); })()"
    )
    page.focus("#note")
    page.keyboard.type("a b")
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowRight")
    assert page.input_value("#note") == "a b"
    assert _audio(page, "a.paused") is True
    assert _audio(page, "a.currentTime") == 0
    assert page.errors == []


@pytest.mark.slow
@pytest.mark.parametrize("size", [(320, 568), (390, 844)], ids=["320", "390"])
def test_a_long_instruction_is_clamped_with_show_more_and_the_transport_stays(
    browser: Any, live: Live, size: tuple[int, int]
) -> None:
    page = _open(browser, live, "full", {"width": size[0], "height": size[1]})
    timeline = _timeline(page, "full")
    cues = timeline["cues"]
    longest = max(timeline["chapters"], key=lambda c: len(cues[c["first_cue"]]["text"]))
    _seek(page, longest["start"] + 0.4)
    instruction = "document.getElementById('instruction')"
    clipped = f"{instruction}.scrollHeight > {instruction}.clientHeight + 1"
    wait_until(page, "!document.getElementById('instruction-more').hidden")
    assert page.evaluate(clipped) is True
    shut = page.evaluate(f"{instruction}.clientHeight")
    assert page.get_attribute("#instruction-more", "aria-expanded") == "false"
    page.click("#instruction-more")
    assert page.get_attribute("#instruction-more", "aria-expanded") == "true"
    assert page.text_content("#instruction-more") == "show less"
    # the whole text can be read: it shows more lines, and scrolls where a screen is too short
    assert page.evaluate(f"{instruction}.clientHeight") > shut
    if page.evaluate(clipped):
        assert page.evaluate(f"getComputedStyle({instruction}).overflowY") == "auto"
        page.evaluate(f"{instruction}.scrollTop = {instruction}.scrollHeight")
        seen = f"{instruction}.scrollTop + {instruction}.clientHeight"
        assert page.evaluate(f"{seen} >= {instruction}.scrollHeight - 1")
    assert [s for s in TRANSPORT if not _in_view(page, s)] == []
    assert _in_view(page, "#instruction")
    # the count is still whole inside the stage, below the text, not cut off or covered
    stage, count = (page.locator(s).bounding_box() for s in ("#stage", ".count-row"))
    text = page.locator(".instruction-box").bounding_box()
    assert count["y"] + count["height"] <= stage["y"] + stage["height"] + 0.5
    assert count["y"] >= text["y"] + text["height"] - 0.5
    page.screenshot(path=str(SHOTS / f"show-more-{size[0]}x{size[1]}.png"))
    page.click("#instruction-more")
    assert page.evaluate(clipped) is True
    assert page.evaluate(f"{instruction}.clientHeight") == shut
    assert page.errors == []


@pytest.mark.slow
@pytest.mark.parametrize("language", ["en", "ja"])
def test_a_reload_resumes_where_the_page_was_even_before_its_last_report_lands(
    browser: Any, live: Live, language: str
) -> None:
    from anklesleep.basics import formats

    page = _open(browser, live, locale="ja-JP" if language == "ja" else "en-GB")
    _seek(page, 40)
    _play_for(page, 0.5)
    page.click("#play")  # pause: this position reaches the server
    wait_until(page, "document.getElementById('audio').paused")
    page.wait_for_timeout(300)
    reported = stored_sessions(live.engine)[0].position_seconds
    assert reported is not None
    # from here on no report reaches the server (as when the one sent while the page closes
    # arrives after the reloaded page has asked where to resume)
    page.route("**/checkpoint", lambda route: route.abort())
    _play_for(page, 2.2)
    page.click("#play")
    wait_until(page, "document.getElementById('audio').paused")
    here = _audio(page, "a.currentTime")
    assert formats.duration(here, language) != formats.duration(reported, language)
    page.reload()
    page.wait_for_selector("#resume-card:not([hidden])", timeout=60_000)
    label = page.text_content("#resume-at") or ""
    assert formats.duration(here, language) in label
    assert formats.duration(here, language) in (page.text_content("#resume-text") or "")
    assert _audio(page, "a.currentTime") == pytest.approx(here, abs=0.05)
    page.click("#resume-at")
    wait_until(page, "!document.getElementById('audio').paused")
    assert _audio(page, "a.currentTime") >= here - 0.05
    assert page.errors == []
