"""The web app: a Starlette application built from explicit route lists and ASGI middleware.

`create_app(engine)` serves the user's database on loopback; `token=` turns on the access
token for serving on a network. Pages are server-rendered Jinja templates with small vanilla
JavaScript modules; everything, including CSS and pictures, is served from this package.
"""

from __future__ import annotations

import contextlib
import html
import logging
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from anklesleep import __version__
from anklesleep.basics import formats
from anklesleep.basics.errors import AnkleSleepError
from anklesleep.basics.i18n import _, current_language, ngettext, translator
from anklesleep.basics.wording import join_sentences
from anklesleep.diary.entries import QUALITY_LABELS
from anklesleep.services.access import csrf_secret
from anklesleep.store.failures import describe
from anklesleep.web import (
    api,
    routes_diary,
    routes_insights,
    routes_pages,
    routes_player,
    routes_settings,
    today,
)
from anklesleep.web.context import (
    TEMPLATES,
    Now,
    TrackRenderer,
    Web,
    real_renderer,
    render,
    render_here,
    utc_now,
)
from anklesleep.web.language import LanguageMiddleware
from anklesleep.web.security import HEADERS, SecurityMiddleware

STATIC = Path(__file__).parent / "static"
LOG = logging.getLogger("anklesleep.web")


class Static(StaticFiles):
    """Package files, revalidated by ETag on each visit (no build step, so no hashed names)."""

    def file_response(self, *args: Any, **kwargs: Any) -> Response:
        response = super().file_response(*args, **kwargs)
        response.headers["cache-control"] = "no-cache"
        return response


def _templates() -> Jinja2Templates:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(("html", "svg")),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        auto_reload=False,
        lstrip_blocks=True,
    )
    # the functions read the request's language each time a template calls them
    env.install_gettext_callables(_, ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.globals["current_language"] = current_language
    env.globals["version"] = __version__
    env.globals["quality_labels"] = QUALITY_LABELS
    env.filters["fmtnum"] = lambda number: f"{number:g}"
    # dates, times and durations in the request's language (see anklesleep.basics.formats)
    env.filters["day"] = lambda value: formats.day(value)
    env.filters["long_day"] = lambda value: formats.long_day(value)
    env.filters["day_month"] = lambda value: formats.day_month(value)
    env.filters["time24"] = formats.time_of_day
    env.filters["duration"] = lambda seconds: formats.duration(seconds)
    env.filters["hours_minutes"] = lambda minutes: formats.hours_minutes(minutes)
    # a length or a number that must not break across lines ("12分" / "8秒")
    env.filters["unbroken"] = lambda value: Markup('<span class="unbroken">{}</span>').format(value)
    # whole sentences as one paragraph, the way the language writes them (no space in Japanese)
    env.filters["sentences"] = lambda parts: Markup(
        join_sentences([str(escape(part)) for part in parts], translator())
    )
    return Jinja2Templates(env=env)


def _user_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, AnkleSleepError)
    if request.url.path.startswith("/api/"):
        return JSONResponse({"error": exc.message, "field": exc.field}, status_code=400)
    return render(request, "error.html", status_code=400, message=exc.message)


def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if request.url.path.startswith("/api/"):
        return JSONResponse(
            {"error": exc.detail, "field": None}, status_code=exc.status_code, headers=exc.headers
        )
    return render(request, "error.html", status_code=exc.status_code, message=exc.detail)


def _bare_page(request: Request, status: int, message: str) -> Response:
    """An answer that needs nothing from the database (which may be what failed)."""
    if request.url.path.startswith("/api/"):
        return JSONResponse({"error": message, "field": None}, status_code=status)
    title = html.escape(_("Something needs fixing"))
    page = (
        f'<!doctype html><html lang="{current_language()}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{title}</title></head><body><main><h1>{title}</h1>"
        f'<p role="alert">{html.escape(message)}</p>'
        '<p><a href="/">' + html.escape(_("Back to Today")) + "</a></p></main></body></html>"
    )
    return HTMLResponse(page, status_code=status)


