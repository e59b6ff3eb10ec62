"""The sleep diary and the symptom log: values, validation and the standard sleep metrics.

The diary follows the core items of the Consensus Sleep Diary (Carney et al., SLEEP 2012): the
clock times of going to bed, trying to sleep, the final awakening and getting up, plus the
minutes it took to fall asleep, the number and total length of the awakenings, and a quality
rating. A night is keyed by the date of the morning after it.

Pure: "today" is an argument; nothing here reads the clock, the database or files.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from anklesleep.basics.errors import AnkleSleepError
from anklesleep.basics.i18n import N_

MINUTES_PER_DAY = 24 * 60

#: The quality scale of the Consensus Sleep Diary, 1..5.
QUALITY_LABELS: dict[int, str] = {
    1: N_("very poor"),
    2: N_("poor"),
    3: N_("fair"),
    4: N_("good"),
    5: N_("very good"),
}
#: Quality words accepted on the command line and in forms (`very-good`, `very good`, `4`).
QUALITY_KEYS: dict[str, int] = {label.replace(" ", "-"): n for n, label in QUALITY_LABELS.items()}


@dataclass(frozen=True)
class Symptom:
    """One of the seven everyday complaints the article links to the ankle bone."""

    key: str
    label: str


#: The seven complaints of ROUTINE.md, in the article's order, with stable keys.
SYMPTOMS: tuple[Symptom, ...] = (
    Symptom("knee", N_("Knee ache that keeps coming back")),
    Symptom("lower-back", N_("Lower back ache that keeps coming back")),
    Symptom("fatigue", N_("Tiredness that does not go away")),
    Symptom("shoulders", N_("Stiff shoulders")),
    Symptom("bunions", N_("Bunion discomfort")),
    Symptom("circulation", N_("Poor circulation (cold or heavy feet and legs)")),
    Symptom("headache", N_("Headache")),
)
SYMPTOM_KEYS: tuple[str, ...] = tuple(s.key for s in SYMPTOMS)
SCORE_MIN, SCORE_MAX = 0, 10


@dataclass(frozen=True)
class SleepEntry:
    """One night of the diary, as the person reported it (clock times are local wall time)."""

    night: dt.date  # the date of the morning after
    into_bed: dt.time
    tried_to_sleep: dt.time
    sol_minutes: int  # minutes it took to fall asleep
    awakenings: int  # how many times they woke, not counting the final awakening
    waso_minutes: int  # total minutes awake during those awakenings
    final_awakening: dt.time
    out_of_bed: dt.time
    quality: int  # 1 very poor .. 5 very good
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "night": self.night.isoformat(),
            "into_bed": hhmm(self.into_bed),
            "tried_to_sleep": hhmm(self.tried_to_sleep),
            "sol_minutes": self.sol_minutes,
            "awakenings": self.awakenings,
            "waso_minutes": self.waso_minutes,
            "final_awakening": hhmm(self.final_awakening),
            "out_of_bed": hhmm(self.out_of_bed),
            "quality": self.quality,
            "quality_label": QUALITY_LABELS.get(self.quality, ""),
            "note": self.note,
        }


#: The diary items of a night, in the diary's order (the fields of `SleepEntry`).
NIGHT_FIELDS: tuple[str, ...] = (
    "night",
    "into_bed",
    "tried_to_sleep",
    "sol_minutes",
    "awakenings",
    "waso_minutes",
    "final_awakening",
    "out_of_bed",
    "quality",
    "note",
)


@dataclass(frozen=True)
class NightMetrics:
    """The standard derived measures of one night, all in minutes except `se` (percent)."""

    tib: int  # time in bed: out of bed - into bed
    tst: int  # total sleep time: (final awakening - tried to sleep) - SOL - WASO
    se: float  # sleep efficiency: 100 * TST / TIB
    sol: int  # sleep onset latency
    waso: int  # wake after sleep onset
    nwak: int  # number of awakenings
    tib_after_final: int  # time in bed after the final awakening
    tib_before_trying: int  # time in bed before trying to sleep

    def to_dict(self) -> dict[str, Any]:
        return {
            "tib_minutes": self.tib,
            "tst_minutes": self.tst,
            "se_percent": round(self.se, 1),
            "sol_minutes": self.sol,
            "waso_minutes": self.waso,
            "nwak": self.nwak,
            "tib_after_final_minutes": self.tib_after_final,
            "tib_before_trying_minutes": self.tib_before_trying,
        }


@dataclass(frozen=True)
class SymptomEntry:
    """One complaint scored 0 (none) to 10 (worst imaginable) on one day."""

    day: dt.date
    symptom: str
    score: int
    note: str = ""


@dataclass(frozen=True)
class WeekMeans:
    """Means over the nights whose morning falls in one week (Monday first by default)."""

    week_start: dt.date
    nights: int
    tib: float
    tst: float
    se: float
    sol: float
    waso: float
    nwak: float
    quality: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "week_start": self.week_start.isoformat(),
            "nights": self.nights,
            "tib_minutes": round(self.tib, 1),
            "tst_minutes": round(self.tst, 1),
            "se_percent": round(self.se, 1),
            "sol_minutes": round(self.sol, 1),
            "waso_minutes": round(self.waso, 1),
            "nwak": round(self.nwak, 2),
            "quality": round(self.quality, 2),
        }


# --- formatting -------------------------------------------------------------------------------


def hhmm(value: dt.time) -> str:
    return value.strftime("%H:%M")


def duration(minutes: float) -> str:
    """`7 h 05 min`, or `35 min` under an hour."""
    total = round(minutes)
    sign = "-" if total < 0 else ""
    hours, mins = divmod(abs(total), 60)
    return f"{sign}{hours} h {mins:02d} min" if hours else f"{sign}{mins} min"


# --- parsing user input (CLI flags, prompts, form fields) ------------------------------------


def parse_date(value: str, field: str = "night") -> dt.date:
    try:
        return dt.date.fromisoformat(value.strip())
    except (ValueError, AttributeError):
        raise AnkleSleepError(
            f"{field}: got {value!r}; use a date like 2026-03-14 (YYYY-MM-DD)", field=field
        ) from None


def parse_clock(value: str, field: str) -> dt.time:
    """`HH:MM` on the 24-hour clock (also `H:MM`, `HHMM` and `HH.MM`)."""
    text = value.strip().replace(".", ":")
    if ":" not in text and text.isdigit() and len(text) in (3, 4):
        text = f"{text[:-2]}:{text[-2:]}"
    try:
        return dt.datetime.strptime(text, "%H:%M").time()
    except ValueError:
        raise AnkleSleepError(
            f"{field}: got {value!r}; use a 24-hour clock time like 23:15 or 06:40", field=field
        ) from None


def parse_count(value: str | int, field: str, unit: str = "a whole number") -> int:
    """A whole number >= 0 (minutes or a count)."""
    try:
        number = int(str(value).strip())
    except ValueError:
        raise AnkleSleepError(
            f"{field}: got {value!r}; give {unit} of 0 or more", field=field
        ) from None
    if number < 0:
        raise AnkleSleepError(f"{field}: got {number}; give {unit} of 0 or more", field=field)
    return number


def parse_quality(value: str | int) -> int:
    """1-5, or a word: very-poor, poor, fair, good, very-good."""
    text = str(value).strip().lower().replace(" ", "-").replace("_", "-")
    if text in QUALITY_KEYS:
        return QUALITY_KEYS[text]
    if text.isdigit() and int(text) in QUALITY_LABELS:
        return int(text)
    raise AnkleSleepError(
        f"quality: got {value!r}; use 1-5 or very-poor, poor, fair, good, very-good",
        field="quality",
    )


def parse_score(value: str | int, field: str) -> int:
    text = str(value).strip()
    if text.lstrip("-").isdigit() and SCORE_MIN <= int(text) <= SCORE_MAX:
        return int(text)
    raise AnkleSleepError(
        f"{field}: got {value!r}; use a whole number from 0 (none) to 10 (worst)", field=field
    )


def text_problem(text: str) -> str | None:
    """Why `text` cannot be stored on every back end (a NUL or a broken character), or None."""
    if "\x00" in text:
        return "contains a NUL character; remove it"
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        return f"has a broken character at position {exc.start + 1}; retype it"
    return None


def check_note(note: str) -> str:
    problem = text_problem(note)
    if problem:
        raise AnkleSleepError(f"note: {problem}", field="note")
    return note


def check_symptom(key: str) -> str:
    if key not in SYMPTOM_KEYS:
        raise AnkleSleepError(
            f"symptom: got {key!r}; use one of {', '.join(SYMPTOM_KEYS)}", field="symptom"
        )
    return key


# --- the night on a timeline -----------------------------------------------------------------


def _minute_of_day(value: dt.time) -> int:
    return value.hour * 60 + value.minute


def _forward(start: dt.time, end: dt.time) -> int:
    """Minutes from `start` to the next `end` at or after it on the clock (crossing midnight)."""
    return (_minute_of_day(end) - _minute_of_day(start)) % MINUTES_PER_DAY


@dataclass(frozen=True)
class _Offsets:
    """Minutes after going to bed of each clock time, in diary order."""

    tried: int
    final: int
    out: int


def _offsets(entry: SleepEntry) -> _Offsets:
    tried = _forward(entry.into_bed, entry.tried_to_sleep)
    final = tried + _forward(entry.tried_to_sleep, entry.final_awakening)
    out = final + _forward(entry.final_awakening, entry.out_of_bed)
    return _Offsets(tried, final, out)


def check_night_date(night: dt.date, today: dt.date) -> dt.date:
    """Refuse a night whose morning has not come yet."""
    if night > today:
        raise AnkleSleepError(
            f"night: got {night.isoformat()}, which is after today "
            f"({today.isoformat()}); a night is dated by the morning after it",
            field="night",
        )
    return night


def validate_entry(entry: SleepEntry, today: dt.date) -> SleepEntry:
    """Refuse a night that cannot have happened, with one line saying what is wrong.

    Each clock time is taken as the first moment at or after the previous one, so a bedtime of
    23:30 and one of 00:30 both work; a mistyped order shows up as a night of 24 hours or more.
    """
    check_night_date(entry.night, today)
    for name in ("into_bed", "tried_to_sleep", "final_awakening", "out_of_bed"):
        value: dt.time = getattr(entry, name)
        if value.second or value.microsecond or value.tzinfo is not None:
            raise AnkleSleepError(
                f"{name}: got {value.isoformat()}; give a local clock time in whole minutes "
                "like 23:15",
                field=name,
            )
    for name in ("sol_minutes", "awakenings", "waso_minutes"):
        number = getattr(entry, name)
        if isinstance(number, bool) or not isinstance(number, int) or number < 0:
            raise AnkleSleepError(
                f"{name}: got {number!r}; give a whole number of 0 or more", field=name
            )
    if isinstance(entry.quality, bool) or entry.quality not in QUALITY_LABELS:
        raise AnkleSleepError(
            f"quality: got {entry.quality!r}; use 1 (very poor) to 5 (very good)", field="quality"
        )
    off = _offsets(entry)
    if off.out >= MINUTES_PER_DAY:
        raise AnkleSleepError(
            f"night: into bed {hhmm(entry.into_bed)}, tried to sleep "
            f"{hhmm(entry.tried_to_sleep)}, final awakening {hhmm(entry.final_awakening)}, out "
            f"of bed {hhmm(entry.out_of_bed)} span 24 h or more in that order; check the times",
            field="night",
        )
    if off.out == 0:
        raise AnkleSleepError(
            f"out_of_bed: got {hhmm(entry.out_of_bed)}, the same as into bed; a night needs "
            "some time in bed",
            field="out_of_bed",
        )
    asleep_window = off.final - off.tried
    if entry.sol_minutes + entry.waso_minutes > asleep_window:
        raise AnkleSleepError(
            f"sol_minutes + waso_minutes: got {entry.sol_minutes} + {entry.waso_minutes} = "
            f"{entry.sol_minutes + entry.waso_minutes} min, longer than the {asleep_window} min "
            f"from trying to sleep ({hhmm(entry.tried_to_sleep)}) to the final awakening "
            f"({hhmm(entry.final_awakening)}); check the minutes or the times",
            field="waso_minutes",
        )
    if entry.awakenings == 0 and entry.waso_minutes > 0:
        raise AnkleSleepError(
            f"waso_minutes: got {entry.waso_minutes} with 0 awakenings; give the number of "
            "awakenings, or 0 minutes awake",
            field="waso_minutes",
        )
    check_note(entry.note)
    return entry


def metrics(entry: SleepEntry) -> NightMetrics:
    """The night's TIB, TST, SE, SOL, WASO, NWAK and time in bed around sleep (minutes)."""
    off = _offsets(entry)
    tib = off.out
    tst = (off.final - off.tried) - entry.sol_minutes - entry.waso_minutes
    se = 100.0 * tst / tib if tib > 0 else 0.0
    return NightMetrics(
        tib=tib,
        tst=tst,
        se=se,
        sol=entry.sol_minutes,
        waso=entry.waso_minutes,
        nwak=entry.awakenings,
        tib_after_final=off.out - off.final,
        tib_before_trying=off.tried,
    )


