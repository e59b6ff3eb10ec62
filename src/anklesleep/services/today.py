"""Today: the day's three slots, the streak, last night's diary and the experiment's request.

One place computes it for every front end: `today_view` is pure (records, night and times are
arguments); `load_today` reads what it needs from the store. `TodayView.to_dict` is the one
JSON shape that both `anklesleep today --json` and `GET /api/today` answer (see docs/data.md).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine

from anklesleep.basics.i18n import Translate
from anklesleep.diary.entries import NightMetrics, SleepEntry, metrics
from anklesleep.experiment.design import TodayInstruction
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


@dataclass(frozen=True)
class SlotView:
    name: SlotName
    label: str
    time: str
    enabled: bool
    status: SlotStatus
    routine: str
    current: bool


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

    @property
    def last_session(self) -> SessionRecord | None:
        """The day's most recent session that has ended (finished or stopped), to acknowledge."""
        ended = [r for r in self.sessions if r.ended_at is not None]
        return max(ended, key=lambda r: r.ended_at or r.started_at, default=None)

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


def today_view(
    records: Sequence[SessionRecord],
    night: SleepEntry | None,
    local_now: dt.datetime,
    slots: SlotSettings,
    translate: Translate = str,
    *,
    experiment: TodayInstruction | None = None,
) -> TodayView:
    """Today at the moment `local_now` (aware, in the user's zone).

    `records` are the sessions to count (all of them, for the longest streak); `night` is the
    diary entry dated today (last night), if any. Reminders are the enabled slots due in the
    next day.
    """
    day = session_day(local_now, slots)
    status = day_status(records, day)
    current = infer_slot(local_now.time(), slots)
    views = tuple(
        SlotView(
            name=name,
            label=translate(SLOT_LABELS[name]),
            time=slots.slot(name).time.strftime("%H:%M"),
            enabled=slots.slot(name).enabled,
            status=status[name],
            routine=slots.slot(name).routine,
            current=name == current,
        )
        for name in SLOTS
    )
    reminders = tuple(
        Reminder(
            slot=name,
            at=at,
            routine=slots.slot(name).routine,
            done=at.date() == day and status[name] == "done",
            title=translate("Time for your ankle routine"),
            body=translate(SLOT_LABELS[name]),
        )
        for name, at in upcoming(slots, local_now)
    )
    return TodayView(
        day=day,
        slots=views,
        done_count=sum(1 for v in views if v.status == "done"),
        streak=current_streak(records, day),
        longest_streak=longest_streak(records),
        current_slot=current,
        sessions=tuple(r for r in records if r.local_date == day),
        night=night,
        night_metrics=metrics(night) if night else None,
        nudge_diary=night is None and local_now.hour < NUDGE_UNTIL_HOUR,
        experiment=experiment,
        reminders=reminders,
    )


def load_today(
    engine: Engine, local_now: dt.datetime, slots: SlotSettings, translate: Translate = str
) -> TodayView:
    """Today from the store, at `local_now` (aware, in the user's zone) with `slots`."""
    with engine.connect() as conn:
        records = sessions_store.list_sessions(conn)
        night = diary_store.get_night(conn, local_now.date())
    day = session_day(local_now, slots)
    return today_view(
        records,
        night,
        local_now,
        slots,
        translate,
        experiment=experiment_today(engine, day, translate),
    )
