"""What happens around a playing session: the events file and the session log.

`SessionHooks` receives the Player's events (the sound is one rendered track played by the
audio stream, which follows the player by itself). Every cue goes to the `--events` JSON Lines
file; each finished step is checkpointed in the database, so a session killed at any moment is
kept as a partial record.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import TYPE_CHECKING, TextIO

from anklesleep.player.live import CueStarted, Event, Finished, Player, StepDone
from anklesleep.practice.records import Progress
from anklesleep.services import sessions

if TYPE_CHECKING:
    from sqlalchemy import Engine

Now = Callable[[], dt.datetime]


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class SessionHooks:
    """Connects a Player's events to an events file and the stored session record."""

    def __init__(
        self,
        player: Player,
        *,
        engine: Engine | None = None,
        uuid: str | None = None,
        events_file: TextIO | None = None,
        now: Now = utc_now,
    ) -> None:
        self.player = player
        self.engine = engine
        self.uuid = uuid
        self.events_file = events_file
        self.now = now
        self.closed = False

    def __call__(self, events: list[Event]) -> None:
        started = [e for e in events if isinstance(e, CueStarted)]
        if self.events_file is not None and started:
            for event in started:
                self.events_file.write(json.dumps(event.to_dict()) + "\n")
            self.events_file.flush()
        if any(isinstance(e, StepDone) and e.step_id for e in events):
            self.checkpoint()
        if any(isinstance(e, Finished) for e in events):
            # reaching the end by skipping steps does not make a completed session
            self.close(completed=self.player.complete())

    def _progress(self) -> Progress:
        """The player's report in the form every front end sends: time played from the start
        (pauses left out, skipped steps not played), the steps done, the current length."""
        total = self.player.total_seconds
        played = min(self.player.played_seconds(), total)
        return Progress(
            played=((0.0, played),) if played > 0 else (),
            position_seconds=min(self.player.position(), total),
            steps_done=tuple(self.player.steps_done),
            planned_seconds=total,
        )

    def checkpoint(self) -> None:
        if self.engine is None or self.uuid is None:
            return
        sessions.progress(self.engine, self.uuid, self._progress(), now=self.now())

    def close(self, *, completed: bool) -> None:
        """Record the end of the session once through the same rules as the web player:
        completed when it played through to the end, else partial."""
        if self.closed:
            return
        self.closed = True
        if self.engine is None or self.uuid is None:
            return
        sessions.finish(
            self.engine, self.uuid, self._progress(), reached_end=completed, now=self.now()
        )
