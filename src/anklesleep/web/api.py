"""The JSON API under `/api/`, used by the pages and described at `/openapi.json`.

Handlers parse and check input (one 400 naming the field for each mistake), call the core and
the store, and answer JSON. Writes happen in one transaction after every check has passed.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from anklesleep.audio.playing import timeline_to_play
from anklesleep.basics.errors import AnkleSleepError
from anklesleep.basics.i18n import _, current_language, translator
from anklesleep.diary import entries as diary
from anklesleep.diary import forms
from anklesleep.practice import records as session_records
from anklesleep.routine.catalog import BUILTIN_IDS
from anklesleep.routine.descriptions import clock
from anklesleep.routine.options import FEET, RANGES, parse_extra_circles
from anklesleep.routine.timeline import Timeline
from anklesleep.schedule.slots import change, check_slot_name, with_timezone
from anklesleep.services import sessions as sessions_service
from anklesleep.store import diary as diary_store
from anklesleep.store import language as language_store
from anklesleep.store import preferences as prefs_store
from anklesleep.store import sessions as sessions_store
from anklesleep.store import settings as settings_store
from anklesleep.store import slots as slots_store
from anklesleep.store import trackers as tracker_store
from anklesleep.web import models as m
from anklesleep.web import openapi
from anklesleep.web.context import SAFETY_KEY, web_of
from anklesleep.web.memo import Packed, remembered
from anklesleep.web.openapi import Answer, Operation, Param
from anklesleep.web.prepare import prepare_soon, render
from anklesleep.web.requests import (
    FORMATS,
    OPTION_PARAMS,
    check_params,
    number,
    options_from,
    string_list,
    track_format,
    truthy,
    with_json_body,
)
from anklesleep.web.routes_diary import (
    problems_json,
    zone_name,
)
from anklesleep.web.today import get_today


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


def list_routines(request: Request) -> Response:
    web = web_of(request)
    # timed as the player will play them: in the request's language and its voice
    options = options_from({}, web.preferences().options)
    t = translator(options.language)
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
    options = options_from(params, web.preferences().options)
    return routine, options


async def get_timeline(request: Request) -> Response:
    web = web_of(request)

    def make() -> Packed:
        routine, options = _routine_options(request)
        t = translator(options.language)
        data = timeline_json(timeline_to_play(routine, options, translate=t))
        return Packed.of(bytes(JSONResponse(data).body))

    # the same question (query, saved defaults, routine files) gets the same answer
    key = ("timeline", current_language(), request.url.query, id(web.routines.all()))
    packed = await remembered(web.memo, key, make)
    return packed.response(request, "application/json")


def get_track(request: Request) -> Response:
    """Render (or reuse) the session's audio track and return its timeline and addresses."""
    web = web_of(request)
    routine, options = _routine_options(request)
    fmt = track_format(request.query_params.get("fmt"))

    rendered = render(web, routine, options, fmt)
    track_id = rendered.path.stem
    suffix = rendered.path.suffix.lstrip(".")
    return JSONResponse(
        {
            "id": track_id,
            "routine": routine.id,
            "name": translator()(routine.name),
            "format": suffix,
            "audio_url": f"/tracks/{track_id}.{suffix}",
            "download_url": f"/tracks/{track_id}.{suffix}?download=1",
            "chapters_url": f"/tracks/{track_id}.vtt",
            "timeline": timeline_json(rendered.timeline),
        }
    )


# --- sessions ---------------------------------------------------------------------------------


def _session_or_404(request: Request) -> session_records.SessionRecord:
    uuid = request.path_params["uuid"]
    with web_of(request).engine.connect() as conn:
        record = sessions_store.get_session(conn, uuid)
    if record is None:
        raise HTTPException(
            404, _("uuid: no session {uuid!r}; start one with POST /api/sessions").format(uuid=uuid)
        )
    return record


