"""Today: the day's three slots, the streak, last night's diary and the experiment's request.

One place computes it for every front end: `today_view` is pure (records, night and times are
arguments); `load_today` reads what it needs from the store. `TodayView.to_dict` is the one
JSON shape that both `anklesleep today --json` and `GET /api/today` answer (see docs/data.md).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import Engine

from anklesleep.basics.i18n import N_, Translate
from anklesleep.diary.entries import NightMetrics, SleepEntry, metrics
from anklesleep.experiment.design import TodayInstruction
from anklesleep.insights.progress import habit_strength
from anklesleep.practice.records import (
    SessionRecord,
    SlotStatus,
    current_streak,
    day_status,
    longest_streak,
)
from anklesleep.schedule.reminders import upcoming
from anklesleep.schedule.slots import (
    SLOT_LABELS,
    SLOTS,
    SlotName,
    SlotSettings,
    infer_slot,
    session_day,
)
from anklesleep.services.evidence import experiment_today
from anklesleep.store import diary as diary_store
from anklesleep.store import sessions as sessions_store

#: Until this local hour Today nudges to fill in last night's diary.
NUDGE_UNTIL_HOUR = 14

#: Where a slot stands at a glance: finished, passed without a finished session, the one in
#: progress now, or still to come.
Moment = Literal["done", "missed", "now", "upcoming"]
ActionKind = Literal["diary", "routine"]

#: The primary button's words for each slot's routine.
START_LABELS: dict[SlotName, str] = {
    "morning": N_("Start your morning routine"),
    "home": N_("Start your after-work routine"),
    "bedtime": N_("Start your bedtime routine"),
}
ROUTINE_NAMES: dict[str, str] = {"full": N_("Full routine"), "quick": N_("Quick routine")}

#: The greeting above Today by local hour: before noon, before six, after.
GREETINGS = (N_("Good morning"), N_("Good afternoon"), N_("Good evening"))


@dataclass(frozen=True)
class SlotView:
    name: SlotName
    label: str
    time: str
    enabled: bool
    status: SlotStatus
    routine: str
    current: bool
    moment: Moment = "upcoming"


@dataclass(frozen=True)
class Action:
    """One button on Today: fill in the diary, or play a routine (for `slot`)."""

    kind: ActionKind
    label: str
    href: str
    routine: str | None = None
    slot: SlotName | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "label": self.label,
            "href": self.href,
            "routine": self.routine,
            "slot": self.slot,
        }


@dataclass(frozen=True)
class Reminder:
    """An enabled slot due within a day, for a page that shows browser notifications."""

    slot: SlotName
    at: dt.datetime
    routine: str
    done: bool
    title: str
    body: str


@dataclass(frozen=True)
class TodayView:
    """Everything Today shows."""

    day: dt.date
    slots: tuple[SlotView, ...]
    done_count: int
    streak: int
    longest_streak: int
    current_slot: SlotName
    sessions: tuple[SessionRecord, ...]
    night: SleepEntry | None
    night_metrics: NightMetrics | None
    nudge_diary: bool
    experiment: TodayInstruction | None = None
    reminders: tuple[Reminder, ...] = ()
    primary: Action | None = None
    secondary: Action | None = None
    acknowledge: bool = False
    habit_strength: float = 0.0

    @property
    def last_session(self) -> SessionRecord | None:
        """The day's most recent session that has ended (finished or stopped), to acknowledge."""
        ended = [r for r in self.sessions if r.ended_at is not None]
        return max(ended, key=lambda r: r.ended_at or r.started_at, default=None)

    @property
    def acknowledged_session(self) -> SessionRecord | None:
        """The latest session finished in the slot in progress (what the card acknowledges)."""
        if not self.acknowledge:
            return None
        done = [r for r in self.sessions if r.completed and r.slot == self.current_slot]
        return max(done, key=lambda r: r.ended_at or r.started_at, default=None)

    def to_dict(self) -> dict[str, Any]:
        return {
            "day": self.day.isoformat(),
            "slots": [
                {
                    "slot": s.name,
                    "label": s.label,
                    "time": s.time,
                    "enabled": s.enabled,
                    "status": s.status,
                    "routine": s.routine,
                    "current": s.current,
                    "moment": s.moment,
                }
                for s in self.slots
            ],
            "done_count": self.done_count,
            "streak": self.streak,
            "longest_streak": self.longest_streak,
            "current_slot": self.current_slot,
            "sessions": [r.to_dict() for r in self.sessions],
            "last_night": self.night.to_dict() if self.night else None,
            "last_night_metrics": self.night_metrics.to_dict() if self.night_metrics else None,
            "diary_nudge": self.nudge_diary,
            "experiment": instruction_dict(self.experiment),
            "reminders": [
                {
                    "slot": r.slot,
                    "at": r.at.isoformat(),
                    "routine": r.routine,
                    "done": r.done,
                    "title": r.title,
                    "body": r.body,
                    "url": f"/play/{r.routine}",
                }
                for r in self.reminders
            ],
            "primary": self.primary.to_dict() if self.primary else None,
            "secondary": self.secondary.to_dict() if self.secondary else None,
            "acknowledge": self.acknowledge,
            "habit_strength": round(self.habit_strength, 1),
        }


def instruction_dict(asked: TodayInstruction | None) -> dict[str, Any] | None:
    """The experiment's request for today as JSON (None when no experiment is shown)."""
    if asked is None:
        return None
    return {
        "phase": asked.phase,
        "do_routine": asked.do_routine,
        "headline": asked.headline,
        "detail": asked.detail,
        "days_left": asked.days_left,
    }


