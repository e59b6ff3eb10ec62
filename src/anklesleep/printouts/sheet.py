"""The printable routine sheet: one self-contained HTML page (or PDF) with every step's picture.

`sheet_html` is pure: routine, timeline and translation in, HTML text out. The page inlines its
CSS and the step pictures (no external files, fonts or scripts), follows light and dark themes
on screen, and prints in black on white on one A4 page. `write_sheet` saves it safely (a
temporary file renamed into place), and `ChromiumPrinter` turns it into a PDF with headless
Chromium's `--print-to-pdf` when a Chromium is installed.
"""

from __future__ import annotations

import html
import os
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from anklesleep import __version__
from anklesleep.basics.errors import AnkleSleepError
from anklesleep.basics.files import write_bytes
from anklesleep.basics.i18n import N_, Translate, _, language_of
from anklesleep.printouts.illustrations import illustration, stylesheet
from anklesleep.routine import safety
from anklesleep.routine.definition import Routine, Step
from anklesleep.routine.descriptions import clock, rows, step_timing
from anklesleep.routine.timeline import Timeline

#: Where to look for a Chromium that can print PDFs, in order.
CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome")

_SECTION_NAMES = {"toes": N_("Toes"), "ankle": N_("Ankle"), "heel": N_("Heel")}
_FOOT_NAMES = {"left": N_("left"), "right": N_("right")}


@dataclass(frozen=True)
class StepCard:
    """What the sheet says about one step: picture, instruction, timing and time per foot."""

    step: Step
    timing: str
    seconds: float
    extras: tuple[str, ...]


def _cards(routine: Routine, timeline: Timeline, t: Translate) -> dict[str, StepCard]:
    """One card per step, timed from the first foot; extra circles noted per foot."""
    seconds: dict[str, float] = {}
    extras: dict[str, list[str]] = {}
    seen: set[tuple[str, str]] = set()
    first = timeline.options.first_foot
    table = rows(routine, timeline, t)
    for chapter, row in zip(timeline.chapters(), table, strict=True):
        if chapter.step is None or chapter.foot is None:
            continue
        key = (chapter.step, chapter.foot)
        if key in seen:  # a second chapter of the same step: the extra circles
            extras.setdefault(chapter.step, []).append(
                t("{foot} foot: then {what}").format(
                    foot=t(_FOOT_NAMES[chapter.foot]).capitalize(), what=row.timing
                )
            )
        elif chapter.foot == first:
            seconds[chapter.step] = chapter.end - chapter.start
        seen.add(key)
    return {
        step.id: StepCard(
            step,
            step_timing(step, timeline, t),
            seconds.get(step.id, 0.0),
            tuple(extras.get(step.id, ())),
        )
        for section in routine.sections
        for step in section.steps
    }


def _order(timeline: Timeline, t: Translate) -> str:
    """The session's order, such as `Toes left → Toes right → Ankle left → …`."""
    parts: list[str] = []
    for chapter in timeline.chapters():
        if chapter.section is None or chapter.foot is None:
            continue
        part = t("{section} {foot}").format(
            section=t(_SECTION_NAMES[chapter.section]), foot=t(_FOOT_NAMES[chapter.foot])
        )
        if not parts or parts[-1] != part:
            parts.append(part)
    return " → ".join(parts)


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def sheet_html(
    routine: Routine,
    timeline: Timeline,
    t: Translate,
    *,
    language: str | None = None,
    notes: Sequence[str] | None = None,
) -> str:
    """The whole sheet as HTML text: header, every step with its picture, the safety notes.

    Pictures show the session's first foot; the page says the other foot is the mirror image.
    `notes` defaults to the safety notes of `anklesleep.routine.safety`, translated.
    `language` (for `<html lang>`, which picks fonts and line breaking) defaults to `t`'s.
    """
    language = language or language_of(t)
    foot = timeline.options.first_foot
    other = "right" if foot == "left" else "left"
    cards = _cards(routine, timeline, t)
    safety_notes = tuple(notes) if notes is not None else safety.notes(t)
    name = t(routine.name)
    out: list[str] = [
        "<!doctype html>",
        f'<html lang="{_e(language)}">',
        '<head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="color-scheme" content="light dark">',
        f"<title>{_e(name)} · anklesleep</title>",
        f"<style>{_CSS}\n{stylesheet()}</style>",
        "</head><body>",
        "<header>",
        f"<h1>{_e(name)}</h1>",
        f'<p class="summary">{_e(t(routine.summary))}</p>',
        '<p class="facts">',
        _e(t("About {total} in all, both feet.").format(total=clock(timeline.total_seconds))),
        " ",
        _e(t("Sit with one foot resting on the opposite thigh, ideally after a warm bath.")),
        "<br>",
        '<span class="order">' + _e(t("Order:")) + f" {_e(_order(timeline, t))}</span>",
        "</p></header>",
        "<main>",
    ]
    for number, section in enumerate(routine.sections, start=1):
        out += [
            f'<section class="part" aria-labelledby="part-{section.id}">',
            f'<h2 id="part-{section.id}"><span class="num">{number}</span> '
            f"{_e(t(section.title))} <small>{_e(t(section.purpose))}</small></h2>",
            '<ol class="steps">',
        ]
        for step in section.steps:
            card = cards[step.id]
            picture = illustration(step.id, foot, translate=t, style=False, id_prefix="sheet")
            extra = "".join(f'<p class="extra">{_e(x)}</p>' for x in card.extras)
            per_foot = t("{time} per foot").format(time=clock(card.seconds))
            out += [
                f'<li class="step" id="step-{step.id}">',
                f'<div class="pic">{picture}</div>',
                '<div class="text">',
                f'<p class="what"><b class="id">{step.id}</b> {_e(t(step.instruction))}</p>',
                f'<p class="timing">{_e(card.timing)} '
                f'<span class="per-foot">{_e(per_foot)}</span></p>',
                extra,
                "</div></li>",
            ]
        out += ["</ol></section>"]
    out += [
        "</main>",
        '<aside class="safety" aria-labelledby="safety-title">',
        f'<h2 id="safety-title">{_e(t(safety.TITLE))}</h2>',
        "<ul>",
        *(f"<li>{_e(note)}</li>" for note in safety_notes),
        "</ul>",
        f'<p class="about">{_e(t(safety.ABOUT))}</p>',
        "</aside>",
        "<footer><p>",
        _e(
            t("Pictures show the {foot} foot; for the {other} foot, do the same mirrored.").format(
                foot=t(_FOOT_NAMES[foot]), other=t(_FOOT_NAMES[other])
            )
        ),
        " ",
        _e(t("* marks anklesleep's own default, not a number from the article.")),
        " ",
        _e(t("Made by anklesleep {version}, offline.").format(version=__version__)),
        "</p></footer>",
        "</body></html>",
    ]
    return "\n".join(out) + "\n"


