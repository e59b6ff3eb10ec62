"""Diary nights in real elapsed time across daylight-saving changes.

Every expected value is worked out by hand from the zone's published rules (the offsets are
written out in each case), not with the code under test.
"""

from __future__ import annotations

import datetime as dt

import pytest

from anklesleep.basics.errors import AnkleSleepError
from anklesleep.diary import entries as diary
from anklesleep.diary.entries import SleepEntry

TODAY = dt.date(2030, 1, 1)


def night(
    zone: str,
    morning: str,
    into: str = "23:00",
    tried: str = "23:15",
    final: str = "06:30",
    out: str = "07:00",
    sol: int = 15,
    waso: int = 20,
    fold: int | None = None,
) -> SleepEntry:
    return SleepEntry(
        night=dt.date.fromisoformat(morning),
        into_bed=dt.time.fromisoformat(into),
        tried_to_sleep=dt.time.fromisoformat(tried),
        sol_minutes=sol,
        awakenings=1,
        waso_minutes=waso,
        final_awakening=dt.time.fromisoformat(final),
        out_of_bed=dt.time.fromisoformat(out),
        quality=4,
        zone=zone,
        fold=fold,
    )


@pytest.mark.parametrize(
    ("zone", "morning", "tib", "tst"),
    [
        # London, 29 Mar 2026: 01:00 GMT becomes 02:00 BST. Bed 23:00 GMT = 23:00 UTC; up 07:00
        # BST = 06:00 UTC: 7 h = 420. Tried 23:15 UTC to final 05:30 UTC: 375 - 15 - 20 = 340.
        ("Europe/London", "2026-03-29", 420, 340),
        # London, 25 Oct 2026: 02:00 BST becomes 01:00 GMT. Bed 23:00 BST = 22:00 UTC; up 07:00
        # GMT = 07:00 UTC: 540. Tried 22:15 UTC to final 06:30 UTC: 495 - 35 = 460.
        ("Europe/London", "2026-10-25", 540, 460),
        # An ordinary London night: 8 h = 480, 435 - 35 = 400.
        ("Europe/London", "2026-06-14", 480, 400),
        # New York, 8 Mar 2026: 02:00 EST becomes 03:00 EDT. Bed 23:00 EST = 04:00 UTC; up
        # 07:00 EDT = 11:00 UTC: 420. Tried 04:15 UTC, final 10:30 UTC: 375 - 35 = 340.
        ("America/New_York", "2026-03-08", 420, 340),
        # New York, 1 Nov 2026: 02:00 EDT becomes 01:00 EST. Bed 23:00 EDT = 03:00 UTC; up 07:00
        # EST = 12:00 UTC: 540. Tried 03:15 UTC, final 11:30 UTC: 495 - 35 = 460.
        ("America/New_York", "2026-11-01", 540, 460),
        # Sydney, 5 Apr 2026: 03:00 AEDT (+11) becomes 02:00 AEST (+10). Bed 23:00 AEDT = 12:00
        # UTC; up 07:00 AEST = 21:00 UTC: 540. Tried 12:15, final 20:30 UTC: 495 - 35 = 460.
        ("Australia/Sydney", "2026-04-05", 540, 460),
        # Sydney, 4 Oct 2026: 02:00 AEST becomes 03:00 AEDT. Bed 23:00 AEST = 13:00 UTC; up 07:00
        # AEDT = 20:00 UTC: 420. Tried 13:15, final 19:30 UTC: 375 - 35 = 340.
        ("Australia/Sydney", "2026-10-04", 420, 340),
        # Kathmandu keeps +05:45 all year: 480 and 400.
        ("Asia/Kathmandu", "2026-03-29", 480, 400),
        # Kathmandu moved from +05:30 to +05:45 at midnight on 1 Jan 1986. Bed 23:00 +05:30 =
        # 17:30 UTC; up 07:00 +05:45 = 01:15 UTC: 465. Tried 17:45 UTC, final 00:45 UTC:
        # 420 - 35 = 385.
        ("Asia/Kathmandu", "1986-01-01", 465, 385),
    ],
)
def test_metrics_are_real_elapsed_minutes(zone: str, morning: str, tib: int, tst: int) -> None:
    entry = diary.validate_entry(night(zone, morning), TODAY)
    m = diary.metrics(entry)
    assert (m.tib, m.tst) == (tib, tst)
    assert m.se == pytest.approx(100 * tst / tib)


