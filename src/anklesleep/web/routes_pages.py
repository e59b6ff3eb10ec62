"""Pages: Today, About and safety, and the first-run safety screen."""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote

from sqlalchemy import func, select
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from anklesleep.audio.playing import timeline_to_play
from anklesleep.basics.i18n import translator
from anklesleep.practice.records import SessionRecord
from anklesleep.routine import catalog as library
from anklesleep.routine import safety
from anklesleep.routine.descriptions import clock
from anklesleep.routine.options import Options
from anklesleep.services.evidence import experiment_today
from anklesleep.store import diary as diary_store
from anklesleep.store import sessions as sessions_store
from anklesleep.store import settings as settings_store
from anklesleep.store.tables import sessions as sessions_table
from anklesleep.web.cache import options_key
from anklesleep.web.context import SAFETY_KEY, Snapshot, Web, render, web_of
from anklesleep.web.packed import Packed
from anklesleep.web.today import TodayView, today_view

#: Today first reads this many days of sessions; only a streak that long reads further back.
RECENT_DAYS = 35
STREAK_WINDOW_DAYS = 800


def _sessions_since(web: Web, start: dt.date) -> list[SessionRecord]:
    """Sessions from `start`, reused while the session table is unchanged (one cheap query)."""
    with web.engine.connect() as conn:
        version = tuple(
            conn.execute(
                select(
                    func.count(),
                    func.max(sessions_table.c.id),
                    func.sum(sessions_table.c.completed_seconds),
                    func.count(sessions_table.c.ended_at),
                    func.max(sessions_table.c.local_date),
                ).where(sessions_table.c.local_date >= start)
            ).one()
        )

    def read() -> list[SessionRecord]:
        return sessions_store.list_sessions(web.engine, start=start)

    found = web.memo.get_or_make(("sessions", start, version), read)
    assert isinstance(found, list)
    return found


def load_today(web: Web, snap: Snapshot | None = None) -> TodayView:
    snap = snap or web.snapshot()
    local = web.local_now(snap.slots)
    records = _sessions_since(web, local.date() - dt.timedelta(days=RECENT_DAYS))
    with web.engine.connect() as conn:
        night = diary_store.get_night(conn, local.date())
    view = today_view(records, night, local, snap.slots, translator())
    if view.streak >= RECENT_DAYS - 1:  # a long streak: count it over the longer window
        older = _sessions_since(web, local.date() - dt.timedelta(days=STREAK_WINDOW_DAYS))
        view = today_view(older, night, local, snap.slots, translator())
    return view


def routine_lengths(web: Web, options: Options) -> dict[str, str]:
    """Each built-in routine's length with the user's options, as `m:ss`."""
    t = translator()
    routines = web.routines.all()

    def make() -> dict[str, str]:
        return {
            rid: clock(timeline_to_play(routines[rid], options, translate=t).total_seconds)
            for rid in library.BUILTIN_IDS
        }

    key = ("lengths", tuple(id(routines[r]) for r in library.BUILTIN_IDS), options_key(options))
    lengths = web.memo.get_or_make(key, make)
    assert isinstance(lengths, dict)
    return lengths


async def today(request: Request) -> Response:
    """Today, re-rendered only when the data or the local minute changes (it is the busiest
    page: a phone opens it every time). It has no forms, so it carries no CSRF token and the
    same bytes, compressed once, serve every visitor."""
    web = web_of(request)
    version = web.recent_version()
    snap = web.recent_snapshot()
    local = web.local_now(snap.slots)

    def make() -> Packed:
        view = load_today(web, snap)
        page = render(
            request,
            "today.html",
            view=view,
            experiment=experiment_today(web.engine, view.day),
            lengths=routine_lengths(web, snap.prefs.options),
            acknowledged=snap.acknowledged,
            local=local,
            snapshot=snap,
            csrf="",
        )
        return Packed.of(bytes(page.body))

    packed = web.memo.get_or_make(("today", version, local.strftime("%Y%m%d%H%M")), make)
    assert isinstance(packed, Packed)
    return packed.response(request, "text/html; charset=utf-8")


async def about(request: Request) -> Response:
    t = translator()
    routines = web_of(request).routines.all()
    full, quick = routines["full"], routines["quick"]
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
