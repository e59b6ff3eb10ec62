"""The player state machine, driven by a manual clock: nothing here sleeps."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine

from anklesleep.player.live import CueStarted, Event, Finished, Player, StepDone, step_id
from anklesleep.routine import catalog as routines
from anklesleep.routine.options import Options, validate
from anklesleep.routine.timeline import MORE_CIRCLES, Timeline, expand, no_speech
from anklesleep.testing.player import ManualClock
from tests.session_helpers import store_session, stored_session


def timeline(routine: str = "full", **options: object) -> Timeline:
    return expand(routines.load(routine), validate(**options), no_speech)


def started(events: list[Event]) -> list[CueStarted]:
    return [e for e in events if isinstance(e, CueStarted)]


def play_all(player: Player) -> list[Event]:
    events: list[Event] = []
    player.run(events.append)
    return events


def test_a_whole_session_emits_every_cue_on_time() -> None:
    tl = timeline("quick")
    clock = ManualClock()
    player = Player(tl, clock)
    events = play_all(player)
    cues = started(events)
    assert [e.index for e in cues] == list(range(len(tl.cues)))
    assert all(e.actual == pytest.approx(e.scheduled) for e in cues)
    assert [e.scheduled for e in cues] == [c.start for c in tl.cues]
    assert isinstance(events[-1], Finished)
    assert player.state == "finished"
    assert player.played_seconds() == pytest.approx(tl.total_seconds)
    steps = {step_id(c) for c in tl.chapters()} - {None}
    assert set(player.steps_done) == steps
    # a step is done before the next one starts, so a checkpoint never lags a step behind
    first_done = next(i for i, e in enumerate(events) if isinstance(e, StepDone))
    assert isinstance(events[first_done + 1], CueStarted)
    assert events[first_done + 1].cue.chapter == 1  # type: ignore[union-attr]


def test_ticks_before_a_deadline_emit_nothing() -> None:
    tl = timeline("quick")
    clock = ManualClock()
    player = Player(tl, clock)
    assert [e.index for e in started(player.start())] == [0]
    clock.advance(tl.cues[1].start / 2)
    assert player.tick() == []
    deadline = player.next_deadline()
    assert deadline is not None
    clock.sleep_until(deadline)
    assert [e.index for e in started(player.tick())] == [1]


def test_pause_and_resume_keep_the_remaining_time() -> None:
    tl = timeline("full")
    clock = ManualClock()
    player = Player(tl, clock)
    player.start()
    clock.advance(7.3)
    player.tick()
    cue_left, total_left, index = player.cue_remaining(), player.remaining(), player.current_index()
    deadline = player.next_deadline()
    assert deadline is not None
    player.pause()
    assert player.next_deadline() is None
    clock.advance(600.0)
    assert player.tick() == []  # nothing plays while paused
    assert player.cue_remaining() == pytest.approx(cue_left)
    player.resume()
    assert player.current_index() == index
    assert player.cue_remaining() == pytest.approx(cue_left)
    assert player.remaining() == pytest.approx(total_left)
    assert player.next_deadline() == pytest.approx(deadline + 600.0)
    assert player.played_seconds() == pytest.approx(7.3)


def test_pauses_are_excluded_from_scheduled_and_actual_times() -> None:
    tl = timeline("quick")
    clock = ManualClock()
    player = Player(tl, clock)
    events: list[Event] = list(player.start())
    for n in range(len(tl.cues) + 5):
        deadline = player.next_deadline()
        if deadline is None:
            break
        if n % 3 == 0:  # pause for a while before every third cue
            player.pause()
            clock.advance(12.0)
            player.resume()
            deadline = player.next_deadline()
            assert deadline is not None
        clock.sleep_until(deadline)
        events += player.tick()
    cues = started(events)
    assert len(cues) == len(tl.cues)
    assert all(e.actual == pytest.approx(e.scheduled) for e in cues)
    assert player.played_seconds() == pytest.approx(tl.total_seconds)


def test_next_lands_on_the_start_of_the_next_step() -> None:
    tl = timeline("full")
    clock = ManualClock()
    player = Player(tl, clock)
    chapters = tl.chapters()
    player.start()
    clock.advance(9.0)
    player.tick()
    assert player.current_chapter() == chapters[0]
    assert player.next_step()
    assert player.position() == pytest.approx(chapters[1].start)
    emitted = started(player.tick())
    assert [e.index for e in emitted] == [chapters[1].first]
    assert player.current_index() == chapters[1].first
    # the skipped step is not counted as done
    assert "T1:left" not in player.steps_done


def test_next_while_paused_moves_but_stays_paused() -> None:
    tl = timeline("full")
    clock = ManualClock()
    player = Player(tl, clock)
    chapters = tl.chapters()
    player.start()
    clock.advance(3.0)
    player.pause()
    player.next_step()
    player.next_step()
    assert player.state == "paused"
    assert player.position() == pytest.approx(chapters[2].start)
    clock.advance(50)
    assert player.position() == pytest.approx(chapters[2].start)
    player.resume()
    assert [e.index for e in started(player.tick())] == [chapters[2].first]


def test_previous_restarts_the_step_or_goes_back_one() -> None:
    tl = timeline("full")
    clock = ManualClock()
    player = Player(tl, clock)
    chapters = tl.chapters()
    player.start()
    player.next_step()
    player.next_step()
    player.tick()
    clock.advance(10.0)  # well into chapter 2: back restarts it
    player.tick()
    assert player.previous_step()
    assert player.position() == pytest.approx(chapters[2].start)
    player.tick()
    clock.advance(1.0)  # within the first seconds: back goes to the step before
    assert player.previous_step()
    assert player.position() == pytest.approx(chapters[1].start)
    assert player.previous_step()
    assert player.position() == pytest.approx(chapters[0].start)
    assert player.previous_step()  # at the very start it stays there
    assert player.position() == pytest.approx(0.0)


@given(st.lists(st.sampled_from(["next", "previous", "wait"]), max_size=40))
@settings(max_examples=60, deadline=None)
def test_skips_always_land_on_step_boundaries(moves: list[str]) -> None:
    tl = timeline("quick")
    clock = ManualClock()
    player = Player(tl, clock)
    starts = {c.start for c in tl.chapters()}
    player.start()
    for move in moves:
        if move == "wait":
            clock.advance(1.7)
            player.tick()
            continue
        moved = player.next_step() if move == "next" else player.previous_step()
        if moved:
            assert any(player.position() == pytest.approx(s) for s in starts)
        player.tick()
        if player.state == "finished":
            break


def test_next_on_the_last_step_does_nothing() -> None:
    tl = timeline("quick")
    clock = ManualClock()
    player = Player(tl, clock)
    player.start()
    while player.next_step():
        player.tick()
    assert player.current_chapter() == tl.chapters()[-1]
    assert not player.next_step()


def test_more_adds_exactly_five_circles_to_the_current_step() -> None:
    tl = timeline("full")
    clock = ManualClock()
    player = Player(tl, clock)
    chapters = tl.chapters()
    a1 = next(c for c in chapters if c.step == "A1")
    a1_index = chapters.index(a1)
    player.start()
    assert not player.can_add_circles()
    assert not player.more()  # a toe stretch: nothing to add
    for _ in range(a1_index):
        player.next_step()
    player.tick()
    clock.advance(tl.cues[a1.first].duration + 1.0)  # into the circles
    player.tick()
    before = [c for c in player.timeline.cues if c.chapter == a1.index and c.kind == "circle"]
    assert player.more()
    after = [c for c in player.timeline.cues if c.chapter == a1.index and c.kind == "circle"]
    assert len(after) == len(before) + MORE_CIRCLES
    assert {c.reps for c in after} == {len(before) + MORE_CIRCLES}
    assert [c.rep for c in after] == list(range(1, len(after) + 1))
    pace = before[-1].duration
    assert player.total_seconds == pytest.approx(tl.total_seconds + MORE_CIRCLES * pace)
    assert len(player.timeline.cues) == len(tl.cues) + MORE_CIRCLES
    # other steps are untouched
    others = [c for c in player.timeline.cues if c.chapter != a1.index]
    assert len(others) == len([c for c in tl.cues if c.chapter != a1.index])
    # playing on: every added circle is emitted, then the next step
    events: list[Event] = []
    while player.state == "playing" and player.current_chapter().index == a1.index:
        deadline = player.next_deadline()
        assert deadline is not None
        clock.sleep_until(deadline)
        events += player.tick()
    reps = [e.cue.rep for e in started(events) if e.cue.kind == "circle"]
    assert reps[-1] == len(after)
    assert "A1:left" in player.steps_done


def test_quit_stops_for_good() -> None:
    tl = timeline("quick")
    clock = ManualClock()
    player = Player(tl, clock)
    player.start()
    clock.advance(5.0)
    player.tick()
    player.quit()
    assert player.state == "stopped"
    clock.advance(100)
    assert player.tick() == []
    assert player.played_seconds() == pytest.approx(5.0)
    assert not player.next_step()


def test_quit_records_a_partial_session(engine: Engine) -> None:
    import datetime as dt

    from anklesleep.practice.records import new_record
    from anklesleep.services.playback import SessionHooks

    tl = timeline("quick")
    clock = ManualClock()
    player = Player(tl, clock)
    local = dt.datetime(2026, 3, 2, 22, 5, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    record = new_record(routine="quick", local_start=local, planned_seconds=tl.total_seconds)
    store_session(engine, record)
    ended = dt.datetime(2026, 3, 2, 21, 10, tzinfo=dt.UTC)
    hooks = SessionHooks(player, engine=engine, uuid=record.uuid, now=lambda: ended)
    hooks(player.start())
    second = tl.chapters()[2]
    while player.current_index() < second.first:
        deadline = player.next_deadline()
        assert deadline is not None
        clock.sleep_until(deadline)
        hooks(player.tick())
    stored = stored_session(engine, record.uuid)
    assert stored is not None
    assert stored.steps_done == ("A0:left", "A1:left")  # checkpointed per step
    assert not stored.completed
    player.quit()
    hooks.close(completed=False)
    stored = stored_session(engine, record.uuid)
    assert stored is not None
    assert not stored.completed
    assert stored.ended_at == ended
    assert stored.steps_done == ("A0:left", "A1:left")
    assert stored.completed_seconds == pytest.approx(second.start)


class LateClock(ManualClock):
    """Wakes up late from every wait by a chosen amount (a busy machine)."""

    def __init__(self, lateness: list[float]) -> None:
        super().__init__(start=0.0)
        self.lateness = list(lateness)

    def sleep_until(self, deadline: float) -> None:
        super().sleep_until(deadline)
        if self.lateness:
            self.advance(self.lateness.pop(0))


@given(st.lists(st.floats(min_value=0, max_value=0.01), min_size=10, max_size=60))
@settings(max_examples=50, deadline=None)
def test_late_wakeups_never_accumulate(lateness: list[float]) -> None:
    tl = timeline("quick", tempo=0.5)
    clock = LateClock(lateness)
    player = Player(tl, clock)
    events = play_all(player)
    cues = started(events)
    assert len(cues) == len(tl.cues)
    errors = [e.actual - e.scheduled for e in cues]
    # each cue is late by at most one wake-up's lateness, never by the sum of them
    assert max(errors) <= max(lateness) + 1e-9
    assert all(err >= -1e-9 for err in errors)


def test_an_empty_timeline_is_refused() -> None:
    with pytest.raises(ValueError):
        Player(Timeline("x", Options(), ()), ManualClock())


def test_event_records_have_the_documented_fields() -> None:
    tl = timeline("quick")
    player = Player(tl, ManualClock())
    first = started(player.start())[0]
    assert set(first.to_dict()) >= {"step", "kind", "rep", "scheduled", "actual"}
    assert first.to_dict()["step"] is None  # the lead-in belongs to no step
    assert tl.cues[1].step == "A0"


def test_reaching_the_end_by_skipping_is_not_a_completed_session() -> None:
    tl = timeline("quick")
    clock = ManualClock()
    player = Player(tl, clock)
    player.start()
    player.next_step()  # skip A0 on the left foot
    events: list[Event] = []
    while player.state == "playing":
        deadline = player.next_deadline()
        assert deadline is not None
        clock.sleep_until(deadline)
        events += player.tick()
    assert player.state == "finished"
    assert player.skipped_steps() == ("A0:left",)
    assert not player.complete()
    full = Player(tl, ManualClock())
    play_all(full)
    assert full.complete() and full.skipped_steps() == ()
