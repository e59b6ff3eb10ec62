"""Tracks prepared ahead of time, so the player can start at once.

A first render takes seconds (the full routine over ten on a small machine). When the server
starts and whenever the saved options change, the track of every routine is rendered in one
background thread with the saved options, exactly as the player will ask for it; the player's
own request then finds it in the cache. Renders share one lock with the player's request, so
the two never render at the same time. With the real audio engine the mixing itself happens in
a child process (see `web.context.real_renderer`), so the server keeps none of its buffers.
"""

from __future__ import annotations

import logging
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from anklesleep.basics.i18n import current_language, using
from anklesleep.store import language as language_store
from anklesleep.web.context import Web
from anklesleep.web.requests import options_from, track_format

log = logging.getLogger(__name__)

#: one render at a time, whoever asks (the player or the preparer)
render_lock = threading.Lock()


def render(web: Web, routine: Any, options: Any, fmt: str) -> Any:
    """Render (or reuse) a track under the shared lock and remember it by id."""
    with render_lock:
        rendered = web.renderer(routine, options, fmt)
    web.remember_track(rendered.path.stem, rendered)
    return rendered


class Preparer:
    """Renders every routine's track with the saved options, in the background."""

    def __init__(self, web: Web) -> None:
        self.web = web
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="prepare-tracks")
        self.pending: Future[None] | None = None

    def soon(self) -> Future[None]:
        """Prepare the tracks after what is already queued (one queued run is enough)."""
        if self.pending is not None and not self.pending.running() and not self.pending.done():
            return self.pending
        # in the language of the request that asked (the tracks its player will want)
        self.pending = self.pool.submit(self._run, current_language())
        return self.pending

    def _run(self, language: str) -> None:
        with self.web.engine.connect() as conn:
            chosen = language_store.load(conn)
        with using(language if chosen == language_store.AUTO else chosen):
            self._render_all()

    def _render_all(self) -> None:
        options = options_from({}, self.web.preferences().options)
        for routine in self.web.routines.all().values():
            try:
                render(self.web, routine, options, track_format(None))
            except Exception:  # the player's own request will report the problem
                log.exception("preparing the %s track failed", routine.id)

    def close(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)


def prepare_soon(state: Any) -> None:
    """Ask the app's preparer, if it has one, to prepare the tracks again."""
    preparer = getattr(state, "preparer", None)
    if isinstance(preparer, Preparer):
        preparer.soon()
