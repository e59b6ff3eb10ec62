"""The printable routine sheet: content, self-containment, safe writing, the CLI and a browser."""

from __future__ import annotations

import re
import shutil
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest

from anklesleep.basics import files as outfile
from anklesleep.basics.errors import AnkleSleepError
from anklesleep.basics.i18n import translator
from anklesleep.printouts import sheet
from anklesleep.routine import catalog as routines
from anklesleep.routine import safety
from anklesleep.routine.descriptions import step_timing
from anklesleep.routine.options import validate
from anklesleep.routine.timeline import estimate_speech_seconds, expand
from tests.cli_helpers import run_cli

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"


def make(routine_id: str = "full", **options: object) -> str:
    routine = routines.builtin(routine_id)
    opts = validate(**{"tempo": 1.0, **options})
    timeline = expand(routine, opts, estimate_speech_seconds, translator("en"))
    return sheet.sheet_html(routine, timeline, translator("en"))


class Tags(HTMLParser):
    """Collects tags with their attributes, and the text inside <title> elements."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.titles: list[str] = []
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_title = tag == "title"

    def handle_endtag(self, tag: str) -> None:
        self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_title and data.strip():
            self.titles.append(data.strip())


def tags(page: str) -> Tags:
    parser = Tags()
    parser.feed(page)
    return parser


@pytest.mark.parametrize("routine_id", ["full", "quick"])
def test_every_step_has_its_picture_instruction_and_timing(routine_id: str) -> None:
    routine = routines.builtin(routine_id)
    t = translator("en")
    timeline = expand(routine, validate(tempo=1.0), estimate_speech_seconds, t)
    page = sheet.sheet_html(routine, timeline, t)
    parsed = tags(page)
    pictures = [a for tag, a in parsed.tags if tag == "svg"]
    steps = [s for section in routine.sections for s in section.steps]
    assert [p["data-step"] for p in pictures] == [s.id for s in steps]
    assert all(p["role"] == "img" and p["data-foot"] == "left" for p in pictures)
    for step in steps:
        assert any(title.startswith(f"{step.id}, left foot") for title in parsed.titles)
        assert step.instruction.replace("'", "&#x27;") in page
        assert step_timing(step, timeline, t) in page
    for section in routine.sections:
        assert section.purpose in page


def test_the_sheet_carries_every_safety_note_and_the_honest_framing() -> None:
    page = make()
    for note in safety.NOTES:
        assert note.replace("'", "&#x27;") in page
    assert "one practitioner" in page
    assert "Before you start" in page


def test_the_sheet_is_self_contained() -> None:
    page = make()
    assert "<script" not in page and "<link" not in page and "<img" not in page
    assert "@import" not in page and "url(" not in page
    assert not re.search(r"(src|href)=", page)
    assert "http://" not in page.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "https://" not in page


def test_the_sheet_has_unique_ids_and_one_stylesheet_for_the_pictures() -> None:
    page = make()
    ids = Counter(a["id"] for _, a in tags(page).tags if a.get("id"))
    assert ids and max(ids.values()) == 1
    assert page.count("prefers-reduced-motion") == 1
    assert page.count("<style>") == 1


def test_it_prints_on_a4_and_follows_dark_themes_on_screen() -> None:
    page = make()
    assert "@page { size: A4" in page
    assert "@media print" in page
    assert "prefers-color-scheme: dark" in page
    assert '<meta name="viewport"' in page


def test_totals_order_and_per_foot_times_come_from_the_timeline() -> None:
    page = make()
    assert any(f"About {m}:" in page for m in (10, 11, 12, 13))
    assert "Toes left → Toes right → Ankle left → Ankle right → Heel left → Heel right" in page
    assert page.count("per foot</span>") == 11
    by_foot = make(foot_order="by-foot", first_foot="right")
    assert "Toes right → Ankle right → Heel right → Toes left" in by_foot
    assert 'data-foot="right"' in by_foot and 'data-foot="left"' not in by_foot
    assert "Pictures show the right foot; for the left foot" in by_foot


def test_extra_circles_are_listed_under_the_outward_circles() -> None:
    page = make(extra_circles="left=inward,right=outward")
    assert "Left foot: then 5 more circles inward" in page
    assert "Right foot: then 5 more circles outward" in page
    assert "then 5 more circles" not in make()


def test_show_html_writes_the_sheet(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    out = tmp_path / "sheet.html"
    result = run_cli(capsys, "show", "full", "--html", "-o", str(out))
    assert result.code == 0, result.err
    assert f"Wrote the routine sheet to {out}" in result.out
    text = out.read_text(encoding="utf-8")
    assert text.startswith("<!doctype html>") and text.count("<svg") == 11


def test_show_html_without_output_prints_the_page(capsys: pytest.CaptureFixture[str]) -> None:
    result = run_cli(capsys, "show", "quick", "--html", "--first-foot", "right")
    assert result.code == 0, result.err
    assert result.out.startswith("<!doctype html>")
    assert result.out.count('data-foot="right"') == 5  # A0 A1 A2 H0 H1


def test_show_output_name_picks_the_format(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out = tmp_path / "sheet.htm"
    assert run_cli(capsys, "show", "-o", str(out)).code == 0
    assert out.read_text(encoding="utf-8").startswith("<!doctype html>")


class FakePrinter:
    def __init__(self) -> None:
        self.pages: list[str] = []

    def print_pdf(self, html_text: str, out: Path) -> None:
        self.pages.append(html_text)
        outfile.write_bytes(out, b"%PDF-1.4 fake")


def test_show_pdf_uses_the_printer(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    printer = FakePrinter()
    monkeypatch.setattr(sheet, "pdf_printer", lambda: printer)
    out = tmp_path / "sheet.pdf"
    result = run_cli(capsys, "show", "full", "--pdf", "-o", str(out))
    assert result.code == 0, result.err
    assert out.read_bytes() == b"%PDF-1.4 fake"
    assert len(printer.pages) == 1 and printer.pages[0].count("<svg") == 11
    assert "PDF" in result.out


def test_no_pdf_converter_is_one_clear_line() -> None:
    assert sheet.find_chromium(("/nonexistent/chromium", "no-such-browser-here")) is None
    with pytest.raises(AnkleSleepError) as info:
        sheet.pdf_printer(("/nonexistent/chromium",))
    assert "no PDF converter found" in info.value.message
    assert "--html" in info.value.message


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--html", "--pdf", "-o", "x.html"], "--html/--pdf: got both; choose one format"),
        (["--pdf"], "-o: missing; --pdf needs a file to write"),
        (["-o", "sheet.txt"], "add --html or --pdf, or end the name in .html or .pdf"),
        (["--html", "-o", "no/such/folder/sheet.html"], "does not exist; create it"),
        (["--pdf", "-o", "no/such/folder/sheet.pdf"], "does not exist; create it"),
        (["--html", "-o", "."], "is a folder; give a file name"),
    ],
)
def test_show_mistakes_are_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    args: list[str],
    says: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sheet, "pdf_printer", FakePrinter)
    result = run_cli(capsys, "show", "full", *args)
    assert result.code == 2
    assert result.err.startswith("anklesleep: error: ")
    assert says in result.err
    assert result.err.count("\n") == 1
    assert result.out == ""
    # nothing written, not even a temporary file (the app's own home may cache speech clips)
    assert [p for p in tmp_path.iterdir() if p.name != "home"] == []


def test_missing_chromium_from_the_cli(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sheet, "CHROMIUM_CANDIDATES", ("/nonexistent/chromium",))
    result = run_cli(capsys, "show", "full", "--pdf", "-o", str(tmp_path / "s.pdf"))
    assert result.code == 2
    assert "no PDF converter found" in result.err and result.err.count("\n") == 1
    assert [p for p in tmp_path.iterdir() if p.name != "home"] == []


def pdf_pages(data: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?!s)", data))


needs_chromium = pytest.mark.skipif(
    not Path(CHROMIUM).is_file(), reason="needs Chromium at /usr/bin/chromium"
)


@pytest.mark.slow
@pytest.mark.browser
@needs_chromium
@pytest.mark.parametrize("routine_id", ["full", "quick"])
def test_chromium_prints_the_sheet_on_one_a4_page(routine_id: str, tmp_path: Path) -> None:
    out = tmp_path / f"{routine_id}.pdf"
    sheet.ChromiumPrinter(CHROMIUM).print_pdf(make(routine_id), out)
    data = out.read_bytes()
    assert data.startswith(b"%PDF")
    assert pdf_pages(data) == 1
    ARTIFACTS.mkdir(exist_ok=True)
    shutil.copyfile(out, ARTIFACTS / f"sheet-{routine_id}.pdf")


@pytest.mark.slow
@pytest.mark.browser
@needs_chromium
def test_sheet_in_headless_chromium_at_phone_width_and_a4(tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    page_file = tmp_path / "sheet.html"
    page_file.write_text(make(), encoding="utf-8")
    ARTIFACTS.mkdir(exist_ok=True)
    args = [
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-quic",
    ]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=args)
        try:
            requests: list[str] = []
            for scheme in ("light", "dark"):
                phone = browser.new_page(
                    viewport={"width": 390, "height": 844}, color_scheme=scheme
                )
                phone.on("request", lambda r: requests.append(r.url))
                phone.goto(page_file.as_uri())
                steps = phone.eval_on_selector_all(
                    "li.step",
                    """items => items.map(li => {
                        const svg = li.querySelector('svg[role=img]');
                        const box = svg ? svg.getBoundingClientRect() : null;
                        return {id: li.id, title: svg && svg.querySelector('title')
                                ? svg.querySelector('title').textContent : '',
                                width: box ? box.width : 0};
                    })""",
                )
                assert [s["id"] for s in steps] == [
                    f"step-{x}"
                    for x in ("T1", "T2", "T3", "T4", "T5", "T6", "A0", "A1", "A2", "H0", "H1")
                ]
                for s in steps:
                    assert s["title"].startswith(s["id"].removeprefix("step-") + ", left foot")
                    assert s["width"] >= 100  # a picture you can see on a phone
                overflow = phone.evaluate(
                    "document.documentElement.scrollWidth > window.innerWidth"
                )
                assert not overflow, "no sideways scrolling on a phone"
                phone.screenshot(path=str(ARTIFACTS / f"sheet-phone-{scheme}.png"))
                phone.screenshot(
                    path=str(ARTIFACTS / f"sheet-phone-{scheme}-full.png"), full_page=True
                )
                phone.close()
            assert requests == [page_file.as_uri()] * 2  # nothing else is fetched

            # A4 less the sheet's 10 mm side margins, at 96 px per inch: what the printer lays out
            a4 = browser.new_page(viewport={"width": 718, "height": 1054})
            a4.goto(page_file.as_uri())
            a4.emulate_media(media="print")
            a4.screenshot(path=str(ARTIFACTS / "sheet-a4.png"), full_page=True)
            pdf = a4.pdf(format="A4", prefer_css_page_size=True)
            assert pdf_pages(pdf) == 1
            (ARTIFACTS / "sheet-a4.pdf").write_bytes(pdf)
            a4.close()
        finally:
            browser.close()


@pytest.mark.slow
@pytest.mark.browser
@needs_chromium
def test_each_picture_large_for_looking(tmp_path: Path) -> None:
    """Renders every picture large, both feet, for a person to look at (test-artifacts/)."""
    from playwright.sync_api import sync_playwright

    from anklesleep.printouts.illustrations import FEET, STEPS, illustration, stylesheet

    cells = "".join(
        f"<figure>{illustration(s, f, style=False, id_prefix='big')}"
        f"<figcaption>{s} {f}</figcaption></figure>"
        for s in STEPS
        for f in FEET
    )
    page = (
        f"<!doctype html><style>{stylesheet()} body{{display:grid;"
        "grid-template-columns:repeat(4,300px);gap:8px;font:14px sans-serif}"
        "figure{margin:0} svg{width:300px;height:300px;border:1px solid #ccc}</style>"
        f"{cells}"
    )
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        try:
            tab = browser.new_page(viewport={"width": 1240, "height": 800}, reduced_motion="reduce")
            tab.set_content(page)
            shown = tab.eval_on_selector_all(
                "svg", "els => els.map(e => e.getBoundingClientRect().width)"
            )
            assert len(shown) == 22 and min(shown) >= 300
            tab.screenshot(path=str(ARTIFACTS / "illustrations.png"), full_page=True)
        finally:
            browser.close()
