"""Pure ASGI middleware guarding the web app: host check, access token, CSRF, security headers.

- On loopback (the default) only loopback host names are served, which blocks DNS-rebinding
  pages from reaching the app through a browser.
- With an access token (serving on a network), every request carries it: once as `?token=` in
  the link shown by `anklesleep serve` (answered by a redirect that stores it in a cookie), then
  in that cookie or an `Authorization: Bearer` header.
- Every state-changing request carries the CSRF token (double-submit: a cookie, echoed in the
  `X-CSRF-Token` header by scripts or in the `csrf_token` field of a form), and a cross-origin
  `Origin` (including `null`) is refused. The token is signed with a secret kept in the
  settings, so a cookie planted by another site is not accepted; over HTTPS the cookie is a
  `__Host-` cookie.
- Requests that make the server work hard (rendering a track) must carry the app's own
  `X-Requested-With` header, which a page on another site cannot send (an `<img>` or a link
  sends no such header, and a script's would need a CORS permission the app never gives).
- Request bodies are counted as they arrive and refused past `MAX_REQUEST_BYTES`.
- Every response, errors and redirects included, gets `Content-Security-Policy: default-src
  'self'` and the usual headers.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Iterable
from urllib.parse import parse_qs, urlencode

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from anklesleep.services.access import new_token

CSRF_COOKIE = "anklesleep_csrf"
#: the same cookie over HTTPS: bound to this host, path / and secure connections only
SECURE_CSRF_COOKIE = "__Host-anklesleep_csrf"
APP_HEADER = "x-requested-with"
#: paths that render or compute a lot: only the app's own scripts may ask for them
EXPENSIVE_PATHS = frozenset({"/api/track"})
MAX_REQUEST_BYTES = 8_000_000
#: routes that take a whole file and stream it to disk themselves, with their own limit
UPLOAD_LIMITS = {"/sleep/import": 4 * 1024**3}
CSRF_HEADER = "x-csrf-token"
CSRF_FIELD = "csrf_token"
TOKEN_COOKIE = "anklesleep_token"
TOKEN_PARAM = "token"
#: Feeds that other programs subscribe to (calendar apps keep no cookies): a correct `?token=`
#: is accepted on the request itself instead of signing in with a redirect and a cookie.
FEED_PATHS = frozenset({"/calendar.ics"})
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1", "[::1]"})
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
MAX_FORM_BYTES = 1_000_000

CSP = (
    "default-src 'self'; img-src 'self' data:; media-src 'self' blob:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
HEADERS: dict[str, str] = {
    "content-security-policy": CSP,
    "x-content-type-options": "nosniff",
    # same-origin, not no-referrer: with no-referrer a browser sends `Origin: null` on the
    # pages' own form posts, and null is refused; other sites still get no referrer
    "referrer-policy": "same-origin",
    "x-frame-options": "DENY",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
}


#: the headers above, encoded once, plus "no-store" for responses that set no caching
_RAW_HEADERS = [
    (k.encode(), v.encode()) for k, v in {**HEADERS, "cache-control": "no-store"}.items()
]


def is_loopback(host: str) -> bool:
    return host in LOOPBACK_HOSTS or host.startswith("127.")


def _host_name(host_header: str) -> str:
    if host_header.startswith("["):
        return host_header.split("]")[0] + "]"
    return host_header.rsplit(":", 1)[0] if host_header.count(":") == 1 else host_header


def _cookies(headers: Headers) -> dict[str, str]:
    """Our cookies from the Cookie headers (plain name=value pairs; others are ignored)."""
    found: dict[str, str] = {}
    for raw in headers.getlist("cookie"):
        for part in raw.split(";"):
            name, sep, value = part.strip().partition("=")
            if sep and name in (CSRF_COOKIE, SECURE_CSRF_COOKIE, TOKEN_COOKIE):
                found[name] = value.strip().strip('"')
    return found


def _same(a: str | None, b: str | None) -> bool:
    return bool(a) and bool(b) and hmac.compare_digest(str(a), str(b))


def _cookie(name: str, value: str, *, http_only: bool = True, secure: bool = False) -> str:
    flags = "; HttpOnly" if http_only else ""
    flags += "; Secure" if secure else ""
    return f"{name}={value}; Path=/; SameSite=Strict{flags}"


def _signature(secret: bytes, nonce: str) -> str:
    digest = hmac.new(secret, nonce.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:18]).decode()


def signed_token(secret: bytes) -> str:
    """A new CSRF token: a random part and its HMAC under the server's secret."""
    nonce = new_token()
    return f"{nonce}.{_signature(secret, nonce)}"


def _well_signed(secret: bytes, token: str | None) -> bool:
    nonce, sep, signature = (token or "").partition(".")
    return bool(sep) and hmac.compare_digest(signature, _signature(secret, nonce))


def safe_location(path: str) -> str:
    """`path` as a location on this site: `//host/x` or `/\\host/x` would leave it."""
    return "/" + path.lstrip("/\\")