def _database_error(request: Request, exc: Exception) -> Response:
    """503 (busy, try again) or 500, with one plain line and none of the values involved."""
    failure = describe(exc)
    status = 503 if failure.temporary else 500
    LOG.error("%s %s: database error (%s)", request.method, request.url.path, type(exc).__name__)
    response = _bare_page(request, status, failure.message)
    if failure.temporary:
        response.headers["retry-after"] = "2"
    return response


def _server_error(request: Request, exc: Exception) -> Response:
    """Any other failure: a plain 500 with the security headers (the traceback goes to the
    server's log by the server, without the request's body)."""
    if isinstance(exc, SQLAlchemyError | sqlite3.Error):
        response = _database_error(request, exc)
    else:
        response = _bare_page(
            request, 500, _("server: something went wrong; try again, or restart anklesleep")
        )
    response.headers.update({**HEADERS, "cache-control": "no-store"})
    return response


@contextlib.asynccontextmanager
async def _preparing(app: Starlette) -> AsyncIterator[None]:
    """Prepare the tracks in the background while the server runs."""
    preparer = app.state.preparer
    preparer.soon()
    yield
    preparer.close()


#: The API request asked most often (every player start and option change).
BUSIEST_API_PATH = "/api/timeline"


def create_app(
    engine: Engine,
    *,
    token: str | None = None,
    clock: Now = utc_now,
    renderer: TrackRenderer | None = None,
    allowed_hosts: tuple[str, ...] | None = None,
    prepare_tracks: bool = False,
) -> Starlette:
    """The whole web app over `engine` (already migrated).

    `clock` gives "now" (aware UTC); `renderer` renders audio tracks (the real audio engine by
    default); `token`, when given, is required on every request (serving on a network);
    `prepare_tracks` renders the tracks in the background at start and after option changes.
    """
    # routes are tried in order: the two busiest requests (Today and the timeline the player
    # asks for) come first, so they do not wait for thirty others to fail to match
    busiest = [r for r in api.routes if getattr(r, "path", None) == BUSIEST_API_PATH]
    routes = [
        *today.routes,
        *busiest,
        *routes_pages.routes,
        *routes_player.routes,
        *routes_diary.routes,
        *routes_insights.routes,
        *routes_settings.routes,
        *(r for r in api.routes if r not in busiest),
        Mount("/static", app=Static(directory=STATIC), name="static"),
    ]
    app = Starlette(
        routes=routes,
        middleware=[
            Middleware(
                SecurityMiddleware,
                token=token,
                allowed_hosts=allowed_hosts,
                csrf_secret=csrf_secret(engine, clock()),
            ),
            # pages, scripts, JSON and chart SVGs shrink 4-8x; audio and archives are left
            # alone (the app serves nothing else already compressed; a short list also spares
            # the middleware re-reading a long one on every request)
            Middleware(
                GZipMiddleware,
                minimum_size=1024,
                compresslevel=5,
                exclude_content_types=("audio/*", "application/zip", "application/gzip"),
            ),
            Middleware(LanguageMiddleware),
        ],
        exception_handlers={
            AnkleSleepError: _user_error,
            HTTPException: _http_error,
            SQLAlchemyError: _database_error,
            sqlite3.Error: _database_error,
            Exception: _server_error,
        },
        lifespan=_preparing if prepare_tracks else None,
    )
    app.state.web = Web(
        engine=engine,
        now=clock,
        # a track not cached yet is rendered in a child process: the server keeps no buffers
        renderer=renderer or real_renderer(elsewhere=render_here),
        templates=_templates(),
        token=token,
    )
    if prepare_tracks:
        from anklesleep.web.prepare import Preparer

        app.state.preparer = Preparer(app.state.web)
    return app