def list_sessions(request: Request) -> Response:
    params = request.query_params
    check_params(params, ("start", "end"))
    start = diary.parse_date(params["start"], "start") if params.get("start") else None
    end = diary.parse_date(params["end"], "end") if params.get("end") else None
    with web_of(request).engine.connect() as conn:
        records = sessions_store.list_sessions(conn, start=start, end=end)
    return JSONResponse({"sessions": [r.to_dict() for r in records]})


def create_session(request: Request, data: dict[str, Any]) -> Response:
    web = web_of(request)
    allowed = ("routine", "options", "planned_seconds", "slot", "replaces")
    check_params(data, allowed)
    routine = web.routines.get(str(data.get("routine") or ""))
    raw_options = data.get("options", {})
    if not isinstance(raw_options, dict):
        raise AnkleSleepError(
            _("options: got {value!r}; expected an object").format(value=raw_options),
            field="options",
        )
    check_params(raw_options, (*OPTION_PARAMS, "language"))
    options = options_from(raw_options, web.preferences().options)
    planned = number(data, "planned_seconds", 1, session_records.MAX_SESSION_SECONDS)
    slot = check_slot_name(str(data["slot"])) if data.get("slot") else None
    replaces = data.get("replaces")
    if replaces is not None and not isinstance(replaces, str):
        raise AnkleSleepError(
            _("replaces: got {value!r}; send the id of the session to set aside").format(
                value=replaces
            ),
            field="replaces",
        )
    if replaces:  # "Start over": the unfinished one is kept as a partial session
        sessions_service.set_aside(web.engine, replaces, now=web.now())
    slots = web.slots()
    record = sessions_service.start(
        web.engine,
        routine=routine.id,
        local_start=web.local_now(slots),
        planned_seconds=planned,
        slots=slots,
        slot=slot,
        options=options.to_dict(),
        source="web",
    )
    return JSONResponse(record.to_dict(), status_code=201)


def get_session(request: Request) -> Response:
    return JSONResponse(_session_or_404(request).to_dict())


PROGRESS_FIELDS = (
    "played",
    "position_seconds",
    "completed_seconds",
    "steps_done",
    "planned_seconds",
    "extra_circles",
    "track",
    "interruptions",
)


def _intervals(data: dict[str, Any]) -> tuple[tuple[float, float], ...]:
    raw = data.get("played", [])
    ok = isinstance(raw, list) and all(
        isinstance(pair, list)
        and len(pair) == 2
        and all(isinstance(v, int | float) and not isinstance(v, bool) for v in pair)
        for pair in raw
    )
    if not ok:
        raise AnkleSleepError(
            _("played: got {value!r}; send a list of [start, end] pairs in seconds").format(
                value=str(raw)[:60]
            ),
            field="played",
        )
    return tuple((float(a), float(b)) for a, b in raw)


def _progress(data: dict[str, Any]) -> session_records.Progress:
    limit = session_records.MAX_SESSION_SECONDS
    played = _intervals(data)
    if "completed_seconds" in data:
        # a player that counts time from the start instead of reporting stretches
        seconds = number(data, "completed_seconds", 0, limit)
        played = (*played, (0.0, seconds)) if seconds > 0 else played
    options = None
    if "extra_circles" in data:
        extra = data["extra_circles"]
        if not isinstance(extra, str | dict):
            raise AnkleSleepError(
                _("extra_circles: got {value!r}; use left=inward,right=none and the like").format(
                    value=extra
                ),
                field="extra_circles",
            )
        options = {"extra_circles": dict(parse_extra_circles(extra))}
    return session_records.Progress(
        played=played,
        position_seconds=(
            number(data, "position_seconds", 0, limit) if "position_seconds" in data else None
        ),
        steps_done=tuple(string_list(data, "steps_done")),
        planned_seconds=(
            number(data, "planned_seconds", 1, limit) if "planned_seconds" in data else None
        ),
        options=options,
        interruptions=_interruptions(data),
    )


