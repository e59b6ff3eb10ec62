"""The timeline: exact counts, order, contiguity and the "more circles" control."""

from __future__ import annotations

import itertools
import math
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from anklesleep.basics.errors import AnkleSleepError
from anklesleep.routine import catalog as routines
from anklesleep.routine.options import Options, validate
from anklesleep.routine.script import builtin_script, parse_script
from anklesleep.routine.timeline import (
    COUNT_DELAY,
    COUNT_TAIL,
    GET_SET_SECONDS,
    LEAD_IN_SECONDS,
    MORE_CIRCLES,
    TONE_HOLD,
    TONE_LAST_HOLD,
    TONE_RELEASE,
    TONE_STEP_END,
    Timeline,
    add_circles,
    estimate_speech_seconds,
    expand,
    is_lead_in,
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
    assert all(c.tone_hz == (TONE_LAST_HOLD if c.rep == c.reps else TONE_HOLD) for c in holds)
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
            assert after.tone_hz == (TONE_STEP_END if after.rep == after.reps else TONE_RELEASE)
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
    first_step = next(c for c in cues if c.step is not None)
    assert first_step.kind == "announce"
    assert first_step.say and first_step.say.startswith("Toes, left foot.")
    bare = full(intro="none").cues
    assert bare[1].say and bare[1].say.startswith("Toes, left foot.")


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
    # the introduction, 6 toe steps + 3 ankle + 2 heel on two feet, 5 switches and the close
    assert len(chapters) == 1 + 11 * 2 + 5 + 1
    assert chapters[0].step is None and chapters[0].kind == "announce"


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
    for cue in timeline.cues[1:]:  # after the lead-in
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


# --- the spoken script --------------------------------------------------------------------------


def test_introduction_full_short_or_none() -> None:
    script = builtin_script()
    intro = [c for c in full() if c.chapter == 0][1:]  # after the lead-in
    assert [c.say for c in intro] == [s.format(foot="left foot") for s in script.intro_full]
    assert any("right foot" in (c.say or "") for c in full(intro="short", first_foot="right"))
    assert len([c for c in full(intro="short") if c.chapter == 0]) == len(script.intro_short) + 1
    assert full(intro="none").cues[1].step == "T1"
    # the quick routine starts straight away (after the lead-in) unless asked
    assert expand(QUICK, Options(), estimate_speech_seconds).cues[1].step == "A0"


@pytest.mark.parametrize("tempo", [0.5, 1.0, 2.0])
@pytest.mark.parametrize("voice", [True, False])
def test_every_session_opens_with_a_silent_two_second_lead_in(tempo: float, voice: bool) -> None:
    for routine, intro in ((FULL, "full"), (FULL, "none"), (QUICK, None)):
        timeline = expand(routine, validate(tempo=tempo, voice=voice, intro=intro))
        lead, first = timeline.cues[0], timeline.cues[1]
        assert (lead.start, lead.duration, lead.kind) == (0.0, LEAD_IN_SECONDS, "announce")
        assert lead.say is None and lead.tone_hz is None and lead.step is None
        assert is_lead_in(lead) and not any(is_lead_in(c) for c in timeline.cues[1:])
        assert first.start == LEAD_IN_SECONDS
        # it opens the first chapter, which is still named after what follows it
        chapter = timeline.chapters()[0]
        assert (chapter.first, chapter.start, chapter.index) == (0, 0.0, first.chapter)
        assert chapter.step == first.step and chapter.kind == first.kind
        assert [c.index for c in timeline.chapters()] == list(range(len(timeline.chapters())))


def test_rests_count_the_next_hold_and_name_the_last() -> None:
    def speech(text: str) -> float:
        return 0.4 * len(text.split())  # about what espeak-ng measures

    timeline = expand(FULL, validate(intro="none"), speech)
    cues = [c for c in timeline if c.step == "T1" and c.foot == "left"]
    said = [c.say for c in cues if c.kind == "release"]
    assert said == ["Two.", "Three.", "Four.", "Last one.", None]


def test_counts_never_lengthen_a_cue_and_are_skipped_when_the_pace_is_too_quick() -> None:
    def speech(text: str) -> float:
        return 0.6 * len(text.split())

    quick = expand(QUICK, validate(circle_pace=0.8, tilt_pace=0.8), speech)
    assert all(c.duration == pytest.approx(0.8) for c in quick if c.kind in ("circle", "tilt"))
    assert not any(c.say for c in quick if c.kind in ("circle", "tilt"))
    roomy = expand(QUICK, validate(circle_pace=2.0), speech)
    counted = [c.say for c in roomy if c.kind == "circle" and c.step == "A1" and c.foot == "left"]
    assert counted == ["One.", "Two.", "Three.", "Four.", "Last one."]
    for cue in roomy:
        if cue.kind in COUNT_DELAY and cue.say:
            assert COUNT_DELAY[cue.kind] + speech(cue.say) + COUNT_TAIL <= cue.duration


def test_silent_sessions_have_no_counts() -> None:
    timeline = full(voice=False)
    assert not any(c.say for c in timeline if c.kind in ("release", "circle", "tilt"))


def test_halfway_is_said_once_and_closing_follows_the_slot() -> None:
    said = [c.say or "" for c in full()]
    assert sum("Halfway there." in s for s in said) == 1
    script = builtin_script()
    for slot in ("morning", "home", "bedtime"):
        assert full(closing=slot).cues[-1].say == script.closing(slot)
    assert full().cues[-1].say == script.closing(None)
    # the quick routine's middle is its foot switch, which needs no "halfway" as well
    quick = expand(QUICK, Options(), estimate_speech_seconds)
    assert not any("Halfway" in (c.say or "") for c in quick)


@pytest.mark.parametrize("order", ["by-section", "by-foot"])
@pytest.mark.parametrize("tempo", [0.9, 1.0, 1.3])
def test_halfway_is_said_at_the_step_that_starts_nearest_the_middle_of_the_time(
    order: str, tempo: float
) -> None:
    timeline = full(foot_order=order, tempo=tempo)
    total = timeline.total_seconds
    # each step's first cue: the first cue of its chapter that names a step
    step_starts: dict[int, float] = {}
    for cue in timeline:
        if cue.step is not None and cue.chapter not in step_starts:
            step_starts[cue.chapter] = cue.start
    halfway = next(c for c in timeline if "Halfway there." in (c.say or ""))
    nearest = min(step_starts.values(), key=lambda start: abs(start - total / 2))
    assert halfway.start == pytest.approx(nearest, abs=1e-6)
    assert abs(halfway.start - total / 2) < total / 8  # not two thirds of the way through


def test_the_track_never_asks_for_what_it_cannot_hear() -> None:
    text = " ".join(c.say or "" for c in full()).lower()
    for request in ("ask for", "press m", "tap", "click", "button", "tell me"):
        assert request not in text


def test_script_file_mistakes_name_the_place() -> None:
    with pytest.raises(AnkleSleepError, match=r"script file: schema"):
        parse_script("schema = 2")
    with pytest.raises(AnkleSleepError, match=r"script file: intro.full: needs `say`"):
        parse_script('schema = 1\n[closing]\nany.say = "Bye."\n[intro]\nfull.say = []\n')
