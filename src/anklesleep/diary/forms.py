"""Reading a diary night or a day's symptom scores from a form or an API body: the one set of
rules the web pages, the API and (field by field) the command line share.

Every field is read, and every problem found, before anything is refused, so a form can show
each message next to its own field; the first problem is the error's own message and field.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping
from functools import partial
from typing import TypeVar

from anklesleep.basics.errors import AnkleSleepError
from anklesleep.basics.i18n import _
from anklesleep.diary import entries as diary
from anklesleep.diary import tracked as tracked_rules
from anklesleep.diary.labels import label
from anklesleep.diary.nighttime import FOLD_WORDS, TIME_FIELDS
from anklesleep.trackers.records import TrackerNight

T = TypeVar("T")

#: The fields a diary form or body may carry besides the night's own answers.
EXTRA_FIELDS: tuple[str, ...] = ("fold", "confirm")


class FormProblems(AnkleSleepError):
    """Several fields are wrong at once; `problems` maps each field to its message."""

    def __init__(self, problems: dict[str, str]) -> None:
        first = next(iter(problems))
        super().__init__("; ".join(problems.values()), field=first)
        self.problems = problems


def text_of(value: object, field: str, *, numbers: bool = True) -> str:
    """The text of a form value or a JSON value (a string, or for a count a number, which the
    field's own reader then checks in the words a form gets); anything else (a list, an object,
    true/false, a clock time sent as a number) is refused naming the field, the value and what
    to give instead."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    is_number = isinstance(value, int | float) and not isinstance(value, bool)
    if numbers and is_number and field not in TIME_FIELDS:
        return str(value)  # a fraction or a huge count: its reader says what it takes
    shown = json.dumps(value, default=repr, ensure_ascii=False)  # as it was sent
    shown = shown if len(shown) <= 30 else shown[:29] + "…"
    if field in TIME_FIELDS:
        text = _("{field}: {value} is not a clock time; write it as text, like 23:15")
    elif numbers:
        text = _("{field}: {value} is not a whole number; give one like 2")
    else:
        text = _("{field}: {value} is not text; write it between quotes")
    raise AnkleSleepError(text.format(field=label(field), value=shown), field=field)


def is_checked(value: object) -> bool:
    """Whether a checkbox or a JSON flag is set."""
    if isinstance(value, bool):
        return value
    return str(value or "").strip().lower() in ("1", "on", "true", "yes")


class _Reader:
    def __init__(self, form: Mapping[str, object], blanks: Mapping[str, str] | None = None) -> None:
        self.form = form
        self.problems: dict[str, str] = {}
        self.blanks = blanks or {}  # the text a blank field takes instead of being refused
        self.filled: set[str] = set()  # the fields that were blank and took it

    def read(self, name: str, parse: Callable[[str], T], *, numbers: bool = True) -> T | None:
        try:
            text = text_of(self.form.get(name), name, numbers=numbers)
            if not text.strip() and name in self.blanks:
                text = self.blanks[name]
                self.filled.add(name)
            return parse(text)
        except AnkleSleepError as exc:
            self.problems.setdefault(exc.field or name, exc.message)
            return None


def _is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _fold(text: str) -> int | None:
    word = text.strip().lower()
    if not word:
        return None
    if word in FOLD_WORDS:
        return FOLD_WORDS[word]
    if word in ("0", "1"):
        return int(word)
    raise AnkleSleepError(
        _("{field}: “{value}” is not one of the answers; choose “earlier” or “later”").format(
            field=label("fold"), value=text[:20]
        ),
        field="fold",
    )