def _interruptions(data: dict[str, Any]) -> tuple[tuple[float, str], ...]:
    """`interruptions`: a list of {"at": seconds, "kind": "error" | "stalled" | "interrupted"}."""
    raw = data.get("interruptions", [])
    ok = isinstance(raw, list) and all(
        isinstance(item, dict)
        and set(item) == {"at", "kind"}
        and isinstance(item["at"], int | float)
        and not isinstance(item["at"], bool)
        and isinstance(item["kind"], str)
        for item in raw
    )
    if not ok:
        raise AnkleSleepError(
            _(
                "interruptions: got {value!r}; send a list of "
                '{{"at": seconds, "kind": "error", "stalled" or "interrupted"}}'
            ).format(value=str(raw)[:60]),
            field="interruptions",
        )
    return tuple((float(item["at"]), item["kind"]) for item in raw)


def _cue_starts(request: Request, data: dict[str, Any]) -> tuple[float, ...] | None:
    """The cue times of the track the player plays, when this server rendered it."""
    track_id = data.get("track")
    if track_id is None:
        return None
    if not isinstance(track_id, str):
        raise AnkleSleepError(
            _("track: got {value!r}; send the track's id").format(value=track_id), field="track"
        )
    rendered = web_of(request).tracks.get(track_id)
    return tuple(c.start for c in rendered.timeline) if rendered is not None else None


def checkpoint_session(request: Request, data: dict[str, Any]) -> Response:
    web = web_of(request)
    record = _session_or_404(request)
    check_params(data, PROGRESS_FIELDS)
    report = _progress(data)
    after = sessions_service.progress(web.engine, record.uuid, report, now=web.now())
    return JSONResponse(after.to_dict())


def finish_session(request: Request, data: dict[str, Any]) -> Response:
    """Finish a session. `completed: true` says the player reached the end; the server
    decides whether enough was played to count it as done."""
    web = web_of(request)
    record = _session_or_404(request)
    check_params(data, ("completed", *PROGRESS_FIELDS))
    if "completed" not in data:
        raise AnkleSleepError(_("completed: got nothing; send true or false"), field="completed")
    reached_end = truthy("completed", data["completed"])
    report = _progress(data)
    after = sessions_service.finish(
        web.engine,
        record.uuid,
        report,
        reached_end=reached_end,
        now=web.now(),
        cue_starts=_cue_starts(request, data),
    )
    return JSONResponse(after.to_dict())


# --- sleep diary and symptoms -----------------------------------------------------------------


def _night_json(entry: diary.SleepEntry) -> dict[str, Any]:
    return {**entry.to_dict(), "metrics": diary.metrics(entry).to_dict()}


def list_sleep(request: Request) -> Response:
    params = request.query_params
    check_params(params, ("start", "end"))
    start = diary.parse_date(params["start"], "start") if params.get("start") else None
    end = diary.parse_date(params["end"], "end") if params.get("end") else None
    with web_of(request).engine.connect() as conn:
        nights = diary_store.list_nights(conn, start=start, end=end)
    return JSONResponse({"nights": [_night_json(n) for n in nights]})


def get_sleep(request: Request) -> Response:
    night = diary.parse_date(request.path_params["night"], "night")
    with web_of(request).engine.connect() as conn:
        entry = diary_store.get_night(conn, night)
    if entry is None:
        raise HTTPException(
            404, _("night: nothing saved for {night}; PUT it first").format(night=night.isoformat())
        )
    return JSONResponse(_night_json(entry))


def put_sleep(request: Request, data: dict[str, Any]) -> Response:
    web = web_of(request)
    night = diary.parse_date(request.path_params["night"], "night")
    check_params(data, (*diary.NIGHT_FIELDS[1:], *forms.EXTRA_FIELDS))  # night: from the path
    now = web.local_now()
    with web.engine.connect() as conn:
        stored = diary_store.get_night(conn, night)
        tracked = tracker_store.main_sleeps(tracker_store.between(conn, night, night)).get(night)
    try:
        entry = forms.night_from_form(
            data, night, zone_name(now), now.date(), tracked=tracked, stored=stored
        )
    except forms.FormProblems as exc:
        return problems_json(exc)
    with web.engine.begin() as conn:
        replaced = diary_store.save_night(conn, entry, web.now())
    return JSONResponse(_night_json(entry), status_code=200 if replaced else 201)


