"""A tracker night, and the report of one import."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

#: The trackers anklesleep reads, as stored in the `source` column.
SOURCES = ("sleep-as-android", "fitbit", "apple-health")
#: Sleep stages kept in `stages` (minutes each).
STAGES = ("deep", "light", "rem", "awake")


@dataclass(frozen=True)
class TrackerNight:
    """One sleep period as a tracker recorded it.

    `start` and `end` are aware, each with the offset it was recorded in; `night` is the date of
    the morning the sleep ended on, in the user's zone. Minutes are whole minutes; None means the
    tracker did not say.
    """

    source: str
    record_id: str
    device: str
    start: dt.datetime
    end: dt.datetime
    night: dt.date
    in_bed_minutes: int
    asleep_minutes: int | None
    awake_minutes: int | None
    stages: Mapping[str, int] | None
    nap: bool
    where: str = ""  # where in the file it came from, for messages; not stored

    @property
    def efficiency(self) -> float | None:
        """Time asleep as a share of time in bed (0–1), when both are known."""
        if self.asleep_minutes is None or self.in_bed_minutes <= 0:
            return None
        return min(1.0, self.asleep_minutes / self.in_bed_minutes)

    def same_values(self, other: TrackerNight) -> bool:
        """True when everything stored is equal (the `where` is not stored)."""
        return (
            self.source == other.source
            and self.record_id == other.record_id
            and self.device == other.device
            and self.start == other.start
            and self.end == other.end
            and self.start.utcoffset() == other.start.utcoffset()
            and self.end.utcoffset() == other.end.utcoffset()
            and self.night == other.night
            and self.in_bed_minutes == other.in_bed_minutes
            and self.asleep_minutes == other.asleep_minutes
            and self.awake_minutes == other.awake_minutes
            and dict(self.stages or {}) == dict(other.stages or {})
            and self.nap == other.nap
        )


@dataclass(frozen=True)
class Skipped:
    """A record that was read but not kept, and why (in the user's language)."""

    where: str
    reason: str


@dataclass
class Reading:
    """What one export held: its format, the nights and what was skipped."""

    format: str  # a label for people, e.g. "Fitbit CSV"
    nights: list[TrackerNight] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    records_read: int = 0  # records or rows looked at (sleep ones only for Apple Health)
    merged: int = 0  # records joined into another one (overlapping sources, split sleeps)
