"""Dates, times, durations and numbers as people read them in the current language (Babel).

English keeps the app's own short forms ("Sun 29 Nov", "11:15" for a duration); other
languages take theirs from CLDR through Babel ("11月29日(日)", "11分15秒"). Times of day are
24-hour everywhere. Pure: nothing here reads a clock, a database or a file of ours. Machine
outputs (JSON, CSV, ICS values, the API) never go through this module.
"""

from __future__ import annotations

import datetime as dt

from anklesleep.basics.i18n import N_, SOURCE, current_language

WEEKDAYS = (N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun"))
MONTHS = (
    N_("Jan"), N_("Feb"), N_("Mar"), N_("Apr"), N_("May"), N_("Jun"),
    N_("Jul"), N_("Aug"), N_("Sep"), N_("Oct"), N_("Nov"), N_("Dec"),
)  # fmt: skip
#: languages written without a space between a number and its unit, or between units
_CLOSED_UP = frozenset({"ja", "zh"})


def _lang(language: str | None) -> str:
    return language or current_language()


def _skeleton(skeleton: str, day: dt.date, language: str) -> str:
    from babel.dates import format_skeleton

    return str(format_skeleton(skeleton, day, locale=language))


def day(value: dt.date, language: str | None = None) -> str:
    """A day with its weekday and month: "Sun 29 Nov", "11月29日(日)"."""
    lang = _lang(language)
    if lang == SOURCE:
        return f"{WEEKDAYS[value.weekday()]} {value.day} {MONTHS[value.month - 1]}"
    return _skeleton("MMMEd", value, lang)


def day_with_year(value: dt.date, language: str | None = None) -> str:
    """A day with its weekday and year: "Sun 2026-11-29", "2026年11月29日(日)"."""
    lang = _lang(language)
    if lang == SOURCE:
        return f"{WEEKDAYS[value.weekday()]} {value.isoformat()}"
    return _skeleton("yMMMEd", value, lang)


def date(value: dt.date, language: str | None = None) -> str:
    """A calendar date: "2026-11-29" in English, "2026年11月29日" in Japanese."""
    lang = _lang(language)
    if lang == SOURCE:
        return value.isoformat()
    return _skeleton("yMMMd", value, lang)


def long_day(value: dt.date, language: str | None = None) -> str:
    """A day written out: "Sunday 29 November", "11月29日日曜日"."""
    lang = _lang(language)
    if lang == SOURCE:
        return f"{value:%A} {value.day} {value:%B}"
    return _skeleton("MMMMEEEEd", value, lang)


def long_date(value: dt.date, language: str | None = None) -> str:
    """A day written out with its year: "Sunday 29 November 2026", "2026年11月29日日曜日"."""
    lang = _lang(language)
    if lang == SOURCE:
        return f"{value:%A} {value.day} {value:%B %Y}"
    return _skeleton("yMMMMEEEEd", value, lang)


def day_month(value: dt.date, language: str | None = None) -> str:
    """A day and its month: "29 November", "11月29日"."""
    lang = _lang(language)
    if lang == SOURCE:
        return f"{value.day} {value:%B}"
    return _skeleton("MMMMd", value, lang)


def short_day(value: dt.date, language: str | None = None) -> str:
    """A day of the month with its weekday, for chart axes: "Sun 29", "29日(日)"."""
    lang = _lang(language)
    if lang == SOURCE:
        return f"{WEEKDAYS[value.weekday()]} {value.day}"
    return _skeleton("Ed", value, lang)


def month(value: dt.date, language: str | None = None) -> str:
    """A month's short name: "Nov", "11月"."""
    lang = _lang(language)
    if lang == SOURCE:
        return MONTHS[value.month - 1]
    return _skeleton("MMM", value, lang)


def time_of_day(value: dt.time | dt.datetime) -> str:
    """A time of day on the 24-hour clock: "23:05"."""
    return f"{value.hour:02d}:{value.minute:02d}"


def date_time(value: dt.datetime, language: str | None = None) -> str:
    """A day and a 24-hour time: "2026-11-29 23:05", "2026年11月29日 23:05"."""
    lang = _lang(language)
    if lang == SOURCE:
        return f"{value.date().isoformat()} {time_of_day(value)}"
    return f"{date(value.date(), lang)} {time_of_day(value)}"


def _units(parts: list[tuple[int, str]], language: str) -> str:
    """Amounts of time units in the language's short unit forms, as one list."""
    from babel.lists import format_list
    from babel.units import format_unit

    words = [
        format_unit(n, f"duration-{unit}", length="short", locale=language) for n, unit in parts
    ]
    text = str(format_list(words, style="unit-short", locale=language))
    if language in _CLOSED_UP:
        text = "".join(text.split())
    return text


def duration(seconds: float, language: str | None = None) -> str:
    """A length of time to the second: "11:15" (or "1:02:03") in English, "11分15秒" in
    Japanese."""
    lang = _lang(language)
    total = round(seconds)
    hours, rest = divmod(abs(total), 3600)
    minutes, secs = divmod(rest, 60)
    sign = "-" if total < 0 else ""
    if lang == SOURCE:
        return f"{sign}{hours}:{minutes:02d}:{secs:02d}" if hours else f"{sign}{minutes}:{secs:02d}"
    parts = [(n, unit) for n, unit in ((hours, "hour"), (minutes, "minute"), (secs, "second")) if n]
    return sign + _units(parts or [(0, "second")], lang)


def duration_minutes(minutes: float, language: str | None = None) -> str:
    """A length of time to the minute: "7 h 05 min" or "35 min"; "7時間5分" or "35分"."""
    lang = _lang(language)
    total = round(minutes)
    sign = "-" if total < 0 else ""
    hours, mins = divmod(abs(total), 60)
    if lang == SOURCE:
        return f"{sign}{hours} h {mins:02d} min" if hours else f"{sign}{mins} min"
    parts = [(n, unit) for n, unit in ((hours, "hour"), (mins, "minute")) if n]
    return sign + _units(parts or [(0, "minute")], lang)


def hours_minutes(minutes: float, language: str | None = None) -> str:
    """A night's length, short: "6 h 45", "6 h 00"; "6時間45分", "6時間"."""
    lang = _lang(language)
    total = round(minutes)
    if lang == SOURCE:
        sign = "-" if total < 0 else ""
        return f"{sign}{abs(total) // 60} h {abs(total) % 60:02d}"
    return duration_minutes(total, lang)


def number(value: float, decimals: int = 0, language: str | None = None) -> str:
    """A number with the language's separators, to `decimals` places."""
    from babel.numbers import format_decimal

    pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    return str(format_decimal(value, format=pattern, locale=_lang(language)))
