"""Pages: Today, About and safety, and the first-run safety screen."""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from anklesleep import routines as library
from anklesleep import safety
from anklesleep.describe import clock
from anklesleep.i18n import translator
from anklesleep.store import diary as diary_store
from anklesleep.store import sessions as sessions_store
from anklesleep.store import settings as settings_store
from anklesleep.timeline import estimate_speech_seconds, expand
from anklesleep.web.context import SAFETY_KEY, Web, render, web_of
from anklesleep.web.today import TodayView, today_view

#: How far back Today looks for sessions (the streak is counted from these).
STREAK_WINDOW_DAYS = 400


def load_today(web: Web) -> TodayView:
    slots = web.slots()
    local = web.local_now(slots)
    records = sessions_store.list_sessions(
        web.engine, start=local.date() - dt.timedelta(days=STREAK_WINDOW_DAYS)
    )
    with web.engine.connect() as conn:
        night = diary_store.get_night(conn, local.date())
    return today_view(records, night, local, slots, translator())


def routine_lengths(web: Web) -> dict[str, str]:
    """Each built-in routine's length with the user's options, as `m:ss`."""
    options = web.preferences().options
    t = translator()
    return {
        rid: clock(expand(library.builtin(rid), options, estimate_speech_seconds, t).total_seconds)
        for rid in library.BUILTIN_IDS
    }


async def today(request: Request) -> Response:
    web = web_of(request)
    view = load_today(web)
    return render(
        request,
        "today.html",
        view=view,
        lengths=routine_lengths(web),
        acknowledged=web.safety_acknowledged(),
        local=web.local_now(),
    )


async def about(request: Request) -> Response:
    t = translator()
    full = library.builtin("full")
    quick = library.builtin("quick")
    return render(
        request,
        "about.html",
        notes=safety.notes(t),
        claim=t(safety.ABOUT),
        full=full,
        quick=quick,
    )


def safe_next(value: str | None) -> str:
    """Only same-site paths are followed after the safety screen (no open redirect)."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return "/"
    return value


async def safety_page(request: Request) -> Response:
    web = web_of(request)
    with web.engine.connect() as conn:
        acknowledged = settings_store.get(conn, SAFETY_KEY)
    return render(
        request,
        "safety.html",
        title=translator()(safety.TITLE),
        notes=safety.notes(translator()),
        claim=translator()(safety.ABOUT),
        next=safe_next(request.query_params.get("next")),
        acknowledged=acknowledged,
    )


async def safety_acknowledge(request: Request) -> Response:
    web = web_of(request)
    form = await request.form()
    target = safe_next(str(form.get("next") or "/"))
    with web.engine.begin() as conn:
        if settings_store.get(conn, SAFETY_KEY) is None:
            settings_store.put(conn, SAFETY_KEY, web.now().isoformat(), web.now())
    return RedirectResponse(target, status_code=303)


def needs_safety(web: Web, target: str) -> Response | None:
    """A redirect to the safety screen when the notes were never acknowledged."""
    if web.safety_acknowledged():
        return None
    return RedirectResponse("/safety?next=" + quote(target, safe="/?=&"), status_code=303)


routes = [
    Route("/", today, name="today"),
    Route("/about", about, name="about"),
    Route("/safety", safety_page, name="safety"),
    Route("/safety", safety_acknowledge, methods=["POST"], name="safety_acknowledge"),
]
