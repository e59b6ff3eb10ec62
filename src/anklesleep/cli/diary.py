"""`sleep` and `symptoms`: fill in the sleep diary and score the seven complaints."""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import click

from anklesleep.basics import formats
from anklesleep.basics.errors import AnkleSleepError
from anklesleep.basics.i18n import N_, _
from anklesleep.basics.textwidth import ljust
from anklesleep.basics.textwidth import width as display_width
from anklesleep.cli import localtime as local
from anklesleep.cli.click_words import filled
from anklesleep.cli.common import database, json_words_in_english
from anklesleep.diary import entries as diary
from anklesleep.diary import forms, nighttime
from anklesleep.diary import tracked as tracked_rules

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from anklesleep.trackers.records import TrackerNight

T = TypeVar("T")


def _ask(text: str, parse: Callable[[str], T], default: str | None, err: bool = False) -> T:
    """Prompt until `parse` accepts the answer; a wrong answer shows its one-line reason."""

    def check(value: str) -> T:
        try:
            return parse(value)
        except AnkleSleepError as exc:
            raise click.UsageError(exc.message) from None

    result: T = click.prompt(
        text, default=default, value_proc=check, show_default=bool(default), err=err
    )
    return result


# --- sleep ------------------------------------------------------------------------------------

#: (flag name, prompt, parser, entry field), in the order of the Consensus Sleep Diary
_ITEMS: tuple[tuple[str, str, Callable[[str], Any], str], ...] = (
    (
        "into_bed",
        N_("What time did you get into bed? (HH:MM)"),
        lambda v: diary.parse_clock(v, "into_bed"),
        "into_bed",
    ),
    (
        "tried",
        N_("What time did you try to go to sleep?"),
        lambda v: diary.parse_clock(v, "tried_to_sleep"),
        "tried_to_sleep",
    ),
    (
        "sol",
        N_("How long did it take you to fall asleep? (minutes)"),
        lambda v: diary.parse_count(v, "sol_minutes"),
        "sol_minutes",
    ),
    (
        "awakenings",
        N_("How many times did you wake up, not counting the final awakening?"),
        lambda v: diary.parse_count(v, "awakenings"),
        "awakenings",
    ),
    (
        "waso",
        N_("In total, how long did those awakenings last? (minutes)"),
        lambda v: diary.parse_count(v, "waso_minutes"),
        "waso_minutes",
    ),
    (
        "final",
        N_("What time was your final awakening?"),
        lambda v: diary.parse_clock(v, "final_awakening"),
        "final_awakening",
    ),
    (
        "out",
        N_("What time did you get out of bed for the day?"),
        lambda v: diary.parse_clock(v, "out_of_bed"),
        "out_of_bed",
    ),
    (
        "quality",
        N_(
            "How would you rate the quality of your sleep? "
            "(1 very poor, 2 poor, 3 fair, 4 good, 5 very good)"
        ),
        diary.parse_quality,
        "quality",
    ),
)


def _default_text(entry: diary.SleepEntry | None, field: str) -> str | None:
    if entry is None:
        return None
    value = getattr(entry, field)
    return diary.hhmm(value) if isinstance(value, dt.time) else str(value)


def _value_text(value: object) -> str:
    return diary.hhmm(value) if isinstance(value, dt.time) else str(value)


#: Items usually soon after the one before: a default that would fall more than 12 hours after
#: the answer just given (a night with another rhythm) is replaced by that answer.
_SOON_AFTER = {"tried_to_sleep": "into_bed", "out_of_bed": "final_awakening"}


def _collect(
    flags: dict[str, str | None], defaults: dict[str, str | None], err: bool
) -> dict[str, Any]:
    """Each diary answer, from its option or else by asking (in the diary's order)."""
    values: dict[str, Any] = {}
    for name, question, parse, field in _ITEMS:
        given = flags.get(name)
        if given is not None:
            values[field] = parse(given)
            continue
        if field == "waso_minutes" and values.get("awakenings") == 0:
            values[field] = 0  # no awakenings, so no time awake to ask about
            continue
        default = defaults.get(field)
        before = _SOON_AFTER.get(field)
        if default is not None and before is not None:
            gap = (
                dt.datetime.combine(dt.date.min, parse(default))
                - dt.datetime.combine(dt.date.min, values[before])
            ).total_seconds() % 86400
            if gap > 12 * 3600:
                default = diary.hhmm(values[before])
        values[field] = _ask(_(question), parse, default, err)
    return values