def test_the_weekly_mean_uses_real_minutes() -> None:
    # London, week of Mon 23 Mar 2026: Sat 28 Mar (480) and Sun 29 Mar (420, clocks forward).
    week = diary.weekly_means(
        [night("Europe/London", "2026-03-28"), night("Europe/London", "2026-03-29")]
    )
    assert week[0].tib == pytest.approx((480 + 420) / 2)


@pytest.mark.parametrize(
    ("zone", "morning", "changes", "field"),
    [
        # New York skips 02:00-02:59 on 8 Mar 2026.
        ("America/New_York", "2026-03-08", {"tried": "02:30"}, "tried_to_sleep"),
        # London skips 01:00-01:59 on 29 Mar 2026.
        ("Europe/London", "2026-03-29", {"final": "01:30", "out": "05:00"}, "final_awakening"),
        # Sydney skips 02:00-02:59 on 4 Oct 2026.
        ("Australia/Sydney", "2026-10-04", {"into": "02:10", "tried": "02:20"}, "into_bed"),
    ],
)
def test_a_time_the_clocks_skipped_is_refused(
    zone: str, morning: str, changes: dict[str, str], field: str
) -> None:
    with pytest.raises(AnkleSleepError, match="clocks went forward") as info:
        diary.validate_entry(night(zone, morning, **changes), TODAY)  # type: ignore[arg-type]
    assert info.value.field == field


def test_a_repeated_time_asks_which_one_and_the_answer_counts() -> None:
    # New York, 1 Nov 2026: 01:00-01:59 happens twice (EDT, then EST).
    base = {
        "into": "00:30",
        "tried": "01:30",
        "final": "06:30",
        "out": "07:00",
        "sol": 10,
        "waso": 0,
    }
    with pytest.raises(AnkleSleepError, match="earlier or the later") as info:
        diary.validate_entry(night("America/New_York", "2026-11-01", **base), TODAY)  # type: ignore[arg-type]
    assert info.value.field == "fold"
    # Bed 00:30 EDT = 04:30 UTC; up 07:00 EST = 12:00 UTC: 450 min in bed either way.
    # Earlier 01:30 = 05:30 UTC; final 06:30 EST = 11:30 UTC: 360 - 10 = 350.
    earlier = diary.validate_entry(night("America/New_York", "2026-11-01", fold=0, **base), TODAY)  # type: ignore[arg-type]
    assert (diary.metrics(earlier).tib, diary.metrics(earlier).tst) == (450, 350)
    # Later 01:30 = 06:30 UTC: 300 - 10 = 290.
    later = diary.validate_entry(night("America/New_York", "2026-11-01", fold=1, **base), TODAY)  # type: ignore[arg-type]
    assert (diary.metrics(later).tib, diary.metrics(later).tst) == (450, 290)


