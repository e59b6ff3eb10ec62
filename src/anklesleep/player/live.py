"""Live playback of a Timeline against an injected clock: the terminal player's state machine.

Every cue starts at an absolute deadline `origin + cue.start`, where `origin` is the clock time
at which the session position was 0 (start time plus time spent paused, moved by skips). The
player never counts sleeps, so a late wake-up never delays the cues after it. It does no I/O and
never waits itself: a shell asks `next_deadline()`, waits (on keys, or with `Clock.sleep_until`)
and calls `tick()`, which returns what happened.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from anklesleep.player.clock import Clock
from anklesleep.routine.timeline import Chapter, Cue, Timeline, add_circles

PlayerState = Literal["ready", "playing", "paused", "finished", "stopped"]
#: "previous step" restarts the current step when more than this many seconds of it have played
#: (like the back button of a music player), else goes to the step before.
RESTART_GRACE = 3.0
_EPS = 1e-9


@dataclass(frozen=True)
class CueStarted:
    """A cue began. `scheduled` is its start in the timeline and `actual` the session position
    when it was emitted (both seconds from session start, pauses excluded)."""

    index: int
    cue: Cue
    scheduled: float
    actual: float

    def to_dict(self) -> dict[str, Any]:
        """The `--events` JSON Lines record."""
        return {
            "index": self.index,
            "chapter": self.cue.chapter,
            "step": self.cue.step,
            "foot": self.cue.foot,
            "kind": self.cue.kind,
            "rep": self.cue.rep,
            "scheduled": round(self.scheduled, 6),
            "actual": round(self.actual, 6),
        }


@dataclass(frozen=True)
class StepDone:
    """A chapter was played to its end. `step_id` is like "T1:left" (None for a foot switch or
    the closing)."""

    chapter: Chapter
    step_id: str | None
    played_seconds: float


@dataclass(frozen=True)
class Finished:
    """The last cue ended."""

    played_seconds: float


Event = CueStarted | StepDone | Finished


def step_id(chapter: Chapter) -> str | None:
    """The id a chapter is recorded under in a session's `steps_done`, e.g. "A1:right"."""
    if chapter.step is None or chapter.kind in ("switch", "done"):
        return None
    return f"{chapter.step}:{chapter.foot}" if chapter.foot else chapter.step


