"""Diary values, validation and metrics: hand-computed nights and invariants."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from anklesleep.basics.errors import AnkleSleepError
from anklesleep.diary import entries as diary
from anklesleep.diary.entries import SleepEntry, SymptomEntry

TODAY = dt.date(2026, 3, 14)


def entry(
    into: str = "23:10",
    tried: str = "23:30",
    final: str = "06:50",
    out: str = "07:05",
    sol: int = 20,
    nwak: int = 2,
    waso: int = 35,
    quality: int = 4,
    night: dt.date = TODAY,
    note: str = "",
) -> SleepEntry:
    return SleepEntry(
        night=night,
        into_bed=dt.time.fromisoformat(into),
        tried_to_sleep=dt.time.fromisoformat(tried),
        sol_minutes=sol,
        awakenings=nwak,
        waso_minutes=waso,
        final_awakening=dt.time.fromisoformat(final),
        out_of_bed=dt.time.fromisoformat(out),
        quality=quality,
        note=note,
    )


def test_bedtime_before_midnight_hand_computed() -> None:
    # 23:10 -> 07:05 is 7 h 55 min = 475; 23:30 -> 06:50 is 440; 440 - 20 - 35 = 385.
    m = diary.metrics(diary.validate_entry(entry(), TODAY))
    assert (m.tib, m.tst, m.sol, m.waso, m.nwak) == (475, 385, 20, 35, 2)
    assert m.se == pytest.approx(100 * 385 / 475)
    assert m.tib_after_final == 15
    assert m.tib_before_trying == 20


def test_bedtime_after_midnight_hand_computed() -> None:
    # 00:30 -> 08:00 is 450; tried 00:45 -> final 07:30 is 405; 405 - 10 - 0 = 395.
    e = entry(into="00:30", tried="00:45", final="07:30", out="08:00", sol=10, nwak=0, waso=0)
    m = diary.metrics(diary.validate_entry(e, TODAY))
    assert (m.tib, m.tst, m.nwak, m.waso, m.tib_after_final) == (450, 395, 0, 0, 30)
    assert m.se == pytest.approx(87.777, abs=0.001)


def test_trying_to_sleep_after_midnight_from_an_evening_bedtime() -> None:
    e = entry(into="22:00", tried="00:15", final="06:00", out="06:00", sol=30, nwak=1, waso=45)
    m = diary.metrics(diary.validate_entry(e, TODAY))
    # TIB 8 h = 480; window 00:15 -> 06:00 = 345; TST = 345 - 30 - 45 = 270.
    assert (m.tib, m.tst, m.tib_before_trying, m.tib_after_final) == (480, 270, 135, 0)
    assert m.se == pytest.approx(56.25)


def test_long_awakenings_hand_computed() -> None:
    # Awake three hours in the middle of the night: 23:00 -> 07:00 window 480, TST 480-15-180.
    e = entry(into="23:00", tried="23:00", final="07:00", out="07:00", sol=15, nwak=3, waso=180)
    m = diary.metrics(diary.validate_entry(e, TODAY))
    assert (m.tib, m.tst) == (480, 285)
    assert m.se == pytest.approx(59.375)


def test_daytime_sleep_after_a_night_shift() -> None:
    e = entry(into="08:00", tried="08:10", final="15:40", out="16:00", sol=5, nwak=1, waso=10)
    m = diary.metrics(diary.validate_entry(e, TODAY))
    assert (m.tib, m.tst) == (480, 435)


@pytest.mark.parametrize(
    ("changes", "field", "fragment"),
    [
        ({"sol": 300, "waso": 200}, "waso_minutes", "more than the 440 minutes"),
        ({"sol": 500, "waso": 0}, "sol_minutes", "more than the 440 minutes"),
        ({"tried": "23:00"}, "out_of_bed", "a day or more"),
        ({"into": "07:06", "out": "07:10"}, "out_of_bed", "a day or more"),
        ({"night": TODAY + dt.timedelta(days=1)}, "night", "after today"),
        ({"quality": 6}, "quality", "1 (very poor) to 5"),
        ({"quality": 0}, "quality", "“0” is not on the scale"),
        ({"sol": -5}, "sol_minutes", "from 0 to 1440"),
        ({"sol": 1441}, "sol_minutes", "from 0 to 1440"),
        ({"nwak": -1}, "awakenings", "from 0 to 99"),
        ({"nwak": 10**20}, "awakenings", "from 0 to 99"),
        ({"waso": -1}, "waso_minutes", "from 0 to 1440"),
        ({"nwak": 0, "waso": 10}, "waso_minutes", "no awakenings"),
        ({"note": "x" * 2001}, "note", "2000 or fewer"),
        (
            {"into": "23:00", "tried": "23:00", "final": "23:00", "out": "23:00"},
            "out_of_bed",
            "must be after into bed",
        ),
    ],
)
def test_impossible_nights_are_refused_in_one_line(
    changes: dict[str, object], field: str, fragment: str
) -> None:
    with pytest.raises(AnkleSleepError) as info:
        diary.validate_entry(entry(**changes), TODAY)  # type: ignore[arg-type]
    assert info.value.field == field
    assert fragment in info.value.message
    assert "\n" not in info.value.message


@pytest.mark.parametrize(("note", "fragment"), [("a\x00b", "NUL"), ("ok \udc39", "position 4")])
def test_notes_that_cannot_be_stored_are_refused(note: str, fragment: str) -> None:
    with pytest.raises(AnkleSleepError, match=fragment):
        diary.validate_entry(replace(entry(), note=note), TODAY)
    with pytest.raises(AnkleSleepError, match=fragment):
        diary.validate_symptom(SymptomEntry(TODAY, "knee", 1, note), TODAY)


def test_seconds_in_a_clock_time_are_refused() -> None:
    bad = replace(entry(), into_bed=dt.time(23, 10, 30))
    with pytest.raises(AnkleSleepError, match="Got into bed: got 23:10:30"):
        diary.validate_entry(bad, TODAY)


clock_times = st.builds(dt.time, st.integers(0, 23), st.integers(0, 59))


@st.composite
def valid_nights(draw: st.DrawFn) -> SleepEntry:
    """Any night that passes validation: an ordered night under 24 h with consistent minutes."""
    into = draw(st.integers(0, 1439))
    before_trying = draw(st.integers(0, 600))
    window = draw(st.integers(0, 1439 - before_trying - 1))
    after = draw(st.integers(0 if before_trying + window > 0 else 1, 1439 - before_trying - window))
    sol = draw(st.integers(0, window))
    nwak = draw(st.integers(0, 30))
    waso = 0 if nwak == 0 else draw(st.integers(0, window - sol))

    def at(offset: int) -> dt.time:
        minute = (into + offset) % 1440
        return dt.time(minute // 60, minute % 60)

    return SleepEntry(
        night=TODAY - dt.timedelta(days=draw(st.integers(0, 3000))),
        into_bed=at(0),
        tried_to_sleep=at(before_trying),
        sol_minutes=sol,
        awakenings=nwak,
        waso_minutes=waso,
        final_awakening=at(before_trying + window),
        out_of_bed=at(before_trying + window + after),
        quality=draw(st.integers(1, 5)),
        note=draw(
            st.text(
                st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
                max_size=20,
            )
        ),
    )


@given(valid_nights())
def test_every_valid_night_has_sane_metrics(night: SleepEntry) -> None:
    m = diary.metrics(diary.validate_entry(night, TODAY, confirmed=True))
    assert 0 <= m.se <= 100
    assert 0 <= m.tst <= m.tib
    assert 0 < m.tib < 24 * 60
    assert m.tib == m.tib_before_trying + (m.tst + m.sol + m.waso) + m.tib_after_final


@given(
    clock_times,
    clock_times,
    clock_times,
    clock_times,
    st.integers(-5, 2000),
    st.integers(-5, 50),
    st.integers(-5, 2000),
    st.integers(-1, 7),
)
def test_anything_validation_accepts_has_sane_metrics(
    a: dt.time, b: dt.time, c: dt.time, d: dt.time, sol: int, nwak: int, waso: int, q: int
) -> None:
    night = SleepEntry(TODAY, a, b, sol, nwak, waso, c, d, q)
    try:
        diary.validate_entry(night, TODAY)
    except AnkleSleepError as exc:
        assert "\n" not in exc.message
        return
    m = diary.metrics(night)
    assert 0 <= m.se <= 100
    assert 0 <= m.tst <= m.tib


def test_weekly_means_group_by_the_mornings_week() -> None:
    monday = dt.date(2026, 3, 9)
    nights = [
        entry(night=monday, sol=10, nwak=0, waso=0, quality=2),  # window 440 -> TST 430
        entry(night=monday + dt.timedelta(days=6), sol=30, nwak=1, waso=10, quality=4),  # 400
        entry(night=monday + dt.timedelta(days=7), quality=5),  # next week: TST 385
    ]
    weeks = diary.weekly_means(reversed(nights))
    assert [w.week_start for w in weeks] == [monday, monday + dt.timedelta(days=7)]
    first, second = weeks
    assert first.nights == 2
    assert first.tst == pytest.approx(415)
    assert first.tib == pytest.approx(475)
    assert first.quality == pytest.approx(3)
    assert first.nwak == pytest.approx(0.5)
    assert first.se == pytest.approx((100 * 430 / 475 + 100 * 400 / 475) / 2)
    assert second.nights == 1 and second.tst == 385
    sunday_weeks = diary.weekly_means(nights, first_weekday=6)
    assert [w.week_start for w in sunday_weeks] == [dt.date(2026, 3, 8), dt.date(2026, 3, 15)]
    assert diary.weekly_means([]) == []


@pytest.mark.parametrize(
    ("text", "value"),
    [("1", 1), ("5", 5), ("very-poor", 1), ("Very good", 5), ("fair", 3), (" good ", 4)],
)
def test_parse_quality(text: str, value: int) -> None:
    assert diary.parse_quality(text) == value


@pytest.mark.parametrize("text", ["0", "6", "great", "", "-1"])
def test_parse_quality_refuses(text: str) -> None:
    with pytest.raises(AnkleSleepError, match="Sleep quality: "):
        diary.parse_quality(text)


def test_parse_clock_and_counts() -> None:
    assert diary.parse_clock("23:15", "into_bed") == dt.time(23, 15)
    assert diary.parse_clock("0630", "out") == dt.time(6, 30)
    assert diary.parse_clock("7.05", "out") == dt.time(7, 5)
    with pytest.raises(AnkleSleepError, match="Got into bed: “25:00” is not a clock time"):
        diary.parse_clock("25:00", "into_bed")
    for unclear in ("1.5", "1:5", "7.5", "١٢:٠٠", "12345"):  # minutes always take two digits
        with pytest.raises(AnkleSleepError, match=f"Got into bed: “{unclear}” is not a clock time"):
            diary.parse_clock(unclear, "into_bed")
    assert diary.parse_count("12", "sol_minutes") == 12
    for bad in ("-3", "ten", "1.5", "99999999999999999999", "1e3", "٣"):
        with pytest.raises(AnkleSleepError, match="Minutes to fall asleep: “") as info:
            diary.parse_count(bad, "sol_minutes")
        assert info.value.field == "sol_minutes"
    with pytest.raises(AnkleSleepError, match="Minutes to fall asleep: please fill this in"):
        diary.parse_count(" ", "sol_minutes")
    assert diary.parse_date("2026-03-01") == dt.date(2026, 3, 1)
    with pytest.raises(AnkleSleepError, match="Night: “03/01” is not a date"):
        diary.parse_date("03/01")


def test_symptoms_are_the_seven_complaints() -> None:
    assert diary.SYMPTOM_KEYS == (
        "knee",
        "lower-back",
        "fatigue",
        "shoulders",
        "bunions",
        "circulation",
        "headache",
    )
    assert all(s.label for s in diary.SYMPTOMS)


def test_symptom_validation() -> None:
    ok = SymptomEntry(TODAY, "knee", 10)
    assert diary.validate_symptom(ok, TODAY) == ok
    with pytest.raises(
        AnkleSleepError, match="Knee ache that keeps coming back: “11” is not on the scale"
    ):
        diary.validate_symptom(replace(ok, score=11), TODAY)
    with pytest.raises(
        AnkleSleepError, match="Knee ache that keeps coming back: “-1” is not on the scale"
    ):
        diary.validate_symptom(replace(ok, score=-1), TODAY)
    with pytest.raises(AnkleSleepError, match="symptom: got 'elbow'"):
        diary.validate_symptom(replace(ok, symptom="elbow"), TODAY)
    with pytest.raises(AnkleSleepError, match="after today"):
        diary.validate_symptom(replace(ok, day=TODAY + dt.timedelta(days=1)), TODAY)
    assert diary.parse_score("7", "knee") == 7
    with pytest.raises(
        AnkleSleepError, match=r"Knee ache that keeps coming back: “7\.5” is not on the scale"
    ):
        diary.parse_score("7.5", "knee")


def test_duration_formatting() -> None:
    assert diary.duration(385) == "6 h 25 min"
    assert diary.duration(35) == "35 min"
    assert diary.duration(60) == "1 h 00 min"
