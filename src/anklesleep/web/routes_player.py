"""The player page, the rendered track files and the step pictures."""

from __future__ import annotations

import json
import re

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import Route

from anklesleep.basics import formats, paths
from anklesleep.basics.i18n import current_language, translator
from anklesleep.printouts.illustrations import FEET, STEPS
from anklesleep.services import sessions as sessions_service
from anklesleep.web import pictures
from anklesleep.web.context import render, web_of
from anklesleep.web.requests import OPTION_PARAMS, check_params, options_from
from anklesleep.web.routes_pages import needs_safety

_TRACK_ID = re.compile(r"^[0-9a-f]{16,64}$")
MEDIA_TYPES = {"mp3": "audio/mpeg", "opus": "audio/ogg", "wav": "audio/wav"}


def player(request: Request) -> Response:
    web = web_of(request)
    routine_id = request.path_params["routine"]
    params = request.query_params
    check_params(params, ("autoplay", *OPTION_PARAMS))
    routine = web.routines.get(routine_id)
    options = options_from(params, web.preferences().options)
    redirect = needs_safety(
        web, str(request.url.path) + (f"?{request.url.query}" if request.url.query else "")
    )
    if redirect is not None:
        return redirect
    t = translator()
    query = {k: v for k, v in params.items() if k in OPTION_PARAMS}
    resume = None
    left = sessions_service.resumable(web.engine, routine=routine.id, now=web.now())
    if left is not None and left.position_seconds is not None:
        extra = left.options.get("extra_circles") or {}
        if extra:
            query["extra_circles"] = ",".join(f"{foot}={extra.get(foot, 'none')}" for foot in FEET)
        resume = {
            "uuid": left.uuid,
            "position": left.position_seconds,
            "played": [list(pair) for pair in left.played],
            "planned": left.planned_seconds,
            "percent": left.percent_played,
            "label": t("Resume at %(at)s") % {"at": formats.duration(left.position_seconds)},
            "text": t("You stopped at %(at)s of %(total)s, %(percent)d %% played.")
            % {
                "at": formats.duration(left.position_seconds),
                "total": formats.duration(left.planned_seconds),
                "percent": left.percent_played,
            },
        }
    config = {
        "routine": routine.id,
        "name": t(routine.name),
        "query": query,
        "options": options.to_dict(),
        "resume": resume,
        "labels": {
            "left": t("Left foot"),
            "right": t("Right foot"),
            "toes": t("Toes"),
            "ankle": t("Ankle"),
            "heel": t("Heel"),
            "hold": t("hold"),
            "release": t("rest"),
            "circle": t("circle"),
            "tilt": t("tilt"),
            "seconds_left": t("seconds left in this step"),
            "next": t("Next"),
            "last": t("Last step"),
            "preparing": t("Preparing the audio…"),
            "ready": t("Ready when you are. Press play and put the phone down."),
            "adding": t("Adding five circles…"),
            "added": t("Five more circles added after the outward ones."),
            "failed": t("Could not prepare the audio"),
            "play": t("Play"),
            "pause": t("Pause"),
            "paused": t("Paused"),
            "more": t("show more"),
            "less": t("show less"),
            "position": t("%(at)s of %(total)s"),
            "nothing": t("Nothing was recorded: the session had not started."),
            "resume_at": t("Resume at %(at)s"),
            "left_at": t("You stopped at %(at)s of %(total)s, %(percent)d %% played."),
            "stopped": t(
                "Stopped at %(at)s. %(played)s played (%(percent)d %%), saved as a partial session."
            ),
            "done": t("%(steps)d steps done, %(played)s played."),
            "short": t(
                "You reached the end, with %(percent)d %% of it played: saved as a partial "
                "session. A session counts as done when at least 90 %% of its cues were played."
            ),
            "end_partial": t("You reached the end"),
            "streak": t("Days in a row with a finished session: %(streak)d."),
            "download_as": t("Download as %(format)s"),
            "smaller": t("%(format)s, the smaller file"),
            "waiting": t("Waiting for the audio…"),
            "no_sound": t("No sound is coming out — check your headphones or volume."),
            "load_failed": t(
                "The audio stopped loading — check the connection to the computer running "
                "anklesleep, then press Retry."
            ),
            "cannot_play": t(
                "No sound is coming out — this browser could not play the audio track."
            ),
            "interrupted": t(
                "The sound was paused by the phone (headphones out, a call or another app). "
                "Press Resume when you are ready."
            ),
            "retry": t("Retry"),
            "resume": t("Resume"),
        },
    }
    return render(
        request,
        "player.html",
        routine=routine,
        config=json.dumps(config, ensure_ascii=False).replace("</", "<\\/"),
    )


def chapters_file(request: Request, track_id: str) -> Response:
    """The track's chapters as WebVTT: made from the exact timeline when this server rendered
    it, else the file kept next to the cached track."""
    from anklesleep.audio.chapters import webvtt

    rendered = web_of(request).tracks.get(track_id) if _TRACK_ID.match(track_id) else None
    headers = {"cache-control": "private, max-age=86400"}
    if rendered is not None:
        text = webvtt(rendered.timeline, translator())
        return Response(text, media_type="text/vtt; charset=utf-8", headers=headers)
    cached = paths.cache_dir() / "tracks" / f"{track_id}.vtt"
    if _TRACK_ID.match(track_id) and cached.is_file():
        return FileResponse(cached, media_type="text/vtt; charset=utf-8", headers=headers)
    raise HTTPException(
        404, f"track: {track_id!r} is not ready; open the player again to prepare it"
    )


def track_file(request: Request) -> Response:
    web = web_of(request)
    track_id = request.path_params["track"]
    ext = request.path_params["ext"]
    if ext == "vtt":
        return chapters_file(request, track_id)
    valid = bool(_TRACK_ID.match(track_id)) and ext in MEDIA_TYPES
    rendered = web.tracks.get(track_id) if valid else None
    path, name = None, f"anklesleep.{ext}"
    if rendered is not None and rendered.path.suffix == f".{ext}":
        path, name = rendered.path, f"anklesleep-{rendered.timeline.routine_id}.{ext}"
    elif valid:
        # Rendered before this server started (a tab left open across a restart): tracks are
        # cached on disk under their id, so serve the file when it is still there.
        cached = paths.cache_dir() / "tracks" / f"{track_id}.{ext}"
        path = cached if cached.is_file() else None
    if path is None or not path.exists():
        raise HTTPException(
            404, f"track: {track_id!r} is not ready; open the player again to prepare it"
        )
    headers = {"cache-control": "private, max-age=86400"}
    if request.query_params.get("download") == "1":
        headers["content-disposition"] = f'attachment; filename="{name}"'
    return FileResponse(path, media_type=MEDIA_TYPES.get(ext), headers=headers)


def picture(request: Request) -> Response:
    step = request.path_params["step"]
    foot = request.path_params["foot"]
    if step not in STEPS or foot not in FEET:
        raise HTTPException(404, f"picture: no picture for step {step!r} on foot {foot!r}")
    return Response(
        pictures.picture(step, foot, current_language()),
        media_type="image/svg+xml",
        headers={"cache-control": "no-cache"},
    )


def picture_css(request: Request) -> Response:
    return Response(pictures.css(), media_type="text/css", headers={"cache-control": "no-cache"})


routes = [
    Route("/play/{routine}", player, name="player"),
    Route("/tracks/{track}.{ext}", track_file, name="track_file"),
    Route("/pictures/{step}/{foot}.svg", picture, name="picture"),
    Route("/illustrations.css", picture_css, name="picture_css"),
]