class Player:
    """Plays one Timeline: start, tick, pause/resume, next/previous step, more circles, quit."""

    def __init__(self, timeline: Timeline, clock: Clock) -> None:
        if not timeline.cues:
            raise ValueError("cannot play an empty timeline")
        self.clock = clock
        self.state: PlayerState = "ready"
        self._set_timeline(timeline)
        self._origin = 0.0
        self._started_at = 0.0
        self._paused_at = 0.0
        self._ended_at = 0.0
        self._paused_total = 0.0
        self.lead = 0.0  # seconds sound takes to be heard: playing (re)starts this much later
        self._from = 0.0  # where playing last (re)started: the position never shows less
        self._next = 0  # index of the next cue to emit
        self._natural = False  # the next emission follows the previous cue without a skip
        self._steps_done: list[str] = []

    def _set_timeline(self, timeline: Timeline) -> None:
        self.timeline = timeline
        self.chapters = timeline.chapters()
        self._starts = [c.start for c in timeline.cues]

    # -- reading the state ---------------------------------------------------------------

    @property
    def total_seconds(self) -> float:
        return self.timeline.total_seconds

    @property
    def steps_done(self) -> tuple[str, ...]:
        return tuple(self._steps_done)

    def skipped_steps(self) -> tuple[str, ...]:
        """Steps of the routine not played to their end (skipped, or not reached yet)."""
        done = set(self._steps_done)
        ids = (step_id(c) for c in self.chapters)
        return tuple(dict.fromkeys(i for i in ids if i is not None and i not in done))

    def complete(self) -> bool:
        """Whether the session reached its end with every step played through."""
        return self.state == "finished" and not self.skipped_steps()

    def position(self) -> float:
        """Seconds into the timeline now (pauses excluded), clamped to the session."""
        if self.state == "ready":
            return 0.0
        if self.state == "finished":
            return self.total_seconds
        at = self._paused_at if self.state == "paused" else self.clock.now()
        if self.state == "stopped":
            at = self._ended_at
        return min(max(at - self._origin, self._from, 0.0), self.total_seconds)

    def played_seconds(self) -> float:
        """Time actually spent playing since start (pauses excluded, skips not counted twice)."""
        if self.state == "ready":
            return 0.0
        if self.state in ("finished", "stopped"):
            end = self._ended_at
        elif self.state == "paused":
            end = self._paused_at
        else:
            end = self.clock.now()
        return max(0.0, end - self._started_at - self._paused_total)

    def current_index(self) -> int:
        """Index of the cue at the current position (what a screen should show)."""
        position = self.position()
        i = bisect.bisect_right(self._starts, position + _EPS) - 1
        return max(0, min(len(self._starts) - 1, i))

    def current_cue(self) -> Cue:
        return self.timeline.cues[self.current_index()]

    def current_chapter(self) -> Chapter:
        return self.chapters[self._chapter_of(self.current_index())]

    def _chapter_of(self, cue_index: int) -> int:
        chapter = self.timeline.cues[cue_index].chapter
        return next(i for i, c in enumerate(self.chapters) if c.index == chapter)

    def cue_remaining(self) -> float:
        """Seconds left in the current cue."""
        return max(0.0, self.current_cue().end - self.position())

    def remaining(self) -> float:
        """Seconds left in the whole session."""
        return max(0.0, self.total_seconds - self.position())

    def upcoming(self, count: int = 1) -> tuple[Cue, ...]:
        """The next `count` cues after the current one."""
        i = self.current_index()
        return self.timeline.cues[i + 1 : i + 1 + count]

    def can_add_circles(self) -> bool:
        """True while the current step is one of ankle circles (where "more" applies)."""
        if self.state not in ("playing", "paused", "ready"):
            return False
        chapter = self.current_chapter()
        cues = self.timeline.cues[chapter.first : chapter.last + 1]
        return any(c.kind == "circle" for c in cues)

    def heard_origin(self) -> float | None:
        """Clock time at which the timeline's second 0 is (or would have been) heard while
        playing; None when nothing should sound (ready, paused, ended). An audio stream
        following this plays exactly what the screen shows."""
        return self._origin if self.state == "playing" else None

    def heard_from(self) -> float:
        """The position where playing last started, resumed or skipped to: a stream plays
        silence before it (what was already buffered is not played twice)."""
        return self._from

    def next_deadline(self) -> float | None:
        """Clock time of the next thing to happen (a cue start or the end); None unless
        playing."""
        if self.state != "playing":
            return None
        if self._next < len(self.timeline.cues):
            return self._origin + self.timeline.cues[self._next].start
        return self._origin + self.total_seconds

    # -- acting ----------------------------------------------------------------------------

    def start(self, lead: float = 0.0) -> list[Event]:
        """Begin playing at position 0, `lead` seconds from now (the time an audio stream
        needs before its first sample is heard); returns the first cue's start when due."""
        if self.state != "ready":
            return []
        self.lead = max(0.0, lead)
        now = self.clock.now() + self.lead
        self._origin = self._started_at = now
        self.state = "playing"
        return self.tick()

    def tick(self) -> list[Event]:
        """Emit every cue whose deadline has come, in order; finish at the end."""
        if self.state != "playing":
            return []
        now = self.clock.now()
        position = now - self._origin
        cues = self.timeline.cues
        events: list[Event] = []
        while self._next < len(cues) and cues[self._next].start <= position + _EPS:
            i = self._next
            if self._natural and i > 0 and cues[i - 1].chapter != cues[i].chapter:
                events.append(self._step_done(i - 1, now))
            events.append(CueStarted(i, cues[i], cues[i].start, position))
            self._next += 1
            self._natural = True
        if self._next >= len(cues) and position >= self.total_seconds - _EPS:
            if self._natural:
                events.append(self._step_done(len(cues) - 1, now))
            self.state = "finished"
            self._ended_at = now
            events.append(Finished(self.played_seconds()))
        return events

    def _step_done(self, cue_index: int, now: float) -> StepDone:
        chapter = self.chapters[self._chapter_of(cue_index)]
        sid = step_id(chapter)
        if sid is not None and sid not in self._steps_done:
            self._steps_done.append(sid)
        return StepDone(chapter, sid, now - self._started_at - self._paused_total)

    def pause(self) -> None:
        if self.state == "playing":
            self._paused_at = self.clock.now()
            self.state = "paused"

    def resume(self) -> None:
        """Carry on where paused: every later deadline moves by the time spent paused."""
        if self.state == "paused":
            self._from = self._paused_at - self._origin
            paused = self.clock.now() + self.lead - self._paused_at
            self._origin += paused
            self._paused_total += paused
            self.state = "playing"

    def toggle_pause(self) -> None:
        if self.state == "playing":
            self.pause()
        else:
            self.resume()

    def _seek_chapter(self, chapter_position: int) -> None:
        """Move to the start of a chapter (by its position in `chapters`)."""
        chapter = self.chapters[chapter_position]
        if self.state == "paused":
            reference = self._paused_at
        else:
            reference = self.clock.now() + self.lead
            self._paused_total += self.lead  # the short wait for the sound is not playing time
        self._origin = reference - chapter.start
        self._from = chapter.start
        self._next = chapter.first
        self._natural = False

    def next_step(self) -> bool:
        """Skip to the start of the next step (the closing ends the session)."""
        if self.state not in ("playing", "paused"):
            return False
        current = self._chapter_of(self.current_index())
        if current + 1 >= len(self.chapters):
            return False
        self._seek_chapter(current + 1)
        return True

    def previous_step(self) -> bool:
        """Back to the start of this step, or to the previous step within its first seconds."""
        if self.state not in ("playing", "paused"):
            return False
        current = self._chapter_of(self.current_index())
        into = self.position() - self.chapters[current].start
        target = current if into > RESTART_GRACE or current == 0 else current - 1
        self._seek_chapter(target)
        return True

    def more(self) -> bool:
        """Five more circles at the end of the current circle step; False elsewhere."""
        if not self.can_add_circles():
            return False
        chapter = self.current_chapter()
        self._set_timeline(add_circles(self.timeline, chapter.index))
        return True

    def retime(self, timeline: Timeline) -> None:
        """Carry on with a re-rendered timeline that is the same as this one up to now (e.g.
        with more circles added later on), keeping the position."""
        if not timeline.cues:
            raise ValueError("cannot play an empty timeline")
        self._set_timeline(timeline)

    def quit(self) -> None:
        """Stop for good (the session is recorded as partial by the caller)."""
        if self.state in ("playing", "paused", "ready"):
            if self.state == "paused":
                self._ended_at = self._paused_at
            else:
                self._ended_at = self.clock.now() if self.state == "playing" else 0.0
            if self.state == "ready":
                self._started_at = 0.0
            self.state = "stopped"

    def run(self, handle: Callable[[Event], None]) -> None:
        """Play to the end (or until `handle` stops the player), waiting on the clock.

        Used by `--plain` without keys and by the timing benchmark.
        """
        for event in self.start():
            handle(event)
        while self.state == "playing":
            deadline = self.next_deadline()
            if deadline is None:
                break
            self.clock.sleep_until(deadline)
            for event in self.tick():
                handle(event)