_CSS = """
:root { color-scheme: light dark; --ink: #1d1d1f; --paper: #fbfaf7; --muted: #5c5c66;
  --line: #d8d4cc; --card: #ffffff; --as-accent: #c2410c; --as-paper: var(--card); }
@media (prefers-color-scheme: dark) {
  :root { --ink: #ececec; --paper: #141416; --muted: #a7a7b0; --line: #3a3a40;
    --card: #1d1d21; --as-accent: #ffa94d; }
}
* { box-sizing: border-box; }
html { background: var(--paper); color: var(--ink); }
body { margin: 0 auto; max-width: 68rem; padding: 1rem;
  font: 16px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Hiragino Sans",
    "Noto Sans CJK JP", "Yu Gothic UI", Meiryo, sans-serif; }
/* Japanese: the system's Japanese gothic, and no 。、」 or small kana at a line's start */
:lang(ja) body { font-family: system-ui, -apple-system, "Hiragino Sans",
    "Hiragino Kaku Gothic ProN", "Noto Sans CJK JP", "Noto Sans JP", "Yu Gothic UI",
    "Yu Gothic", Meiryo, sans-serif;
  line-break: strict; word-break: normal; overflow-wrap: anywhere; }
:lang(ja) b, :lang(ja) strong { font-weight: 700; }
/* break between phrases (休み2秒, not 休|み2秒) where the browser knows Japanese phrases */
@supports (word-break: auto-phrase) {
  :lang(ja) .what, :lang(ja) .timing, :lang(ja) .extra, :lang(ja) h2 { word-break: auto-phrase; }
}
h1 { font-size: 1.6rem; margin: 0 0 .2rem; }
h2 { font-size: 1.15rem; margin: 1.2rem 0 .5rem; display: flex; align-items: baseline;
  gap: .5rem; flex-wrap: wrap; }
h2 small { font-size: .85rem; font-weight: normal; color: var(--muted); }
.num { display: inline-grid; place-items: center; width: 1.6rem; height: 1.6rem;
  border-radius: 50%; background: var(--ink); color: var(--paper); font-size: .9rem; }
p { margin: 0; }
.summary { font-size: 1.05rem; }
.facts { color: var(--muted); margin-top: .3rem; }
.order { font-size: .9rem; }
.steps { list-style: none; margin: 0; padding: 0; display: grid; gap: .6rem;
  grid-template-columns: repeat(auto-fill, minmax(19rem, 1fr)); }
.step { display: flex; gap: .7rem; align-items: center; background: var(--card);
  border: 1px solid var(--line); border-radius: .8rem; padding: .5rem .7rem .5rem .4rem;
  break-inside: avoid; }
.pic { flex: 0 0 7.5rem; }
.pic svg { display: block; width: 7.5rem; height: 7.5rem; }
.id { display: inline-block; min-width: 1.9rem; padding: 0 .25rem; margin-right: .2rem;
  border-radius: .3rem; border: 1.5px solid var(--as-accent); text-align: center;
  font-size: .85rem; }
.timing { margin-top: .3rem; font-weight: 600; font-size: .95rem; }
.per-foot { font-weight: normal; color: var(--muted); white-space: nowrap; }
.extra { font-size: .9rem; color: var(--muted); }
.safety { margin-top: 1.2rem; border: 2px solid var(--as-accent); border-radius: .8rem;
  padding: .6rem 1rem; }
.safety h2 { margin: .2rem 0 .4rem; }
.safety ul { margin: 0; padding-left: 1.2rem; }
.about { margin-top: .4rem; color: var(--muted); font-size: .92rem; }
footer { margin-top: 1rem; color: var(--muted); font-size: .85rem; }
@page { size: A4; margin: 9mm 10mm; }
@media print {
  :root { color-scheme: light; --ink: #000; --paper: #fff; --muted: #333; --line: #999;
    --card: #fff; --as-accent: #c2410c; }
  html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  body { max-width: none; padding: 0; font-size: 9pt; line-height: 1.3; }
  h1 { font-size: 15pt; }
  h2 { font-size: 10.5pt; margin: 2.2mm 0 1.4mm; }
  h2 small { font-size: 8.4pt; }
  .num { width: 5mm; height: 5mm; font-size: 8pt; }
  .summary { font-size: 9.5pt; }
  .order { font-size: 8.4pt; }
  .steps { grid-template-columns: repeat(3, 1fr); gap: 1.6mm; }
  .step { padding: 1mm 1.6mm 1mm .8mm; gap: 1.6mm; border-radius: 2mm; }
  .pic { flex-basis: 28mm; }
  .pic svg { width: 28mm; height: 28mm; }
  .id { font-size: 8pt; min-width: 6mm; }
  .timing { font-size: 8.4pt; margin-top: .6mm; }
  .extra { font-size: 8pt; }
  .safety { margin-top: 2.6mm; padding: 1.6mm 3mm; font-size: 8.2pt; }
  .safety h2 { margin: 0 0 1mm; }
  .about { font-size: 7.8pt; }
  footer { margin-top: 1.6mm; font-size: 7.6pt; }
}
"""


