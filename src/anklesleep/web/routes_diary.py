"""Pages: the sleep diary (the previous night copied visibly, metrics after saving, earlier nights),
the symptom scores and the history of sessions and nights."""

from __future__ import annotations

import datetime as dt
from typing import Any

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from anklesleep.basics.errors import AnkleSleepError
from anklesleep.basics.i18n import translator
from anklesleep.diary import entries as diary
from anklesleep.diary import forms, nighttime
from anklesleep.diary import tracked as tracked_rules
from anklesleep.store import diary as diary_store
from anklesleep.store import sessions as sessions_store
from anklesleep.store import trackers as tracker_store
from anklesleep.trackers.records import TrackerNight
from anklesleep.web.context import Web, render, web_of
from anklesleep.web.requests import with_form

TIME_FIELDS = nighttime.TIME_FIELDS
COUNT_FIELDS = ("sol_minutes", "awakenings", "waso_minutes")
NOTE_MAX = diary.NOTE_MAX


def zone_name(now: dt.datetime) -> str:
    """The IANA name of the zone `now` is in (the user's zone), or UTC."""
    return str(getattr(now.tzinfo, "key", "UTC"))


def problems_json(exc: forms.FormProblems) -> Response:
    """An API answer naming every wrong field at once (the first one as `field`)."""
    body = {"error": exc.message, "field": exc.field, "problems": exc.problems}
    return JSONResponse(body, status_code=400)


def _problems(exc: AnkleSleepError) -> dict[str, str]:
    if isinstance(exc, forms.FormProblems):
        return exc.problems
    return {exc.field or "night": exc.message}


def entry_values(entry: diary.SleepEntry) -> dict[str, str]:
    data = entry.to_dict()
    return {key: str(data[key]) for key in (*TIME_FIELDS, *COUNT_FIELDS, "quality", "note")}


def _date_param(request: Request, name: str, today: dt.date) -> dt.date:
    """The date in query parameter `name` (`?night=2026-03-14`), else today."""
    raw = request.query_params.get(name)
    return today if not raw else diary.parse_date(raw, name)


def _placeholders(web: Web) -> dict[str, str]:
    """A hint for an empty first form, shown beside the field and never as its value: the
    bedtime slot as the time into bed."""
    bedtime = web.slots().slot("bedtime").time
    return {"into_bed": diary.hhmm(bedtime)}


def _tracked(conn: Any, first: dt.date, last: dt.date) -> dict[dt.date, TrackerNight]:
    return tracker_store.main_sleeps(tracker_store.between(conn, first, last))


def sleep_page(request: Request) -> Response:
    web = web_of(request)
    now = web.local_now()
    today = now.date()
    night = _date_param(request, "night", today)
    with web.engine.connect() as conn:
        entry = diary_store.get_night(conn, night)
        earlier = diary_store.previous_night(conn, night)
        recent = diary_store.list_nights(conn, start=today - dt.timedelta(days=30))
        tracked = _tracked(conn, night, night).get(night)
    copied_from: dt.date | None = None
    from_tracker = False
    if entry is not None:
        values = entry_values(entry)
    elif tracked is not None and night <= today:
        values = tracked_rules.tracker_answers(tracked, zone_name(now))
        from_tracker = True
    elif earlier is not None and night <= today:
        values = {**entry_values(earlier), "note": ""}
        copied_from = earlier.night
    else:
        values = {}
    return _sleep(
        request,
        night=night,
        today=today,
        values=values,
        entry=entry,
        tracked=tracked,
        from_tracker=from_tracker,
        copied_from=copied_from,
        placeholders=_placeholders(web),
        recent=recent,
        saved=request.query_params.get("saved") == "1",
    )


def _sleep(request: Request, status_code: int = 200, **context: Any) -> Response:
    entry = context.get("entry")
    tracked: TrackerNight | None = context.get("tracked")
    zone = entry.zone if entry is not None else zone_name(web_of(request).local_now())
    answers = tracked_rules.tracker_answers(tracked, zone) if tracked is not None else {}
    values = context.get("values", {})
    # the fields showing the tracker's answer: marked, so it is plain where a value came from
    context["tracker_fields"] = {k for k, v in answers.items() if values.get(k) == v}
    context["tracker_answers"] = answers
    context["optional"] = tracked_rules.OPTIONAL
    recent = [(e, diary.metrics(e)) for e in reversed(context.pop("recent", []))]
    problems: dict[str, str] = context.pop("problems", {})
    return render(
        request,
        "sleep.html",
        status_code=status_code,
        metrics=diary.metrics(entry) if entry else None,
        recent=recent,
        quality_labels=diary.QUALITY_LABELS,
        duration=diary.duration,
        problems=problems,
        note_max=NOTE_MAX,
        minutes_max=diary.MINUTES_MAX,
        awakenings_max=diary.AWAKENINGS_MAX,
        imported=request.query_params.get("imported"),
        future=context["night"] > context["today"],
        current_zone=zone_name(web_of(request).local_now()),
        **context,
    )


