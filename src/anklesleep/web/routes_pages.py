"""Pages: About and safety, and the first-run safety screen."""

from __future__ import annotations

from urllib.parse import quote

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from anklesleep.basics.i18n import translator
from anklesleep.routine import safety
from anklesleep.store import settings as settings_store
from anklesleep.web.context import SAFETY_KEY, Web, render, web_of
from anklesleep.web.requests import with_form


def about(request: Request) -> Response:
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


def safety_page(request: Request) -> Response:
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


def safety_acknowledge(request: Request, form: FormData) -> Response:
    web = web_of(request)
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
    Route("/about", about, name="about"),
    Route("/safety", safety_page, name="safety"),
    Route("/safety", with_form(safety_acknowledge), methods=["POST"], name="safety_acknowledge"),
]
