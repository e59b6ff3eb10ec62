"""Session records as values, and what they add up to: each day's slots and streaks.

Pure: records, days and "today" are arguments; the store maps records to rows.
"""

from __future__ import annotations

import datetime as dt
import math
import uuid as uuidlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from anklesleep.basics.errors import AnkleSleepError
from anklesleep.basics.i18n import _
from anklesleep.practice import credit
from anklesleep.practice.credit import Interval
from anklesleep.schedule.slots import SLOTS, SlotName, SlotSettings, infer_slot, session_day

Source = Literal["terminal", "web", "import"]
SOURCES: tuple[Source, ...] = ("terminal", "web", "import")
SlotStatus = Literal["done", "partial", "not yet"]


@dataclass(frozen=True)
class SessionRecord:
    """One guided session: when, which routine and slot, how much of it was done."""

    uuid: str
    routine: str
    slot: SlotName
    started_at: dt.datetime  # aware, UTC
    utc_offset_minutes: int
    local_date: dt.date  # the day it counts for (see `schedule.session_day`)
    planned_seconds: float
    ended_at: dt.datetime | None = None
    completed_seconds: float = 0.0
    completed: bool = False
    steps_done: tuple[str, ...] = ()
    options: Mapping[str, Any] = field(default_factory=dict)
    source: Source = "terminal"
    played: tuple[Interval, ...] = ()  # the stretches of the track played (see `credit`)
    position_seconds: float | None = None  # where the player was at the last report

    def __post_init__(self) -> None:
        if self.started_at.tzinfo is None:
            raise ValueError("started_at must be an aware datetime")
        if self.source not in SOURCES:
            raise AnkleSleepError(
                _("source: got {source!r}; use one of {sources}").format(
                    source=self.source, sources=", ".join(SOURCES)
                ),
                field="source",
            )

    @property
    def local_start(self) -> dt.datetime:
        """The start in the local time it happened in."""
        zone = dt.timezone(dt.timedelta(minutes=self.utc_offset_minutes))
        return self.started_at.astimezone(zone)

    @property
    def status(self) -> SlotStatus:
        return "done" if self.completed else "partial"

    @property
    def closed(self) -> bool:
        """A completed session is closed; a stopped one may still carry on."""
        return self.completed

    @property
    def percent_played(self) -> int:
        """The share of the planned time played, in whole percent (never 100 short of it)."""
        if self.planned_seconds <= 0:
            return 0
        share = min(1.0, self.completed_seconds / self.planned_seconds)
        return 100 if self.completed else min(99, int(share * 100))

    def to_dict(self) -> dict[str, Any]:
        return {
            "uuid": self.uuid,
            "routine": self.routine,
            "slot": self.slot,
            "started_at": self.started_at.isoformat(),
            "ended_at": self.ended_at.isoformat() if self.ended_at else None,
            "utc_offset_minutes": self.utc_offset_minutes,
            "local_date": self.local_date.isoformat(),
            "local_start": self.local_start.isoformat(),
            "planned_seconds": round(self.planned_seconds, 3),
            "completed_seconds": round(self.completed_seconds, 3),
            "completed": self.completed,
            "steps_done": list(self.steps_done),
            "options": dict(self.options),
            "source": self.source,
            "played": [[round(a, 3), round(b, 3)] for a, b in self.played],
            "position_seconds": (
                round(self.position_seconds, 3) if self.position_seconds is not None else None
            ),
            "percent_played": self.percent_played,
        }


def new_record(
    *,
    routine: str,
    local_start: dt.datetime,
    planned_seconds: float,
    slots: SlotSettings | None = None,
    slot: SlotName | None = None,
    options: Mapping[str, Any] | None = None,
    source: Source = "terminal",
    uuid: str | None = None,
) -> SessionRecord:
    """A record for a session starting at `local_start` (aware, in the user's zone).

    The slot is inferred from the local time and the slot settings unless given; the day is
    the one the session counts for, so a bedtime session just after midnight belongs to the
    evening before.
    """
    if local_start.tzinfo is None or local_start.utcoffset() is None:
        raise ValueError("local_start must be an aware datetime")
    offset = local_start.utcoffset()
    assert offset is not None
    inferred = infer_slot(local_start.time(), slots)
    chosen = slot or inferred
    day = session_day(local_start, slots)
    if chosen != inferred:
        # an explicit slot: a bedtime session in the small hours still counts for the evening
        late_bedtime = chosen == "bedtime" and local_start.hour < 5
        day = local_start.date() - dt.timedelta(days=1 if late_bedtime else 0)
    return SessionRecord(
        uuid=uuid or str(uuidlib.uuid4()),
        routine=routine,
        slot=chosen,
        started_at=local_start.astimezone(dt.UTC),
        utc_offset_minutes=round(offset.total_seconds() / 60),
        local_date=day,
        planned_seconds=planned_seconds,
        options=dict(options or {}),
        source=source,
    )