def night_from_form(
    form: Mapping[str, object],
    night: dt.date,
    zone: str,
    today: dt.date,
    *,
    tracked: TrackerNight | None = None,
    stored: diary.SleepEntry | None = None,
) -> diary.SleepEntry:
    """The night in `form` (strings from a web form, or JSON values), checked in full.

    `zone` is the user's zone (a `zone` in the form wins when given, and a night already
    stored keeps its own zone, so moving elsewhere never changes an old night); a `fold` of
    earlier or later answers the repeated-hour question and a ticked `confirm` lets an unusual
    night be saved. With `tracked`, the tracker's night for this date, the times and counts may
    be left blank and take the stored entry's (`stored`) or the tracker's answers
    (`diary.tracked`).
    Raises `FormProblems` listing every field at once, or one `AnkleSleepError`.
    """
    diary.check_night_date(night, today)
    if stored is not None:
        zone = stored.zone  # an edited night keeps the zone its times were read in
    zone_given = form.get("zone")
    zone_text = (zone_given.strip() if isinstance(zone_given, str) else "") or zone
    try:
        blanks = tracked_rules.blank_answers(tracked, stored, zone_text)
    except AnkleSleepError:
        blanks = {}  # an unknown zone is reported below, naming the field
    awakenings_blank = tracked is not None and _is_blank(form.get("awakenings"))
    r = _Reader(form, {k: v for k, v in blanks.items() if k != "awakenings"})
    into = r.read("into_bed", lambda v: diary.parse_clock(v, "into_bed"))
    tried = r.read("tried_to_sleep", lambda v: diary.parse_clock(v, "tried_to_sleep"))
    sol = r.read("sol_minutes", lambda v: diary.parse_count(v, "sol_minutes"))
    nwak = (
        None
        if awakenings_blank
        else r.read("awakenings", partial(diary.parse_count, field="awakenings"))
    )
    waso = r.read("waso_minutes", lambda v: diary.parse_count(v, "waso_minutes"))
    if awakenings_blank:
        nwak = tracked_rules.blank_awakenings(stored, waso or 0)
    final = r.read("final_awakening", lambda v: diary.parse_clock(v, "final_awakening"))
    out = r.read("out_of_bed", lambda v: diary.parse_clock(v, "out_of_bed"))
    quality = r.read("quality", diary.parse_quality)
    note = r.read("note", lambda v: diary.check_note(v.strip()), numbers=False)
    if "note" not in form and tracked is not None and stored is not None:
        note = stored.note  # an entry sent without its note keeps the stored one
    fold = r.read("fold", _fold)
    zone_name = r.read("zone", lambda v: v.strip() or zone, numbers=False)
    confirmed = is_checked(form.get("confirm"))
    if r.problems:
        raise FormProblems(r.problems)
    if fold is None and tracked is not None and r.filled & set(TIME_FIELDS):
        if stored is not None:
            fold = stored.fold
        else:
            fold = tracked_rules.tracker_fold(tracked, zone_name or zone, r.filled)
    assert into is not None and tried is not None and final is not None and out is not None
    assert sol is not None and nwak is not None and waso is not None and quality is not None
    entry = diary.SleepEntry(
        night=night,
        into_bed=into,
        tried_to_sleep=tried,
        sol_minutes=sol,
        awakenings=nwak,
        waso_minutes=waso,
        final_awakening=final,
        out_of_bed=out,
        quality=quality,
        note=note or "",
        zone=zone_name or zone,
        fold=fold,
    )
    return diary.validate_entry(entry, today, confirmed=confirmed)


def _score(text: str, field: str) -> int:
    return diary.parse_score(text, field)


def _note(text: str, field: str) -> str:
    return diary.check_note(text.strip(), field)


def symptoms_from_form(
    form: Mapping[str, object],
    day: dt.date,
    today: dt.date,
    notes_before: Mapping[str, str] | None = None,
) -> tuple[list[diary.SymptomEntry], list[str]]:
    """The scored complaints and the keys left blank (to clear), each checked.

    A complaint's note is taken from `<key>_note` when the form has that field; when it has
    none, the note stored before (`notes_before`) is kept, so a form that does not show notes
    never erases one. A complaint whose field is missing keeps its score; one sent blank is
    cleared.
    """
    diary.check_day(day, today)
    r = _Reader(form)
    entries: list[diary.SymptomEntry] = []
    cleared: list[str] = []
    for key in diary.SYMPTOM_KEYS:
        raw = r.read(key, lambda v: v.strip())
        if raw is None:
            continue
        if raw in ("", "none"):
            if key in form:  # a complaint the form did not send stays as it was
                cleared.append(key)
            continue
        score = r.read(key, partial(_score, field=key))
        note_field = f"{key}_note"
        if note_field in form:
            note = r.read(note_field, partial(_note, field=note_field), numbers=False)
        else:
            note = (notes_before or {}).get(key, "")
        if score is not None and note is not None:
            entries.append(diary.validate_symptom(diary.SymptomEntry(day, key, score, note), today))
    if r.problems:
        raise FormProblems(r.problems)
    return entries, cleared
