"""Each request's language: the one chosen in Settings, else the browser's `Accept-Language`.

The language is set in a context variable for the request's own task (and the threads it
hands work to), so two requests in two languages never mix. Answers whose language came from
the header say so with `Vary: Accept-Language`, so a shared cache keeps them apart.
"""

from __future__ import annotations

from typing import Any

from babel import Locale, UnknownLocaleError
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from anklesleep.basics.i18n import SOURCE, available, set_language, supported
from anklesleep.store import language as language_store

#: a header longer than this is not read (a browser sends a few dozen characters)
MAX_HEADER = 1000
MAX_ITEMS = 40
#: the remembered Settings choice's key among the web app's remembered answers
KEY = ("language",)


def preferred(header: str) -> list[str]:
    """The language tags of an `Accept-Language` header, most wanted first (q-values honoured,
    `q=0` and malformed items dropped, ties kept in the header's order)."""
    ranked: list[tuple[float, int, str]] = []
    for index, item in enumerate(header[:MAX_HEADER].split(",")[:MAX_ITEMS]):
        tag, _sep, params = item.strip().partition(";")
        tag = tag.strip()
        if not tag or tag == "*" or not all(c.isalnum() or c == "-" for c in tag):
            continue
        quality = 1.0
        for param in params.split(";"):
            name, _eq, value = param.strip().partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value.strip())
                except ValueError:
                    quality = -1.0
        if 0 < quality <= 1:
            ranked.append((-quality, index, tag))
    return [tag for _q, _i, tag in sorted(ranked)]


def negotiate(header: str | None) -> str:
    """The offered language that best fits an `Accept-Language` header; English otherwise."""
    wanted = preferred(header or "")
    if not wanted:
        return SOURCE
    try:
        best = Locale.negotiate(wanted, list(available()), sep="-")
    except (UnknownLocaleError, ValueError):
        best = None
    if best is not None:
        return supported(str(best)) or SOURCE
    # Babel matches `ja-JP` to `ja` only through its alias table; match the base tag as well.
    for tag in wanted:
        match = supported(tag)
        if match:
            return match
    return SOURCE


class LanguageMiddleware:
    """Set the request's language before any view, template or error page runs."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        chosen = await _stored_choice(scope)
        from_header = chosen == language_store.AUTO
        if from_header:
            header = _header(scope, b"accept-language")
            language = negotiate(header)
        else:
            language = chosen
        set_language(language)
        scope.setdefault("state", {})["language"] = language
        if not from_header or scope.get("path", "").startswith("/static/"):
            await self.app(scope, receive, send)
            return

        async def send_varying(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = _with_vary(message)
            await send(message)

        await self.app(scope, receive, send_varying)


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key.lower() == name:
            return bytes(value).decode("latin-1")
    return None


def _with_vary(message: Message) -> Message:
    headers = list(message.get("headers", ()))
    for i, (key, value) in enumerate(headers):
        if key.lower() == b"vary":
            if b"accept-language" not in value.lower():
                headers[i] = (key, value + b", Accept-Language")
            break
    else:
        headers.append((b"vary", b"Accept-Language"))
    return {**message, "headers": headers}


async def _stored_choice(scope: Scope) -> str:
    """The language chosen in Settings (remembered until the database changes)."""
    app: Any = scope.get("app")
    web = getattr(getattr(app, "state", None), "web", None)
    if web is None:
        return language_store.AUTO

    def load() -> str:
        with web.engine.connect() as conn:
            return language_store.load(conn)

    known = web.memo.known(KEY)
    if isinstance(known, str):
        return known
    choice: str = await run_in_threadpool(web.memo.get, KEY, load)
    return choice