#: The longest session a record may describe (the planned time, extra circles included).
MAX_SESSION_SECONDS = 6 * 3600.0

#: What can stop the sound of a web session: the media element failed, the audio made no
#: progress while playing, or the device paused it (headphones out, a call, another app).
INTERRUPTION_KINDS = ("error", "stalled", "interrupted")
#: How many interruptions a record keeps (in `options["interruptions"]`); later ones are counted.
MAX_INTERRUPTIONS = 50


@dataclass(frozen=True)
class Progress:
    """What a player reports: the stretches played since the start (or since the last report:
    they are merged), where it is now, the steps it went through, and the track's current
    length (which grows when circles are added)."""

    played: tuple[Interval, ...] = ()
    position_seconds: float | None = None
    steps_done: tuple[str, ...] = ()
    planned_seconds: float | None = None
    options: Mapping[str, Any] | None = None
    #: (position in seconds, kind) for each time the sound stopped without being asked to
    interruptions: tuple[tuple[float, str], ...] = ()


#: how far past the planned end a player may report: an encoded file can run a frame longer
#: than its timeline, and players round times (what lies past the end is not credited)
END_SLACK_SECONDS = 1.0


def _check_number(name: str, value: float, low: float, high: float) -> None:
    if not low <= value <= high:  # also refuses NaN
        raise AnkleSleepError(
            _("{name}: got {value!r}; use a number from {low:g} to {high:g}").format(
                name=name, value=value, low=low, high=high
            ),
            field=name,
        )


def progressed(record: SessionRecord, progress: Progress, *, now: dt.datetime) -> SessionRecord:
    """`record` after a progress report.

    A completed session is closed (an error naming the uuid). Played stretches are merged with
    those already credited, so replaying a stretch counts once and skipping earns nothing;
    steps are kept in order without duplicates; the planned time only grows (extra circles),
    never shrinks; a stopped session that carries on moves its end to now.
    """
    if record.closed:
        raise AnkleSleepError(
            _("uuid: session {uuid!r} is already finished; start a new one").format(
                uuid=record.uuid
            ),
            field="uuid",
        )
    planned = record.planned_seconds
    if progress.planned_seconds is not None:
        _check_number("planned_seconds", progress.planned_seconds, 1, MAX_SESSION_SECONDS)
        planned = max(planned, progress.planned_seconds)
    if len(progress.played) > credit.MAX_INTERVALS:
        raise AnkleSleepError(
            _("played: got {n} stretches; send at most {limit}").format(
                n=len(progress.played), limit=credit.MAX_INTERVALS
            ),
            field="played",
        )
    for start, end in progress.played:
        _check_number("played", start, 0, planned + END_SLACK_SECONDS)
        _check_number("played", end, start, planned + END_SLACK_SECONDS)
    position = record.position_seconds
    if progress.position_seconds is not None:
        _check_number("position_seconds", progress.position_seconds, 0, planned + END_SLACK_SECONDS)
        position = min(progress.position_seconds, planned)
    played = credit.clip((*record.played, *progress.played), planned)
    steps = tuple(dict.fromkeys((*record.steps_done, *progress.steps_done)))
    options = dict(record.options)
    if progress.options:
        options.update(progress.options)
    if progress.interruptions:
        options["interruptions"] = _noted(options.get("interruptions"), progress, planned)
    return replace(
        record,
        planned_seconds=planned,
        played=played,
        completed_seconds=credit.seconds_played(played),
        position_seconds=position,
        steps_done=steps,
        options=options,
        ended_at=now if record.ended_at is not None else None,
    )


def _noted(before: Any, progress: Progress, planned: float) -> list[dict[str, Any]]:
    """The interruptions already on the record followed by the reported ones, at most
    `MAX_INTERRUPTIONS` of them."""
    kept = [dict(item) for item in before] if isinstance(before, list) else []
    for at, kind in progress.interruptions:
        _check_number("interruptions", at, 0, planned)
        if kind not in INTERRUPTION_KINDS:
            raise AnkleSleepError(
                _("interruptions: got kind {kind!r}; use one of {kinds}").format(
                    kind=kind, kinds=", ".join(INTERRUPTION_KINDS)
                ),
                field="interruptions",
            )
        kept.append({"at": round(at, 3), "kind": kind})
    return kept[:MAX_INTERRUPTIONS]


def _seconds(value: Any) -> bool:
    """A finite, non-negative number of seconds (not a bool)."""
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(value)
        and value >= 0
    )


