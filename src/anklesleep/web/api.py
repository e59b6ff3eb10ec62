"""The JSON API under `/api/`, used by the pages and described at `/openapi.json`.

Handlers parse and check input (one 400 naming the field for each mistake), call the core and
the store, and answer JSON. Writes happen in one transaction after every check has passed.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from anklesleep.audio.playing import timeline_to_play
from anklesleep.basics.errors import AnkleSleepError
from anklesleep.basics.i18n import translator
from anklesleep.diary import entries as diary
from anklesleep.practice import records as sessionlog
from anklesleep.routine.descriptions import clock
from anklesleep.routine.timeline import Timeline
from anklesleep.schedule.slots import change, check_slot_name, with_timezone
from anklesleep.services.evidence import experiment_today
from anklesleep.store import diary as diary_store
from anklesleep.store import preferences as prefs_store
from anklesleep.store import sessions as sessions_store
from anklesleep.store import settings as settings_store
from anklesleep.store import slots as slots_store
from anklesleep.web import openapi
from anklesleep.web.cache import options_key
from anklesleep.web.context import SAFETY_KEY, Web, web_of
from anklesleep.web.packed import Packed
from anklesleep.web.requests import (
    OPTION_PARAMS,
    check_params,
    json_body,
    number,
    options_from,
    string_list,
    track_format,
    truthy,
)
from anklesleep.web.routes_diary import entry_from_form, symptoms_from_form
from anklesleep.web.routes_pages import load_today
from anklesleep.web.today import TodayView

_render_lock = threading.Lock()
MAX_SESSION_SECONDS = 6 * 3600.0


def chapters(timeline: Timeline) -> list[dict[str, Any]]:
    return [
        {
            "index": c.index,
            "start": round(c.start, 6),
            "end": round(c.end, 6),
            "kind": c.kind,
            "step": c.step,
            "foot": c.foot,
            "section": c.section,
            "title": c.title,
            "first_cue": c.first,
        }
        for c in timeline.chapters()
    ]


def timeline_json(timeline: Timeline) -> dict[str, Any]:
    return {**timeline.to_dict(), "chapters": chapters(timeline)}


# --- routines and timelines -------------------------------------------------------------------


async def list_routines(request: Request) -> Response:
    web = web_of(request)
    options = web.preferences().options
    t = translator()
    result = []
    for routine_id, routine in web.routines.all().items():
        total = timeline_to_play(routine, options, translate=t).total_seconds
        result.append(
            {
                "id": routine_id,
                "name": t(routine.name),
                "summary": t(routine.summary),
                "origin": routine.origin,
                "total_seconds": round(total, 3),
                "total": clock(total),
            }
        )
    return JSONResponse({"routines": result})


def _routine_options(request: Request) -> tuple[Any, Any]:
    params = request.query_params
    check_params(params, ("routine", "fmt", *OPTION_PARAMS))
    web = web_of(request)
    routine = web.routines.get(params.get("routine") or "full")
    options = options_from(params, web.recent_snapshot().prefs.options)
    return routine, options


async def get_timeline(request: Request) -> Response:
    web = web_of(request)
    # The same question (query, saved defaults, routine files) gets the same answer.
    asked = ("timeline?", request.url.query, web.recent_version(), id(web.routines.all()))
    known = web.memo.get(asked)
    if isinstance(known, Packed):
        return known.response(request, "application/json")
    routine, options = _routine_options(request)

    def make() -> Packed:
        t = translator(options.language)
        data = timeline_json(timeline_to_play(routine, options, translate=t))
        return Packed.of(json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode())

    key = ("timeline", routine.id, id(routine), options_key(options))
    packed = web.memo.get_or_make(key, make)
    assert isinstance(packed, Packed)
    web.memo.put(asked, packed)
    return packed.response(request, "application/json")


async def get_track(request: Request) -> Response:
    """Render (or reuse) the session's audio track and return its timeline and addresses."""
    web = web_of(request)
    routine, options = _routine_options(request)
    fmt = track_format(request.query_params.get("fmt"))

    def work() -> Any:
        with _render_lock:
            return web.renderer(routine, options, fmt)

    rendered = await run_in_threadpool(work)
    track_id = rendered.path.stem
    web.tracks[track_id] = rendered
    suffix = rendered.path.suffix.lstrip(".")
    return JSONResponse(
        {
            "id": track_id,
            "routine": routine.id,
            "name": translator()(routine.name),
            "format": suffix,
            "audio_url": f"/tracks/{track_id}.{suffix}",
            "download_url": f"/tracks/{track_id}.{suffix}?download=1",
            "timeline": timeline_json(rendered.timeline),
        }
    )


