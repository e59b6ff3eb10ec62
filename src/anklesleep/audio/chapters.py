"""WebVTT chapters for a rendered track: one per step and foot, plus the switches and the end.

Players show them as a chapter list (mpv, VLC, a `<track kind="chapters">` in the browser), so a
person can see where they are and jump to a step. Pure: a Timeline in, text out.
"""

from __future__ import annotations

from anklesleep.basics.i18n import N_, Translate
from anklesleep.routine.timeline import Chapter, Timeline

_FOOT = {"left": N_("Left foot"), "right": N_("Right foot")}


def timestamp(seconds: float) -> str:
    """WebVTT time, HH:MM:SS.mmm."""
    millis = max(0, round(seconds * 1000))
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    secs, ms = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}.{ms:03d}"


def escape(text: str) -> str:
    """Cue text with WebVTT's reserved characters escaped (and on one line)."""
    flat = " ".join(text.split())
    return flat.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def chapter_title(timeline: Timeline, chapter: Chapter, translate: Translate) -> str:
    """ "Left foot · T1: Hold the big toe…", or the words of a switch or of the closing."""
    first = timeline.cues[chapter.first]
    if chapter.kind in ("switch", "done") or chapter.step is None:
        return first.text
    foot = translate(_FOOT[chapter.foot]) if chapter.foot else ""
    head = f"{foot} · {chapter.step}" if foot else chapter.step
    return f"{head}: {first.text}"


def webvtt(timeline: Timeline, translate: Translate) -> str:
    """The chapters of `timeline` as a WebVTT file."""
    lines = ["WEBVTT", "", "NOTE anklesleep chapters: one per step and foot.", ""]
    for number, chapter in enumerate(timeline.chapters(), start=1):
        lines.append(str(number))
        lines.append(f"{timestamp(chapter.start)} --> {timestamp(chapter.end)}")
        lines.append(escape(chapter_title(timeline, chapter, translate)))
        lines.append("")
    return "\n".join(lines)


def parse_chapters(text: str) -> list[tuple[float, float, str]]:
    """(start, end, title) of each cue of a WebVTT file written by `webvtt` (for checks)."""

    def seconds(stamp: str) -> float:
        h, m, s = stamp.split(":")
        return int(h) * 3600 + int(m) * 60 + float(s)

    result: list[tuple[float, float, str]] = []
    blocks = text.strip().split("\n\n")
    for block in blocks[1:]:
        rows = block.splitlines()
        for i, row in enumerate(rows):
            if "-->" in row:
                start, _, end = row.partition(" --> ")
                title = " ".join(rows[i + 1 :])
                result.append((seconds(start), seconds(end.split()[0]), title))
                break
    return result
