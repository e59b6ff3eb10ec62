"""Every page in Japanese in real Chromium: axe finds no serious problem at 390x844, and at a
small phone, a large phone and two laptop sizes nothing is wider than the screen, no text is
under 12 px, the tab bar's labels fit it, and the page's fonts are Japanese ones.

Screenshots go to test-artifacts/pages-ja/ (look at them)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from anklesleep.routine.options import Options
from anklesleep.store import preferences
from tests.browser_helpers import (
    ARTIFACTS,
    Live,
    assert_save_bar_on_tab_bar,
    live_server,
    wait_until,
    watch,
)
from tests.test_browser_app import PAGES, _seed
from tests.test_browser_pages import SMALL_TEXT, SMALLEST_TEXT_PX, WIDE

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SIZES = {
    "320x568": {"width": 320, "height": 568},
    "390x844": {"width": 390, "height": 844},
    "1280x800": {"width": 1280, "height": 800},
    "1366x768": {"width": 1366, "height": 768},
}
SHOTS = ARTIFACTS.parent / "pages-ja"

#: Tab labels that run out of their tab (above, below or beside it) or wrap onto a second line.
TAB_OVERFLOW = """() => [...document.querySelectorAll('.tabs a')]
  .filter(a => a.getClientRects().length)
  .filter(a => {
    const tab = a.getBoundingClientRect();
    const span = a.querySelector('span');
    const label = span.getBoundingClientRect();
    const line = parseFloat(getComputedStyle(span).lineHeight);
    return label.height > line * 1.5 || label.top < tab.top - 0.5 || label.bottom > tab.bottom + 0.5
        || label.left < tab.left - 0.5 || label.right > tab.right + 0.5;
  })
  .map(a => a.textContent.trim())"""

#: Buttons whose text is wider or taller than the button.
BUTTON_OVERFLOW = """() => [...document.querySelectorAll('button, .btn')]
  .filter(b => b.getClientRects().length && (b.scrollWidth > b.clientWidth + 1))
  .map(b => b.textContent.trim())"""


#: Lines that start with closing punctuation, a prolonged sound mark or a small kana (which
#: Japanese typesetting keeps at the end of the line before), with the line's first words.
BAD_LINE_STARTS = """() => {
  const closing = '、。，．,.)）」』】〕〉》！？!?:：;；ー・'
    + 'ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ';
  const bad = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent;
    const japanese = /[\u3040-\u30ff\u4e00-\u9fff]/.test(text);
    if (!japanese || !node.parentElement.getClientRects().length) continue;
    const range = document.createRange();
    let top = null;
    for (let i = 0; i < text.length; i++) {
      range.setStart(node, i); range.setEnd(node, i + 1);
      const rect = range.getClientRects()[0];
      if (!rect || rect.width === 0) continue;
      if (top !== null && rect.top > top + rect.height / 2 && closing.includes(text[i])) {
        bad.push(text.slice(Math.max(0, i - 6), i + 6));
      }
      top = rect.top;
    }
  }
  return bad.slice(0, 5);
}"""

CHECKS = (
    ("wider than the screen", WIDE),
    ("tab label overflows", TAB_OVERFLOW),
    ("button text overflows", BUTTON_OVERFLOW),
    ("a line starts with closing punctuation or a small kana", BAD_LINE_STARTS),
)


@pytest.fixture
def live(tmp_path: Path) -> Iterator[Live]:
    # the pages follow the browser's language: every context below is opened with locale ja-JP
    with live_server(tmp_path) as server:
        _seed(server)
        # tones only: the Japanese voice is not what these tests look at, and espeak-ng
        # spelling out kanji one by one makes every first page wait for a minute
        with server.engine.begin() as conn:
            prefs = preferences.Preferences(options=Options(voice=False), theme="dark")
            preferences.save(conn, prefs, server.clock())
        yield server
        assert server.foreign_requests() == []


def _open(page: Any, live: Live, name: str, path: str) -> None:
    page.goto(live.base + path)
    if name == "player":
        page.wait_for_selector("#play:not([disabled])", timeout=30_000)
    wait_until(page, "document.readyState === 'complete'")


def test_japanese_pages_pass_axe_on_a_phone(browser: Any, live: Live) -> None:
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    context = browser.new_context(viewport=SIZES["390x844"], locale="ja-JP")
    page = context.new_page()
    watch(page, live)
    problems: list[str] = []
    for name, path in PAGES.items():
        _open(page, live, name, path)
        assert page.get_attribute("html", "lang") == "ja"
        for violation in axe.run(page).response["violations"]:
            if violation["impact"] in ("serious", "critical"):
                targets = [n["target"] for n in violation["nodes"]][:3]
                problems.append(f"{name}: axe {violation['id']} {targets}")
    assert page.errors == []
    context.close()
    assert problems == []


@pytest.mark.parametrize("size", list(SIZES))
def test_japanese_pages_fit_every_size(browser: Any, live: Live, size: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport=SIZES[size], locale="ja-JP")
    page = context.new_page()
    watch(page, live)
    problems: list[str] = []
    for name, path in PAGES.items():
        _open(page, live, name, path)
        page.screenshot(path=str(SHOTS / f"{name}-{size}.png"), full_page=name != "player")
        for check, script in CHECKS:
            found = page.evaluate(script)
            if found:
                problems.append(f"{name}: {check}: {found}")
        small = page.evaluate(SMALL_TEXT, SMALLEST_TEXT_PX)
        if small:
            problems.append(f"{name}: text under {SMALLEST_TEXT_PX} px: {small[:5]}")
        family = page.evaluate("getComputedStyle(document.body).fontFamily")
        if "Noto Sans CJK JP" not in family or "Hiragino Sans" not in family:
            problems.append(f"{name}: no Japanese font stack: {family}")
    assert page.errors == []
    context.close()
    assert problems == []


@pytest.mark.parametrize("path", ["/symptoms", "/settings"])
def test_the_japanese_save_bar_sits_right_on_the_tab_bar(
    browser: Any, live: Live, path: str
) -> None:
    for size in ("320x568", "390x844"):
        context = browser.new_context(viewport=SIZES[size], locale="ja-JP")
        page = context.new_page()
        watch(page, live)
        page.goto(live.base + path)
        assert_save_bar_on_tab_bar(page, size)
        button = page.locator(".sticky-save .btn")
        assert button.evaluate("b => b.scrollWidth <= b.clientWidth && b.clientHeight < 80")
        assert page.errors == []
        context.close()