# --- sessions ---------------------------------------------------------------------------------


def _session_or_404(request: Request) -> sessionlog.SessionRecord:
    uuid = request.path_params["uuid"]
    record = sessions_store.get_session(web_of(request).engine, uuid)
    if record is None:
        raise HTTPException(404, f"uuid: no session {uuid!r}; start one with POST /api/sessions")
    return record


async def list_sessions(request: Request) -> Response:
    params = request.query_params
    check_params(params, ("start", "end"))
    start = diary.parse_date(params["start"], "start") if params.get("start") else None
    end = diary.parse_date(params["end"], "end") if params.get("end") else None
    records = sessions_store.list_sessions(web_of(request).engine, start=start, end=end)
    return JSONResponse({"sessions": [r.to_dict() for r in records]})


async def create_session(request: Request) -> Response:
    web = web_of(request)
    data = await json_body(request)
    allowed = ("routine", "options", "planned_seconds", "slot")
    check_params(data, allowed)
    routine = web.routines.get(str(data.get("routine") or ""))
    raw_options = data.get("options", {})
    if not isinstance(raw_options, dict):
        raise AnkleSleepError(f"options: got {raw_options!r}; expected an object", field="options")
    check_params(raw_options, (*OPTION_PARAMS, "language"))
    options = options_from(raw_options, web.preferences().options)
    planned = number(data, "planned_seconds", 1, MAX_SESSION_SECONDS)
    slot = check_slot_name(str(data["slot"])) if data.get("slot") else None
    slots = web.slots()
    record = sessionlog.new_record(
        routine=routine.id,
        local_start=web.local_now(slots),
        planned_seconds=planned,
        slots=slots,
        slot=slot,
        options=options.to_dict(),
        source="web",
    )
    sessions_store.start_session(web.engine, record)
    return JSONResponse(record.to_dict(), status_code=201)


async def get_session(request: Request) -> Response:
    return JSONResponse(_session_or_404(request).to_dict())


def _progress(data: dict[str, Any], record: sessionlog.SessionRecord) -> tuple[float, list[str]]:
    limit = max(record.planned_seconds * 3, record.planned_seconds + 600)
    return number(data, "completed_seconds", 0, limit), string_list(data, "steps_done")


async def checkpoint_session(request: Request) -> Response:
    record = _session_or_404(request)
    data = await json_body(request)
    check_params(data, ("completed_seconds", "steps_done"))
    if record.completed:  # a stopped session may carry on; a finished one is closed
        raise AnkleSleepError(
            f"uuid: session {record.uuid!r} is already finished; start a new one", field="uuid"
        )
    seconds, steps = _progress(data, record)
    sessions_store.checkpoint(web_of(request).engine, record.uuid, steps, seconds)
    return JSONResponse(sessions_store.get_session(web_of(request).engine, record.uuid).to_dict())  # type: ignore[union-attr]


async def finish_session(request: Request) -> Response:
    web = web_of(request)
    record = _session_or_404(request)
    data = await json_body(request)
    check_params(data, ("completed", "completed_seconds", "steps_done"))
    if "completed" not in data:
        raise AnkleSleepError("completed: got nothing; send true or false", field="completed")
    completed = truthy("completed", data["completed"])
    seconds, steps = _progress(data, record)
    if record.ended_at is not None and record.completed:
        return JSONResponse(record.to_dict())  # finishing twice changes nothing
    sessions_store.finish(
        web.engine,
        record.uuid,
        completed=completed,
        ended_at=web.now(),
        completed_seconds=seconds,
        steps_done=steps,
    )
    return JSONResponse(sessions_store.get_session(web.engine, record.uuid).to_dict())  # type: ignore[union-attr]


# --- sleep diary and symptoms -----------------------------------------------------------------


def _night_json(entry: diary.SleepEntry) -> dict[str, Any]:
    return {**entry.to_dict(), "metrics": diary.metrics(entry).to_dict()}


async def list_sleep(request: Request) -> Response:
    params = request.query_params
    check_params(params, ("start", "end"))
    start = diary.parse_date(params["start"], "start") if params.get("start") else None
    end = diary.parse_date(params["end"], "end") if params.get("end") else None
    with web_of(request).engine.connect() as conn:
        nights = diary_store.list_nights(conn, start=start, end=end)
    return JSONResponse({"nights": [_night_json(n) for n in nights]})


