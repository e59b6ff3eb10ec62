"""What the Today page shows, gathered from the session log, the diary and the slot settings.

Pure: the records, the night and the local time are arguments, so it is tested without a
server or a clock.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from anklesleep.diary.entries import NightMetrics, SleepEntry, metrics
from anklesleep.practice.records import SessionRecord, SlotStatus, current_streak, day_status
from anklesleep.schedule.slots import (
    SLOT_LABELS,
    SLOTS,
    SlotName,
    SlotSettings,
    infer_slot,
    session_day,
)

#: Until this local hour the Today page nudges to fill in last night's diary.
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
class TodayView:
    """Everything on the Today page."""

    day: dt.date
    slots: tuple[SlotView, ...]
    done_count: int
    streak: int
    current_slot: SlotName
    night: SleepEntry | None
    night_metrics: NightMetrics | None
    nudge_diary: bool
    #: the day's most recent session that has ended (finished or stopped), to acknowledge it
    last_session: SessionRecord | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "day": self.day.isoformat(),
            "slots": [
                {
                    "slot": s.name,
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
            "current_slot": self.current_slot,
            "last_night": self.night.to_dict() if self.night else None,
            "last_night_metrics": self.night_metrics.to_dict() if self.night_metrics else None,
            "diary_nudge": self.nudge_diary,
        }


def today_view(
    records: Sequence[SessionRecord],
    night: SleepEntry | None,
    local_now: dt.datetime,
    slots: SlotSettings,
    translate: Any = str,
) -> TodayView:
    """The Today page for the moment `local_now` (aware, in the user's zone).

    `night` is the diary entry dated today (last night), if any.
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
    return TodayView(
        day=day,
        slots=views,
        done_count=sum(1 for v in views if v.status == "done"),
        streak=current_streak(records, day),
        current_slot=current,
        night=night,
        night_metrics=metrics(night) if night else None,
        nudge_diary=night is None and local_now.hour < NUDGE_UNTIL_HOUR,
        last_session=max(
            (r for r in records if r.local_date == day and r.ended_at is not None),
            key=lambda r: r.ended_at or r.started_at,
            default=None,
        ),
    )
