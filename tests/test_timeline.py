"""The timeline: exact counts, order, contiguity and the "more circles" control."""

from __future__ import annotations

import itertools
import math
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from anklesleep.routine import catalog as routines
from anklesleep.routine.options import Options, validate
from anklesleep.routine.timeline import (
    GET_SET_SECONDS,
    MORE_CIRCLES,
    TONE_HOLD,
    TONE_RELEASE,
    Timeline,
    add_circles,
    estimate_speech_seconds,
    expand,
    no_speech,
    reading_seconds,
)

FULL = routines.builtin("full")
QUICK = routines.builtin("quick")


def full(**raw: object) -> Timeline:
    return expand(FULL, validate(**raw), estimate_speech_seconds)


def test_full_has_sixty_five_second_toe_holds() -> None:
    holds = [c for c in full() if c.kind == "hold"]
    assert len(holds) == 60
    assert all(math.isclose(c.duration, 5.0) for c in holds)
    assert all(c.tone_hz == TONE_HOLD for c in holds)
    per_step = Counter((c.step, c.foot) for c in holds)
    assert per_step == {(f"T{n}", foot): 5 for n in range(1, 7) for foot in ("left", "right")}
    assert sum(c.duration for c in holds) == pytest.approx(300.0)


def test_every_hold_is_followed_by_a_release() -> None:
    cues = full().cues
    for i, cue in enumerate(cues):
        if cue.kind == "hold":
            after = cues[i + 1]
            assert after.kind == "release"
            assert (after.step, after.foot, after.rep) == (cue.step, cue.foot, cue.rep)
            assert after.tone_hz == TONE_RELEASE
            assert after.duration == pytest.approx(2.0)


def test_full_circles_and_tilts() -> None:
    cues = full().cues
    kinds = Counter((c.step, c.kind) for c in cues)
    assert kinds[("A1", "circle")] == 10
    assert kinds[("A2", "circle")] == 10
    assert kinds[("H1", "tilt")] == 20
    assert {c.foot for c in cues if c.kind in ("circle", "tilt")} == {"left", "right"}
    reps = [c.rep for c in cues if c.step == "A1" and c.foot == "left" and c.kind == "circle"]
    assert reps == [1, 2, 3, 4, 5]


def _blocks(timeline: Timeline) -> list[tuple[str | None, str | None]]:
    order: list[tuple[str | None, str | None]] = []
    for cue in timeline:
        key = (cue.section, cue.foot)
        if cue.section and (not order or order[-1] != key):
            order.append(key)
    return order


def test_default_order_is_by_section() -> None:
    assert _blocks(full()) == [
        ("toes", "left"), ("toes", "right"), ("ankle", "left"),
        ("ankle", "right"), ("heel", "left"), ("heel", "right"),
    ]  # fmt: skip


def test_by_foot_order_and_first_foot() -> None:
    assert _blocks(full(foot_order="by-foot", first_foot="right")) == [
        ("toes", "right"), ("ankle", "right"), ("heel", "right"),
        ("toes", "left"), ("ankle", "left"), ("heel", "left"),
    ]  # fmt: skip


def test_feet_switch_between_blocks_and_the_session_closes() -> None:
    cues = full().cues
    switches = [c for c in cues if c.kind == "switch"]
    assert len(switches) == 5
    assert [c.foot for c in switches] == ["right", "left", "right", "left", "right"]
    assert cues[-1].kind == "done"
    assert cues[0].kind == "announce"
    assert cues[0].say and cues[0].say.startswith("Toes, left foot.")


def test_toes_are_named_not_fingers() -> None:
    said = " ".join(c.say or "" for c in full() if c.section == "toes").lower()
    for finger in ("thumb", "index", "ring", "pinky", "finger"):
        assert finger not in said
    assert "big toe and the second toe" in said
    assert "little toe" in said


def test_quick_lasts_about_a_minute() -> None:
    total = expand(QUICK, Options(), estimate_speech_seconds).total_seconds
    assert 55 <= total <= 90
    cues = expand(QUICK, Options(), estimate_speech_seconds).cues
    assert Counter(c.kind for c in cues)["circle"] == 20
    assert Counter(c.kind for c in cues)["tilt"] == 10


def test_announcements_last_at_least_their_speech() -> None:
    def slow(text: str) -> float:
        return len(text) * 0.2  # a very slow voice

    for cue in expand(FULL, Options(), slow):
        if cue.say:
            assert cue.duration >= slow(cue.say)


def test_tempo_scales_movement() -> None:
    plain = full(tempo=1.0)
    slow = full(tempo=2.0)
    hold = next(c for c in slow if c.kind == "hold")
    assert hold.duration == pytest.approx(10.0)
    assert slow.total_seconds > plain.total_seconds


def test_extra_circles_after_the_outward_ones() -> None:
    timeline = full(extra_circles="left=inward")
    left = [c for c in timeline if c.section == "ankle" and c.foot == "left"]
    steps = [c.step for c in left if c.kind == "circle"]
    assert steps == ["A1"] * 5 + ["A2"] * 5 + ["A1"] * MORE_CIRCLES
    right = [c for c in timeline if c.section == "ankle" and c.foot == "right"]
    assert sum(1 for c in right if c.kind == "circle") == 10