#: What to add on the command line to answer the questions a scripted entry cannot ask.
_FLAG_HINTS = {"fold": "--fold earlier|later", "confirm": "--confirm"}


def _metrics_lines(entry: diary.SleepEntry, week: diary.WeekMeans | None) -> list[str]:
    m = diary.metrics(entry)
    rows = [
        (_("Time in bed (TIB)"), diary.duration(m.tib)),
        (_("Total sleep time (TST)"), diary.duration(m.tst)),
        (_("Sleep efficiency (SE)"), f"{m.se:.1f} %"),
        (_("Time to fall asleep (SOL)"), diary.duration(m.sol)),
        (_("Awakenings (NWAK)"), str(m.nwak)),
        (_("Awake after falling asleep (WASO)"), diary.duration(m.waso)),
        (_("In bed after the final awakening"), diary.duration(m.tib_after_final)),
        (
            _("Quality"),
            _("{label} ({n} of 5)").format(
                label=_(diary.QUALITY_LABELS[entry.quality]), n=entry.quality
            ),
        ),
    ]
    if entry.note:
        rows.append((_("Note"), entry.note))
    columns = max(display_width(label) for label, _value in rows)
    lines = [f"  {ljust(label, columns)}  {value}" for label, value in rows]
    if week is not None and week.nights > 1:
        lines.append(
            _("This week ({n} nights): on average {tst} asleep, efficiency {se:.1f} %.").format(
                n=week.nights, tst=diary.duration(week.tst), se=week.se
            )
        )
    return lines


def _week_of(engine: Engine, night: dt.date) -> diary.WeekMeans | None:
    from anklesleep.store import diary as store

    start = diary.week_start(night)
    with engine.connect() as conn:
        nights = store.list_nights(conn, start, start + dt.timedelta(days=6))
    weeks = diary.weekly_means(nights)
    return weeks[0] if weeks else None


def _print_night(engine: Engine, entry: diary.SleepEntry, as_json: bool, **extra: Any) -> None:
    if as_json:
        week = _week_of(engine, entry.night)
        data = {
            "night": entry.to_dict(),
            "metrics": diary.metrics(entry).to_dict(),
            "week": week.to_dict() if week else None,
            **extra,
        }
        click.echo(json.dumps(data, ensure_ascii=False))
        return
    click.echo(
        _("Night before {morning}: into bed {into}, out of bed {out}.").format(
            morning=formats.day_with_year(entry.night),
            into=diary.hhmm(entry.into_bed),
            out=diary.hhmm(entry.out_of_bed),
        )
    )
    for line in _metrics_lines(entry, _week_of(engine, entry.night)):
        click.echo(line)


