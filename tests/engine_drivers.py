"""Three browser engines behind one small interface, for the browser tests that run the same
journey everywhere: Debian's Chromium (Playwright), WebKitGTK (Debian's `WebKitWebDriver`
under `Xvfb`, spoken to in plain WebDriver over HTTP) and Firefox ESR (its built-in WebDriver
BiDi, over the websocket `--remote-debugging-port` opens).

Scripts are given as JavaScript expressions; their value (awaited when it is a promise) comes
back through JSON, so every engine answers in the same Python types."""

from __future__ import annotations

import base64
import contextlib
import json
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Protocol

import httpx

CHROMIUM = "/usr/bin/chromium"
WEBKIT_DRIVER = "/usr/bin/WebKitWebDriver"
FIREFOX = "/usr/bin/firefox-esr"
XVFB = "/usr/bin/Xvfb"
FFMPEG = "/usr/bin/ffmpeg"
#: How long an engine may take to start before it counts as unable to.
START_SECONDS = 60.0


class EngineUnavailable(RuntimeError):
    """The engine is not installed or would not start (the message says which and why)."""


class Browser(Protocol):
    name: str

    def goto(self, url: str) -> None: ...
    def evaluate(self, expression: str) -> Any: ...
    def click(self, selector: str) -> None: ...
    def screenshot(self, path: Path) -> None: ...
    def url(self) -> str: ...


def _wrapped(expression: str) -> str:
    """`expression`, awaited, as JSON text (errors come back as {"__error": message})."""
    return (
        f"Promise.resolve().then(() => ({expression}))"
        ".then((v) => JSON.stringify(v === undefined ? null : v),"
        " (e) => JSON.stringify({__error: String(e && e.stack || e)}))"
    )


def _unwrapped(text: Any) -> Any:
    value = json.loads(text) if isinstance(text, str) else text
    if isinstance(value, dict) and "__error" in value:
        raise AssertionError(f"script failed: {value['__error']}")
    return value


def wait_for(browser: Browser, expression: str, timeout: float = 30.0) -> None:
    """Poll `expression` in the page until it is true (a page still loading, whose elements
    are not there yet, is polled again)."""
    deadline = time.monotonic() + timeout
    last = ""
    while True:
        try:
            if browser.evaluate(f"Boolean({expression})"):
                return
        except Exception as error:  # the page is between two documents
            last = f" (last: {error})"
        if time.monotonic() > deadline:
            raise AssertionError(f"{browser.name}: timed out waiting for {expression}{last}")
        time.sleep(0.05)


def _into_view(browser: Browser, selector: str) -> None:
    """Scroll the element to the middle of the window, clear of sticky bars."""
    browser.evaluate(
        f"document.querySelector({json.dumps(selector)})"
        ".scrollIntoView({block: 'center', inline: 'center'})"
    )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


# --- Chromium, through Playwright ----------------------------------------------------------------


class ChromiumBrowser:
    name = "chromium"

    def __init__(self, page: Any) -> None:
        self.page = page
        #: script errors the page raised
        self.errors: list[str] = []
        page.on("pageerror", lambda error: self.errors.append(str(error)))

    def goto(self, url: str) -> None:
        self.page.goto(url)

    def evaluate(self, expression: str) -> Any:
        return _unwrapped(self.page.evaluate(_wrapped(expression)))

    def click(self, selector: str) -> None:
        self.page.click(selector)

    def screenshot(self, path: Path) -> None:
        self.page.screenshot(path=str(path))

    def url(self) -> str:
        return str(self.page.url)


@contextlib.contextmanager
def chromium(width: int, height: int) -> Iterator[ChromiumBrowser]:
    if not Path(CHROMIUM).exists():
        raise EngineUnavailable(f"{CHROMIUM} is not installed (scripts/system-deps.sh test)")
    from playwright.sync_api import sync_playwright

    from tests.browser_helpers import ARGS

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        try:
            page = instance.new_context(viewport={"width": width, "height": height}).new_page()
            yield ChromiumBrowser(page)
        finally:
            instance.close()


# --- WebKitGTK, through WebKitWebDriver under Xvfb -----------------------------------------------


