"""Reading request input (query strings and JSON bodies) into the core's values, strictly."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from anklesleep.basics.errors import AnkleSleepError
from anklesleep.basics.i18n import _, current_language
from anklesleep.routine.options import OPTION_NAMES, Options, validate

#: Option names accepted in query strings (`/api/timeline?routine=quick&tempo=0.5`).
OPTION_PARAMS = (*OPTION_NAMES, "voice", "speaker", "speech_rate", "bed")
FORMATS = ("mp3", "opus", "wav")
MAX_BODY = 64_000
#: JSON bodies nest at most this deep (the deepest the API documents is 4)
MAX_JSON_DEPTH = 32


def truthy(field: str, value: object) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("1", "true", "yes", "on"):
        return True
    if text in ("0", "false", "no", "off"):
        return False
    raise AnkleSleepError(
        _("{field}: got {value!r}; use true or false").format(field=field, value=value), field=field
    )


def options_from(params: Mapping[str, Any], base: Options) -> Options:
    """`base` (the user's saved defaults) with the options given in `params` changed, in the
    request's language (or the one `params` names)."""
    merged = base.to_dict()
    merged["language"] = params.get("language") or current_language()
    for name in OPTION_PARAMS:
        if name not in params:
            continue
        value = params[name]
        if name == "voice":
            merged[name] = truthy(name, value)
        elif name == "extra_circles":
            merged[name] = value
        else:
            merged[name] = None if value in ("", None) else value
    if isinstance(merged.get("tempo"), type(None)):
        merged["tempo"] = 1.0
    return validate(**merged)


def check_params(params: Mapping[str, Any], allowed: tuple[str, ...]) -> None:
    for key in params:
        if key not in allowed:
            raise AnkleSleepError(
                _("{key}: unknown parameter; allowed: {allowed}").format(
                    key=key, allowed=", ".join(allowed)
                ),
                field=key,
            )


def track_format(value: str | None) -> str:
    fmt = value or "mp3"
    if fmt not in FORMATS:
        raise AnkleSleepError(
            _("fmt: got {fmt!r}; use one of {formats}").format(fmt=fmt, formats=", ".join(FORMATS)),
            field="fmt",
        )
    return fmt


async def json_body(request: Request) -> dict[str, Any]:
    """The request's JSON object, or one clear error."""
    kind = request.headers.get("content-type", "")
    if not kind.startswith("application/json"):
        raise AnkleSleepError(
            _("content-type: got {value!r}; send application/json").format(value=kind or "nothing"),
            field="content-type",
        )
    raw = await limited_body(request, MAX_BODY)
    depth = json_depth(raw)
    if depth > MAX_JSON_DEPTH:
        raise AnkleSleepError(
            _("body: nested {depth} levels deep; send at most {limit}").format(
                depth=depth, limit=MAX_JSON_DEPTH
            ),
            field="body",
        )
    try:
        data = json.loads(raw or b"null")
    except (ValueError, UnicodeDecodeError) as exc:
        raise AnkleSleepError(
            _("body: not valid JSON ({exc}); send a JSON object").format(exc=exc), field="body"
        ) from None
    except RecursionError:
        raise AnkleSleepError(
            _("body: nested too deeply to read; send a flat JSON object as documented"),
            field="body",
        ) from None
    if not isinstance(data, dict):
        raise AnkleSleepError(
            _("body: got {kind}; send a JSON object").format(kind=type(data).__name__), field="body"
        )
    return data


async def limited_body(request: Request, limit: int) -> bytes:
    """The request body, refused as soon as it is known to exceed `limit` bytes (from its
    declared length, else while it streams in), so a huge body is never held in memory."""

    def too_big(size: int | str) -> AnkleSleepError:
        return AnkleSleepError(
            _("body: got {size} bytes; send at most {max_body}").format(size=size, max_body=limit),
            field="body",
        )

    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise too_big(int(declared))
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise too_big(_("more than {limit}").format(limit=limit))
        chunks.append(chunk)
    return b"".join(chunks)


def json_depth(raw: bytes) -> int:
    """How deeply arrays and objects nest in a JSON text (strings are skipped), without parsing
    it, so a deeply nested body is refused before the parser recurses."""
    depth = deepest = 0
    in_string = escaped = False
    for byte in raw:
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:  # backslash
                escaped = True
            elif byte == 0x22:  # quote
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in (0x5B, 0x7B):  # [ {
            depth += 1
            deepest = max(deepest, depth)
        elif byte in (0x5D, 0x7D):  # ] }
            depth -= 1
    return deepest


def number(data: Mapping[str, Any], field: str, low: float, high: float) -> float:
    value = data.get(field)
    if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
        raise AnkleSleepError(
            _("{field}: got {value!r}; expected a number from {low:g} to {high:g}").format(
                field=field, value=value, low=low, high=high
            ),
            field=field,
        )
    return float(value)


def string_list(data: Mapping[str, Any], field: str, max_items: int = 500) -> list[str]:
    value = data.get(field, [])
    if (
        not isinstance(value, list)
        or len(value) > max_items
        or not all(isinstance(v, str) and 0 < len(v) <= 80 for v in value)
    ):
        raise AnkleSleepError(
            _("{field}: got {value!r}; expected a list of short step names").format(
                field=field, value=str(value)[:60]
            ),
            field=field,
        )
    return value


def with_json_body(
    handler: Callable[[Request, dict[str, Any]], Response],
) -> Callable[[Request], Awaitable[Response]]:
    """An endpoint that reads the JSON body on the event loop, then runs `handler` (which may
    block on the database) in the thread pool."""

    async def endpoint(request: Request) -> Response:
        data = await json_body(request)
        return await run_in_threadpool(handler, request, data)

    endpoint.__name__ = handler.__name__
    endpoint.__doc__ = handler.__doc__
    return endpoint


def with_form(
    handler: Callable[[Request, FormData], Response],
) -> Callable[[Request], Awaitable[Response]]:
    """An endpoint that reads the submitted form on the event loop, then runs `handler` (which
    may block on the database) in the thread pool."""

    async def endpoint(request: Request) -> Response:
        form = await request.form()
        return await run_in_threadpool(handler, request, form)

    endpoint.__name__ = handler.__name__
    endpoint.__doc__ = handler.__doc__
    return endpoint