@click.command(
    epilog="Examples: anklesleep sleep   (answers questions)\n\n"
    "anklesleep sleep --night 2026-03-14 --into-bed 23:10 --tried 23:30 --sol 20 "
    "--awakenings 2 --waso 35 --final 06:50 --out 07:05 --quality good"
)
@click.option(
    "--night",
    metavar="YYYY-MM-DD",
    help="The night, named by the date of the morning after it (default: today).",
)
@click.option("--into-bed", "into_bed", metavar="HH:MM", help="When you got into bed.")
@click.option("--tried", metavar="HH:MM", help="When you tried to go to sleep.")
@click.option("--sol", metavar="MIN", help="Minutes it took to fall asleep.")
@click.option("--awakenings", metavar="N", help="Times you woke up, not counting the last.")
@click.option("--waso", metavar="MIN", help="Total minutes awake during those awakenings.")
@click.option("--final", metavar="HH:MM", help="When you woke up for the last time.")
@click.option("--out", metavar="HH:MM", help="When you got out of bed for the day.")
@click.option(
    "--quality", metavar="1-5|WORD", help="1-5, or very-poor, poor, fair, good, very-good."
)
@click.option("--note", metavar="TEXT", help="Anything worth remembering about the night.")
@click.option(
    "--fold",
    type=click.Choice(sorted(nighttime.FOLD_WORDS)),
    help="On a night the clocks went back: whether a time in the repeated hour was the "
    "earlier or the later one.",
)
@click.option(
    "--confirm",
    is_flag=True,
    help="Save an unusual night (over 14 h in bed, or over 3 h to fall asleep) without asking.",
)
@click.option(
    "--replace", is_flag=True, help="Replace a night already in the diary without asking."
)
@click.option("--show", is_flag=True, help="Show the night's entry and metrics; change nothing.")
@click.option("--delete", is_flag=True, help="Delete the night's entry (asks first).")
@click.option("--yes", is_flag=True, help="With --delete: do not ask.")
@click.option("--json", "as_json", is_flag=True, help="Print the night and its metrics as JSON.")
@click.pass_context
def sleep(
    ctx: click.Context,
    /,
    night: str | None,
    note: str | None,
    fold: str | None,
    confirm: bool,
    replace: bool,
    show: bool,
    delete: bool,
    yes: bool,
    as_json: bool,
    **flags: str | None,
) -> None:
    """Fill in the sleep diary for one night (the Consensus Sleep Diary's core questions).

    Asks each question in turn, offering the previous night's answers as defaults; give every
    answer as an option to skip the questions (for scripts). Times are local clock times; a
    bedtime after midnight works as it should. Afterwards it shows the night's time in bed,
    total sleep, sleep efficiency and the rest. On a night a tracker recorded (`import-sleep`),
    its values are the defaults, and any option saves at once: what is not given keeps the
    answer saved for the night, else takes the tracker's (`--quality good` is enough).
    """
    json_words_in_english(as_json)
    from anklesleep.store import diary as store

    engine = database(ctx)
    _slots, zone = local.slot_settings(engine)
    zone_name = getattr(zone, "key", "UTC")
    today = local.local_now(zone).date()
    day = diary.parse_date(night, "night") if night else today
    fold_value = nighttime.FOLD_WORDS[fold] if fold else None
    with engine.connect() as conn:
        existing = store.get_night(conn, day)
        previous = store.previous_night(conn, day)
        tracked = _tracked_night(conn, day)

    if show or delete:
        if existing is None:
            raise AnkleSleepError(
                _(
                    "night: no diary entry for {day}; fill it in with "
                    "`anklesleep sleep --night {day}`"
                ).format(day=day.isoformat()),
                field="night",
            )
        if show:
            _print_night(engine, existing, as_json)
            return
        if not yes:
            click.confirm(_("Delete the diary entry for {day}?").format(day=day), abort=True)
        with engine.begin() as conn:
            store.delete_night(conn, day)
        click.echo(_("Deleted the night of {day}.").format(day=day.isoformat()))
        return

    given = any(flags.get(name) is not None for name, *_rest in _ITEMS) or note is not None
    # with a tracker night, the answers not given take the stored or the tracker's (one rule,
    # in anklesleep.diary.tracked), so any option makes a scripted entry
    scripted = all(flags.get(name) is not None for name, *_rest in _ITEMS) or (
        tracked is not None and given
    )
    if existing is not None and not replace:
        if scripted and not sys.stdin.isatty():
            raise AnkleSleepError(
                _(
                    "night: {day} is already in the diary; pass --replace to overwrite it, or "
                    "--show to see it"
                ).format(day=day.isoformat()),
                field="night",
            )
        click.echo(_("The diary already has the night of {day}:").format(day=day.isoformat()))
        for line in _metrics_lines(existing, None):
            click.echo(line)
        if not click.confirm(_("Replace it?"), default=False):
            click.echo(_("Kept the night as it was; nothing changed."))
            sys.exit(1)

    diary.check_night_date(day, today)  # say so before asking anything
    if not scripted:
        click.echo(
            err=as_json,
            message=_("Sleep diary for the night before {day}.").format(
                day=formats.day_with_year(day)
            ),
        )
    if tracked is not None and scripted:
        form: dict[str, object] = {
            field: flags.get(name) for name, _q, _p, field in _ITEMS if flags.get(name) is not None
        }
        if note is not None:
            form["note"] = note
        form |= {"fold": fold or "", "confirm": confirm}
        try:
            entry = forms.night_from_form(
                form, day, zone_name, today, tracked=tracked, stored=existing
            )
        except AnkleSleepError as exc:
            hint = _FLAG_HINTS.get(exc.field or "")
            raise AnkleSleepError(
                f"{exc.message} ({hint})" if hint else exc.message, field=exc.field
            ) from None
        _save_and_print(engine, entry, as_json)
        return
    # Defaults: the answers stored for this night when editing it, else the tracker's, else
    # the previous night's.
    defaults: dict[str, str | None] = {
        field: _default_text(existing or previous, field) for _n, _q, _p, field in _ITEMS
    }
    if tracked is not None:
        answers = tracked_rules.blank_answers(
            tracked, existing, existing.zone if existing else zone_name
        )
        defaults |= answers
        waso = int(answers["waso_minutes"])
        defaults["awakenings"] = str(tracked_rules.blank_awakenings(existing, waso))
        if not as_json:
            click.echo(
                _(
                    "Your tracker recorded this night ({start}–{end}): press Enter to keep its "
                    "values, or type what you remember."
                ).format(start=answers["into_bed"], end=answers["out_of_bed"])
            )
    while True:
        values = _collect(flags, defaults, as_json)
        if note is None and not scripted:
            current = existing.note if existing else ""
            note = click.prompt(
                _("Note (optional)"), default=current, show_default=bool(current), err=as_json
            )
        candidate = diary.SleepEntry(
            night=day,
            note=note or "",
            zone=existing.zone if existing else zone_name,  # as forms.night_from_form does
            fold=fold_value,
            **values,
        )
        try:
            entry = diary.validate_entry(candidate, today, confirmed=confirm)
            break
        except AnkleSleepError as exc:
            if scripted and exc.field in _FLAG_HINTS:
                hint = _FLAG_HINTS[exc.field]
                raise AnkleSleepError(f"{exc.message} ({hint})", field=exc.field) from None
            if scripted:
                raise
            if exc.field == "fold":
                click.echo(exc.message, err=True)
                answer = click.prompt(
                    _("Which one: earlier or later?"),
                    type=click.Choice(sorted(nighttime.FOLD_WORDS)),
                    err=as_json,
                )
                fold_value = nighttime.FOLD_WORDS[answer]
                flags = {name: _value_text(values[field]) for name, _q, _p, field in _ITEMS}
                continue
            if exc.field == "confirm":
                click.echo(exc.message, err=True)
                if click.confirm(_("Save this night as it is?"), default=False, err=as_json):
                    confirm = True
                    flags = {name: _value_text(values[field]) for name, _q, _p, field in _ITEMS}
                    continue
            click.echo(f"{exc.message}", err=True)
            if not click.confirm(_("Correct the answers?"), default=True, err=as_json):
                raise
            flags = {}  # ask everything again, offering the answers just given
            defaults = {field: _value_text(values[field]) for _n, _q, _p, field in _ITEMS}
    _save_and_print(engine, entry, as_json)


