"""Pages: the sleep diary (last night prefilled, metrics after saving, earlier nights),
the symptom scores and the history of sessions and nights."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from anklesleep.basics.errors import AnkleSleepError
from anklesleep.basics.i18n import translator
from anklesleep.diary import entries as diary
from anklesleep.store import diary as diary_store
from anklesleep.store import sessions as sessions_store
from anklesleep.web.context import render, web_of
from anklesleep.web.requests import with_form

TIME_FIELDS = ("into_bed", "tried_to_sleep", "final_awakening", "out_of_bed")
COUNT_FIELDS = ("sol_minutes", "awakenings", "waso_minutes")
#: A first-ever diary starts from these typical times (the user adjusts them).
FIRST_NIGHT = {
    "into_bed": "23:00",
    "tried_to_sleep": "23:15",
    "sol_minutes": "20",
    "awakenings": "1",
    "waso_minutes": "10",
    "final_awakening": "06:45",
    "out_of_bed": "07:00",
    "quality": "3",
    "note": "",
}
NOTE_MAX = 2000


def entry_from_form(form: Mapping[str, Any], night: dt.date) -> diary.SleepEntry:
    """A `SleepEntry` from the diary form (or an API body), each field checked."""

    def clock_time(name: str) -> dt.time:
        return diary.parse_clock(str(form.get(name) or ""), name)

    def count(name: str) -> int:
        value = form.get(name)
        return diary.parse_count(str(value) if value is not None else "", name)

    quality_raw = form.get("quality")
    if quality_raw in (None, ""):
        raise AnkleSleepError(
            "quality: got nothing; choose 1 (very poor) to 5 (very good)", field="quality"
        )
    note = str(form.get("note") or "").strip()
    if len(note) > NOTE_MAX:
        raise AnkleSleepError(
            f"note: got {len(note)} characters; keep it under {NOTE_MAX}", field="note"
        )
    return diary.SleepEntry(
        night=night,
        into_bed=clock_time("into_bed"),
        tried_to_sleep=clock_time("tried_to_sleep"),
        sol_minutes=count("sol_minutes"),
        awakenings=count("awakenings"),
        waso_minutes=count("waso_minutes"),
        final_awakening=clock_time("final_awakening"),
        out_of_bed=clock_time("out_of_bed"),
        quality=diary.parse_quality(str(quality_raw)),
        note=note,
    )


def entry_values(entry: diary.SleepEntry) -> dict[str, str]:
    data = entry.to_dict()
    return {key: str(data[key]) for key in (*TIME_FIELDS, *COUNT_FIELDS, "quality", "note")}


def _date_param(request: Request, name: str, today: dt.date) -> dt.date:
    """The date in query parameter `name` (`?night=2026-03-14`), else today."""
    raw = request.query_params.get(name)
    return today if not raw else diary.parse_date(raw, name)


def sleep_page(request: Request) -> Response:
    web = web_of(request)
    today = web.local_now().date()
    night = _date_param(request, "night", today)
    with web.engine.connect() as conn:
        entry = diary_store.get_night(conn, night)
        earlier = diary_store.previous_night(conn, night)
        recent = diary_store.list_nights(conn, start=today - dt.timedelta(days=30))
    if entry is not None:
        values, prefilled = entry_values(entry), False
    elif earlier is not None:
        values = {**entry_values(earlier), "note": ""}
        prefilled = True
    else:
        values, prefilled = dict(FIRST_NIGHT), True
    return _sleep(
        request,
        night=night,
        today=today,
        values=values,
        entry=entry,
        prefilled=prefilled,
        recent=recent,
        saved=request.query_params.get("saved") == "1",
    )


def _sleep(request: Request, status_code: int = 200, **context: Any) -> Response:
    entry = context.get("entry")
    recent = [(e, diary.metrics(e)) for e in reversed(context.pop("recent", []))]
    return render(
        request,
        "sleep.html",
        status_code=status_code,
        metrics=diary.metrics(entry) if entry else None,
        recent=recent,
        quality_labels=diary.QUALITY_LABELS,
        duration=diary.duration,
        **context,
    )


def sleep_save(request: Request, form: FormData) -> Response:
    web = web_of(request)
    today = web.local_now().date()
    data = {key: str(value) for key, value in form.items()}
    try:
        night = diary.parse_date(data.get("night") or "", "night")
        entry = diary.validate_entry(entry_from_form(data, night), today)
    except AnkleSleepError as exc:
        with web.engine.connect() as conn:
            recent = diary_store.list_nights(conn, start=today - dt.timedelta(days=30))
        raw_night = data.get("night") or ""
        try:
            shown = dt.date.fromisoformat(raw_night)
        except ValueError:
            shown = today
        return _sleep(
            request,
            status_code=400,
            night=shown,
            today=today,
            values=data,
            entry=None,
            prefilled=False,
            recent=recent,
            error=exc.message,
            error_field=exc.field,
            saved=False,
        )
    with web.engine.begin() as conn:
        diary_store.save_night(conn, entry, web.now())
    return RedirectResponse(f"/sleep?night={entry.night.isoformat()}&saved=1", status_code=303)


def symptoms_page(request: Request) -> Response:
    web = web_of(request)
    today = web.local_now().date()
    day = _date_param(request, "day", today)
    with web.engine.connect() as conn:
        scores = diary_store.get_symptoms(conn, day)
        before = diary_store.latest_symptoms(conn, day)
    values = {key: str(entry.score) for key, entry in scores.items()}
    notes = {key: entry.note for key, entry in scores.items()}
    return _symptoms(
        request,
        day=day,
        today=today,
        values=values,
        notes=notes,
        before=before,
        saved=request.query_params.get("saved") == "1",
    )


def _symptoms(request: Request, status_code: int = 200, **context: Any) -> Response:
    t = translator()
    symptoms = [(s.key, t(s.label)) for s in diary.SYMPTOMS]
    return render(request, "symptoms.html", status_code=status_code, symptoms=symptoms, **context)


def symptoms_from_form(
    form: Mapping[str, Any], day: dt.date, today: dt.date
) -> tuple[list[diary.SymptomEntry], list[str]]:
    """The scored complaints and the keys left blank (to clear), each checked."""
    entries: list[diary.SymptomEntry] = []
    cleared: list[str] = []
    for key in diary.SYMPTOM_KEYS:
        raw = str(form.get(key) or "").strip()
        if raw in ("", "none"):
            cleared.append(key)
            continue
        note = str(form.get(f"{key}_note") or "").strip()[:NOTE_MAX]
        entry = diary.SymptomEntry(day, key, diary.parse_score(raw, key), note)
        entries.append(diary.validate_symptom(entry, today))
    return entries, cleared


def symptoms_save(request: Request, form: FormData) -> Response:
    web = web_of(request)
    today = web.local_now().date()
    data = {key: str(value) for key, value in form.items()}
    try:
        day = diary.parse_date(data.get("day") or "", "day")
        entries, cleared = symptoms_from_form(data, day, today)
    except AnkleSleepError as exc:
        with web.engine.connect() as conn:
            before = diary_store.latest_symptoms(conn, today)
        values = {k: data.get(k, "") for k in diary.SYMPTOM_KEYS}
        return _symptoms(
            request,
            status_code=400,
            day=today,
            today=today,
            values=values,
            notes={k: data.get(f"{k}_note", "") for k in diary.SYMPTOM_KEYS},
            before=before,
            error=exc.message,
            error_field=exc.field,
            saved=False,
        )
    with web.engine.begin() as conn:
        diary_store.save_symptoms(conn, entries, web.now())
        for key in cleared:
            diary_store.delete_symptom(conn, day, key)
    return RedirectResponse(f"/symptoms?day={day.isoformat()}&saved=1", status_code=303)


def history_page(request: Request) -> Response:
    web = web_of(request)
    today = web.local_now().date()
    start = today - dt.timedelta(days=60)
    records = list(reversed(sessions_store.list_sessions(web.engine, start=start)))
    with web.engine.connect() as conn:
        nights = list(reversed(diary_store.list_nights(conn, start=start)))
    return render(
        request,
        "history.html",
        records=records,
        nights=[(n, diary.metrics(n)) for n in nights],
        quality_labels=diary.QUALITY_LABELS,
        duration=diary.duration,
    )


routes = [
    Route("/sleep", sleep_page, name="sleep"),
    Route("/sleep", with_form(sleep_save), methods=["POST"], name="sleep_save"),
    Route("/symptoms", symptoms_page, name="symptoms"),
    Route("/symptoms", with_form(symptoms_save), methods=["POST"], name="symptoms_save"),
    Route("/history", history_page, name="history"),
]
