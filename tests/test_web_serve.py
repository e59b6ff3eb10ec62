"""`anklesleep serve`: the address it prints, the token and QR code on a network, the port."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from anklesleep.cli import serve as serve_module
from anklesleep.services.access import TOKEN_KEY
from anklesleep.store import open_database
from anklesleep.store import settings as settings_store
from tests.cli_helpers import run_cli


class _Ran:
    def __init__(self) -> None:
        self.calls: list[Any] = []


@pytest.fixture
def no_server(monkeypatch: pytest.MonkeyPatch) -> _Ran:
    """Replace the blocking uvicorn server with a recorder."""
    import uvicorn

    ran = _Ran()

    def fake_run(self: Any, sockets: Any = None) -> None:
        ran.calls.append((self.config.app, sockets[0].getsockname()))

    monkeypatch.setattr(uvicorn.Server, "run", fake_run)
    return ran


def test_serve_prints_the_loopback_address(
    capsys: pytest.CaptureFixture[str], no_server: _Ran, tmp_path: Path
) -> None:
    result = run_cli(capsys, "--db", str(tmp_path / "a.sqlite3"), "serve", "--port", "0")
    assert result.code == 0
    _app, (host, port) = no_server.calls[0]
    assert host == "127.0.0.1"
    assert f"anklesleep is running at http://127.0.0.1:{port}/" in result.out
    assert "token" not in result.out


def test_serving_on_the_network_needs_a_token_shown_as_link_and_qr_code(
    capsys: pytest.CaptureFixture[str], no_server: _Ran, tmp_path: Path
) -> None:
    db = tmp_path / "a.sqlite3"
    result = run_cli(capsys, "--db", str(db), "serve", "--host", "0.0.0.0", "--port", "0")
    assert result.code == 0
    engine = open_database(db)
    with engine.connect() as conn:
        token = settings_store.get(conn, TOKEN_KEY)
    assert isinstance(token, str) and len(token) >= 16
    assert f"?token={token}" in result.out
    assert "▀" in result.out or "█" in result.out  # the QR code, drawn with blocks
    again = run_cli(capsys, "--db", str(db), "serve", "--host", "0.0.0.0", "--port", "0")
    assert f"?token={token}" in again.out  # the same link keeps working


def test_a_busy_port_is_a_one_line_error(
    capsys: pytest.CaptureFixture[str], no_server: _Ran, tmp_path: Path
) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = run_cli(capsys, "--db", str(tmp_path / "a.sqlite3"), "serve", "--port", str(port))
    assert result.code == 2
    assert result.err.startswith(f"anklesleep: error: --port: cannot listen on 127.0.0.1:{port}")


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("localhost", True),
        ("::1", True),
        ("0.0.0.0", False),
        ("192.168.1.4", False),
    ],
)
def test_loopback_hosts(host: str, loopback: bool) -> None:
    assert serve_module.is_loopback_host(host) is loopback


def test_urls() -> None:
    assert serve_module.url_for("127.0.0.1", 8000) == "http://127.0.0.1:8000/"
    assert serve_module.url_for("::1", 8000) == "http://[::1]:8000/"
    assert serve_module.url_for("192.168.1.4", 80, "abc") == "http://192.168.1.4:80/?token=abc"


def test_serve_stays_light_to_import() -> None:
    code = (
        "import sys, anklesleep.cli.serve; "
        "heavy = [m for m in ('uvicorn', 'starlette', 'sqlalchemy', 'segno') if m in sys.modules]; "
        "print(','.join(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