def greeting(local_now: dt.datetime, day: dt.date) -> str:
    """The greeting for `local_now` (its msgid, to translate) on the session `day`.

    After midnight in the bedtime slot the day is still the evening before (`day` is the date
    before `local_now`'s), so half past midnight says good evening, not good morning.
    """
    if day < local_now.date() or local_now.hour >= 18:
        return GREETINGS[2]
    return GREETINGS[0] if local_now.hour < 12 else GREETINGS[1]


def moments(status: dict[SlotName, SlotStatus], current: SlotName) -> dict[SlotName, Moment]:
    """Each slot at a glance: done, missed (its turn has passed), now, or upcoming.

    The order of the day is morning, after work, bedtime; the slot in progress decides which
    ones are behind and which ahead.
    """
    here = SLOTS.index(current)
    result: dict[SlotName, Moment] = {}
    for i, name in enumerate(SLOTS):
        if status[name] == "done":
            result[name] = "done"
        elif i < here:
            result[name] = "missed"
        elif i == here:
            result[name] = "now"
        else:
            result[name] = "upcoming"
    return result


def _other_routine(routine: str, routines: Sequence[str]) -> str | None:
    return next((r for r in routines if r != routine), None)


def actions(
    slots: SlotSettings,
    current: SlotName,
    nudge_diary: bool,
    translate: Translate = str,
    routines: Sequence[str] = ("full", "quick"),
) -> tuple[Action, Action | None]:
    """The one primary action for now and a quiet second one.

    In the morning before last night's diary is filled in, the diary comes first and the slot's
    routine second; otherwise the routine of the slot in progress (or next) comes first and
    the other routine second.
    """
    routine = slots.slot(current).routine
    start = Action(
        kind="routine",
        label=translate(START_LABELS[current]),
        href=f"/play/{routine}",
        routine=routine,
        slot=current,
    )
    if nudge_diary:
        diary = Action(kind="diary", label=translate("Fill in last night"), href="/sleep")
        return diary, start
    other = _other_routine(routine, routines)
    if other is None:
        return start, None
    name = translate(ROUTINE_NAMES[other]) if other in ROUTINE_NAMES else other
    return start, Action(kind="routine", label=name, href=f"/play/{other}", routine=other)


def today_view(
    records: Sequence[SessionRecord],
    night: SleepEntry | None,
    local_now: dt.datetime,
    slots: SlotSettings,
    translate: Translate = str,
    *,
    experiment: TodayInstruction | None = None,
    routines: Sequence[str] = ("full", "quick"),
) -> TodayView:
    """Today at the moment `local_now` (aware, in the user's zone).

    `records` are the sessions to count (all of them, for the longest streak); `night` is the
    diary entry dated today (last night), if any. Reminders are the enabled slots due in the
    next day. `routines` are the routine ids Today offers (the second button is the other one).
    """
    day = session_day(local_now, slots)
    status = day_status(records, day)
    current = infer_slot(local_now.time(), slots)
    at_a_glance = moments(status, current)
    # after midnight in the bedtime slot the night is not over yet: no diary to fill in
    nudge = night is None and local_now.hour < NUDGE_UNTIL_HOUR and current != "bedtime"
    primary, secondary = actions(slots, current, nudge, translate, routines)
    done_days = {r.local_date for r in records if r.completed}
    views = tuple(
        SlotView(
            name=name,
            label=translate(SLOT_LABELS[name]),
            time=slots.slot(name).time.strftime("%H:%M"),
            enabled=slots.slot(name).enabled,
            status=status[name],
            routine=slots.slot(name).routine,
            current=name == current,
            moment=at_a_glance[name],
        )
        for name in SLOTS
    )
    reminders = tuple(
        Reminder(
            slot=name,
            at=at,
            routine=slots.slot(name).routine,
            done=at.date() == day and status[name] == "done",
            title=translate(N_("Time for your ankle routine")),
            body=translate(SLOT_LABELS[name]),
        )
        for name, at in upcoming(slots, local_now)
    )
    todays = tuple(r for r in records if r.local_date == day)
    return TodayView(
        day=day,
        slots=views,
        done_count=sum(1 for v in views if v.status == "done"),
        streak=current_streak(records, day),
        longest_streak=longest_streak(records),
        current_slot=current,
        sessions=todays,
        night=night,
        night_metrics=metrics(night) if night else None,
        nudge_diary=nudge,
        experiment=experiment,
        reminders=reminders,
        primary=primary,
        secondary=secondary,
        acknowledge=any(r.completed and r.slot == current for r in todays),
        habit_strength=habit_strength(done_days, day, day).current if done_days else 0.0,
    )


def load_today(
    engine: Engine, local_now: dt.datetime, slots: SlotSettings, translate: Translate = str
) -> TodayView:
    """Today from the store, at `local_now` (aware, in the user's zone) with `slots`."""
    # after midnight in the bedtime slot the day is still the evening before, and so is its
    # "last night": the night now under way has no diary entry to ask for yet
    day = session_day(local_now, slots)
    with engine.connect() as conn:
        records = sessions_store.list_sessions(conn)
        night = diary_store.get_night(conn, day)
    return today_view(
        records,
        night,
        local_now,
        slots,
        translate,
        experiment=experiment_today(engine, day, translate),
    )