def check_stored_played(played: Any, position: Any) -> None:
    """A session's stored `played` stretches and `position_seconds` as an import must find
    them: at most `credit.MAX_INTERVALS` pairs [start, end] of seconds with start <= end, and
    a position that is seconds or nothing."""
    ok = played is None or (
        isinstance(played, list)
        and len(played) <= credit.MAX_INTERVALS
        and all(
            isinstance(pair, list)
            and len(pair) == 2
            and _seconds(pair[0])
            and _seconds(pair[1])
            and pair[0] <= pair[1]
            for pair in played
        )
    )
    if not ok:
        raise AnkleSleepError(
            _("played: got {value!r}; give at most {n} pairs of seconds like [[0, 12.5]]").format(
                value=str(played)[:60], n=credit.MAX_INTERVALS
            ),
            field="played",
        )
    if position is not None and not _seconds(position):
        raise AnkleSleepError(
            _("position_seconds: got {value!r}; give 0 or more seconds").format(
                value=str(position)[:60]
            ),
            field="position_seconds",
        )


def check_stored_options(options: Mapping[str, Any]) -> None:
    """A session's stored `options` as an import must find them: the session options, plus
    the interruptions the player noted (at most `MAX_INTERRUPTIONS`, each at a time in seconds
    and of a known kind)."""
    from anklesleep.routine.options import from_dict

    noted = options.get("interruptions", [])
    ok = isinstance(noted, list) and len(noted) <= MAX_INTERRUPTIONS
    for item in noted if ok else []:
        at = item.get("at") if isinstance(item, dict) else None
        ok = ok and (
            isinstance(item, dict)
            and set(item) == {"at", "kind"}
            and isinstance(at, int | float)
            and not isinstance(at, bool)
            and 0 <= at <= MAX_SESSION_SECONDS
            and item.get("kind") in INTERRUPTION_KINDS
        )
    if not ok:
        raise AnkleSleepError(
            _(
                "options.interruptions: got {value!r}; give at most {n} items like "
                '{{"at": 12.5, "kind": "stalled"}}'
            ).format(value=str(noted)[:60], n=MAX_INTERRUPTIONS),
            field="interruptions",
        )
    from_dict({k: v for k, v in options.items() if k != "interruptions"})


def closed(
    record: SessionRecord,
    progress: Progress,
    *,
    reached_end: bool,
    now: dt.datetime,
    cue_starts: tuple[float, ...] | None = None,
) -> SessionRecord:
    """`record` finished at `now`: completed if it reached the end with enough of it played
    (see `credit.earns_completion`), partial otherwise. Finishing twice changes nothing."""
    if record.closed:
        return record
    after = progressed(record, progress, now=now)
    done = credit.earns_completion(
        reached_end=reached_end,
        intervals=after.played,
        total=after.planned_seconds,
        cue_starts=cue_starts,
    )
    return replace(after, completed=done, ended_at=now)


def resumable(
    records: Iterable[SessionRecord],
    *,
    routine: str,
    now: dt.datetime,
    within: dt.timedelta = dt.timedelta(days=1),
) -> SessionRecord | None:
    """The newest session of `routine` left unfinished (never stopped or finished: a closed
    tab) in the last day, with somewhere to carry on from, or None."""
    found = None
    for record in records:
        if record.routine != routine or record.ended_at is not None or record.completed:
            continue
        if not now - within <= record.started_at <= now:
            continue
        position = record.position_seconds or 0.0
        if position <= 0 or position >= record.planned_seconds - 1:
            continue
        if found is None or record.started_at > found.started_at:
            found = record
    return found


def day_status(records: Iterable[SessionRecord], day: dt.date) -> dict[SlotName, SlotStatus]:
    """Each slot of `day`: "done" (a completed session), "partial" (only stopped ones) or
    "not yet"."""
    result: dict[SlotName, SlotStatus] = dict.fromkeys(SLOTS, "not yet")
    for record in records:
        if record.local_date != day:
            continue
        if record.completed:
            result[record.slot] = "done"
        elif result[record.slot] == "not yet":
            result[record.slot] = "partial"
    return result


def _done_days(records: Iterable[SessionRecord]) -> set[dt.date]:
    return {r.local_date for r in records if r.completed}


def current_streak(records: Iterable[SessionRecord], today: dt.date) -> int:
    """Days in a row, up to today, with at least one completed session.

    A streak is not broken before the day is over: with nothing done yet today, it counts up
    to yesterday.
    """
    days = _done_days(records)
    day = today if today in days else today - dt.timedelta(days=1)
    streak = 0
    while day in days:
        streak += 1
        day -= dt.timedelta(days=1)
    return streak


def longest_streak(records: Iterable[SessionRecord]) -> int:
    """The longest run of consecutive days with at least one completed session."""
    days = sorted(_done_days(records))
    best = run = 0
    previous: dt.date | None = None
    for day in days:
        run = run + 1 if previous is not None and day - previous == dt.timedelta(days=1) else 1
        best = max(best, run)
        previous = day
    return best
