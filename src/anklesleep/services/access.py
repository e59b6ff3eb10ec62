"""The web app's access token for the local network: made once, kept in settings, reused."""

from __future__ import annotations

import datetime as dt
import secrets

from sqlalchemy import Engine

from anklesleep.store import settings

TOKEN_KEY = "web_access_token"


def new_token() -> str:
    """A fresh random token, safe in a URL."""
    return secrets.token_urlsafe(24)


def stored_token(engine: Engine, now: dt.datetime) -> str:
    """The access token kept in settings (made once, reused so phone links keep working)."""
    with engine.begin() as conn:
        token = settings.get(conn, TOKEN_KEY)
        if not isinstance(token, str) or len(token) < 16:
            token = new_token()
            settings.put(conn, TOKEN_KEY, token, now)
    return token
