"""Soak: 32 clients for 60 s against `anklesleep serve` on loopback; errors, p99 and memory.

Starts the real command (`anklesleep --db FILE serve --port 0`) in a subprocess, then runs
one client for a short while (the baseline: p99 with no contention), then `--clients`
keep-alive clients for `--seconds`, each looping over reads (Today, the History page, the
settings and sessions API) and writes (a symptom score with a note, checked by CSRF).
Prints the errors (goal: 0), p50/p99 against the one-client baseline of the same run, the
requests per second, the server's resident memory before and after and its growth, and
whether the note ever reached the server's output (goal: never).

    python benchmarks/soak.py                 # 32 clients, 60 s
    python benchmarks/soak.py --seconds 10    # a shorter run
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

NOTE = "soak planted note 4e9f"
READS = ("/", "/history", "/api/settings", "/api/sessions", "/api/today")


def start_server(db: Path) -> tuple[subprocess.Popen[str], int]:
    """`anklesleep serve --port 0` on `db`; the process and the port it printed."""
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent / "src")}
    process = subprocess.Popen(
        [sys.executable, "-m", "anklesleep", "--db", str(db), "serve", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    assert process.stdout is not None
    for line in process.stdout:
        match = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        if match:
            port = int(match.group(1))
            break
    else:
        raise RuntimeError("the server did not start")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:  # the address is printed just before it answers
        try:
            probe = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            probe.request("GET", "/about", headers={"Host": f"127.0.0.1:{port}"})
            probe.getresponse().read()
            probe.close()
            return process, port
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("the server did not answer")


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


class Client:
    """One keep-alive connection with its own CSRF cookie."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.csrf = ""

    def request(self, method: str, path: str, body: bytes | None = None) -> int:
        headers = {"Host": f"127.0.0.1:{self.port}", "X-Requested-With": "anklesleep"}
        if self.csrf:
            headers["Cookie"] = f"anklesleep_csrf={self.csrf}"
            headers["X-CSRF-Token"] = self.csrf
        if body is not None:
            headers["Content-Type"] = "application/json"
        try:
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
            response.read()
        except (OSError, http.client.HTTPException):
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            raise
        cookie = response.getheader("set-cookie") or ""
        match = re.match(r"anklesleep_csrf=([^;]+)", cookie)
        if match:
            self.csrf = match.group(1)
        if response.getheader("connection", "").lower() == "close":
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        return response.status


def drive(port: int, seconds: float, number: int, results: list[tuple[float, int]]) -> None:
    client = Client(port)
    client.request("GET", "/about")
    deadline = time.perf_counter() + seconds
    step = 0
    while time.perf_counter() < deadline:
        step += 1
        if step % 5 == 0:
            day = f"2025-{1 + number % 12:02d}-{1 + step % 28:02d}"
            body = json.dumps({"knee": step % 11, "knee_note": f"{NOTE} {number}"}).encode()
            method, path, data = "PUT", f"/api/symptoms/{day}", body
        else:
            method, path, data = "GET", READS[step % len(READS)], None
        began = time.perf_counter()
        try:
            status = client.request(method, path, data)
        except (OSError, http.client.HTTPException):
            status = 0
        results.append((time.perf_counter() - began, status))


def phase(port: int, clients: int, seconds: float) -> list[tuple[float, int]]:
    results: list[tuple[float, int]] = []
    threads = [
        threading.Thread(target=drive, args=(port, seconds, n, results)) for n in range(clients)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def p(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100)[q - 1] * 1000 if len(values) > 1 else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--clients", type=int, default=32)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="anklesleep-soak-") as folder:
        process, port = start_server(Path(folder) / "soak.sqlite3")
        output: list[str] = []
        reader = threading.Thread(target=lambda: output.extend(process.stdout or []))
        reader.start()
        try:
            baseline = phase(port, 1, min(5.0, max(1.0, args.seconds / 6)))
            rss_before = rss_kib(process.pid)
            results = phase(port, args.clients, args.seconds)
            rss_after = rss_kib(process.pid)
        finally:
            process.terminate()
            process.wait(timeout=30)
            reader.join()
            if process.stdout is not None:
                process.stdout.close()
    errors = [status for _took, status in results if not 200 <= status < 400]
    times = [took for took, _status in results]
    base = [took for took, _status in baseline]
    leaked = any(NOTE in line for line in output)
    print(f"clients {args.clients}, {args.seconds:g} s, {len(results)} requests")
    print(f"errors: {len(errors)} (goal 0) {sorted(set(errors))}")
    print(
        f"p50 {p(times, 50):.1f} ms, p99 {p(times, 99):.1f} ms; one client alone: "
        f"p99 {p(base, 99):.1f} ms (ratio {p(times, 99) / max(p(base, 99), 1e-9):.1f}x)"
    )
    print(f"requests per second: {len(results) / args.seconds:.0f}")
    print(
        f"server memory: {rss_before / 1024:.0f} MB after warm-up, {rss_after / 1024:.0f} MB "
        f"at the end (growth {(rss_after - rss_before) / 1024:+.1f} MB)"
    )
    print(f"note in the server's output: {'YES' if leaked else 'no'} (goal no)")


if __name__ == "__main__":
    main()
