"""The web app: a Starlette application built from explicit route lists and ASGI middleware.

`create_app(engine)` serves the user's database on loopback; `token=` turns on the access
token for serving on a network. Pages are server-rendered Jinja templates with small vanilla
JavaScript modules; everything, including CSS and pictures, is served from this package.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlalchemy import Engine
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from anklesleep import __version__
from anklesleep.basics.errors import AnkleSleepError
from anklesleep.basics.i18n import translations
from anklesleep.diary.entries import QUALITY_LABELS
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
    utc_now,
)
from anklesleep.web.security import SecurityMiddleware

STATIC = Path(__file__).parent / "static"


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
    env.install_gettext_translations(translations(), newstyle=True)  # type: ignore[attr-defined]
    env.globals["version"] = __version__
    env.globals["quality_labels"] = QUALITY_LABELS
    env.filters["fmtnum"] = lambda number: f"{number:g}"
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


@contextlib.asynccontextmanager
async def _preparing(app: Starlette) -> AsyncIterator[None]:
    """Prepare the tracks in the background while the server runs."""
    preparer = app.state.preparer
    preparer.soon()
    yield
    preparer.close()


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
    routes = [
        *today.routes,
        *routes_pages.routes,
        *routes_player.routes,
        *routes_diary.routes,
        *routes_insights.routes,
        *routes_settings.routes,
        *api.routes,
        Mount("/static", app=Static(directory=STATIC), name="static"),
    ]
    app = Starlette(
        routes=routes,
        middleware=[
            Middleware(SecurityMiddleware, token=token, allowed_hosts=allowed_hosts),
            # pages, scripts, JSON and chart SVGs shrink 4-8x; audio is left alone
            Middleware(GZipMiddleware, minimum_size=1024, compresslevel=5),
        ],
        exception_handlers={AnkleSleepError: _user_error, HTTPException: _http_error},
        lifespan=_preparing if prepare_tracks else None,
    )
    app.state.web = Web(
        engine=engine,
        now=clock,
        renderer=renderer or real_renderer(),
        templates=_templates(),
        token=token,
    )
    if prepare_tracks:
        from anklesleep.web.prepare import Preparer

        app.state.preparer = Preparer(app.state.web)
    return app
