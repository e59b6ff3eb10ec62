"""The sleep diary and the symptom log: values, validation and the standard sleep metrics.

The diary follows the core items of the Consensus Sleep Diary (Carney et al., SLEEP 2012): the
clock times of going to bed, trying to sleep, the final awakening and getting up, plus the
minutes it took to fall asleep, the number and total length of the awakenings, and a quality
rating. A night is keyed by the date of the morning after it.

Pure: "today" is an argument; nothing here reads the clock, the database or files.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from anklesleep.basics import formats
from anklesleep.basics.errors import AnkleSleepError
from anklesleep.basics.i18n import N_, _, translator
from anklesleep.basics.wording import join_sentences
from anklesleep.diary import nighttime
from anklesleep.diary.labels import label
from anklesleep.diary.nighttime import MINUTES_PER_DAY

#: The most minutes a night's SOL or WASO can hold, and the most awakenings counted.
MINUTES_MAX = MINUTES_PER_DAY
AWAKENINGS_MAX = 99
#: The longest note, the same for the command line, the forms and the API.
NOTE_MAX = 2000
#: Possible but unusual nights are saved only once the person confirms them.
CONFIRM_TIB_MINUTES = 14 * 60
CONFIRM_SOL_MINUTES = 3 * 60

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
    zone: str = "UTC"  # the IANA zone the clock times were read in, on that night
    fold: int | None = None  # for a time the clocks showed twice: 0 the earlier, 1 the later

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
            "zone": self.zone,
            "fold": self.fold,
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
    "zone",
    "fold",
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
    """`7 h 05 min`, or `35 min` under an hour (`7時間5分` in Japanese): for people, never for
    files."""
    return formats.duration_minutes(minutes)


# --- parsing user input (CLI flags, prompts, form fields) ------------------------------------


def parse_date(value: str, field: str = "night") -> dt.date:
    try:
        return dt.date.fromisoformat(value.strip())
    except (ValueError, AttributeError):
        raise AnkleSleepError(
            _("{field}: “{value}” is not a date; use one like 2026-03-14 (year-month-day)").format(
                field=label(field), value=value
            ),
            field=field,
        ) from None


_CLOCK = re.compile(r"(?P<hour>[0-9]{1,2})[:.]?(?P<minute>[0-9]{2})", re.ASCII)


def parse_clock(value: str, field: str) -> dt.time:
    """`HH:MM` on the 24-hour clock (also `H:MM`, `HHMM` and `HH.MM`)."""
    text = str(value).strip()
    if not text:
        raise missing(field)
    shape = _CLOCK.fullmatch(text)
    try:
        if shape is None:  # "1.5" is not a time: minutes always take two digits
            raise ValueError(text)
        return dt.time(int(shape["hour"]), int(shape["minute"]))
    except ValueError:
        raise AnkleSleepError(
            _("{field}: “{value}” is not a clock time; give one like 23:15 or 06:40").format(
                field=label(field), value=value
            ),
            field=field,
        ) from None


def missing(field: str) -> AnkleSleepError:
    """The error for a required field left empty."""
    return AnkleSleepError(
        _("{field}: please fill this in").format(field=label(field)), field=field
    )


def parse_count(
    value: str | int, field: str, unit: str = "a whole number", maximum: int | None = None
) -> int:
    """A whole number from 0 to `maximum` (minutes or a count; the field's bound by default)."""
    top = maximum if maximum is not None else _MAXIMA.get(field, MINUTES_MAX)
    text = str(value).strip()
    if not text:
        raise missing(field)
    if not (text.isascii() and text.isdigit()) or len(text) > 6 or int(text) > top:
        raise AnkleSleepError(
            _("{field}: “{value}” is not a whole number from 0 to {top}").format(
                field=label(field), value=value if len(text) <= 20 else text[:20] + "…", top=top
            ),
            field=field,
        )
    return int(text)


def parse_quality(value: str | int) -> int:
    """1-5, or a word: very-poor, poor, fair, good, very-good."""
    text = str(value).strip().lower().replace(" ", "-").replace("_", "-")
    if not text:
        raise missing("quality")
    if text in QUALITY_KEYS:
        return QUALITY_KEYS[text]
    if text.isascii() and text.isdigit() and len(text) == 1 and int(text) in QUALITY_LABELS:
        return int(text)
    raise AnkleSleepError(
        _("{field}: “{value}” is not on the scale; choose 1 (very poor) to 5 (very good)").format(
            field=label("quality"), value=value if len(text) <= 20 else text[:20] + "…"
        ),
        field="quality",
    )


def parse_score(value: str | int, field: str) -> int:
    text = str(value).strip()
    if text.isascii() and text.isdigit() and len(text) <= 2 and SCORE_MIN <= int(text) <= SCORE_MAX:
        return int(text)
    raise AnkleSleepError(
        _(
            "{field}: “{value}” is not on the scale; use a whole number from 0 (none) to 10 (worst)"
        ).format(field=field_name(field), value=value if len(text) <= 20 else text[:20] + "…"),
        field=field,
    )


def text_problem(text: str) -> str | None:
    """Why `text` cannot be stored on every back end (a NUL or a broken character), or None."""
    if "\x00" in text:
        return _("contains a NUL character; remove it")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        return _("has a broken character at position {n}; retype it").format(n=exc.start + 1)
    return None


def field_name(field: str) -> str:
    """What to call `field` in a message: its form label, or a complaint's name (and note)."""
    symptom = next((s for s in SYMPTOMS if s.key == field.removesuffix("_note")), None)
    if symptom is None:
        return label(field)
    if field.endswith("_note"):
        return _("{symptom}: note").format(symptom=_(symptom.label))
    return _(symptom.label)


def check_note(note: str, field: str = "note") -> str:
    problem = text_problem(note)
    if problem:
        raise AnkleSleepError(f"{field_name(field)}: {problem}", field=field)
    if len(note) > NOTE_MAX:
        raise AnkleSleepError(
            _("{field}: {n} characters; keep it to {limit} or fewer").format(
                field=field_name(field), n=len(note), limit=NOTE_MAX
            ),
            field=field,
        )
    return note


def check_symptom(key: str) -> str:
    if key not in SYMPTOM_KEYS:
        raise AnkleSleepError(
            _("symptom: got {value!r}; use one of {keys}").format(
                value=key, keys=", ".join(SYMPTOM_KEYS)
            ),
            field="symptom",
        )
    return key


_MAXIMA = {"awakenings": AWAKENINGS_MAX, "sol_minutes": MINUTES_MAX, "waso_minutes": MINUTES_MAX}


# --- the night on a timeline -----------------------------------------------------------------


def _times(entry: SleepEntry) -> tuple[dt.time, dt.time, dt.time, dt.time]:
    return (entry.into_bed, entry.tried_to_sleep, entry.final_awakening, entry.out_of_bed)


def _wall_minutes_in_bed(entry: SleepEntry) -> int:
    """Clock minutes from going to bed to getting up, each time read after the one before."""
    return sum(nighttime.clock_steps(entry.night, _times(entry), nighttime.zone(entry.zone)))


def instants(entry: SleepEntry, *, strict: bool = False) -> nighttime.Instants:
    """The night's four moments in UTC (see `nighttime.instants`)."""
    return nighttime.instants(entry.night, _times(entry), entry.zone, entry.fold, strict=strict)


def check_night_date(night: dt.date, today: dt.date) -> dt.date:
    """Refuse a night whose morning has not come yet."""
    if night > today:
        raise AnkleSleepError(
            _(
                "{field}: {night} is after today ({today}); a night is dated by the morning "
                "after it, so it can be filled in from that morning"
            ).format(field=label("night"), night=night.isoformat(), today=today.isoformat()),
            field="night",
        )
    return night


def _order_error(field: str, text: str) -> AnkleSleepError:
    return AnkleSleepError(text, field=field)


def validate_entry(entry: SleepEntry, today: dt.date, *, confirmed: bool = False) -> SleepEntry:
    """Refuse a night that cannot have happened, with one line saying what is wrong.

    Each clock time is taken as the first moment at or after the previous one, so a bedtime of
    23:30 and one of 00:30 both work; a mistyped order shows up as a night of 24 hours or more.
    A possible but unusual night (more than 14 h in bed, or more than 3 h to fall asleep) is
    refused unless `confirmed`, so that a slip of the finger is caught before it is saved.
    """
    check_night_date(entry.night, today)
    nighttime.zone(entry.zone)
    if entry.fold not in (None, 0, 1) or isinstance(entry.fold, bool):
        raise AnkleSleepError(
            _("{field}: got {value!r}; choose the earlier or the later time").format(
                field=label("fold"), value=entry.fold
            ),
            field="fold",
        )
    for name in nighttime.TIME_FIELDS:
        value: dt.time = getattr(entry, name)
        if value.second or value.microsecond or value.tzinfo is not None:
            raise AnkleSleepError(
                _("{field}: got {value}; give a local clock time in whole minutes").format(
                    field=label(name), value=value.isoformat()
                ),
                field=name,
            )
    for name, top in _MAXIMA.items():
        number = getattr(entry, name)
        if isinstance(number, bool) or not isinstance(number, int) or not 0 <= number <= top:
            raise AnkleSleepError(
                _("{field}: “{value}” is not a whole number from 0 to {top}").format(
                    field=label(name), value=number, top=top
                ),
                field=name,
            )
    if isinstance(entry.quality, bool) or entry.quality not in QUALITY_LABELS:
        raise AnkleSleepError(
            _(
                "{field}: “{value}” is not on the scale; choose 1 (very poor) to 5 (very good)"
            ).format(field=label("quality"), value=entry.quality),
            field="quality",
        )
    check_note(entry.note)
    out = _wall_minutes_in_bed(entry)
    if out >= MINUTES_PER_DAY:
        raise _order_error(
            "out_of_bed",
            _(
                "{field}: these four times, read in order (into bed, tried to sleep, final "
                "awakening, out of bed), make a night of a day or more; check that each one "
                "comes after the one before"
            ).format(field=label("out_of_bed")),
        )
    if out == 0:
        raise _order_error(
            "out_of_bed",
            _("{field}: must be after into bed; a night needs some time in bed").format(
                field=label("out_of_bed")
            ),
        )
    moments = instants(entry, strict=True)
    window = nighttime.elapsed_minutes(moments.tried_to_sleep, moments.final_awakening)
    if entry.sol_minutes + entry.waso_minutes > window:
        field = "sol_minutes" if entry.sol_minutes > window else "waso_minutes"
        raise AnkleSleepError(
            _(
                "{field}: minutes to fall asleep plus minutes awake ({total}) are more than the "
                "{window} minutes from trying to sleep to the final awakening; check the minutes "
                "or the times"
            ).format(
                field=label(field), total=entry.sol_minutes + entry.waso_minutes, window=window
            ),
            field=field,
        )
    if entry.awakenings == 0 and entry.waso_minutes > 0:
        raise AnkleSleepError(
            _(
                "{field}: {minutes} minutes awake with no awakenings; give the number of times "
                "you woke up, or 0 minutes"
            ).format(field=label("waso_minutes"), minutes=entry.waso_minutes),
            field="waso_minutes",
        )
    if not confirmed:
        unusual = _unusual(entry, nighttime.elapsed_minutes(moments.into_bed, moments.out_of_bed))
        if unusual:
            raise AnkleSleepError(join_sentences(unusual, translator()), field="confirm")
    return entry


def _unusual(entry: SleepEntry, tib: int) -> list[str]:
    """A plain sentence for each answer that is possible but unusual enough to confirm, naming
    the times or minutes behind it (empty when the night is usual)."""
    sentences = []
    if tib > CONFIRM_TIB_MINUTES:
        sentences.append(
            _(
                "From getting into bed at {into} to getting out of bed at {out} is {tib} in "
                "bed, more than {limit}."
            ).format(
                into=hhmm(entry.into_bed),
                out=hhmm(entry.out_of_bed),
                tib=duration(tib),
                limit=duration(CONFIRM_TIB_MINUTES),
            )
        )
    if entry.sol_minutes > CONFIRM_SOL_MINUTES:
        sentences.append(
            _("{sol} to fall asleep is more than {limit}.").format(
                sol=duration(entry.sol_minutes), limit=duration(CONFIRM_SOL_MINUTES)
            )
        )
    if sentences:
        sentences.append(_("Check the times, or confirm that this night is right."))
    return sentences


def metrics(entry: SleepEntry) -> NightMetrics:
    """The night's TIB, TST, SE, SOL, WASO, NWAK and time in bed around sleep, in real elapsed
    minutes (the clock times are placed in the night's zone and compared in UTC)."""
    m = instants(entry)
    tib = nighttime.elapsed_minutes(m.into_bed, m.out_of_bed)
    window = nighttime.elapsed_minutes(m.tried_to_sleep, m.final_awakening)
    tst = window - entry.sol_minutes - entry.waso_minutes
    se = 100.0 * tst / tib if tib > 0 else 0.0
    return NightMetrics(
        tib=tib,
        tst=tst,
        se=se,
        sol=entry.sol_minutes,
        waso=entry.waso_minutes,
        nwak=entry.awakenings,
        tib_after_final=nighttime.elapsed_minutes(m.final_awakening, m.out_of_bed),
        tib_before_trying=nighttime.elapsed_minutes(m.into_bed, m.tried_to_sleep),
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


def check_day(day: dt.date, today: dt.date) -> dt.date:
    """Refuse a symptom day that has not come yet."""
    if day > today:
        raise AnkleSleepError(
            _("{field}: {day} is after today ({today}); score a day that has come").format(
                field=label("day"), day=day.isoformat(), today=today.isoformat()
            ),
            field="day",
        )
    return day


def validate_symptom(entry: SymptomEntry, today: dt.date) -> SymptomEntry:
    """Refuse an unknown complaint, a score off the 0-10 scale or a day in the future."""
    check_symptom(entry.symptom)
    if (
        isinstance(entry.score, bool)
        or not isinstance(entry.score, int)
        or not (SCORE_MIN <= entry.score <= SCORE_MAX)
    ):
        raise AnkleSleepError(
            _(
                "{field}: “{value}” is not on the scale; use a whole number from 0 (none) to "
                "10 (worst)"
            ).format(field=field_name(entry.symptom), value=entry.score),
            field=entry.symptom,
        )
    check_day(entry.day, today)
    check_note(entry.note, f"{entry.symptom}_note")
    return entry
