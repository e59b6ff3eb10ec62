"""Security middleware: host check, access token, CSRF, security headers."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine

from anklesleep.web.security import CSP, is_loopback
from tests.web_helpers import client, csrf, form_csrf

PAGES = ["/", "/about", "/settings", "/sleep", "/symptoms", "/history", "/safety"]


@pytest.mark.parametrize("path", [*PAGES, "/api/today", "/openapi.json", "/static/app.css"])
def test_every_response_carries_the_security_headers(
    engine: Engine, tmp_path: Path, path: str
) -> None:
    c, _ = client(engine, tmp_path)
    response = c.get(path)
    assert response.status_code == 200
    assert response.headers["content-security-policy"] == CSP
    assert CSP.startswith("default-src 'self'")
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["referrer-policy"] == "same-origin"


def test_pages_are_not_cached_but_static_files_revalidate(engine: Engine, tmp_path: Path) -> None:
    c, _ = client(engine, tmp_path)
    assert c.get("/").headers["cache-control"] == "no-store"
    assert c.get("/static/app.css").headers["cache-control"] == "no-cache"


def test_a_foreign_host_name_is_refused_on_loopback(engine: Engine, tmp_path: Path) -> None:
    c, _ = client(engine, tmp_path, base_url="http://evil.example:8000")
    response = c.get("/")
    assert response.status_code == 421
    assert "host: got 'evil.example'" in response.text


def test_localhost_is_accepted(engine: Engine, tmp_path: Path) -> None:
    c, _ = client(engine, tmp_path, base_url="http://localhost:8000")
    assert c.get("/").status_code == 200


def test_state_changes_without_the_csrf_token_are_refused(engine: Engine, tmp_path: Path) -> None:
    c, _ = client(engine, tmp_path)
    c.get("/")
    response = c.post("/api/sessions", json={"routine": "quick", "planned_seconds": 60})
    assert response.status_code == 403
    assert response.json()["field"] == "csrf_token"
    wrong = c.post(
        "/api/sessions",
        json={"routine": "quick", "planned_seconds": 60},
        headers={"x-csrf-token": "nope"},
    )
    assert wrong.status_code == 403
    form = c.post("/settings", data={"theme": "dark"})
    assert form.status_code == 403
    assert "csrf_token" in form.text


def test_the_token_in_a_form_field_or_header_is_accepted(engine: Engine, tmp_path: Path) -> None:
    c, _ = client(engine, tmp_path)
    ok = c.post("/api/sessions", json={"routine": "quick", "planned_seconds": 60}, headers=csrf(c))
    assert ok.status_code == 201
    form = c.post("/safety", data={"csrf_token": form_csrf(c), "next": "/"}, follow_redirects=False)
    assert form.status_code == 303


def test_a_request_from_another_origin_is_refused(engine: Engine, tmp_path: Path) -> None:
    c, _ = client(engine, tmp_path)
    headers = {**csrf(c), "origin": "http://evil.example"}
    response = c.put("/api/settings", json={}, headers=headers)
    assert response.status_code == 403
    assert "origin: got 'http://evil.example'" in response.json()["error"]


def test_first_visit_sets_an_httponly_samesite_csrf_cookie(engine: Engine, tmp_path: Path) -> None:
    c, _ = client(engine, tmp_path)
    cookie = c.get("/").headers["set-cookie"]
    assert cookie.startswith("anklesleep_csrf=")
    assert "HttpOnly" in cookie
    assert "SameSite=Strict" in cookie
    token = c.cookies["anklesleep_csrf"]
    assert f'name="csrf-token" content="{token}"' in c.get("/settings").text


def test_with_an_access_token_every_request_needs_it(engine: Engine, tmp_path: Path) -> None:
    c, _ = client(
        engine, tmp_path, token="s3cret-token-for-tests", base_url="http://192.168.1.9:8000"
    )
    denied = c.get("/")
    assert denied.status_code == 401
    assert "token: missing or wrong" in denied.text
    assert c.get("/api/today").json()["field"] == "token"
    assert c.get("/?token=wrong").status_code == 401
    signed = c.get("/history?token=s3cret-token-for-tests&x=1", follow_redirects=False)
    assert signed.status_code == 303
    assert signed.headers["location"] == "/history?x=1"
    assert "anklesleep_token=s3cret-token-for-tests" in signed.headers["set-cookie"]
    assert c.get("/").status_code == 200  # the cookie now carries it


def test_a_bearer_header_also_works(engine: Engine, tmp_path: Path) -> None:
    c, _ = client(engine, tmp_path, token="s3cret-token-for-tests", base_url="http://10.0.0.2:8000")
    response = c.get("/api/today", headers={"authorization": "Bearer s3cret-token-for-tests"})
    assert response.status_code == 200


def test_calendar_apps_subscribe_with_the_token_in_the_link(engine: Engine, tmp_path: Path) -> None:
    """Calendar apps keep no cookies: the feed answers the token link itself, no redirect."""
    c, _ = client(engine, tmp_path, token="s3cret-token-for-tests", base_url="http://10.0.0.2:8000")
    assert c.get("/calendar.ics", follow_redirects=False).status_code == 401
    assert c.get("/calendar.ics?token=wrong", follow_redirects=False).status_code == 401
    feed = c.get("/calendar.ics?token=s3cret-token-for-tests", follow_redirects=False)
    assert feed.status_code == 200
    assert feed.headers["content-type"].startswith("text/calendar")
    assert feed.text.startswith("BEGIN:VCALENDAR")
    assert "set-cookie" not in feed.headers or "anklesleep_token" not in feed.headers["set-cookie"]


def test_loopback_names() -> None:
    assert is_loopback("127.0.0.1")
    assert is_loopback("localhost")
    assert is_loopback("[::1]")
    assert not is_loopback("192.168.1.2")


def test_busy_responses_are_compressed_for_browsers(engine: Engine, tmp_path: Path) -> None:
    c, _ = client(engine, tmp_path)
    for path in ("/", "/api/timeline?routine=full", "/about", "/static/app.css"):
        packed = c.get(path, headers={"accept-encoding": "gzip"})
        assert packed.headers["content-encoding"] == "gzip", path
        plain = c.get(path, headers={"accept-encoding": "identity"})
        assert "content-encoding" not in plain.headers, path
        assert packed.content == plain.content  # httpx decompresses


def test_settings_show_a_subscription_link_with_the_token(engine: Engine, tmp_path: Path) -> None:
    c, _ = client(engine, tmp_path, token="s3cret-token-for-tests", base_url="http://10.0.0.2:8000")
    page = c.get("/settings?token=s3cret-token-for-tests").text
    assert "http://10.0.0.2:8000/calendar.ics?token=s3cret-token-for-tests" in page