class PdfPrinter(Protocol):
    """Turns a self-contained HTML page into a PDF file (the seam tests replace)."""

    def print_pdf(self, html_text: str, out: Path) -> None: ...


def find_chromium(candidates: Sequence[str] | None = None) -> str | None:
    """The first Chromium found (default: `CHROMIUM_CANDIDATES`), as an absolute path, or None."""
    for candidate in CHROMIUM_CANDIDATES if candidates is None else candidates:
        found = candidate if Path(candidate).is_absolute() else shutil.which(candidate)
        if found and Path(found).is_file() and os.access(found, os.X_OK):
            return found
    return None


@dataclass(frozen=True)
class ChromiumPrinter:
    """Prints with headless Chromium's `--print-to-pdf`: offline, a throwaway profile."""

    executable: str
    timeout: float = 90.0

    def print_pdf(self, html_text: str, out: Path) -> None:
        with tempfile.TemporaryDirectory(prefix="anklesleep-pdf-") as work:
            folder = Path(work)
            page = folder / "sheet.html"
            page.write_text(html_text, encoding="utf-8")
            pdf = folder / "sheet.pdf"
            command = [
                self.executable,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-extensions",
                f"--user-data-dir={folder / 'profile'}",
                "--no-pdf-header-footer",
                f"--print-to-pdf={pdf}",
                page.as_uri(),
            ]
            try:
                subprocess.run(command, capture_output=True, timeout=self.timeout, check=False)
            except (OSError, subprocess.TimeoutExpired) as exc:
                raise AnkleSleepError(
                    _(
                        "--pdf: Chromium ({executable}) failed ({exc}); use --html and print "
                        "the page from a browser instead"
                    ).format(executable=self.executable, exc=exc),
                    field="pdf",
                ) from None
            if not pdf.is_file() or pdf.stat().st_size == 0:
                raise AnkleSleepError(
                    _(
                        "--pdf: Chromium ({executable}) made no PDF; use --html and print "
                        "the page from a browser instead"
                    ).format(executable=self.executable),
                    field="pdf",
                )
            write_bytes(out, pdf.read_bytes(), example="sheet.pdf")


def pdf_printer(candidates: Sequence[str] | None = None) -> PdfPrinter:
    """The PDF printer of this machine, or one clear error when there is none."""
    looked = CHROMIUM_CANDIDATES if candidates is None else candidates
    found = find_chromium(looked)
    if found is None:
        raise AnkleSleepError(
            _(
                "--pdf: no PDF converter found (looked for Chromium: {looked}); install "
                "Chromium, or use --html and print the page from a browser"
            ).format(looked=", ".join(looked)),
            field="pdf",
        )
    return ChromiumPrinter(found)
