"""The safety pager (keys scroll, the question stays) and "more circles" by re-rendering."""

from __future__ import annotations

import click

from anklesleep.player.live import Player
from anklesleep.player.more import MoreCircles, extra_circles_for
from anklesleep.player.pager import ask_with_pager, footer
from anklesleep.routine import catalog as routines
from anklesleep.routine.options import validate
from anklesleep.routine.timeline import Timeline, expand, no_speech
from anklesleep.testing.player import ManualClock


def ident(text: str) -> str:
    return text


def test_the_pager_scrolls_and_keeps_the_question_on_every_page() -> None:
    lines = [f"note {n}" for n in range(30)]
    keys = iter([" ", " ", "b", "y"])
    screens: list[str] = []
    answer = ask_with_pager(
        lines,
        "I have read these notes",
        ident,
        width=40,
        height=10,
        read_key=lambda: next(keys),
        write=screens.append,
    )
    assert answer is True
    pages = [s for s in screens if s.startswith("\x1b[H")]
    assert len(pages) == 4
    for page in pages:
        shown = page.removeprefix("\x1b[H\x1b[2J").rstrip(" ").split("\n")
        assert len(shown) <= 10
        assert click.unstyle(shown[-1]).startswith("I have read these notes: y yes")
    assert "note 0" in pages[0] and "note 0" not in pages[1]
    assert "note 14" in pages[2] and "note 13" not in pages[2]
    assert pages[3] == pages[1]  # b went back one page


def test_the_pager_says_no_on_n_and_the_footer_names_the_lines() -> None:
    assert not ask_with_pager(
        ["a"] * 20, "Q", ident, width=40, height=8, read_key=lambda: "n", write=lambda s: None
    )
    hint = footer(0, 5, 20, "Q", ident, 40)[0]
    assert "lines 1–5 of 20" in hint and "space more" in hint
    assert "space more" not in footer(15, 5, 20, "Q", ident, 40)[0]


def test_more_circles_renders_again_once_per_foot_in_the_step_direction() -> None:
    routine = routines.load("quick")
    options = validate()
    built: list[dict[str, str]] = []

    def build(wanted: object) -> Timeline:
        built.append(dict(wanted.extra_circles))  # type: ignore[attr-defined]
        return expand(routine, wanted, no_speech, ident)  # type: ignore[arg-type]

    base = expand(routine, options, no_speech, ident)
    player = Player(base, ManualClock(start=0.0))
    more = MoreCircles(routine, options, build)
    player.start()
    assert not more.available(player)  # the grip: no circles here
    assert not more.add(player)
    a1 = next(c for c in player.chapters if c.step == "A1" and c.foot == "left")
    assert isinstance(player.clock, ManualClock)
    player.clock.advance(a1.start + 0.5)
    player.tick()
    position = player.position()
    assert more.available(player)
    assert more.add(player)
    direction = next(s.direction for sec in routine.sections for s in sec.steps if s.id == "A1")
    assert built == [{"left": direction}]
    assert player.position() == position  # the same moment plays on
    assert player.total_seconds > base.total_seconds
    assert not more.available(player)  # once per foot
    assert extra_circles_for(routine, more.options, player.current_cue()) is None
