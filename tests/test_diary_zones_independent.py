"""Diary metrics checked against an independent computation, for every morning of 2026 in four
zones (both clock changes in London, New York and Sydney; Kathmandu's +05:45).

The expected minutes come from zoneinfo alone: the night's local times are put on their own
calendar dates and subtracted as aware datetimes in UTC. Whether a local time was skipped or
repeated is found by trying every offset the zone used nearby and counting the instants that
show it on a wall clock, so none of the app's own placing of times is reused.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest

from anklesleep.basics.errors import AnkleSleepError
from anklesleep.diary import entries as diary
from anklesleep.diary.entries import SleepEntry

ZONES = ("Europe/London", "America/New_York", "Australia/Sydney", "Asia/Kathmandu")
TODAY = dt.date(2030, 1, 1)
#: (into bed, tried to sleep, final awakening, out of bed, nights into bed is before the morning)
SHAPES = (
    ("23:00", "23:15", "06:30", "07:00", 1),
    ("22:10", "00:40", "05:05", "09:55", 1),
    ("00:45", "01:30", "02:40", "03:10", 0),  # through the hours the clocks change
)


def showings(local: dt.datetime, tz: zoneinfo.ZoneInfo) -> list[dt.datetime]:
    """Every UTC instant whose wall clock in `tz` reads `local`, earliest first: each offset the
    zone used within a day and a half of `local` gives one candidate, kept if it reads right."""
    naive_utc = local.replace(tzinfo=dt.UTC)
    offsets = {
        (naive_utc + dt.timedelta(hours=h)).astimezone(tz).utcoffset() for h in range(-36, 37)
    }
    found = set()
    for offset in offsets:
        assert offset is not None
        moment = naive_utc - offset
        if moment.astimezone(tz).replace(tzinfo=None) == local:
            found.add(moment)
    return sorted(found)


def _clock(text: str) -> dt.time:
    return dt.time.fromisoformat(text)


def _entry(zone: str, morning: dt.date, shape: tuple[str, str, str, str, int]) -> SleepEntry:
    into, tried, final, out, _ = shape
    return SleepEntry(
        night=morning,
        into_bed=_clock(into),
        tried_to_sleep=_clock(tried),
        sol_minutes=5,
        awakenings=1,
        waso_minutes=5,
        final_awakening=_clock(final),
        out_of_bed=_clock(out),
        quality=3,
        zone=zone,
    )


def _local_datetimes(morning: dt.date, shape: tuple[str, str, str, str, int]) -> list[dt.datetime]:
    """The four times on their calendar dates: into bed `shape[4]` days before the morning, and
    each later time on the same date as the one before unless its clock reading is smaller."""
    into, tried, final, out, back = shape
    day = morning - dt.timedelta(days=back)
    result = [dt.datetime.combine(day, _clock(into))]
    for text in (tried, final, out):
        moment = dt.datetime.combine(result[-1].date(), _clock(text))
        if moment < result[-1]:
            moment += dt.timedelta(days=1)
        result.append(moment)
    assert result[-1].date() == morning
    return result


def _mornings() -> list[dt.date]:
    return [dt.date(2026, 1, 1) + dt.timedelta(days=n) for n in range(365)]


@pytest.mark.parametrize("zone", ZONES)
def test_every_night_of_2026_in_real_minutes(zone: str) -> None:
    tz = zoneinfo.ZoneInfo(zone)
    checked = {"ordinary": 0, "skipped": 0, "repeated": 0, "changed": 0}
    for morning in _mornings():
        for shape in SHAPES:
            locals_ = _local_datetimes(morning, shape)
            shown = [showings(moment, tz) for moment in locals_]
            entry = _entry(zone, morning, shape)
            if any(len(s) == 0 for s in shown):
                checked["skipped"] += 1
                with pytest.raises(AnkleSleepError, match="clocks went forward"):
                    diary.validate_entry(entry, TODAY)
                continue
            if any(len(s) == 2 for s in shown):
                checked["repeated"] += 1
                with pytest.raises(AnkleSleepError) as info:
                    diary.validate_entry(entry, TODAY)
                assert info.value.field == "fold"
                for fold in (0, 1):  # the earlier or the later showing, as answered
                    moments = [s[fold] if len(s) == 2 else s[0] for s in shown]
                    answered = diary.validate_entry(
                        SleepEntry(**{**entry.__dict__, "fold": fold}), TODAY, confirmed=True
                    )
                    _check(answered, moments)
                continue
            moments = [s[0] for s in shown]
            offsets = {m.astimezone(tz).utcoffset() for m in moments}
            checked["changed" if len(offsets) > 1 else "ordinary"] += 1
            _check(diary.validate_entry(entry, TODAY, confirmed=True), moments)
    if zone == "Asia/Kathmandu":
        assert checked["skipped"] == checked["repeated"] == checked["changed"] == 0
    else:  # both changes were met: a night across each, and times in the hours they touch
        assert checked["changed"] >= 4 and checked["skipped"] >= 1 and checked["repeated"] >= 1


def _check(entry: SleepEntry, moments: list[dt.datetime]) -> None:
    into, tried, final, out = moments

    def minutes(a: dt.datetime, b: dt.datetime) -> int:
        return int((b - a).total_seconds() // 60)

    m = diary.metrics(entry)
    tib = minutes(into, out)
    tst = minutes(tried, final) - entry.sol_minutes - entry.waso_minutes
    assert (m.tib, m.tst) == (tib, tst), (entry.night, entry.zone)
    assert m.se == pytest.approx(100 * tst / tib)
    assert m.tib_after_final == minutes(final, out)
    assert m.tib_before_trying == minutes(into, tried)