def delete_sleep(request: Request) -> Response:
    web = web_of(request)
    night = diary.parse_date(request.path_params["night"], "night")
    with web.engine.begin() as conn:
        found = diary_store.delete_night(conn, night)
    if not found:
        raise HTTPException(
            404, _("night: nothing saved for {night}").format(night=night.isoformat())
        )
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


def get_symptoms(request: Request) -> Response:
    params = request.query_params
    check_params(params, ("day",))
    today = web_of(request).local_now().date()
    day = diary.parse_date(params["day"], "day") if params.get("day") else today
    return JSONResponse(_symptoms_json(request, day))


def put_symptoms(request: Request, data: dict[str, Any]) -> Response:
    """Replace the day's scores: keys with a score are saved, keys with null are cleared; a
    `<key>_note` sets that complaint's note (left out, the stored note is kept)."""
    web = web_of(request)
    day = diary.parse_date(request.path_params["day"], "day")
    check_params(data, (*diary.SYMPTOM_KEYS, *(f"{k}_note" for k in diary.SYMPTOM_KEYS)))
    for key in diary.SYMPTOM_KEYS:
        value = data.get(key)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
            raise AnkleSleepError(
                _("{field}: got {value!r}; use a whole number from 0 to 10, or null").format(
                    field=key, value=value
                ),
                field=key,
            )
    with web.engine.connect() as conn:
        before = {k: e.note for k, e in diary_store.get_symptoms(conn, day).items()}
    try:
        entries, cleared = forms.symptoms_from_form(data, day, web.local_now().date(), before)
    except forms.FormProblems as exc:
        return problems_json(exc)
    cleared = [key for key in cleared if key in data]
    with web.engine.begin() as conn:
        diary_store.save_symptoms(conn, entries, web.now())
        for key in cleared:
            diary_store.delete_symptom(conn, day, key)
    return JSONResponse(_symptoms_json(request, day))


# --- today and settings -----------------------------------------------------------------------


def _settings_json(request: Request) -> dict[str, Any]:
    web = web_of(request)
    with web.engine.connect() as conn:
        acknowledged = settings_store.get(conn, SAFETY_KEY)
        slots = slots_store.load(conn)
        prefs = prefs_store.load(conn)
        language = language_store.load(conn)
    return {
        "slots": slots.to_dict(),
        "preferences": prefs.to_dict(),
        "safety_acknowledged_at": acknowledged,
        "language": language,
    }


def get_settings(request: Request) -> Response:
    return JSONResponse(_settings_json(request))


def put_settings(request: Request, data: dict[str, Any]) -> Response:
    """Change slots, preferences or the safety acknowledgement; all checked, then one write."""
    web = web_of(request)
    check_params(data, ("slots", "preferences", "safety_acknowledged", "language"))
    with web.engine.connect() as conn:
        slots = slots_store.load(conn)
        prefs = prefs_store.load(conn)
        language = language_store.load(conn)
    new_language = language_store.check(data["language"]) if "language" in data else language
    new_slots = slots
    if "slots" in data:
        raw = data["slots"]
        if not isinstance(raw, dict):
            raise AnkleSleepError(
                _("slots: got {value!r}; expected an object").format(value=raw), field="slots"
            )
        check_params(raw, ("timezone", "slots"))
        if "timezone" in raw:
            new_slots = with_timezone(new_slots, str(raw["timezone"]))
        per_slot = raw.get("slots") or {}
        if not isinstance(per_slot, dict):
            raise AnkleSleepError(
                _("slots.slots: got {value!r}; expected an object").format(value=per_slot),
                field="slots",
            )
        for name, values in per_slot.items():
            check_slot_name(name)
            if not isinstance(values, dict):
                raise AnkleSleepError(
                    _("slots.{name}: got {value!r}; expected an object").format(
                        name=name, value=values
                    ),
                    field=f"slots.{name}",
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
                _("preferences: got {value!r}; expected an object").format(value=raw_prefs),
                field="preferences",
            )
        check_params(raw_prefs, ("options", "theme"))
        raw_options = raw_prefs.get("options")
        if raw_options is not None and not isinstance(raw_options, dict):
            raise AnkleSleepError(
                _("preferences.options: got {value!r}; expected an object").format(
                    value=raw_options
                ),
                field="preferences.options",
            )
        merged_options = {**prefs.to_dict()["options"], **(raw_options or {})}
        new_prefs = prefs_store.from_mapping(
            {"options": merged_options, "theme": raw_prefs.get("theme", prefs.theme)}
        )
    acknowledge = truthy("safety_acknowledged", data.get("safety_acknowledged", False))
    now = web.now()
    with web.engine.begin() as conn:
        slots_store.save(conn, new_slots, now)
        prefs_store.save(conn, new_prefs, now)
        if new_language != language:
            language_store.save(conn, new_language, now)
        if acknowledge and settings_store.get(conn, SAFETY_KEY) is None:
            settings_store.put(conn, SAFETY_KEY, now.isoformat(), now)
    if new_prefs != prefs:
        prepare_soon(request.app.state)  # the tracks the player will ask for next
    return JSONResponse(_settings_json(request))


