"""The bedtime journey in three browser engines: Chromium, WebKitGTK (what Safari is built on)
and Firefox ESR. Today → the safety notes → the player → the sleep diary, in each: the page
plays the smallest format the engine supports, the display matches the timeline at sampled
moments of the audio, a media error stops the display and says so with Retry (noted on the
session record), and a night saved in the diary is stored. Screenshots at phone size go to
test-artifacts/engines/.

An engine that is not installed or cannot start is skipped with the reason; under CI=true it
fails instead (`scripts/system-deps.sh test` installs all three)."""

from __future__ import annotations

import math
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from anklesleep.routine.descriptions import clock
from anklesleep.store import diary as diary_store
from tests.browser_helpers import ARTIFACTS, Live, live_server
from tests.engine_drivers import ENGINES, Browser, EngineUnavailable, wait_for
from tests.session_helpers import stored_sessions

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SHOTS = ARTIFACTS.parent / "engines"
PHONE = (390, 844)
#: Moments sampled in the quick routine's track, as shares of its length.
SAMPLES = (0.02, 0.13, 0.31, 0.47, 0.66, 0.88)
NO_SOUND = "No sound is coming out"


@pytest.fixture
def live(tmp_path: Path) -> Iterator[Live]:
    with live_server(tmp_path, acknowledged=False) as server:
        yield server
        assert server.foreign_requests() == []


@pytest.fixture(params=sorted(ENGINES))
def browser(request: pytest.FixtureRequest) -> Iterator[Browser]:
    name = request.param
    try:
        with ENGINES[name](*PHONE) as instance:
            yield instance
    except EngineUnavailable as why:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{name} cannot start: {why}")
        pytest.skip(f"{name} cannot start: {why}")


def _state(browser: Browser) -> dict[str, Any]:
    found: dict[str, Any] = browser.evaluate(
        """(() => {
          const $ = (id) => document.getElementById(id);
          const a = $('audio');
          return {
            t: a.currentTime, paused: a.paused, ended: a.ended, src: a.currentSrc,
            state: $('player-app').dataset.state,
            instruction: $('instruction').textContent, elapsed: $('elapsed').textContent,
            count: $('count').textContent, label: $('count-label').textContent,
            trouble: $('trouble').hidden ? null : $('trouble-text').textContent,
            badge: !$('paused-badge').hidden,
          };
        })()"""
    )
    return found


def _seek(browser: Browser, seconds: float) -> None:
    """Seek the paused audio and wait until the page has drawn the new moment."""
    browser.evaluate(
        f"""new Promise((done) => {{
          const a = document.getElementById('audio');
          const drawn = () => requestAnimationFrame(() => requestAnimationFrame(done));
          a.addEventListener('seeked', drawn, {{ once: true }});
          a.currentTime = {seconds!r};
        }})"""
    )


def _cue_at(cues: list[dict[str, Any]], t: float) -> dict[str, Any]:
    return [c for c in cues if c["start"] <= t][-1]


