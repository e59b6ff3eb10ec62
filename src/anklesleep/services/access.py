"""The web app's access token for the local network: made once, kept in settings, reused."""

from __future__ import annotations

import datetime as dt
import secrets

from sqlalchemy import Engine

from anklesleep.store import settings

TOKEN_KEY = "web_access_token"
CSRF_SECRET_KEY = "web_csrf_secret"


def new_token() -> str:
    """A fresh random token, safe in a URL."""
    return secrets.token_urlsafe(24)


def _kept(engine: Engine, key: str, now: dt.datetime, renew: bool = False) -> str:
    """The random text kept under `key`, made when missing, damaged or `renew` is asked."""
    with engine.begin() as conn:
        value = settings.get(conn, key)
        if renew or not isinstance(value, str) or len(value) < 16:
            value = new_token()
            settings.put(conn, key, value, now)
    return value


def stored_token(engine: Engine, now: dt.datetime, renew: bool = False) -> str:
    """The access token kept in settings (made once, reused so phone links keep working);
    `renew` replaces it, so every link and signed-in phone given the old one stops working."""
    return _kept(engine, TOKEN_KEY, now, renew)


def csrf_secret(engine: Engine, now: dt.datetime) -> bytes:
    """The secret that signs the web app's CSRF tokens (made once, kept in settings)."""
    return _kept(engine, CSRF_SECRET_KEY, now).encode()