def openapi_json(request: Request) -> Response:
    return JSONResponse(_document())


@cache
def _document() -> dict[str, Any]:
    return openapi.document(OPERATIONS)


def _option_params() -> tuple[Param, ...]:
    texts = {
        "hold": "Seconds each toe stretch is held.",
        "release": "Seconds of rest between holds.",
        "circle_pace": "Seconds per ankle circle.",
        "tilt_pace": "Seconds per heel tilt cycle.",
        "tempo": "Scales every duration.",
    }
    params = [
        Param(name, "query", {"type": "number", "minimum": low, "maximum": high}, texts[name])
        for name, (low, high) in RANGES.items()
    ]
    return (
        *params,
        Param(
            "extra_circles",
            "query",
            {"type": "string"},
            "none, inward, outward, or per foot: left=inward,right=none.",
        ),
        Param("foot_order", "query", {"enum": ["by-section", "by-foot"]}, "by-section or by-foot."),
        Param("first_foot", "query", {"enum": list(FEET)}, "left or right."),
        Param("voice", "query", {"type": "boolean"}, "Spoken guidance (true) or tones only."),
    )


_ROUTINE = Param(
    "routine",
    "query",
    {"type": "string", "examples": list(BUILTIN_IDS)},
    "Routine id (full, quick, or your own).",
)
_OPTIONS = _option_params()
_DATE = {"type": "string", "format": "date"}
_START = Param("start", "query", _DATE, "First day (YYYY-MM-DD).")
_END = Param("end", "query", _DATE, "Last day (YYYY-MM-DD).")
_UUID = Param("uuid", "path", {"type": "string"}, "The session's id.")
_NIGHT = Param("night", "path", _DATE, "The date of the morning after the night (YYYY-MM-DD).")
_DAY = Param("day", "path", _DATE, "The day scored (YYYY-MM-DD).")
_WRITE = (400, 403)

