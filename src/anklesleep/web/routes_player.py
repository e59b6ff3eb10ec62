"""The player page, the rendered track files and the step pictures."""

from __future__ import annotations

import json
import re

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import Route

from anklesleep.basics import paths
from anklesleep.basics.i18n import translator
from anklesleep.printouts.illustrations import FEET, STEPS
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
    config = {
        "routine": routine.id,
        "name": t(routine.name),
        "query": query,
        "options": options.to_dict(),
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
        },
    }
    return render(
        request,
        "player.html",
        routine=routine,
        config=json.dumps(config, ensure_ascii=False).replace("</", "<\\/"),
    )


def track_file(request: Request) -> Response:
    web = web_of(request)
    track_id = request.path_params["track"]
    ext = request.path_params["ext"]
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
        pictures.picture(step, foot),
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
