"""Opening what the user gave: one file, a folder, or a zip, with limits against zip bombs.

Each readable file becomes a `Member` that can be opened (more than once) as a binary stream.
Nothing is extracted to disk and nothing is read whole into memory.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from anklesleep.basics.errors import AnkleSleepError
from anklesleep.basics.i18n import _

#: No member of a zip may unpack to more than this (a real Apple Health export.xml can be
#: several gigabytes) ...
MAX_MEMBER_BYTES = 16 * 1024**3
#: ... or be more than this many times its packed size (XML packs about 10–30 times).
MAX_RATIO = 300
#: Bytes looked at to recognize a format.
HEAD_BYTES = 256 * 1024


@dataclass(frozen=True)
class Member:
    """One file to look at: its name for messages, its size and how to open it."""

    name: str
    size: int
    open: Callable[[], IO[bytes]]

    def head(self) -> bytes:
        with self.open() as stream:
            return stream.read(HEAD_BYTES)


def is_zip(path: Path) -> bool:
    with path.open("rb") as stream:
        return stream.read(4) == b"PK\x03\x04"


def _zip_members(path: Path, shown: str) -> Iterator[Member]:
    try:
        archive = zipfile.ZipFile(path)
        infos = archive.infolist()
    except (zipfile.BadZipFile, EOFError, OSError) as exc:
        raise AnkleSleepError(
            _(
                "{file}: the zip file is damaged or cut short ({why}); download the export again"
            ).format(file=shown, why=exc),
            field="file",
        ) from None
    for info in infos:
        if info.is_dir():
            continue
        packed = max(info.compress_size, 1)
        if info.file_size > MAX_MEMBER_BYTES or info.file_size / packed > MAX_RATIO:
            raise AnkleSleepError(
                _(
                    "{file}: {member} would unpack to {size} bytes from {packed}, which no sleep "
                    "export does; nothing was imported"
                ).format(file=shown, member=info.filename, size=info.file_size, packed=packed),
                field="file",
            )

        def opener(info: zipfile.ZipInfo = info) -> IO[bytes]:
            return archive.open(info)

        yield Member(f"{shown}: {info.filename}", info.file_size, opener)


def members(path: Path) -> list[Member]:
    """The files in `path` (a file, a folder or a zip), in a stable order."""
    shown = path.name or str(path)
    if not path.exists():
        raise AnkleSleepError(
            _(
                "file: {path} does not exist; give the path of the exported file, folder or zip"
            ).format(path=str(path)),
            field="file",
        )
    if path.is_dir():
        found: list[Member] = []
        for child in sorted(p for p in path.rglob("*") if p.is_file()):
            name = f"{shown}/{child.relative_to(path).as_posix()}"
            if is_zip(child):
                found.extend(_zip_members(child, name))
            else:
                found.append(Member(name, child.stat().st_size, _opener(child)))
        return found
    if not path.is_file():  # a pipe would block and a device give bytes without end
        raise AnkleSleepError(
            _(
                "file: {path} is not a file, a folder or a zip; give the path of the exported "
                "file, folder or zip"
            ).format(path=str(path)),
            field="file",
        )
    if is_zip(path):
        return list(_zip_members(path, shown))
    return [Member(shown, path.stat().st_size, _opener(path))]


def _opener(path: Path) -> Callable[[], IO[bytes]]:
    def opener() -> IO[bytes]:
        return path.open("rb")

    return opener