async def _plain(
    send: Send, status: int, message: str, *, api: bool, extra: Iterable[tuple[str, str]] = ()
) -> None:
    if api:
        body = json.dumps({"error": message, "field": message.split(":", 1)[0]}).encode()
        kind = b"application/json"
    else:
        body = message.encode()
        kind = b"text/plain; charset=utf-8"
    headers = [(b"content-type", kind), (b"content-length", str(len(body)).encode())]
    headers += [(k.encode(), v.encode()) for k, v in extra]
    headers += _RAW_HEADERS
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class SecurityMiddleware:
    """Host check, access token, CSRF and security headers for every HTTP request."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        token: str | None = None,
        allowed_hosts: Iterable[str] | None = None,
        csrf_secret: bytes | None = None,
    ) -> None:
        self.app = app
        self.token = token
        self.secret = csrf_secret or new_token().encode()
        # With a token the app is reachable by address on a network, so any Host is fine.
        self.allowed_hosts = None if token else frozenset(allowed_hosts or LOOPBACK_HOSTS)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        path: str = scope.get("path", "")
        api = path.startswith("/api/")
        host = _host_name(headers.get("host", ""))
        if self.allowed_hosts is not None and host not in self.allowed_hosts:
            await _plain(
                send,
                421,
                f"host: got {host!r}; open the app at http://127.0.0.1 or http://localhost",
                api=api,
            )
            return
        cookies = _cookies(headers)
        if self.token and not await self._authorised(scope, headers, cookies, send, api):
            return
        limit = UPLOAD_LIMITS.get(path, MAX_REQUEST_BYTES)
        length = headers.get("content-length", "0")
        if not length.isdigit() or int(length) > limit:
            await _too_large(send, api, limit)
            return
        receive = _counting(receive, limit)
        secure = scope.get("scheme") == "https"
        cookie_name = SECURE_CSRF_COOKIE if secure else CSRF_COOKIE
        csrf = cookies.get(cookie_name)
        fresh = None
        if not _well_signed(self.secret, csrf):
            csrf = fresh = signed_token(self.secret)
        scope.setdefault("state", {})["csrf"] = csrf
        method = scope["method"]
        if path in EXPENSIVE_PATHS and not headers.get(APP_HEADER):
            await _plain(
                send,
                403,
                f"{APP_HEADER}: missing; this address is for the app's own pages",
                api=api,
            )
            return
        if method not in SAFE_METHODS:
            origin = headers.get("origin")
            if origin is not None:
                expected = f"{scope.get('scheme', 'http')}://{headers.get('host', '')}"
                if origin != expected:
                    await _plain(
                        send,
                        403,
                        f"origin: got {origin!r}; requests must come from this app's own pages",
                        api=api,
                    )
                    return
            sent = headers.get(CSRF_HEADER)
            if sent is None:
                try:
                    sent, receive = await self._form_token(headers, receive)
                except BodyTooLarge:
                    await _too_large(send, api, limit)
                    return
            if fresh is not None or not _same(sent, csrf):
                await _plain(
                    send,
                    403,
                    f"{CSRF_FIELD}: missing or out of date; reload the page and try again",
                    api=api,
                )
                return
        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                raw = list(message.get("headers", []))
                present = {name.lower() for name, _value in raw}
                raw += [item for item in _RAW_HEADERS if item[0] not in present]
                if fresh is not None:
                    cookie = _cookie(cookie_name, fresh, secure=secure)
                    raw.append((b"set-cookie", cookie.encode()))
                message = {**message, "headers": raw}
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except BodyTooLarge:
            if started:
                raise
            await _too_large(send, api, limit)

    async def _authorised(
        self, scope: Scope, headers: Headers, cookies: dict[str, str], send: Send, api: bool
    ) -> bool:
        assert self.token is not None
        if _same(cookies.get(TOKEN_COOKIE), self.token):
            return True
        auth = headers.get("authorization", "")
        if auth.lower().startswith("bearer ") and _same(auth[7:].strip(), self.token):
            return True
        query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        given = query.pop(TOKEN_PARAM, [None])[0]
        if _same(given, self.token) and scope["method"] in SAFE_METHODS:
            if scope.get("path") in FEED_PATHS:
                return True
            rest = urlencode(query, doseq=True)
            location = safe_location(scope.get("path", "/")) + (f"?{rest}" if rest else "")
            await _plain(
                send,
                303,
                "Signed in; continue to the app.",
                api=False,
                extra=[("location", location), ("set-cookie", _cookie(TOKEN_COOKIE, self.token))],
            )
            return False
        await _plain(
            send,
            401,
            "token: missing or wrong; open the link (or scan the QR code) shown by "
            "`anklesleep serve`",
            api=api,
        )
        return False

    async def _form_token(self, headers: Headers, receive: Receive) -> tuple[str | None, Receive]:
        """The `csrf_token` field of an urlencoded form (the only kind the pages send), and a
        replaying receive."""
        kind = headers.get("content-type", "")
        if not kind.startswith("application/x-www-form-urlencoded"):
            return None, receive
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > MAX_FORM_BYTES:
                return None, receive
            chunks.append(chunk)
            more = message.get("more_body", False)
        body = b"".join(chunks)
        token = parse_qs(body.decode("utf-8", "replace")).get(CSRF_FIELD, [None])[0]
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        return token, replay


class BodyTooLarge(Exception):
    """A request body grew past `MAX_REQUEST_BYTES` while it was being read."""


def _counting(receive: Receive, limit: int) -> Receive:
    """`receive`, refusing a body once more than `limit` bytes have arrived."""
    size = 0

    async def counted() -> Message:
        nonlocal size
        message = await receive()
        if message["type"] == "http.request":
            size += len(message.get("body", b""))
            if size > limit:
                raise BodyTooLarge
        return message

    return counted


async def _too_large(send: Send, api: bool, limit: int = MAX_REQUEST_BYTES) -> None:
    await _plain(
        send,
        413,
        f"body: larger than {limit} bytes; send less",
        api=api,
        extra=[("connection", "close")],
    )
