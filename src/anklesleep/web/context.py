"""What every view needs: the database, the injected clock, the track renderer, the templates.

`Web` is kept on `app.state.web`; views reach it with `web_of(request)`. The clock returns an
aware UTC datetime and is injected, so tests pin "now" and no view reads the wall clock.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import zoneinfo
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Protocol

from sqlalchemy import Engine
from starlette.requests import Request
from starlette.responses import Response
from starlette.templating import Jinja2Templates

from anklesleep.basics.errors import AnkleSleepError
from anklesleep.basics.i18n import translator
from anklesleep.routine import safety
from anklesleep.routine.definition import Routine
from anklesleep.routine.options import Options
from anklesleep.routine.timeline import Timeline
from anklesleep.schedule import slots as schedule
from anklesleep.schedule.slots import SlotSettings
from anklesleep.store import preferences as prefs_store
from anklesleep.store import settings as settings_store
from anklesleep.store import slots as slots_store
from anklesleep.web.memo import DataVersion, Memo
from anklesleep.web.routines import Routines

Now = Callable[[], dt.datetime]
log = logging.getLogger(__name__)
TEMPLATES = Path(__file__).parent / "templates"
SAFETY_KEY = safety.SETTING
#: Local hours shown in the dark theme when the theme is "auto" (evening and night).
EVENING_FROM = dt.time(19, 0)
MORNING_FROM = dt.time(6, 30)
#: Rendered tracks remembered for their download links (the files stay in the track cache).
MAX_TRACKS = 32


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class RenderedTrackLike(Protocol):
    """What a rendered track offers the web app (see `anklesleep.audio.mixing.RenderedTrack`)."""

    @property
    def path(self) -> Path: ...

    @property
    def timeline(self) -> Timeline: ...


class TrackRenderer(Protocol):
    """The seam to the audio engine: render (or fetch from cache) one session's track."""

    def __call__(self, routine: Routine, options: Options, fmt: str) -> RenderedTrackLike: ...


#: A render run in a child process: (routine, options, format, voice) -> nothing.
ChildRender = Callable[[Routine, Options, str, str | None], None]


def real_renderer(
    voice: str | None = None, *, elsewhere: ChildRender | None = None
) -> TrackRenderer:
    """Render tracks with `anklesleep.audio.mixing` and the chosen (or default) voice engine.

    With `elsewhere` (the server passes `render_here`), a track that is not in the cache yet is
    rendered by `elsewhere` in a child process, spawned for that render and gone after it:
    mixing and the loudness meter hold hundreds of megabytes of buffers that a long-running
    server would otherwise keep. This process then reads the track from the cache. If the child
    fails, the track is rendered here, as without `elsewhere`.
    """

    def render(routine: Routine, options: Options, fmt: str) -> RenderedTrackLike:
        from anklesleep.audio import mixing as track
        from anklesleep.audio import voices

        engine = voices.engine_for(options, voice)
        t = translator(options.language)
        if elsewhere is not None and not track.is_cached(
            routine, options, engine=engine, fmt=fmt, translate=t
        ):
            try:
                in_child(elsewhere, routine, options, fmt, voice)
            except Exception:
                log.warning(
                    "rendering the %s track in a child process failed", routine.id, exc_info=True
                )
        rendered: RenderedTrackLike = track.render_track(
            routine, options, engine=engine, fmt=fmt, translate=t
        )
        return rendered

    return render


def render_here(routine: Routine, options: Options, fmt: str, voice: str | None) -> None:
    """Render a track into the cache in this process (what the child process runs)."""
    real_renderer(voice)(routine, options, fmt)


def in_child(job: Callable[..., object], *args: object) -> None:
    """Run `job(*args)` in a new child process (spawned: nothing of this process is shared).

    A plain process that runs the one job and exits, not a pool: a pool's worker waits for more
    work on a pipe, and if the server is killed meanwhile it would wait there for good, holding
    the server's output open. This child finishes its render into the cache and exits."""
    import multiprocessing

    child = multiprocessing.get_context("spawn").Process(target=job, args=args, daemon=False)
    child.start()
    child.join()
    if child.exitcode != 0:
        raise RuntimeError(f"the render process exited with status {child.exitcode}")


