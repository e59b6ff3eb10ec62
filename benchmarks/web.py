"""Web app speed: latency and throughput of Today and the timeline API under 32 clients.

Serves the app with uvicorn in a subprocess on a free loopback port (a database seeded with
two months of sessions and nights), and a minimal ASGI hello-world served the same way, then
drives each with 32 concurrent keep-alive clients written on raw asyncio streams (so the
client costs as little as possible). Prints p50/p99 latency and requests per second next to
the hello-world's, the bytes each page transfers (HTML, CSS, scripts, pictures, API JSON;
not the audio track; compressed as a browser receives them), the server's resident
memory after the load, and the time until the player can play a cold and a warm track
(`python benchmarks/web.py playable` measures only that). A third server, the same app with
nothing remembered (`web.memo` switched off), is measured beside them: the remembered
answers are kept only because these rows show what they save.

Goals: p99 under 25 ms for both, at least a third of the hello-world throughput, every page
under 150 KB, resident memory under 150 MB.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import gzip
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

CLIENTS = 32
REQUESTS_PER_CLIENT = 60
WARMUP = 100
#: Each target is measured this many times, interleaved, and its best round is reported:
#: on a shared machine, other work only ever makes a round slower.
ROUNDS = 3

SERVER = """
import datetime as dt, sys, uvicorn
from anklesleep.store import open_database
from anklesleep.web.app import create_app
engine = open_database(sys.argv[1])
app = create_app(engine)
uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[2]), log_level="warning", access_log=False)
"""

#: The same app with nothing remembered (every answer computed afresh): what `web.memo` saves.
UNREMEMBERED = SERVER.replace(
    "from anklesleep.web.app import create_app",
    "from anklesleep.web import memo\n"
    "memo.DataVersion.current = lambda self: None\n"
    "from anklesleep.web.app import create_app",
)

HELLO = """
import sys, uvicorn
async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    await send({"type": "http.response.start", "status": 200,
                "headers": [(b"content-type", b"text/plain"), (b"content-length", b"5")]})
    await send({"type": "http.response.body", "body": b"hello"})
uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[2]), log_level="warning", access_log=False)
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def seed(db: Path) -> None:
    """Two months of sessions and diary nights, so Today and History have real work to do."""
    from anklesleep.diary.entries import SleepEntry
    from anklesleep.practice.records import new_record
    from anklesleep.schedule.slots import SlotSettings
    from anklesleep.store import diary, open_database, sessions, settings, slots

    engine = open_database(db)
    now = dt.datetime.now(dt.UTC)
    with engine.begin() as conn:
        slots.save(conn, SlotSettings(timezone="UTC"), now)
        settings.put(conn, "safety_acknowledged_at", now.isoformat(), now)
        for back in range(60):
            day = now.date() - dt.timedelta(days=back)
            diary.save_night(
                conn,
                SleepEntry(
                    day,
                    dt.time(23, 0),
                    dt.time(23, 10),
                    15,
                    1,
                    10,
                    dt.time(6, 50),
                    dt.time(7, 5),
                    3 + back % 3,
                ),
                now,
            )
    for back in range(60):
        for hour in (7, 22):
            start = (now - dt.timedelta(days=back)).replace(hour=hour, minute=5)
            record = new_record(
                routine="full", local_start=start, planned_seconds=600, source="web"
            )
            finished = dataclasses.replace(
                record,
                completed=True,
                ended_at=start,
                completed_seconds=600,
                steps_done=("T1 (left)",),
            )
            with engine.begin() as conn:
                sessions.start_session(conn, finished)
    engine.dispose()


def start(code: str, db: Path, env: dict[str, str]) -> tuple[subprocess.Popen[bytes], int]:
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-c", code, str(db), str(port)], env=env)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return proc, port
        except OSError:
            time.sleep(0.05)
    proc.kill()
    raise SystemExit("server did not start")


