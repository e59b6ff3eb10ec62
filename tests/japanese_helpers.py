"""The Japanese catalog and a scanner for English left in what users see (pages, help, sheets).

A message counts as "left in English" when its English text (the catalog's msgid, with each
placeholder standing for any short value) appears in the text, between word boundaries.
"""

from __future__ import annotations

import calendar
import json
import re
from dataclasses import dataclass
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[1]
JA_PO = ROOT / "src/anklesleep/locale/ja/LC_MESSAGES/anklesleep.po"

#: {name}, {0}, {value!r}, {x:.1f}, %(name)s, %s, %d
PLACEHOLDER = re.compile(r"\{[^{}\s]*\}|%\([A-Za-z_]+\)[-#0 +]*\d*(?:\.\d+)?[sdfir]|%[sdif]")

#: Messages that read the same in Japanese (names, codes, pure formats). Keep this short.
SAME_IN_JAPANESE = frozenset(
    {
        "%(action)s · %(length)s",
        "import: {message}",
        "{field}: {value!r} {fix}",
    }
)

#: Names that stay in Latin letters on a Japanese page (brands, the app, formats); removed
#: from the text before it is scanned, so "Sleep as Android" is not taken for "Sleep".
NAMES = (
    "anklesleep",
    "Sleep as Android",
    "Apple Health",
    "Fitbit",
    "Opus",
    "MP3",
    "WAV",
    "CSV",
    "JSON",
    "ICS",
    "SQLite",
    "PostgreSQL",
    "Kokoro",
    "espeak-ng",
    "Festival",
    "Loop Habit Tracker",
    "anklesleep experiment start",  # a command people type as it is
    "English",  # the language named in itself where the language is chosen (Settings)
)

#: Elements whose text is not read as prose: styles, scripts (except the JSON labels they are
#: given) and code (commands, file names and values the user types as they are).
SKIPPED = ("style", "script", "code", "kbd", "samp", "pre")
#: A value in a page's JSON that is a machine word (a key, a foot, a URL), not a label.
MACHINE_KEYS = frozenset({"status", "kind", "href", "url", "id", "uuid"})
MACHINE_WORD = re.compile(r"[a-z0-9_.:/?=&-]*|[A-Z]+[0-9]+ \((?:left|right)\)")
# (the second form: a step's id on a foot, as the session record stores it in `steps_done`;
# people read the translated chapter titles of the track's WebVTT instead)

#: Attributes whose values people read or hear (screen readers) or scripts show.
READ_ATTRIBUTES = ("aria-label", "aria-description", "title", "placeholder", "alt", "label")


@dataclass(frozen=True)
class Message:
    id: str
    string: str
    plural: str | None
    fuzzy: bool


@cache
def ja_messages() -> tuple[Message, ...]:
    with JA_PO.open("rb") as fh:
        catalog: Catalog = read_po(fh, locale="ja")
    found = []
    for m in catalog:
        if not m.id:
            continue
        if isinstance(m.id, tuple | list):
            strings = m.string if isinstance(m.string, tuple | list) else (m.string,)
            found.append(Message(str(m.id[0]), str(strings[0] or ""), str(m.id[1]), m.fuzzy))
        else:
            found.append(Message(str(m.id), str(m.string or ""), None, m.fuzzy))
    return tuple(found)


def placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


