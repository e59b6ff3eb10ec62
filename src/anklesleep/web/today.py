"""Today, the page and `GET /api/today` (listed with the API's operations): both show
`anklesleep.services.today.load_today`."""

from __future__ import annotations

from collections.abc import Iterable

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from anklesleep.audio.playing import timeline_to_play
from anklesleep.basics import formats
from anklesleep.basics.i18n import current_language, translator
from anklesleep.routine import catalog as library
from anklesleep.routine.options import Options
from anklesleep.services.evidence import experiment_power_sentence
from anklesleep.services.today import TodayView, greeting, load_today
from anklesleep.web.context import Snapshot, Web, render, web_of
from anklesleep.web.memo import Packed, remembered
from anklesleep.web.requests import options_from


def current_today(web: Web, snap: Snapshot | None = None) -> TodayView:
    """Today for the user's zone and slots at the app clock's "now"."""
    snap = snap or web.snapshot()
    return load_today(web.engine, web.local_now(snap.slots), snap.slots, translator())


def routine_lengths(web: Web, saved: Options, also: Iterable[str] = ()) -> dict[str, str]:
    """The length of each built-in routine and of the routines `also` names (the slots' own,
    which may be the user's) as the player will play it: `m:ss` ("12分8秒").

    The player asks for its track with the user's `saved` options in the page's language
    (`requests.options_from`), which also picks the voice: so do these lengths, or a Japanese
    page would time an English voice reading Japanese.
    """
    options = options_from({}, saved)
    t = translator(options.language)
    routines = web.routines.all()
    wanted = dict.fromkeys([*library.BUILTIN_IDS, *also])
    return {
        rid: formats.duration(timeline_to_play(routines[rid], options, translate=t).total_seconds)
        for rid in wanted
        if rid in routines
    }


async def today_page(request: Request) -> Response:
    """Today is the busiest page (a phone opens it every time); it has no forms, so it carries
    no CSRF token and one rendering serves every visitor until the data or the minute changes."""
    web = web_of(request)

    def make() -> Packed:
        snap = web.snapshot()
        view = current_today(web, snap)
        local = web.local_now(snap.slots)
        page = render(
            request,
            "today.html",
            view=view,
            experiment=view.experiment,
            experiment_power=experiment_power_sentence(web.engine, view.day, translator()),
            lengths=routine_lengths(web, snap.prefs.options, (s.routine for s in view.slots)),
            # every routine's own name, the user's too (a slot may use one)
            names={rid: translator()(r.name) for rid, r in web.routines.all().items()},
            acknowledged=snap.acknowledged,
            greeting=greeting(local, view.day),
            snapshot=snap,
            csrf="",
        )
        return Packed.of(bytes(page.body))

    minute = web.now().strftime("%Y%m%d%H%M")
    # the data, the minute and the routine files (a slot may use one of the user's) are the key
    key = ("today", current_language(), minute, id(web.routines.all()))
    packed = await remembered(web.memo, key, make)
    return packed.response(request, "text/html; charset=utf-8")


def get_today(request: Request) -> Response:
    return JSONResponse(current_today(web_of(request)).to_dict())


routes = [
    Route("/", today_page, name="today"),
]
