"""The OpenAPI 3.1 description of `/api/`, written out by hand so it says exactly what the
handlers accept (tests check that every API route is described)."""

from __future__ import annotations

from functools import cache
from typing import Any

from anklesleep import __version__
from anklesleep.diary.entries import NIGHT_FIELDS

_ERROR = {"$ref": "#/components/schemas/Error"}
_OPTION_PARAMS = [
    ("hold", "number", "Seconds each toe stretch is held (1-60)."),
    ("release", "number", "Seconds of rest between holds (0.5-30)."),
    ("circle_pace", "number", "Seconds per ankle circle (0.5-10)."),
    ("tilt_pace", "number", "Seconds per heel tilt cycle (0.5-10)."),
    ("extra_circles", "string", "none, inward, outward, or per foot: left=inward,right=none."),
    ("foot_order", "string", "by-section or by-foot."),
    ("first_foot", "string", "left or right."),
    ("tempo", "number", "Scales every duration (0.1-3)."),
    ("voice", "boolean", "Spoken guidance on (true) or tones only (false)."),
]


def _query(name: str, kind: str, text: str, required: bool = False) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "required": required,
        "description": text,
        "schema": {"type": kind},
    }


def _path(name: str, text: str, fmt: str | None = None) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "string"}
    if fmt:
        schema["format"] = fmt
    return {"name": name, "in": "path", "required": True, "description": text, "schema": schema}


def _json(schema: dict[str, Any], text: str) -> dict[str, Any]:
    return {"description": text, "content": {"application/json": {"schema": schema}}}


def _errors(*codes: int) -> dict[str, Any]:
    texts = {
        400: "A field is wrong; the message names it and says how to fix it.",
        403: "Missing CSRF token or a request from another site.",
        404: "Not found.",
    }
    return {str(c): _json(_ERROR, texts[c]) for c in codes}


def _op(
    summary: str,
    ok: dict[str, Any],
    *,
    params: list[dict[str, Any]] | None = None,
    body: dict[str, Any] | None = None,
    errors: tuple[int, ...] = (400,),
    status: str = "200",
) -> dict[str, Any]:
    op: dict[str, Any] = {"summary": summary, "responses": {status: ok, **_errors(*errors)}}
    if params:
        op["parameters"] = params
    if body is not None:
        op["requestBody"] = {"required": True, "content": {"application/json": {"schema": body}}}
    return op


def _obj(properties: dict[str, Any], required: tuple[str, ...] = ()) -> dict[str, Any]:
    schema: dict[str, Any] = {
        "type": "object",
        "properties": properties,
        "additionalProperties": False,
    }
    if required:
        schema["required"] = list(required)
    return schema


def _ref(name: str) -> dict[str, Any]:
    return {"$ref": f"#/components/schemas/{name}"}


_TIME = {"type": "string", "pattern": "^[0-9]{1,2}:[0-9]{2}$", "examples": ["23:15"]}
_COUNT = {"type": "integer", "minimum": 0}
_SYMPTOM_KEYS = ("knee", "lower-back", "fatigue", "shoulders", "bunions", "circulation", "headache")