def normalize(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").split())


def _strip_tags(text: str) -> str:
    return re.sub(r"<[^>]+>", " ", text)


@cache
def _patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    patterns = []
    for message in ja_messages():
        for english in (message.id, message.plural):
            if not english or english in SAME_IN_JAPANESE:
                continue
            text = normalize(_strip_tags(english))
            literals = PLACEHOLDER.split(text)
            if not any(re.search(r"[A-Za-z]{2,}", part) for part in literals):
                continue  # nothing English in it (numbers, punctuation, placeholders)
            body = r".{1,60}?".join(re.escape(part) for part in literals)
            start = r"(?<![A-Za-z])" if re.match(r"[A-Za-z]", text) else ""
            end = r"(?![A-Za-z])" if re.search(r"[A-Za-z]$", text) else ""
            patterns.append((message.id, re.compile(start + body + end)))
    return tuple(patterns)


def english_left(text: str, *, phrases_only: bool = False) -> list[str]:
    """The catalog's English messages found in `text` (a page's text or a command's help);
    with `phrases_only`, only messages of two or more English words."""
    cleaned = normalize(text)
    for name in sorted(NAMES, key=len, reverse=True):  # "anklesleep experiment start" first
        cleaned = cleaned.replace(name, " ")
    return sorted(
        msgid
        for msgid, pattern in _patterns()
        if (not phrases_only or _is_phrase(msgid)) and pattern.search(cleaned)
    )


def _is_phrase(msgid: str) -> bool:
    literal = " ".join(PLACEHOLDER.split(_strip_tags(msgid)))
    return len(re.findall(r"[A-Za-z]{2,}", literal)) >= 2


#: What a command's help shows as code: the usage line, examples, options and their values
#: (`--quality good`), metavars (ROUTINE), choices ([earlier|later]) and `quoted` commands.
HELP_CODE = (
    re.compile(r"^\s*(Usage:|使い方:|anklesleep )\S.*$", re.MULTILINE),
    re.compile(r"^\s*anklesleep\b.*$", re.MULTILINE),
    re.compile(r"`[^`]*`"),
    re.compile(r"\[[^\]]*\|[^\]]*\]"),
    re.compile(r"(?<![\w-])--?[A-Za-z][\w-]*(?:[ =](?:[a-z][\w-]*|[A-Z][A-Z0-9_|:-]+))?"),
    re.compile(r"\b[A-Z][A-Z0-9_]{2,}\b"),
    re.compile(r"\b[a-z]+(?:-[a-z]+)+\b"),
)


def help_prose(text: str) -> str:
    """A command's help without its code (see `HELP_CODE`)."""
    for pattern in HELP_CODE:
        text = pattern.sub(" ", text)
    return text


class PageText(HTMLParser):
    """The text a person reads or hears on a page: the text nodes, the read attributes, and the
    strings inside JSON script blocks (labels the page's scripts show)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0
        self._json = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag in SKIPPED:
            self._skip += 1
            self._json = tag == "script" and values.get("type") == "application/json"
        for name, value in attrs:
            if value and (name in READ_ATTRIBUTES):
                self.parts.append(value)
        if tag == "input" and values.get("type") in ("submit", "button") and values.get("value"):
            self.parts.append(str(values["value"]))

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIPPED:
            self._skip = max(0, self._skip - 1)
            self._json = False

    def handle_data(self, data: str) -> None:
        if self._json:
            self.parts.extend(_json_strings(json.loads(data)))
        elif not self._skip:
            self.parts.append(data)


def json_texts(value: object) -> list[str]:
    """The words in a JSON answer that people read (not keys, codes or machine words)."""
    return [normalize(text) for text in _json_strings(value)]


def _json_strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [] if MACHINE_WORD.fullmatch(value) else [value]
    if isinstance(value, dict):
        return [
            s for key, item in value.items() if key not in MACHINE_KEYS for s in _json_strings(item)
        ]
    if isinstance(value, list):
        return [s for item in value for s in _json_strings(item)]
    return []


def page_text(page: str) -> str:
    parser = PageText()
    parser.feed(page)
    # one part per line: a message never runs from one element into the next
    return "\n".join(normalize(part) for part in parser.parts if part.strip())


#: English formats that are no catalog message: day and month names (strftime) and hours.
_NAMES = [*calendar.day_name, *calendar.month_name[1:]]
ENGLISH_FORMATS = re.compile(
    r"\b(?:" + "|".join(_NAMES) + r")\b|\b\d+ h(?: \d+)?\b|\b\d{1,2}:\d\d ?[AP]M\b"
)
DIGITS = re.compile(r"\d+")


def english_left_on_page(page: str) -> list[str]:
    """The catalog's English messages on a page, and English dates and hours."""
    found: set[str] = set()
    for line in page_text(page).splitlines():
        found.update(english_left(line))
        found.update("format: " + DIGITS.sub("N", m) for m in ENGLISH_FORMATS.findall(line))
    return sorted(found)
