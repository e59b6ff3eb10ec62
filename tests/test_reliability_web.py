"""The web app under requests a careful attacker (or a broken client) would send: bounded
bodies, same-site redirects, signed CSRF tokens, headers on every answer, no note in a log."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy import Engine

from anklesleep.web import requests as web_requests
from anklesleep.web.security import HEADERS, MAX_REQUEST_BYTES
from tests.web_helpers import client, csrf

TOKEN = "s3cret-token-for-tests"


def has_security_headers(response: Any) -> bool:
    return all(response.headers.get(name) == value for name, value in HEADERS.items())


def test_a_signed_in_redirect_never_leaves_the_site(engine: Engine, tmp_path: Path) -> None:
    c, _ = client(engine, tmp_path, token=TOKEN, base_url="http://10.0.0.2:8000")
    for path in ("//evil.example/x", "/\\evil.example/x", "///evil.example"):
        c.cookies.clear()
        answer = c.get(f"http://10.0.0.2:8000{path}?token={TOKEN}", follow_redirects=False)
        assert answer.status_code == 303
        location = answer.headers["location"]
        assert location.startswith("/") and not location.startswith(("//", "/\\"))


def test_origin_null_and_unsigned_tokens_are_refused(engine: Engine, tmp_path: Path) -> None:
    c, _ = client(engine, tmp_path)
    body = {"routine": "quick", "planned_seconds": 60}
    null = c.post("/api/sessions", json=body, headers={**csrf(c), "origin": "null"})
    assert null.status_code == 403
    c.cookies.clear()
    c.cookies.set("anklesleep_csrf", "chosen-by-another-site")
    forged = c.post("/api/sessions", json=body, headers={"x-csrf-token": "chosen-by-another-site"})
    assert forged.status_code == 403
    c.cookies.clear()
    c.get("/about")
    ok = c.post("/api/sessions", json=body, headers={"x-csrf-token": c.cookies["anklesleep_csrf"]})
    assert ok.status_code == 201


def test_over_https_the_csrf_cookie_is_a_host_cookie(engine: Engine, tmp_path: Path) -> None:
    c, _ = client(engine, tmp_path, base_url="https://127.0.0.1:8443")
    cookie = c.get("/about").headers["set-cookie"]
    assert cookie.startswith("__Host-anklesleep_csrf=")
    assert "Secure" in cookie and "Path=/" in cookie and "Domain" not in cookie


def test_every_answer_carries_the_security_headers(engine: Engine, tmp_path: Path) -> None:
    lan, _ = client(engine, tmp_path, token=TOKEN, base_url="http://10.0.0.2:8000")
    assert has_security_headers(lan.get("/"))  # 401
    assert has_security_headers(lan.get(f"/?token={TOKEN}", follow_redirects=False))  # 303
    c, _ = client(engine, tmp_path)
    assert has_security_headers(c.post("/api/sessions", json={}))  # 403
    assert has_security_headers(c.get("/no/such/page"))  # 404
    other, _ = client(engine, tmp_path, base_url="http://evil.example:8000")
    assert has_security_headers(other.get("/"))  # 421


def test_a_track_render_needs_the_apps_own_header(engine: Engine, tmp_path: Path) -> None:
    c, renderer = client(engine, tmp_path)
    bare = c.get("/api/track?routine=quick", headers={"x-requested-with": ""})
    assert bare.status_code == 403
    assert renderer.calls == []
    assert c.get("/api/track?routine=quick").status_code == 200
    assert len(renderer.calls) == 1


def test_large_bodies_are_refused_before_they_are_read(engine: Engine, tmp_path: Path) -> None:
    c, _ = client(engine, tmp_path)
    declared = c.post(
        "/api/sessions",
        content=b"{" + b" " * (web_requests.MAX_BODY + 10) + b"}",
        headers={**csrf(c), "content-type": "application/json"},
    )
    assert declared.status_code == 400
    assert declared.json()["field"] == "body"
    chunks_sent = 0

    def stream() -> Iterator[bytes]:
        nonlocal chunks_sent
        for _ in range(200):  # 3.2 MB, past the JSON limit (the test client sends it whole)
            chunks_sent += 1
            yield b" " * 16_000

    streamed = c.post(
        "/api/sessions", content=stream(), headers={**csrf(c), "content-type": "application/json"}
    )
    assert streamed.status_code == 400
    huge = c.post(
        "/api/sessions",
        content=b"x",
        headers={
            **csrf(c),
            "content-type": "application/json",
            "content-length": str(MAX_REQUEST_BYTES + 1),
        },
    )
    assert huge.status_code == 413
    assert has_security_headers(huge)


@pytest.mark.parametrize(
    ("method", "path"),
    [("POST", "/api/sessions"), ("PUT", "/api/settings"), ("PUT", "/api/symptoms/2026-03-13")],
)
def test_deeply_nested_json_is_a_400(
    engine: Engine, tmp_path: Path, method: str, path: str
) -> None:
    c, _ = client(engine, tmp_path)
    for depth in (40, 980, 5000):
        body = b"[" * depth + b"]" * depth
        answer = c.request(
            method, path, content=body, headers={**csrf(c), "content-type": "application/json"}
        )
        assert answer.status_code == 400, (depth, answer.text)
        assert answer.json()["field"] == "body"


@pytest.mark.parametrize(
    "body",
    [
        {"preferences": {"options": "fast"}},
        {"preferences": {"options": [1]}},
        {"preferences": {"options": {"extra_circles": False}}},
        {"preferences": {"options": {"extra_circles": 0}}},
        {"preferences": {"options": {"extra_circles": [1]}}},
        {"slots": {"slots": {"home": {"time": 7}}}},
    ],
)
def test_bad_settings_are_a_400_not_a_500(
    engine: Engine, tmp_path: Path, body: dict[str, Any]
) -> None:
    c, _ = client(engine, tmp_path)
    answer = c.put("/api/settings", json=body, headers=csrf(c))
    assert answer.status_code == 400, answer.text
    assert c.get("/api/settings").status_code == 200


@pytest.mark.parametrize("extra", [False, 0, [1], "sideways"])
def test_bad_session_options_are_a_400(engine: Engine, tmp_path: Path, extra: Any) -> None:
    c, _ = client(engine, tmp_path)
    body = {"routine": "quick", "planned_seconds": 60, "options": {"extra_circles": extra}}
    assert c.post("/api/sessions", json=body, headers=csrf(c)).status_code == 400


def test_a_busy_database_is_a_503_and_no_note_reaches_the_log(
    engine: Engine,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    capfd: pytest.CaptureFixture[str],
) -> None:
    from anklesleep.store import diary as diary_store

    note = "planted note 51ab"
    c, _ = client(engine, tmp_path)

    def locked(*_args: Any, **_kwargs: Any) -> None:
        raise sa.exc.OperationalError(
            "INSERT INTO symptom_entries", {"note": note}, sqlite3.OperationalError("locked")
        )

    monkeypatch.setattr(diary_store, "save_symptoms", locked)
    with caplog.at_level(logging.DEBUG):
        api = c.put(
            "/api/symptoms/2026-03-13", json={"knee": 4, "knee_note": note}, headers=csrf(c)
        )
    assert api.status_code == 503
    assert api.headers["retry-after"]
    assert has_security_headers(api)
    assert note not in api.text
    out, err = capfd.readouterr()
    assert note not in out + err + caplog.text
    assert "database error (OperationalError)" in caplog.text


def test_any_other_failure_is_a_plain_500_with_the_headers(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from starlette.testclient import TestClient

    from anklesleep.web import api

    def broken(*_args: Any, **_kwargs: Any) -> None:
        raise RuntimeError("planted failure")

    c, _ = client(engine, tmp_path)
    monkeypatch.setattr(api, "_settings_json", broken)
    quiet = TestClient(c.app, base_url=str(c.base_url), raise_server_exceptions=False)
    answer = quiet.get("/api/settings")
    assert answer.status_code == 500
    assert "planted" not in answer.text
    assert has_security_headers(answer)


def test_the_access_token_can_be_renewed(engine: Engine) -> None:
    import datetime as dt

    from anklesleep.services.access import stored_token

    now = dt.datetime(2026, 3, 14, tzinfo=dt.UTC)
    first = stored_token(engine, now)
    assert stored_token(engine, now) == first
    renewed = stored_token(engine, now, renew=True)
    assert renewed != first
    assert stored_token(engine, now) == renewed
