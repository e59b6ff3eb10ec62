"""`anklesleep serve` closes connections that hold it without finishing a request."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
#: the real command, with a short head deadline so the test does not wait long
SERVE = (
    "import sys; from anklesleep.cli import server_limits; server_limits.HEAD_SECONDS = 0.5; "
    "from anklesleep.cli import main; main(['--db', sys.argv[1], 'serve', '--port', '0'])"
)


@pytest.fixture
def port(tmp_path: Path) -> Iterator[int]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    server = subprocess.Popen(
        [sys.executable, "-c", SERVE, str(tmp_path / "a.sqlite3")],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    assert server.stdout is not None
    found = None
    for line in server.stdout:
        found = re.search(r"127\.0\.0\.1:(\d+)/", line)
        if found:
            break
    assert found is not None
    try:
        yield int(found.group(1))
    finally:
        server.terminate()
        server.wait(timeout=30)
        server.stdout.close()


def closed_by_server(sock: socket.socket) -> bool:
    """Whether the server closes the connection (the 60 s is only a safety net)."""
    sock.settimeout(60)
    try:
        return sock.recv(1024) == b""
    except ConnectionResetError:
        return True
    except TimeoutError:
        return False


def connect(port: int) -> socket.socket:
    for _attempt in range(300):
        try:
            return socket.create_connection(("127.0.0.1", port), timeout=5)
        except ConnectionRefusedError:
            import time

            time.sleep(0.1)
    raise AssertionError("the server never answered")


@pytest.mark.slow
def test_a_connection_that_never_finishes_its_head_is_closed(port: int) -> None:
    with connect(port) as silent:
        assert closed_by_server(silent)
    with connect(port) as slow:
        slow.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        assert closed_by_server(slow)


@pytest.mark.slow
def test_a_whole_request_is_answered(port: int) -> None:
    with connect(port) as sock:
        sock.sendall(f"GET /about HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode())
        sock.settimeout(30)
        assert sock.recv(64).startswith(b"HTTP/1.1 200")