def _shot(browser: Browser, what: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    browser.screenshot(SHOTS / f"{browser.name}-{what}.png")


def _wait_moving(browser: Browser, timeout: float = 30.0) -> None:
    """Wait until the audio has advanced (or, on a sound device that plays faster than real
    time, reached the end)."""
    try:
        wait_for(
            browser,
            "(() => { const a = document.getElementById('audio');"
            " return a.currentTime > 0.3 || a.ended; })()",
            timeout,
        )
    except AssertionError as failure:
        raise AssertionError(f"{failure}; the player shows {_state(browser)}") from None


def test_today_safety_player_and_diary_in_each_engine(browser: Browser, live: Live) -> None:
    # Today → the safety notes (first session) → the player
    browser.goto(live.base + "/")
    browser.click("a[href='/play/quick']")  # Today's start button for the quick routine
    wait_for(browser, "location.pathname === '/safety'")
    wait_for(browser, "document.querySelector('[data-testid=acknowledge]') !== null")
    assert "blood clot" in browser.evaluate("document.querySelector('main').textContent")
    browser.click("[data-testid=acknowledge]")
    wait_for(browser, "location.pathname === '/play/quick'")
    wait_for(browser, "document.getElementById('play') !== null")
    wait_for(browser, "!document.getElementById('play').disabled", 180)

    # The smallest format this engine says it plays, and both offered for download.
    opus = browser.evaluate(
        "document.createElement('audio').canPlayType('audio/ogg; codecs=\"opus\"')"
    )
    state = _state(browser)
    assert state["src"].endswith(".opus" if opus else ".mp3"), (opus, state["src"])
    links = browser.evaluate(
        "[document.getElementById('download').getAttribute('href'),"
        " document.getElementById('download-other').hidden,"
        " document.getElementById('download-other').dataset.format]"
    )
    assert links[0].endswith((".opus" if opus else ".mp3") + "?download=1")
    assert links[1] is False and links[2] == ("mp3" if opus else "opus")
    track = browser.evaluate(
        f"fetch('/api/track?routine=quick&fmt={'opus' if opus else 'mp3'}',"
        " {headers: {'X-Requested-With': 'anklesleep'}}).then(r => r.json())"
    )
    cues, total = track["timeline"]["cues"], track["timeline"]["total_seconds"]

    # The display matches the timeline wherever the audio is.
    for share in SAMPLES:
        t = round(share * total, 2)
        _seek(browser, t)
        shown = _state(browser)
        assert abs(shown["t"] - t) < 0.3, (browser.name, t, shown["t"])
        cue = _cue_at(cues, shown["t"])
        assert shown["instruction"] == cue["text"], (browser.name, t)
        assert shown["elapsed"] == clock(shown["t"])
        if cue["kind"] in ("hold", "release"):
            left = cue["start"] + cue["duration"] - shown["t"]
            assert shown["count"] == str(max(1, math.ceil(left - 0.001)))
            assert shown["label"].endswith(f"{cue['rep']} / {cue['reps']}")
        elif cue["kind"] in ("circle", "tilt"):
            assert shown["count"] == str(cue["rep"])
    _seek(browser, 0)
    _shot(browser, "player-ready")

    # What the audio element does from here on, to explain a failure below.
    browser.evaluate(
        """(() => {
          const a = document.getElementById('audio');
          window.__events = [];
          for (const e of ['play', 'playing', 'pause', 'waiting', 'seeking', 'seeked', 'error',
                           'emptied', 'loadedmetadata', 'ended']) {
            a.addEventListener(e, () => window.__events.push(`${e}@${a.currentTime.toFixed(2)}`));
          }
        })()"""
    )
    # A forced media error (the track is gone) stops the display, says so and offers Retry.
    browser.evaluate(
        "document.getElementById('audio').src = '/tracks/0123456789abcdef0123456789abcdef.opus'"
    )
    wait_for(browser, "!document.getElementById('trouble').hidden", 30)
    failed = _state(browser)
    assert failed["trouble"].startswith(NO_SOUND)
    assert failed["state"] == "error" and failed["badge"] and failed["paused"]
    shown_then = failed["elapsed"]
    time.sleep(0.6)
    assert _state(browser)["elapsed"] == shown_then  # nothing counts on without sound
    _shot(browser, "player-no-sound")

    # Retry loads the track again and plays it.
    browser.click("#retry")
    _wait_moving(browser)
    playing = _state(browser)
    assert playing["trouble"] is None
    assert playing["src"].endswith(".opus" if opus else ".mp3")
    if not playing["ended"]:
        _shot(browser, "player-playing")
        browser.click("#stop")
        wait_for(browser, "!document.getElementById('stopped').hidden", 30)
    else:
        wait_for(browser, "!document.getElementById('done').hidden", 30)
    _shot(browser, "player-end")
    records = stored_sessions(live.engine)
    assert len(records) == 1
    assert records[0].source == "web"
    assert records[0].played, (records[0], browser.evaluate("window.__events"))
    kinds = [note["kind"] for note in records[0].options.get("interruptions", [])]
    assert kinds == ["error"], (browser.name, records[0].options)

    # → the sleep diary: a night written in this engine is stored.
    browser.goto(live.base + "/sleep")
    wait_for(browser, "document.querySelector('[data-testid=save-night]') !== null")
    browser.evaluate(
        """(() => {
          const set = (id, v) => { document.getElementById(id).value = v; };
          set('into_bed', '22:45'); set('tried_to_sleep', '23:00'); set('sol_minutes', '20');
          set('awakenings', '1'); set('waso_minutes', '10'); set('final_awakening', '06:30');
          set('out_of_bed', '06:50');
          document.querySelector('input[name=quality][value="3"]').checked = true;
        })()"""
    )
    _shot(browser, "diary")
    browser.click("[data-testid=save-night]")
    deadline = time.monotonic() + 30
    while True:
        with live.engine.connect() as conn:
            nights = diary_store.list_nights(conn)
        if nights or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    assert len(nights) == 1, browser.name
    assert nights[0].sol_minutes == 20
    errors = getattr(browser, "errors", [])
    assert errors == [], errors
