"""Picking a few elements out of a very large XML stream, fast and in constant memory.

Apple Health exports run to gigabytes, and sleep records are a tiny share of them. Building an
element (or calling Python) for each of millions of heart-rate records costs more than the
parsing itself, so the stream is read in chunks that go two ways:
- expat parses every chunk with no per-element callback, so the whole document is still checked
  (a damaged or cut-short file fails with its line number, as before), only in C;
- a byte search finds the wanted records' start tags in the same chunk; only those are parsed
  into attributes (by expat again, so entities and quoting follow the XML rules).

A start tag cannot contain `<` (XML forbids it in attribute values), so every start tag that
begins before a chunk's last `<` is complete; only the text from that `<` on is carried over.
The byte search does not know about comments and CDATA sections: a start tag written inside one
would be found (and counted) too. Apple's exports have neither in their body; the tests compare
the scan with a full ElementTree parse.
"""

from __future__ import annotations

import re
import xml.parsers.expat as expat
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO

_CHUNK = 1 << 20
#: the longest unfinished tail carried from one chunk to the next (constant memory even for a
#: file of nothing but text); a start tag that long is not a Health record
_CARRY = 1 << 20
#: one start tag, quote-aware: values may hold `>` but never `<` or their own quote
_ATTRIBUTES = rb"(?:\s+[^\s=/>]+\s*=\s*(?:\"[^\"<]*\"|'[^'<]*'))*\s*/?>"


@dataclass(frozen=True)
class Found:
    """One wanted element: its number among all elements of its name, and its attributes."""

    number: int
    attributes: dict[str, str]


class Damaged(Exception):
    """The XML is not well formed (or cut short) at `line`."""

    def __init__(self, line: int) -> None:
        super().__init__(line)
        self.line = line


@dataclass
class Scan:
    """What a finished scan saw besides the wanted elements."""

    root: str | None = None


def _attributes(tag: bytes) -> dict[str, str]:
    """The attributes of one complete start tag, decoded by expat."""
    got: dict[str, str] = {}

    def start(_name: str, attrs: dict[str, str]) -> None:
        if not got:
            got.update(attrs)

    parser = expat.ParserCreate("utf-8")
    parser.StartElementHandler = start
    closed = tag if tag.endswith(b"/>") else tag[:-1] + b"/>"
    parser.Parse(closed, True)
    return got


def elements(stream: IO[bytes], name: str, marker: bytes, scan: Scan, root: str) -> Iterator[Found]:
    """Every `<name …>` start tag whose text contains `marker` (e.g. the wanted type), numbered
    among all `<name` tags, while expat checks the whole stream. Sets `scan.root` and stops
    early when the root element is not `root`. Raises `Damaged` when the XML is not well
    formed."""
    opening = b"<" + name.encode()
    tag = re.compile(re.escape(opening) + _ATTRIBUTES)
    checker = expat.ParserCreate()

    def first(element: str, _attrs: dict[str, str]) -> None:
        scan.root = element
        checker.StartElementHandler = None  # one callback for the whole file

    checker.StartElementHandler = first
    carry = b""
    counted = 0  # `<name` tags seen before the current buffer
    while True:
        chunk = stream.read(_CHUNK)
        try:
            checker.Parse(chunk, not chunk)
        except expat.ExpatError as exc:
            raise Damaged(exc.lineno) from None
        if scan.root is not None and scan.root != root:
            return
        buffer = carry + chunk
        cut = buffer.rfind(b"<") if chunk else len(buffer)
        if cut < 0 or len(buffer) - cut > _CARRY:
            cut = len(buffer)
        position = 0
        hit = buffer.find(marker, 0, cut)
        while hit >= 0:
            start = buffer.rfind(opening, position, hit)
            match = tag.match(buffer, start) if start >= 0 else None
            if match is not None and match.end() > hit:
                counted += buffer.count(opening, position, start) + 1
                position = start + len(opening)
                yield Found(counted, _attributes(match.group()))
                hit = buffer.find(marker, match.end(), cut)
            else:
                hit = buffer.find(marker, hit + len(marker), cut)
        counted += buffer.count(opening, position, cut)
        carry = buffer[cut:]
        if not chunk:
            return