async def get_sleep(request: Request) -> Response:
    night = diary.parse_date(request.path_params["night"], "night")
    with web_of(request).engine.connect() as conn:
        entry = diary_store.get_night(conn, night)
    if entry is None:
        raise HTTPException(404, f"night: nothing saved for {night.isoformat()}; PUT it first")
    return JSONResponse(_night_json(entry))


async def put_sleep(request: Request) -> Response:
    web = web_of(request)
    night = diary.parse_date(request.path_params["night"], "night")
    data = await json_body(request)
    check_params(data, diary.NIGHT_FIELDS[1:])  # the night comes from the path
    for key in ("into_bed", "tried_to_sleep", "final_awakening", "out_of_bed"):
        if key in data and not isinstance(data[key], str):
            raise AnkleSleepError(
                f'{key}: got {data[key]!r}; send a clock time like "23:15"', field=key
            )
    entry = diary.validate_entry(entry_from_form(data, night), web.local_now().date())
    with web.engine.begin() as conn:
        replaced = diary_store.save_night(conn, entry, web.now())
    return JSONResponse(_night_json(entry), status_code=200 if replaced else 201)


async def delete_sleep(request: Request) -> Response:
    web = web_of(request)
    night = diary.parse_date(request.path_params["night"], "night")
    with web.engine.begin() as conn:
        found = diary_store.delete_night(conn, night)
    if not found:
        raise HTTPException(404, f"night: nothing saved for {night.isoformat()}")
    return Response(status_code=204)


def _symptoms_json(request: Request, day: dt.date) -> dict[str, Any]:
    with web_of(request).engine.connect() as conn:
        scores = diary_store.get_symptoms(conn, day)
    t = translator()
    return {
        "day": day.isoformat(),
        "symptoms": [
            {
                "key": s.key,
                "label": t(s.label),
                "score": scores[s.key].score if s.key in scores else None,
                "note": scores[s.key].note if s.key in scores else "",
            }
            for s in diary.SYMPTOMS
        ],
    }


async def get_symptoms(request: Request) -> Response:
    params = request.query_params
    check_params(params, ("day",))
    today = web_of(request).local_now().date()
    day = diary.parse_date(params["day"], "day") if params.get("day") else today
    return JSONResponse(_symptoms_json(request, day))


async def put_symptoms(request: Request) -> Response:
    """Replace the day's scores: keys with a score are saved, keys with null are cleared."""
    web = web_of(request)
    day = diary.parse_date(request.path_params["day"], "day")
    data = await json_body(request)
    check_params(data, diary.SYMPTOM_KEYS)
    form = {key: "" if value is None else str(value) for key, value in data.items()}
    for key, value in data.items():
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
            raise AnkleSleepError(
                f"{key}: got {value!r}; use a whole number from 0 to 10, or null", field=key
            )
    entries, cleared = symptoms_from_form(form, day, web.local_now().date())
    cleared = [key for key in cleared if key in data]
    with web.engine.begin() as conn:
        diary_store.save_symptoms(conn, entries, web.now())
        for key in cleared:
            diary_store.delete_symptom(conn, day, key)
    return JSONResponse(_symptoms_json(request, day))


# --- today and settings -----------------------------------------------------------------------


async def get_today(request: Request) -> Response:
    web = web_of(request)
    view = load_today(web)
    asked = experiment_today(web.engine, view.day)
    experiment = None
    if asked is not None:
        experiment = {
            "phase": asked.phase,
            "do_routine": asked.do_routine,
            "headline": asked.headline,
            "detail": asked.detail,
            "days_left": asked.days_left,
        }
    return JSONResponse(
        {**view.to_dict(), "experiment": experiment, "reminders": _reminders(web, view)}
    )


def _reminders(web: Web, view: TodayView) -> list[dict[str, Any]]:
    """The enabled slots due in the next day, for a page that shows browser notifications."""
    from anklesleep.schedule.reminders import upcoming
    from anklesleep.schedule.slots import SLOT_LABELS

    t = translator()
    status = {s.name: s.status for s in view.slots}
    routines = {s.name: s.routine for s in view.slots}
    result = []
    for name, at in upcoming(web.snapshot().slots, web.now()):
        routine = routines.get(name, "full")
        result.append(
            {
                "slot": name,
                "at": at.isoformat(),
                "routine": routine,
                "done": at.date() == view.day and status.get(name) == "done",
                "title": t("Time for your ankle routine"),
                "body": t(SLOT_LABELS[name]),
                "url": f"/play/{routine}",
            }
        )
    return result