def week_start(day: dt.date, first_weekday: int = 0) -> dt.date:
    """The first day of the week containing `day` (0 = Monday .. 6 = Sunday)."""
    return day - dt.timedelta(days=(day.weekday() - first_weekday) % 7)


def weekly_means(entries: Iterable[SleepEntry], first_weekday: int = 0) -> list[WeekMeans]:
    """Mean metrics per week (by the morning's date), oldest week first; weeks with no
    nights are left out rather than shown as zeros."""
    weeks: dict[dt.date, list[SleepEntry]] = {}
    for entry in entries:
        weeks.setdefault(week_start(entry.night, first_weekday), []).append(entry)
    result = []
    for start in sorted(weeks):
        nights = weeks[start]
        ms = [metrics(e) for e in nights]
        n = len(nights)
        result.append(
            WeekMeans(
                week_start=start,
                nights=n,
                tib=sum(m.tib for m in ms) / n,
                tst=sum(m.tst for m in ms) / n,
                se=sum(m.se for m in ms) / n,
                sol=sum(m.sol for m in ms) / n,
                waso=sum(m.waso for m in ms) / n,
                nwak=sum(m.nwak for m in ms) / n,
                quality=sum(e.quality for e in nights) / n,
            )
        )
    return result


def validate_symptom(entry: SymptomEntry, today: dt.date) -> SymptomEntry:
    """Refuse an unknown complaint, a score off the 0-10 scale or a day in the future."""
    check_symptom(entry.symptom)
    if (
        isinstance(entry.score, bool)
        or not isinstance(entry.score, int)
        or not (SCORE_MIN <= entry.score <= SCORE_MAX)
    ):
        raise AnkleSleepError(
            f"{entry.symptom}: got {entry.score!r}; use a whole number from 0 (none) to 10 (worst)",
            field=entry.symptom,
        )
    if entry.day > today:
        raise AnkleSleepError(
            f"day: got {entry.day.isoformat()}, which is after today ({today.isoformat()}); "
            "score a day that has happened",
            field="day",
        )
    check_note(entry.note)
    return entry