def test_add_circles_inserts_five_and_shifts_the_rest() -> None:
    timeline = full()
    chapter = next(c.chapter for c in timeline if c.step == "A2" and c.foot == "left")
    more = add_circles(timeline, chapter)
    assert len(more) == len(timeline) + MORE_CIRCLES
    circles = [c for c in more if c.chapter == chapter and c.kind == "circle"]
    assert [c.rep for c in circles] == list(range(1, 11))
    assert {c.reps for c in circles} == {10}
    assert more.total_seconds == pytest.approx(timeline.total_seconds + 5 * 2.0)
    _assert_contiguous(more)
    not_circle = next(c.chapter for c in timeline if c.step == "T1")
    assert add_circles(timeline, not_circle) is timeline


def test_chapters_cover_the_timeline() -> None:
    timeline = full()
    chapters = timeline.chapters()
    assert chapters[0].start == 0
    assert chapters[-1].end == pytest.approx(timeline.total_seconds)
    for a, b in itertools.pairwise(chapters):
        assert a.end == pytest.approx(b.start)
        assert b.first == a.last + 1
    # 6 toe steps + 3 ankle + 2 heel, on two feet, plus 5 switches and the close
    assert len(chapters) == 11 * 2 + 5 + 1


def test_index_at() -> None:
    timeline = full()
    assert timeline.index_at(0) == 0
    third = timeline.cues[3]
    assert timeline.index_at(third.start + third.duration / 2) == 3
    assert timeline.index_at(timeline.total_seconds + 100) == len(timeline) - 1


def test_json_shape() -> None:
    data = full().to_dict()
    assert set(data) == {"routine", "total_seconds", "options", "cues"}
    cue = data["cues"][0]
    expected = {"start", "duration", "kind", "section", "foot", "step", "rep", "reps", "say"}
    assert expected | {"tone_hz"} <= set(cue)


def _assert_contiguous(timeline: Timeline) -> None:
    now = 0.0
    for cue in timeline:
        assert cue.start == pytest.approx(now, abs=1e-9)
        assert cue.duration > 0
        now = cue.end


option_values = st.fixed_dictionaries(
    {},
    optional={
        "hold": st.floats(1, 60),
        "release": st.floats(0.5, 30),
        "circle_pace": st.floats(0.5, 10),
        "tilt_pace": st.floats(0.5, 10),
        "tempo": st.floats(0.1, 3.0),
        "extra_circles": st.sampled_from(["none", "inward", "outward", "left=outward"]),
        "foot_order": st.sampled_from(["by-section", "by-foot"]),
        "first_foot": st.sampled_from(["left", "right"]),
        "voice": st.booleans(),
    },
)


@settings(max_examples=60, deadline=None)
@given(raw=option_values, routine_id=st.sampled_from(["full", "quick"]))
def test_any_valid_options_give_a_contiguous_timeline(
    raw: dict[str, object], routine_id: str
) -> None:
    routine = FULL if routine_id == "full" else QUICK
    timeline = expand(routine, validate(**raw), estimate_speech_seconds)
    _assert_contiguous(timeline)
    assert timeline.total_seconds == sum(c.duration for c in timeline)
    assert [c.chapter for c in timeline] == sorted(c.chapter for c in timeline)


def test_silent_timeline_gives_reading_time() -> None:
    timeline = expand(FULL, Options(voice=False), estimate_speech_seconds)
    minimum = FULL.transitions.announce_min_seconds
    for cue in timeline:
        if cue.kind == "announce":
            assert cue.duration == max(minimum, reading_seconds(cue.say or ""))
    assert no_speech("anything") == 0.0
    # 180 words a minute plus 1.5 s: nine words take 3 s to read, then the pause
    assert reading_seconds("one two three four five six seven eight nine") == 4.5
    assert reading_seconds("") == 0.0


def test_silent_grip_is_reading_time_plus_grip_seconds() -> None:
    quick = expand(QUICK, Options(voice=False), no_speech)
    grips = [c for c in quick if c.kind == "grip"]
    assert grips and all(c.duration == reading_seconds(c.say or "") + 1.0 for c in grips)
    assert all(c.duration > 0 for c in quick)


def test_grip_lasts_its_seconds_after_the_words() -> None:
    def speech(text: str) -> float:
        return len(text.split()) * 0.5

    for cue in expand(FULL, Options(), speech):
        if cue.kind == "grip":
            step = FULL.step(cue.step or "")
            assert cue.duration == pytest.approx(speech(cue.say or "") + step.seconds)


def test_first_hold_or_movement_comes_a_get_set_pause_after_the_words() -> None:
    def speech(text: str) -> float:
        return len(text.split()) * 0.5

    cues = expand(FULL, Options(), speech).cues
    for before, after in itertools.pairwise(cues):
        if before.kind == "announce" and after.kind in ("hold", "circle", "tilt"):
            assert after.start - (before.start + speech(before.say or "")) >= GET_SET_SECONDS