def sleep_save(request: Request, form: FormData) -> Response:
    web = web_of(request)
    now = web.local_now()
    today = now.date()
    data = {key: str(value) for key, value in form.items()}
    raw_night = data.get("night") or ""
    tracked: TrackerNight | None = None
    stored: diary.SleepEntry | None = None
    try:
        night = diary.parse_date(raw_night, "night")
        with web.engine.connect() as conn:
            stored = diary_store.get_night(conn, night)
            tracked = _tracked(conn, night, night).get(night)
        entry = forms.night_from_form(
            data, night, zone_name(now), today, tracked=tracked, stored=stored
        )
    except AnkleSleepError as exc:
        with web.engine.connect() as conn:
            recent = diary_store.list_nights(conn, start=today - dt.timedelta(days=30))
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
            tracked=tracked,
            from_tracker=False,
            copied_from=None,
            placeholders=_placeholders(web),
            recent=recent,
            problems=_problems(exc),
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
    problems: dict[str, str] = context.pop("problems", {})
    return render(
        request,
        "symptoms.html",
        status_code=status_code,
        symptoms=symptoms,
        problems=problems,
        note_max=NOTE_MAX,
        scores=range(diary.SCORE_MIN, diary.SCORE_MAX + 1),
        future=context["day"] > context["today"],
        **context,
    )


def symptoms_save(request: Request, form: FormData) -> Response:
    web = web_of(request)
    today = web.local_now().date()
    data = {key: str(value) for key, value in form.items()}
    raw_day = data.get("day") or ""
    try:
        day = diary.parse_date(raw_day, "day")
        with web.engine.connect() as conn:
            stored = {k: e.note for k, e in diary_store.get_symptoms(conn, day).items()}
        entries, cleared = forms.symptoms_from_form(data, day, today, stored)
    except AnkleSleepError as exc:
        try:
            shown = dt.date.fromisoformat(raw_day)
        except ValueError:
            shown = today
        with web.engine.connect() as conn:
            before = diary_store.latest_symptoms(conn, shown)
        return _symptoms(
            request,
            status_code=400,
            day=shown,
            today=today,
            values={k: data.get(k, "") for k in diary.SYMPTOM_KEYS},
            notes={k: data.get(f"{k}_note", "") for k in diary.SYMPTOM_KEYS},
            before=before,
            problems=_problems(exc),
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
    with web.engine.connect() as conn:
        records = list(reversed(sessions_store.list_sessions(conn, start=start)))
        nights = {n.night: n for n in diary_store.list_nights(conn, start=start)}
        tracked = _tracked(conn, start, today)
    days = sorted(set(nights) | set(tracked), reverse=True)
    rows = [
        (
            day,
            nights.get(day),
            diary.metrics(nights[day]) if day in nights else None,
            tracked.get(day),
        )
        for day in days
    ]
    return render(
        request,
        "history.html",
        records=records,
        nights=rows,
        any_tracked=bool(tracked),
        quality_labels=diary.QUALITY_LABELS,
        duration=diary.duration,
    )


#: the largest export the page accepts (a real Apple Health export.zip is rarely over 1 GB)
MAX_UPLOAD_BYTES = 4 * 1024**3


async def sleep_import(request: Request) -> Response:
    """A tracker export sent as the raw request body: written to a private temporary file as it
    arrives (never held in memory), read and imported all or nothing, then deleted."""
    import tempfile
    from pathlib import Path

    from starlette.concurrency import run_in_threadpool

    from anklesleep.services.trackers import (
        Imported,
        import_export,
        report_lines,
        saved_line,
        summary_lines,
    )

    web = web_of(request)
    name = Path(request.query_params.get("name") or "export").name[:120] or "export"
    with tempfile.TemporaryDirectory(prefix="anklesleep-import-") as folder:
        path = Path(folder) / name
        size = 0
        with path.open("wb") as out:
            async for chunk in request.stream():
                size += len(chunk)
                if size > MAX_UPLOAD_BYTES:
                    message = translator()(
                        "file: larger than {limit} GB; use `anklesleep import-sleep FILE` instead"
                    ).format(limit=MAX_UPLOAD_BYTES // 1024**3)
                    return JSONResponse({"error": message, "field": "file"}, status_code=413)
                await run_in_threadpool(out.write, chunk)
        if size == 0:
            message = translator()("file: nothing was sent; choose the export file first")
            return JSONResponse({"error": message, "field": "file"}, status_code=400)

        def run_import() -> Imported:
            now = web.local_now()  # the zone comes from the stored slots: a database read
            assert now.tzinfo is not None
            return import_export(web.engine, path, now.tzinfo, web.now())

        try:
            imported = await run_in_threadpool(run_import)
        except AnkleSleepError as exc:
            return JSONResponse({"error": exc.message, "field": exc.field}, status_code=400)
    summary = [*summary_lines(imported), saved_line(imported)]
    skipped = len(imported.reading.skipped)
    if skipped:
        summary.append(
            translator()(
                "{n} records were skipped; `anklesleep import-sleep FILE --dry-run` lists them "
                "with the reason."
            ).format(n=skipped)
        )
    from anklesleep.basics.wording import join_sentences

    return JSONResponse(
        {"summary": join_sentences(summary, translator()), "lines": report_lines(imported)}
    )


routes = [
    Route("/sleep", sleep_page, name="sleep"),
    Route("/sleep", with_form(sleep_save), methods=["POST"], name="sleep_save"),
    Route("/sleep/import", sleep_import, methods=["POST"], name="sleep_import"),
    Route("/symptoms", symptoms_page, name="symptoms"),
    Route("/symptoms", with_form(symptoms_save), methods=["POST"], name="symptoms_save"),
    Route("/history", history_page, name="history"),
]