async def _client(port: int, path: str, count: int, latencies: list[float]) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    # like a browser after its first visit: it sends back the CSRF cookie it was given and
    # accepts compressed answers
    request = (
        f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
        f"Cookie: anklesleep_csrf=benchmark-client-{id(latencies)}\r\n"
        "Accept-Encoding: gzip\r\n\r\n"
    ).encode()
    try:
        for _ in range(count):
            began = time.perf_counter()
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            length = int(re.search(rb"(?i)content-length: *(\d+)", head).group(1))  # type: ignore[union-attr]
            await reader.readexactly(length)
            latencies.append(time.perf_counter() - began)
            if not head.startswith(b"HTTP/1.1 200"):
                raise SystemExit(f"{path}: {head.splitlines()[0]!r}")
    finally:
        writer.close()


async def _load(port: int, path: str, per_client: int) -> tuple[list[float], float]:
    latencies: list[float] = []
    began = time.perf_counter()
    await asyncio.gather(*(_client(port, path, per_client, latencies) for _ in range(CLIENTS)))
    return latencies, time.perf_counter() - began


def measure(port: int, path: str) -> tuple[float, float, float]:
    """p50 and p99 latency (ms) and requests per second."""
    asyncio.run(_load(port, path, max(1, WARMUP // CLIENTS)))
    latencies, elapsed = asyncio.run(_load(port, path, REQUESTS_PER_CLIENT))
    latencies.sort()
    p50 = statistics.median(latencies) * 1000
    p99 = latencies[int(len(latencies) * 0.99) - 1] * 1000
    return p50, p99, len(latencies) / elapsed


def fetch(url: str) -> tuple[bytes, int]:
    """The body (decompressed) and the bytes that crossed the wire, as a browser gets them."""
    headers = {"Accept-Encoding": "gzip", "X-Requested-With": "anklesleep"}  # as api.js sends
    request = urllib.request.Request(url, headers=headers)
    with urllib.request.urlopen(request, timeout=120) as response:
        raw: bytes = response.read()
        packed = response.headers.get("content-encoding") == "gzip"
    return (gzip.decompress(raw) if packed else raw), len(raw)


def page_bytes(base: str, path: str) -> tuple[int, int]:
    """Bytes a page transfers (HTML and everything it loads except the audio), and files."""
    seen: set[str] = set()
    total = 0

    def get(url: str) -> bytes:
        nonlocal total
        if url in seen:
            return b""
        seen.add(url)
        body, wire = fetch(base + url)
        total += wire
        return body

    html = get(path).decode()
    for ref in re.findall(r'(?:src|href)="(/(?:static|illustrations|insights/)[^"]*)"', html):
        body = get(ref)
        if ref.endswith(".js"):
            for module in re.findall(rb'from "\./([\w.-]+\.js)"', body):
                get("/static/" + module.decode())
    if path.startswith("/play/"):
        import json

        track = json.loads(get(f"/api/track?routine={path.rsplit('/', 1)[1]}"))
        for cue in track["timeline"]["cues"]:
            if cue["step"] and cue["foot"]:
                get(f"/pictures/{cue['step']}/{cue['foot']}.svg")
    return total, len(seen)


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


PAGES = (
    "/",
    "/play/full",
    "/play/quick",
    "/sleep",
    "/symptoms",
    "/history",
    "/settings",
    "/about",
    "/safety",
    "/insights",
)


def main() -> None:
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "ANKLESLEEP_HOME": home}
        os.environ["ANKLESLEEP_HOME"] = home
        db = Path(home) / "bench.sqlite3"
        seed(db)
        app, app_port = start(SERVER, db, env)
        hello, hello_port = start(HELLO, db, env)
        plain, plain_port = start(UNREMEMBERED, db, env)
        try:
            print(
                f"web: {CLIENTS} concurrent keep-alive clients, {REQUESTS_PER_CLIENT} requests "
                f"each, best of {ROUNDS} interleaved rounds; {os.cpu_count()} CPUs, "
                f"load average {os.getloadavg()[0]:.1f}"
            )
            targets = {
                "hello-world ASGI (baseline)": (hello_port, "/"),
                "Today page  /": (app_port, "/"),
                "timeline API": (app_port, "/api/timeline?routine=full"),
                "Today, nothing remembered": (plain_port, "/"),
                "timeline, nothing remembered": (plain_port, "/api/timeline?routine=full"),
            }
            best: dict[str, tuple[float, float, float]] = {}
            for _ in range(ROUNDS):
                for name, (port, path) in targets.items():
                    result = measure(port, path)
                    if name not in best or result[2] > best[name][2]:
                        best[name] = result
            print(f"{'target':<28}{'p50 ms':>9}{'p99 ms':>9}{'req/s':>9}{'vs hello':>10}")
            hrps = best["hello-world ASGI (baseline)"][2]
            ok = True
            for name, (p50, p99, rps) in best.items():
                ratio = rps / hrps
                if not name.startswith("hello") and "nothing remembered" not in name:
                    ok &= p99 < 25 and ratio >= 1 / 3
                print(f"{name:<28}{p50:>9.2f}{p99:>9.2f}{rps:>9.0f}{ratio:>10.2f}")
            print("goal: p99 < 25 ms and >= 0.33 of the hello-world throughput")
            print("(the two 'nothing remembered' rows show what remembering answers saves)")
            loaded_rss = rss_mb(app.pid)
            print()
            print(f"{'page (no audio)':<28}{'bytes':>10}{'files':>7}")
            base = f"http://127.0.0.1:{app_port}"
            for path in PAGES:
                size, files = page_bytes(base, path)
                ok &= size < 150_000
                print(f"{path:<28}{size:>10}{files:>7}")
            print("goal: every page < 150 KB")
            rss = rss_mb(app.pid)
            ok &= loaded_rss < 150
            print(
                f"\nserver resident memory after the load: {loaded_rss:.1f} MB (goal < 150 MB); "
                f"after also rendering both tracks and the Insights charts: {rss:.1f} MB; "
                f"hello-world: {rss_mb(hello.pid):.1f} MB"
            )
            print("all goals met" if ok else "SOME GOALS MISSED")
        finally:
            for proc in (app, hello, plain):
                proc.terminate()
                proc.wait(timeout=10)


def _playable(base: str, routine: str) -> float:
    """Seconds from asking for a routine's track to holding its first audio bytes: what the
    player waits for before Play works (the page and scripts themselves load in milliseconds)."""
    import json

    began = time.perf_counter()
    asked = urllib.request.Request(
        f"{base}/api/track?routine={routine}", headers={"X-Requested-With": "anklesleep"}
    )
    with urllib.request.urlopen(asked, timeout=600) as answer:
        track = json.loads(answer.read())
    ask = urllib.request.Request(base + track["audio_url"], headers={"Range": "bytes=0-65535"})
    with urllib.request.urlopen(ask, timeout=60) as audio:
        audio.read()
    return time.perf_counter() - began


def time_to_playable() -> None:
    """Time until the player can play, for a cold track cache (the first render) and a warm
    one (the same track again), each routine, on a server of its own with an empty cache."""
    print("\ntime to playable (track answer + first 64 KB of audio), seconds")
    print(f"{'routine':<10}{'cold':>9}{'warm':>9}{'warm/cold':>11}")
    for routine in ("quick", "full"):
        with tempfile.TemporaryDirectory() as home:
            env = {**os.environ, "ANKLESLEEP_HOME": home}
            db = Path(home) / "bench.sqlite3"
            saved = os.environ.get("ANKLESLEEP_HOME")
            os.environ["ANKLESLEEP_HOME"] = home
            try:
                seed(db)
            finally:
                if saved is None:
                    del os.environ["ANKLESLEEP_HOME"]
                else:
                    os.environ["ANKLESLEEP_HOME"] = saved
            proc, port = start(SERVER, db, env)
            try:
                base = f"http://127.0.0.1:{port}"
                cold = _playable(base, routine)
                warm = min(_playable(base, routine) for _ in range(3))
            finally:
                proc.terminate()
                proc.wait(timeout=10)
        print(f"{routine:<10}{cold:>9.2f}{warm:>9.3f}{warm / cold:>11.4f}")
    print("goal: warm < 1 s; the server renders both tracks in the background when it starts")
    print("and when the options change (`anklesleep serve`), so a person rarely waits for cold")


if __name__ == "__main__":
    if sys.argv[1:] != ["playable"]:
        main()
    time_to_playable()