@contextlib.contextmanager
def xvfb() -> Iterator[str]:
    """A virtual X display for the duration; yields its name (":N")."""
    if not Path(XVFB).exists():
        raise EngineUnavailable(f"{XVFB} is not installed (scripts/system-deps.sh test)")
    read, write = os.pipe()
    process = subprocess.Popen(
        [XVFB, "-displayfd", str(write), "-screen", "0", "1280x1024x24", "-nolisten", "tcp"],
        pass_fds=(write,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write)
    try:
        with os.fdopen(read) as stream:
            number = stream.readline().strip()
        if not number:
            raise EngineUnavailable("Xvfb did not start (no display number)")
        yield f":{number}"
    finally:
        _stop(process)


class WebKitBrowser:
    name = "webkit"

    def __init__(self, http: httpx.Client, session: str, display: str) -> None:
        self.http = http
        self.session = session
        self.display = display

    def _call(self, method: str, path: str, body: Any = None) -> Any:
        response = self.http.request(method, f"/session/{self.session}{path}", json=body)
        data = response.json()
        if response.status_code >= 400:
            raise AssertionError(f"webkit: {method} {path}: {data.get('value')}")
        return data.get("value")

    def goto(self, url: str) -> None:
        self._call("POST", "/url", {"url": url})

    def evaluate(self, expression: str) -> Any:
        script = f"const done = arguments[0]; {_wrapped(expression)}.then(done);"
        return _unwrapped(self._call("POST", "/execute/async", {"script": script, "args": []}))

    def click(self, selector: str) -> None:
        _into_view(self, selector)
        found = self._call("POST", "/element", {"using": "css selector", "value": selector})
        element = next(iter(found.values()))
        self._call("POST", f"/element/{element}/click", {})

    def screenshot(self, path: Path) -> None:
        # WebDriver's screenshot waits for a repaint that a still player page never asks for
        # (WebKitGTK 2.50 under Xvfb); the X display shows the window as it is, so take that.
        rect = self._call("GET", "/window/rect")
        grab = [
            FFMPEG, "-loglevel", "error", "-y", "-f", "x11grab",
            "-video_size", f"{rect['width']}x{rect['height']}",
            "-i", f"{self.display}+{rect['x']},{rect['y']}", "-frames:v", "1", str(path),
        ]  # fmt: skip
        subprocess.run(grab, check=True, timeout=60, capture_output=True)

    def url(self) -> str:
        return str(self._call("GET", "/url"))

    def set_viewport(self, width: int, height: int) -> None:
        """Size the window so that the page itself gets `width` x `height`."""
        self._call("POST", "/window/rect", {"width": width, "height": height})
        inner = self.evaluate("[innerWidth, innerHeight]")
        self._call(
            "POST",
            "/window/rect",
            {"width": 2 * width - inner[0], "height": 2 * height - inner[1]},
        )


@contextlib.contextmanager
def webkit(width: int, height: int) -> Iterator[WebKitBrowser]:
    if not Path(WEBKIT_DRIVER).exists():
        raise EngineUnavailable(
            f"{WEBKIT_DRIVER} is not installed (webkit2gtk-driver; scripts/system-deps.sh test)"
        )
    with xvfb() as display:
        port = _free_port()
        env = {**os.environ, "DISPLAY": display, "WEBKIT_DISABLE_COMPOSITING_MODE": "1"}
        driver = subprocess.Popen(
            [WEBKIT_DRIVER, f"--port={port}"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        http = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=120)
        try:
            session = _webkit_session(http, driver)
            browser = WebKitBrowser(http, session, display)
            try:
                browser.set_viewport(width, height)
                yield browser
            finally:
                with contextlib.suppress(httpx.HTTPError):
                    http.delete(f"/session/{session}")
        finally:
            http.close()
            _stop(driver)


def _webkit_session(http: httpx.Client, driver: subprocess.Popen[bytes]) -> str:
    deadline = time.monotonic() + START_SECONDS
    capabilities = {"alwaysMatch": {"webkitgtk:browserOptions": {"args": ["--automation"]}}}
    while True:
        if driver.poll() is not None:
            raise EngineUnavailable(f"WebKitWebDriver exited with status {driver.returncode}")
        try:
            response = http.post("/session", json={"capabilities": capabilities})
            if response.status_code == 200:
                return str(response.json()["value"]["sessionId"])
            raise EngineUnavailable(f"WebKitWebDriver refused a session: {response.text[:300]}")
        except httpx.TransportError:
            if time.monotonic() > deadline:
                raise EngineUnavailable("WebKitWebDriver did not answer") from None
            time.sleep(0.1)


# --- Firefox ESR, through WebDriver BiDi ----------------------------------------------------------

#: Quiet first run, sound allowed to start from a tap, nothing fetched from the network.
FIREFOX_PREFS = {
    "media.autoplay.default": 0,
    "media.autoplay.blocking_policy": 0,
    "browser.shell.checkDefaultBrowser": False,
    "browser.aboutwelcome.enabled": False,
    "datareporting.policy.dataSubmissionEnabled": False,
    "toolkit.telemetry.reportingpolicy.firstRun": False,
    "app.update.disabledForTesting": True,
    "browser.startup.homepage_override.mstone": "ignore",
    "media.cubeb.backend": "alsa",
}

#: A machine without a sound card: ALSA's null device takes the sound and plays it nowhere,
#: so Firefox's audio clock runs as it would on a phone (without it, the element fails at once).
ASOUNDRC = "pcm.!default { type null }\nctl.!default { type hw card 0 }\n"


class FirefoxBrowser:
    name = "firefox"

    def __init__(self, socket_: Any) -> None:
        self.ws = socket_
        self.next_id = 0
        self.context = ""
        #: script errors and console errors the page reported
        self.errors: list[str] = []

    def command(self, method: str, params: dict[str, Any]) -> Any:
        self.next_id += 1
        ident = self.next_id
        self.ws.send(json.dumps({"id": ident, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv(timeout=180))
            if message.get("type") == "event":
                self._event(message)
            elif message.get("id") == ident:
                if message.get("type") == "error":
                    raise AssertionError(f"firefox: {method}: {message.get('message')}")
                return message.get("result")

    def _event(self, message: dict[str, Any]) -> None:
        if message.get("method") == "log.entryAdded":
            entry = message["params"]
            if entry.get("type") == "javascript" or entry.get("level") == "error":
                self.errors.append(str(entry.get("text")))

    def goto(self, url: str) -> None:
        self.command(
            "browsingContext.navigate", {"context": self.context, "url": url, "wait": "complete"}
        )

    def evaluate(self, expression: str) -> Any:
        result = self.command(
            "script.evaluate",
            {
                "expression": _wrapped(expression),
                "target": {"context": self.context},
                "awaitPromise": True,
            },
        )
        if result.get("type") == "exception":
            raise AssertionError(f"firefox: {result['exceptionDetails'].get('text')}")
        return _unwrapped(result["result"]["value"])

    def click(self, selector: str) -> None:
        """A real pointer click in the middle of the element (it counts as a user gesture)."""
        _into_view(self, selector)
        found = self.command(
            "browsingContext.locateNodes",
            {"context": self.context, "locator": {"type": "css", "value": selector}},
        )
        nodes = found["nodes"]
        if not nodes:
            raise AssertionError(f"firefox: nothing matches {selector!r}")
        origin = {"type": "element", "element": {"sharedId": nodes[0]["sharedId"]}}
        self.command(
            "input.performActions",
            {
                "context": self.context,
                "actions": [
                    {
                        "type": "pointer",
                        "id": "mouse",
                        "actions": [
                            {"type": "pointerMove", "x": 0, "y": 0, "origin": origin},
                            {"type": "pointerDown", "button": 0},
                            {"type": "pointerUp", "button": 0},
                        ],
                    }
                ],
            },
        )

    def screenshot(self, path: Path) -> None:
        shot = self.command("browsingContext.captureScreenshot", {"context": self.context})
        path.write_bytes(base64.b64decode(shot["data"]))

    def url(self) -> str:
        return str(self.evaluate("location.href"))


@contextlib.contextmanager
def firefox(width: int, height: int) -> Iterator[FirefoxBrowser]:
    if not Path(FIREFOX).exists():
        raise EngineUnavailable(f"{FIREFOX} is not installed (scripts/system-deps.sh test)")
    from websockets.sync.client import connect

    profile = Path(tempfile.mkdtemp(prefix="anklesleep-firefox-"))
    (profile / ".asoundrc").write_text(ASOUNDRC)
    (profile / "user.js").write_text(
        "".join(f"user_pref({json.dumps(k)}, {json.dumps(v)});\n" for k, v in FIREFOX_PREFS.items())
    )
    port = _free_port()
    process = subprocess.Popen(
        [
            FIREFOX,
            "--headless",
            "--no-remote",
            f"--remote-debugging-port={port}",
            "--profile",
            str(profile),
            "about:blank",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "MOZ_HEADLESS": "1", "HOME": str(profile)},
    )
    try:
        ws = _firefox_socket(connect, port, process)
        with ws:
            browser = FirefoxBrowser(ws)
            browser.command("session.new", {"capabilities": {}})
            tree = browser.command("browsingContext.getTree", {})
            browser.context = tree["contexts"][0]["context"]
            browser.command("session.subscribe", {"events": ["log.entryAdded"]})
            browser.command(
                "browsingContext.setViewport",
                {"context": browser.context, "viewport": {"width": width, "height": height}},
            )
            try:
                yield browser
            finally:
                with contextlib.suppress(Exception):
                    browser.command("session.end", {})
    finally:
        _stop(process)
        shutil.rmtree(profile, ignore_errors=True)


def _firefox_socket(connect: Any, port: int, process: subprocess.Popen[bytes]) -> Any:
    deadline = time.monotonic() + START_SECONDS
    while True:
        if process.poll() is not None:
            raise EngineUnavailable(f"firefox-esr exited with status {process.returncode}")
        try:
            return connect(f"ws://127.0.0.1:{port}/session", max_size=None, open_timeout=10)
        except OSError:
            if time.monotonic() > deadline:
                raise EngineUnavailable("Firefox's WebDriver BiDi did not answer") from None
            time.sleep(0.2)


ENGINES = {"chromium": chromium, "webkit": webkit, "firefox": firefox}