@dataclass(frozen=True)
class Snapshot:
    """The settings one request needs."""

    slots: SlotSettings
    prefs: prefs_store.Preferences
    acknowledged: bool


@dataclass
class Web:
    """Services shared by all views."""

    engine: Engine
    now: Now
    renderer: TrackRenderer
    templates: Jinja2Templates
    #: the access token when serving on a network (subscription links carry it)
    token: str | None = None
    #: rendered tracks by id (the file's stem), so downloads name a track, never a path
    tracks: OrderedDict[str, RenderedTrackLike] = field(default_factory=OrderedDict)
    _tracks_lock: threading.Lock = field(default_factory=threading.Lock)
    routines: Routines = field(default_factory=Routines)
    #: answers remembered until the database changes (see `anklesleep.web.memo`)
    memo: Memo = field(init=False)

    def __post_init__(self) -> None:
        self.memo = Memo(DataVersion(self.engine))

    def remember_track(self, track_id: str, rendered: RenderedTrackLike) -> None:
        """Keep a rendered track for its download link; the oldest are forgotten first."""
        with self._tracks_lock:
            self.tracks[track_id] = rendered
            self.tracks.move_to_end(track_id)
            while len(self.tracks) > MAX_TRACKS:
                self.tracks.popitem(last=False)

    def snapshot(self) -> Snapshot:
        """Slots, preferences and the safety acknowledgement, read in one query."""
        with self.engine.connect() as conn:
            stored = settings_store.get_all(conn)
            raw_slots = stored.get(slots_store.KEY)
            if isinstance(raw_slots, dict) and raw_slots.get("timezone"):
                try:
                    slots = schedule.from_dict(raw_slots)
                except AnkleSleepError:
                    slots = slots_store.load(conn)
            else:
                slots = slots_store.load(conn)
        try:
            prefs = prefs_store.from_mapping(stored.get(prefs_store.KEY))
        except AnkleSleepError:
            prefs = prefs_store.Preferences()
        return Snapshot(slots, prefs, stored.get(SAFETY_KEY) is not None)

    def local_now(self, slots: SlotSettings | None = None) -> dt.datetime:
        tz = (slots or self.slots()).timezone
        try:
            zone = zoneinfo.ZoneInfo(tz)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            zone = zoneinfo.ZoneInfo("UTC")
        return self.now().astimezone(zone)

    def slots(self) -> SlotSettings:
        with self.engine.connect() as conn:
            return slots_store.load(conn)

    def preferences(self) -> prefs_store.Preferences:
        with self.engine.connect() as conn:
            return prefs_store.load(conn)

    def safety_acknowledged(self) -> bool:
        with self.engine.connect() as conn:
            return settings_store.get(conn, SAFETY_KEY) is not None


def web_of(request: Request) -> Web:
    web: Web = request.app.state.web
    return web


def theme_for(choice: str, local: dt.time) -> Literal["dark", "light", "auto"]:
    """The theme to draw: the user's choice, else dark in the evening and at night.

    By day "auto" lets the system's light/dark preference decide (in CSS).
    """
    if choice in ("dark", "light"):
        return "dark" if choice == "dark" else "light"
    if local >= EVENING_FROM or local < MORNING_FROM:
        return "dark"
    return "auto"


def render(request: Request, name: str, status_code: int = 200, **context: Any) -> Response:
    """A page from `templates/`, with the theme, CSRF token and navigation filled in."""
    web = web_of(request)
    snap: Snapshot | None = context.pop("snapshot", None)
    if snap is None:
        snap = web.snapshot()
    slots, prefs = snap.slots, snap.prefs
    local = web.local_now(slots)
    base = {
        "theme": theme_for(prefs.theme, local.time()),
        "csrf": request.state.csrf,
        "path": request.url.path,
    }
    if "csrf" in context:  # a page without forms may leave the token out (to be remembered)
        base["csrf"] = context.pop("csrf")
    return web.templates.TemplateResponse(
        request, name, {**base, **context}, status_code=status_code
    )