@cache
def document() -> dict[str, Any]:
    """The whole OpenAPI document."""
    routine_params = [
        _query("routine", "string", "Routine id (full, quick, or one of your own)."),
        *[_query(n, k, t) for n, k, t in _OPTION_PARAMS],
    ]
    options_schema = _obj(
        {n: {"type": [k, "null"], "description": t} for n, k, t in _OPTION_PARAMS}
        | {"language": {"type": "string"}}
    )
    cue = {"type": "object", "description": "One cue: start, duration, kind, step, foot, rep…"}
    timeline = _obj(
        {
            "routine": {"type": "string"},
            "total_seconds": {"type": "number"},
            "options": options_schema,
            "cues": {"type": "array", "items": cue},
            "chapters": {"type": "array", "items": {"type": "object"}},
        }
    )
    session = {"type": "object", "description": "A session record (see `anklesleep history`)."}
    night_in = _obj(
        {
            "into_bed": _TIME,
            "tried_to_sleep": _TIME,
            "sol_minutes": _COUNT,
            "awakenings": _COUNT,
            "waso_minutes": _COUNT,
            "final_awakening": _TIME,
            "out_of_bed": _TIME,
            "quality": {"type": "integer", "minimum": 1, "maximum": 5},
            "note": {"type": "string", "maxLength": 2000},
            "zone": {"type": "string", "description": "IANA zone of the times (default: yours)"},
            "fold": {"enum": ["earlier", "later"], "description": "Which repeated time was meant"},
            "confirm": {"type": "boolean", "description": "Save an unusual night as it is"},
        },
        # every answer of the night (the night itself is in the path; note, zone, fold optional)
        required=NIGHT_FIELDS[1 : NIGHT_FIELDS.index("note")],
    )
    night_out = {"type": "object", "description": "A night as saved, with derived `metrics`."}
    progress = _obj(
        {
            "completed_seconds": {"type": "number", "minimum": 0},
            "steps_done": {"type": "array", "items": {"type": "string"}},
        },
        required=("completed_seconds",),
    )
    finish = _obj(
        {**progress["properties"], "completed": {"type": "boolean"}},
        required=("completed", "completed_seconds"),
    )
    uuid = _path("uuid", "The session's id.")
    night = _path("night", "The date of the morning after the night (YYYY-MM-DD).", "date")
    day = _path("day", "The day scored (YYYY-MM-DD).", "date")
    settings = {"type": "object", "description": "slots, preferences, safety_acknowledged_at"}
    paths: dict[str, Any] = {
        "/api/routines": {
            "get": _op(
                "The routines with their length.", _json({"type": "object"}, "Routines."), errors=()
            )
        },
        "/api/timeline": {
            "get": _op(
                "Every cue of a session, with estimated speech.",
                _json(timeline, "The timeline."),
                params=routine_params,
            )
        },
        "/api/track": {
            "get": _op(
                "Render (or reuse) the session's audio track; its URL and exact timeline.",
                _json(
                    _obj(
                        {
                            "id": {"type": "string"},
                            "audio_url": {"type": "string"},
                            "download_url": {"type": "string"},
                            "timeline": timeline,
                            "routine": {"type": "string"},
                            "name": {"type": "string"},
                            "format": {"type": "string"},
                        }
                    ),
                    "The track.",
                ),
                params=[*routine_params, _query("fmt", "string", "mp3 (default), opus or wav.")],
            )
        },
        "/api/sessions": {
            "get": _op(
                "Sessions, oldest first.",
                _json({"type": "object"}, "Sessions."),
                params=[
                    _query("start", "string", "First day (YYYY-MM-DD)."),
                    _query("end", "string", "Last day (YYYY-MM-DD)."),
                ],
            ),
            "post": _op(
                "Start a session (source web); checkpoint it as it plays.",
                _json(session, "The new session."),
                body=_obj(
                    {
                        "routine": {"type": "string"},
                        "options": options_schema,
                        "planned_seconds": {"type": "number", "minimum": 1},
                        "slot": {"enum": ["morning", "home", "bedtime"]},
                    },
                    required=("routine", "planned_seconds"),
                ),
                errors=(400, 403),
                status="201",
            ),
        },
        "/api/sessions/{uuid}": {
            "get": _op("One session.", _json(session, "The session."), params=[uuid], errors=(404,))
        },
        "/api/sessions/{uuid}/checkpoint": {
            "post": _op(
                "Record progress so far.",
                _json(session, "The session."),
                params=[uuid],
                body=progress,
                errors=(400, 403, 404),
            )
        },
        "/api/sessions/{uuid}/finish": {
            "post": _op(
                "Finish (completed) or stop (partial) a session.",
                _json(session, "The session."),
                params=[uuid],
                body=finish,
                errors=(400, 403, 404),
            )
        },
        "/api/sleep": {
            "get": _op(
                "Diary nights with their metrics.",
                _json({"type": "object"}, "Nights."),
                params=[
                    _query("start", "string", "First night."),
                    _query("end", "string", "Last night."),
                ],
            )
        },
        "/api/sleep/{night}": {
            "get": _op(
                "One night.", _json(night_out, "The night."), params=[night], errors=(400, 404)
            ),
            "put": _op(
                "Save a night (replacing it).",
                _json(night_out, "The night as saved."),
                params=[night],
                body=night_in,
                errors=(400, 403),
            ),
            "delete": {
                "summary": "Delete a night.",
                "parameters": [night],
                "responses": {"204": {"description": "Deleted."}, **_errors(400, 403, 404)},
            },
        },
        "/api/symptoms": {
            "get": _op(
                "The seven complaints and the day's scores.",
                _json({"type": "object"}, "Scores."),
                params=[_query("day", "string", "The day (default today).")],
            )
        },
        "/api/symptoms/{day}": {
            "put": _op(
                "Score complaints for a day: 0-10, or null to clear.",
                _json({"type": "object"}, "Scores."),
                params=[day],
                body=_obj(
                    {
                        k: {"type": ["integer", "null"], "minimum": 0, "maximum": 10}
                        for k in _SYMPTOM_KEYS
                    }
                    | {f"{k}_note": {"type": "string", "maxLength": 2000} for k in _SYMPTOM_KEYS}
                ),
                errors=(400, 403),
            )
        },
        "/api/today": {
            "get": _op(
                "Today's slots, streak and last night.",
                _json({"type": "object"}, "Today."),
                errors=(),
            )
        },
        "/api/settings": {
            "get": _op(
                "Slots, preferences and the safety acknowledgement.",
                _json(settings, "Settings."),
                errors=(),
            ),
            "put": _op(
                "Change settings; everything is checked before anything is stored.",
                _json(settings, "Settings as saved."),
                body=_obj(
                    {
                        "slots": {"type": "object"},
                        "preferences": _obj(
                            {
                                "options": options_schema,
                                "theme": {"enum": ["auto", "dark", "light"]},
                            }
                        ),
                        "safety_acknowledged": {"type": "boolean"},
                    }
                ),
                errors=(400, 403),
            ),
        },
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "anklesleep",
            "version": __version__,
            "description": "The local JSON API of the anklesleep web app. State-changing "
            "requests need the X-CSRF-Token header (the value of the page's csrf-token meta).",
        },
        "paths": paths,
        "components": {
            "schemas": {
                "Error": _obj(
                    {"error": {"type": "string"}, "field": {"type": ["string", "null"]}},
                    required=("error",),
                )
            }
        },
    }
