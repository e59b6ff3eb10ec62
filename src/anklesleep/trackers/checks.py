"""The rules a stored tracker night keeps (checked again when one is imported from a backup)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from anklesleep.basics.errors import AnkleSleepError
from anklesleep.basics.i18n import _
from anklesleep.trackers.records import SOURCES, STAGES

#: Offsets beyond ±18 hours do not exist.
MAX_OFFSET_MINUTES = 18 * 60


def _fail(name: str, value: object, fix: str) -> AnkleSleepError:
    return AnkleSleepError(
        _("{field}: {value!r} {fix}").format(field=name, value=value, fix=fix), field=name
    )


def check_tracker_row(row: Mapping[str, Any]) -> None:
    """Raise `AnkleSleepError` (one line) when a tracker night's values cannot be right."""
    if row["source"] not in SOURCES:
        raise _fail(
            "source", row["source"], _("is not a tracker; use one of ") + ", ".join(SOURCES)
        )
    if not str(row["record_id"]).strip():
        raise _fail("record_id", row["record_id"], _("is empty; give the tracker's id"))
    if row["end_at"] <= row["start_at"]:
        raise _fail("end_at", row["end_at"], _("is not after start_at; the sleep must end later"))
    for name in ("start_offset_minutes", "end_offset_minutes"):
        if abs(row[name]) > MAX_OFFSET_MINUTES:
            raise _fail(name, row[name], _("is not a UTC offset; use -1080 to 1080"))
    for name in ("in_bed_minutes", "asleep_minutes", "awake_minutes"):
        if row[name] is not None and row[name] < 0:
            raise _fail(name, row[name], _("is negative; use 0 or more minutes"))
    stages = row["stages"]
    if stages is not None and (
        not isinstance(stages, dict)
        or any(
            k not in STAGES or isinstance(v, bool) or not isinstance(v, int) or v < 0
            for k, v in stages.items()
        )
    ):
        raise _fail("stages", stages, _("should map deep, light, rem or awake to whole minutes"))