@pytest.mark.parametrize("fold", [None, 0, 1])
@pytest.mark.parametrize(
    ("zone", "morning", "changes", "tib", "tst"),
    [
        # London, 25 Oct 2026: into bed 01:50 BST = 00:50 UTC; the clocks go back at 02:00 BST;
        # tried 01:05 GMT = 01:05 UTC; final 06:30 GMT, up 07:00 GMT = 07:00 UTC.
        # In bed 00:50-07:00 UTC = 370; tried 01:05 to final 06:30 UTC = 325 - 15 - 20 = 290.
        ("Europe/London", "2026-10-25", {"into": "01:50", "tried": "01:05"}, 370, 290),
        # Sydney, 5 Apr 2026: 03:00 AEDT becomes 02:00 AEST. Into bed 02:40 AEDT = 15:40 UTC
        # (4 Apr); tried 02:10 AEST = 16:10 UTC; up 07:00 AEST = 21:00 UTC: 320 in bed.
        # Tried 16:10 to final 06:30 AEST = 20:30 UTC: 260 - 35 = 225.
        ("Australia/Sydney", "2026-04-05", {"into": "02:40", "tried": "02:10"}, 320, 225),
        # Going to bed inside the repeated hour and waking up inside it again, on the other
        # side: New York, 1 Nov 2026, into 01:40 EDT = 05:40 UTC, tried 01:45 EDT = 05:45 UTC,
        # final 01:20 EST = 06:20 UTC, up 01:30 EST = 06:30 UTC: 50 in bed; 35 - 15 - 0 = 20.
        (
            "America/New_York",
            "2026-11-01",
            {"into": "01:40", "tried": "01:45", "final": "01:20", "out": "01:30", "waso": 0},
            50,
            20,
        ),
    ],
)
def test_a_step_back_inside_the_repeated_hour_has_one_reading(
    zone: str, morning: str, changes: dict[str, object], tib: int, tst: int, fold: int | None
) -> None:
    # Only one reading keeps the times in order, so no question is asked and the answer, if one
    # was given, cannot change it.
    entry = night(zone, morning, fold=fold, **changes)  # type: ignore[arg-type]
    m = diary.metrics(diary.validate_entry(entry, TODAY, confirmed=True))
    assert (m.tib, m.tst) == (tib, tst)


def test_a_later_repeated_time_keeps_the_answered_side_when_both_fit() -> None:
    # New York, 1 Nov 2026: into 01:10 and tried 01:50 both repeated, both readings in order
    # on the same side; the answer for into bed holds for tried too.
    base = {"into": "01:10", "tried": "01:50", "sol": 10, "waso": 0}
    with pytest.raises(AnkleSleepError, match="earlier or the later 01:10"):
        diary.validate_entry(night("America/New_York", "2026-11-01", **base), TODAY)  # type: ignore[arg-type]
    # Earlier: into 05:10 UTC, tried 05:50 UTC, final 06:30 EST = 11:30 UTC, up 12:00 UTC.
    earlier = night("America/New_York", "2026-11-01", fold=0, **base)  # type: ignore[arg-type]
    m = diary.metrics(diary.validate_entry(earlier, TODAY))
    assert (m.tib, m.tst) == (410, 330)
    # Later: into 06:10 UTC, tried 06:50 UTC: 350 in bed, 280 - 10 = 270.
    later = night("America/New_York", "2026-11-01", fold=1, **base)  # type: ignore[arg-type]
    m = diary.metrics(diary.validate_entry(later, TODAY))
    assert (m.tib, m.tst) == (350, 270)


def test_an_unusual_night_needs_confirming() -> None:
    long = night("Europe/London", "2026-06-14", into="16:00", tried="16:10")  # 15 h in bed
    with pytest.raises(AnkleSleepError, match="confirm") as info:
        diary.validate_entry(long, TODAY)
    assert info.value.field == "confirm"
    assert diary.validate_entry(long, TODAY, confirmed=True) == long
    slow = night("Europe/London", "2026-06-14", sol=181, waso=0)
    with pytest.raises(AnkleSleepError, match="confirm"):
        diary.validate_entry(slow, TODAY)
    # 14 h exactly and 3 h exactly are usual enough.
    assert diary.validate_entry(
        night("Europe/London", "2026-06-14", into="17:00", tried="23:15", sol=180, waso=0), TODAY
    )


def test_an_unknown_zone_is_refused() -> None:
    with pytest.raises(AnkleSleepError) as info:
        diary.validate_entry(night("Mars/Olympus", "2026-06-14"), TODAY)
    assert info.value.field == "zone"


def test_an_unusual_night_reads_as_japanese_sentences() -> None:
    from anklesleep.basics.i18n import using

    long = night("Europe/London", "2026-06-14", into="16:00", tried="16:10", sol=200, waso=0)
    with using("ja"), pytest.raises(AnkleSleepError) as info:
        diary.validate_entry(long, TODAY)
    message = info.value.message
    assert "床に就いた 16:00 から床を出た 07:00" in message and "寝つくまでの時間" in message
    assert "。 " not in message  # Japanese sentences follow each other without a space