def _save_and_print(engine: Engine, entry: diary.SleepEntry, as_json: bool) -> None:
    from anklesleep.store import diary as store

    with engine.begin() as conn:
        replaced = store.save_night(conn, entry, local.utc_now())
    if not as_json:
        done = _("Replaced the night of {day}.") if replaced else _("Saved the night of {day}.")
        click.echo(done.format(day=entry.night.isoformat()))
    _print_night(engine, entry, as_json, replaced=replaced)


def _tracked_night(conn: Any, day: dt.date) -> TrackerNight | None:
    """The tracker's main sleep of the night `day`, if one is stored."""
    from anklesleep.store import trackers as tracker_store

    return tracker_store.main_sleeps(tracker_store.between(conn, day, day)).get(day)


# --- symptoms ---------------------------------------------------------------------------------


def _symptom_option(key: str) -> Callable[[Any], Any]:
    label = next(s.label for s in diary.SYMPTOMS if s.key == key)
    return click.option(
        f"--{key}",
        key.replace("-", "_"),
        metavar=f"{diary.SCORE_MIN}-{diary.SCORE_MAX}",
        help=filled("{label}: 0 none to 10 worst.", label=label),
    )


def _optional_score(key: str) -> Callable[[str], int | None]:
    def parse(value: str) -> int | None:
        return None if value.strip() == "" else diary.parse_score(value, key)

    return parse


def _with_symptom_options(func: Any) -> Any:
    for symptom in reversed(diary.SYMPTOMS):
        func = _symptom_option(symptom.key)(func)
    return func