def _settings_json(request: Request) -> dict[str, Any]:
    web = web_of(request)
    with web.engine.connect() as conn:
        acknowledged = settings_store.get(conn, SAFETY_KEY)
        slots = slots_store.load(conn)
        prefs = prefs_store.load(conn)
    return {
        "slots": slots.to_dict(),
        "preferences": prefs.to_dict(),
        "safety_acknowledged_at": acknowledged,
    }


async def get_settings(request: Request) -> Response:
    return JSONResponse(_settings_json(request))


async def put_settings(request: Request) -> Response:
    """Change slots, preferences or the safety acknowledgement; all checked, then one write."""
    web = web_of(request)
    data = await json_body(request)
    check_params(data, ("slots", "preferences", "safety_acknowledged"))
    with web.engine.connect() as conn:
        slots = slots_store.load(conn)
        prefs = prefs_store.load(conn)
    new_slots = slots
    if "slots" in data:
        raw = data["slots"]
        if not isinstance(raw, dict):
            raise AnkleSleepError(f"slots: got {raw!r}; expected an object", field="slots")
        check_params(raw, ("timezone", "slots"))
        if "timezone" in raw:
            new_slots = with_timezone(new_slots, str(raw["timezone"]))
        per_slot = raw.get("slots") or {}
        if not isinstance(per_slot, dict):
            raise AnkleSleepError(
                f"slots.slots: got {per_slot!r}; expected an object", field="slots"
            )
        for name, values in per_slot.items():
            check_slot_name(name)
            if not isinstance(values, dict):
                raise AnkleSleepError(
                    f"slots.{name}: got {values!r}; expected an object", field=f"slots.{name}"
                )
            check_params(values, ("time", "enabled", "routine"))
            new_slots = change(
                new_slots,
                name,
                time=str(values["time"]) if "time" in values else None,
                enabled=truthy(f"slots.{name}.enabled", values["enabled"])
                if "enabled" in values
                else None,
                routine=str(values["routine"]) if "routine" in values else None,
                known_routines=tuple(web.routines.all()),
            )
    new_prefs = prefs
    if "preferences" in data:
        raw_prefs = data["preferences"]
        if not isinstance(raw_prefs, dict):
            raise AnkleSleepError(
                f"preferences: got {raw_prefs!r}; expected an object", field="preferences"
            )
        check_params(raw_prefs, ("options", "theme"))
        merged_options = {**prefs.to_dict()["options"], **(raw_prefs.get("options") or {})}
        new_prefs = prefs_store.from_mapping(
            {"options": merged_options, "theme": raw_prefs.get("theme", prefs.theme)}
        )
    acknowledge = truthy("safety_acknowledged", data.get("safety_acknowledged", False))
    now = web.now()
    with web.engine.begin() as conn:
        slots_store.save(conn, new_slots, now)
        prefs_store.save(conn, new_prefs, now)
        if acknowledge and settings_store.get(conn, SAFETY_KEY) is None:
            settings_store.put(conn, SAFETY_KEY, now.isoformat(), now)
    return JSONResponse(_settings_json(request))


async def openapi_json(request: Request) -> Response:
    return JSONResponse(openapi.document())


routes = [
    Route("/api/routines", list_routines, name="api_routines"),
    Route("/api/timeline", get_timeline, name="api_timeline"),
    Route("/api/track", get_track, name="api_track"),
    Route("/api/sessions", list_sessions, name="api_sessions"),
    Route("/api/sessions", create_session, methods=["POST"], name="api_session_create"),
    Route("/api/sessions/{uuid}", get_session, name="api_session"),
    Route("/api/sessions/{uuid}/checkpoint", checkpoint_session, methods=["POST"]),
    Route("/api/sessions/{uuid}/finish", finish_session, methods=["POST"]),
    Route("/api/sleep", list_sleep, name="api_sleep"),
    Route("/api/sleep/{night}", get_sleep, name="api_night"),
    Route("/api/sleep/{night}", put_sleep, methods=["PUT"]),
    Route("/api/sleep/{night}", delete_sleep, methods=["DELETE"]),
    Route("/api/symptoms", get_symptoms, name="api_symptoms"),
    Route("/api/symptoms/{day}", put_symptoms, methods=["PUT"]),
    Route("/api/today", get_today, name="api_today"),
    Route("/api/settings", get_settings, name="api_settings"),
    Route("/api/settings", put_settings, methods=["PUT"]),
    Route("/openapi.json", openapi_json, name="openapi"),
]