OPERATIONS: tuple[Operation, ...] = (
    Operation(
        "GET",
        "/api/routines",
        list_routines,
        "The routines with their length.",
        [Answer(200, m.Routines, "The routines.")],
        name="api_routines",
    ),
    Operation(
        "GET",
        "/api/timeline",
        get_timeline,
        "Every cue of a session, with estimated speech.",
        [Answer(200, m.Timeline, "The timeline.")],
        params=(_ROUTINE, *_OPTIONS),
        errors=(400,),
        name="api_timeline",
    ),
    Operation(
        "GET",
        "/api/track",
        get_track,
        "Render (or reuse) the session's audio track; its URL and exact timeline. Needs the "
        "X-Requested-With header the app's scripts send.",
        [Answer(200, m.Track, "The track.")],
        params=(
            _ROUTINE,
            *_OPTIONS,
            Param("fmt", "query", {"enum": list(FORMATS)}, "mp3 (default), opus or wav."),
        ),
        errors=(400, 403),
        name="api_track",
    ),
    Operation(
        "GET",
        "/api/sessions",
        list_sessions,
        "Sessions, oldest first.",
        [Answer(200, m.Sessions, "The sessions.")],
        params=(_START, _END),
        errors=(400,),
        name="api_sessions",
    ),
    Operation(
        "POST",
        "/api/sessions",
        with_json_body(create_session),
        "Start a session (source web); checkpoint it as it plays.",
        [Answer(201, m.Session, "The new session.")],
        body=m.SessionStart,
        errors=_WRITE,
        name="api_session_create",
    ),
    Operation(
        "GET",
        "/api/sessions/{uuid}",
        get_session,
        "One session.",
        [Answer(200, m.Session, "The session.")],
        params=(_UUID,),
        errors=(404,),
        name="api_session",
    ),
    Operation(
        "POST",
        "/api/sessions/{uuid}/checkpoint",
        with_json_body(checkpoint_session),
        "Record progress so far.",
        [Answer(200, m.Session, "The session.")],
        params=(_UUID,),
        body=m.SessionProgress,
        errors=(*_WRITE, 404),
    ),
    Operation(
        "POST",
        "/api/sessions/{uuid}/finish",
        with_json_body(finish_session),
        "Finish (completed) or stop (partial) a session.",
        [Answer(200, m.Session, "The session.")],
        params=(_UUID,),
        body=m.SessionFinish,
        errors=(*_WRITE, 404),
    ),
    Operation(
        "GET",
        "/api/sleep",
        list_sleep,
        "Diary nights with their metrics.",
        [Answer(200, m.Nights, "The nights.")],
        params=(_START, _END),
        errors=(400,),
        name="api_sleep",
    ),
    Operation(
        "GET",
        "/api/sleep/{night}",
        get_sleep,
        "One night.",
        [Answer(200, m.Night, "The night.")],
        params=(_NIGHT,),
        errors=(400, 404),
        name="api_night",
    ),
    Operation(
        "PUT",
        "/api/sleep/{night}",
        with_json_body(put_sleep),
        "Save a night: 201 the first time, 200 when it replaces the saved one.",
        [
            Answer(200, m.Night, "The night as saved (it replaced the earlier one)."),
            Answer(201, m.Night, "The night as saved (the first time)."),
        ],
        params=(_NIGHT,),
        body=m.NightIn,
        errors=_WRITE,
    ),
    Operation(
        "DELETE",
        "/api/sleep/{night}",
        delete_sleep,
        "Delete a night.",
        [Answer(204, None, "Deleted.")],
        params=(_NIGHT,),
        errors=(*_WRITE, 404),
    ),
    Operation(
        "GET",
        "/api/symptoms",
        get_symptoms,
        "The complaints and the day's scores.",
        [Answer(200, m.Symptoms, "The scores.")],
        params=(Param("day", "query", _DATE, "The day (default today)."),),
        errors=(400,),
        name="api_symptoms",
    ),
    Operation(
        "PUT",
        "/api/symptoms/{day}",
        with_json_body(put_symptoms),
        "Score complaints for a day: 0-10, or null to clear.",
        [Answer(200, m.Symptoms, "The scores.")],
        params=(_DAY,),
        body=m.SymptomsIn,
        errors=_WRITE,
    ),
    Operation(
        "GET",
        "/api/today",
        get_today,
        "Today's slots, streak, last night and the experiment's request.",
        [Answer(200, m.Today, "Today (the same document as `anklesleep today --json`).")],
        name="api_today",
    ),
    Operation(
        "GET",
        "/api/settings",
        get_settings,
        "Slots, preferences and the safety acknowledgement.",
        [Answer(200, m.Settings, "The settings.")],
        name="api_settings",
    ),
    Operation(
        "PUT",
        "/api/settings",
        with_json_body(put_settings),
        "Change settings; everything is checked before anything is stored.",
        [Answer(200, m.Settings, "The settings as saved.")],
        body=m.SettingsIn,
        errors=_WRITE,
    ),
)

routes = [
    *(op.route() for op in OPERATIONS),
    Route("/openapi.json", openapi_json, name="openapi"),
]