@click.command(epilog="Example: anklesleep symptoms --knee 3 --lower-back 5 --headache 0")
@click.option("--day", metavar="YYYY-MM-DD", help="The day the scores are for (default: today).")
@_with_symptom_options
@click.option(
    "--note",
    metavar="TEXT",
    help="A note kept with each score given now (without it, a score keeps its note).",
)
@click.option("--show", is_flag=True, help="Show the day's scores; change nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print the day's scores as JSON.")
@click.pass_context
def symptoms(
    ctx: click.Context,
    /,
    day: str | None,
    note: str | None,
    show: bool,
    as_json: bool,
    **scores: str | None,
) -> None:
    """Score the seven everyday complaints the routine's originator links to the ankle bone.

    That link is one bodywork practitioner's claim; these scores let you see for yourself.
    Each from 0 (none) to 10 (the worst you can imagine), one score per complaint per day;
    scoring again the same day replaces the score. With no score options it asks about each
    (Enter skips one).
    """
    json_words_in_english(as_json)
    from anklesleep.store import diary as store

    engine = database(ctx)
    today = local.user_today(engine)
    when = diary.parse_date(day, "day") if day else today
    if when > today and not show:  # say so before asking anything
        diary.validate_symptom(diary.SymptomEntry(when, diary.SYMPTOM_KEYS[0], 0), today)
    with engine.connect() as conn:
        before = store.get_symptoms(conn, when)
        last = store.latest_symptoms(conn, when)

    given = {s.key: scores.get(s.key.replace("-", "_")) for s in diary.SYMPTOMS}
    entries: list[diary.SymptomEntry] = []
    if not show:
        if any(v is not None for v in given.values()):
            for key, raw in given.items():
                if raw is not None:
                    score = diary.parse_score(raw, key)
                    kept = before[key].note if key in before else ""  # never erased unasked
                    entries.append(
                        diary.SymptomEntry(when, key, score, kept if note is None else note)
                    )
        else:
            click.echo(
                _("Scores for {day}: 0 none … 10 the worst you can imagine; Enter skips.").format(
                    day=when.isoformat()
                )
            )
            for symptom in diary.SYMPTOMS:
                current = before.get(symptom.key)
                hint = ""
                if symptom.key in last and current is None:
                    prior = last[symptom.key]
                    hint = _(" (last: {score} on {day})").format(score=prior.score, day=prior.day)
                answer = _ask(
                    _(symptom.label) + hint,
                    _optional_score(symptom.key),
                    str(current.score) if current else "",
                )
                if answer is not None:
                    entries.append(diary.SymptomEntry(when, symptom.key, answer, ""))
            if entries and note is None:
                current_note = next((e.note for e in before.values() if e.note), "")
                note = click.prompt(
                    _("Note (optional)"), default=current_note, show_default=bool(current_note)
                )
            entries = [diary.SymptomEntry(e.day, e.symptom, e.score, note or "") for e in entries]
        for entry in entries:
            diary.validate_symptom(entry, today)
        if entries:
            with engine.begin() as conn:
                store.save_symptoms(conn, entries, local.utc_now())
        elif not as_json:
            click.echo(_("No scores given; nothing saved."))
    with engine.connect() as conn:
        after = store.get_symptoms(conn, when)
    if as_json:
        data = {
            "day": when.isoformat(),
            "scores": {key: {"score": e.score, "note": e.note} for key, e in sorted(after.items())},
        }
        click.echo(json.dumps(data, ensure_ascii=False))
        return
    click.echo(_("Scores for {day} (0 none … 10 worst):").format(day=when.isoformat()))
    columns = max(display_width(_(s.label)) for s in diary.SYMPTOMS)
    for symptom in diary.SYMPTOMS:
        saved = after.get(symptom.key)
        shown = f"{saved.score:>2}" if saved else " –"
        was = before.get(symptom.key)
        change = ""
        if saved and was and was.score != saved.score:
            change = "  " + _("(was {score})").format(score=was.score)
        click.echo(f"  {ljust(_(symptom.label), columns)}  {shown}{change}")
    notes = sorted({e.note for e in after.values() if e.note})
    for text in notes:
        click.echo(f"  {_('Note')}: {text}")
