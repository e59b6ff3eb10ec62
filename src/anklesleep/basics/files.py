"""Files a user asks for (a sheet, a calendar, a report, an export): checked before the work,
then written whole or not at all, with one clear line when the place cannot be written."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from anklesleep.basics.errors import AnkleSleepError


def check_output(path: Path, field: str = "output", example: str = "out.html") -> Path:
    """Fail early, with one clear line, when `path` cannot be a new or replaced file."""
    target = Path(path).expanduser()
    if target.is_dir():
        raise AnkleSleepError(
            f"{field}: {str(path)!r} is a folder; give a file name such as {target / example}",
            field=field.lstrip("-"),
        )
    if not target.parent.is_dir():
        raise AnkleSleepError(
            f"{field}: folder {str(target.parent)!r} does not exist; create it or choose another",
            field=field.lstrip("-"),
        )
    return target


@contextlib.contextmanager
def atomic_file(path: Path) -> Iterator[Path]:
    """A temporary file beside `path` that replaces it only when the block succeeds."""
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    temp = Path(name)
    try:
        yield temp
        temp.replace(path)
    finally:
        temp.unlink(missing_ok=True)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_bytes(path: Path, data: bytes, field: str = "output", example: str = "out.html") -> Path:
    """Write `data` to `path` atomically (synced, with the user's usual file mode)."""
    target = check_output(path, field, example)
    try:
        with atomic_file(target) as temp:
            with temp.open("wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            temp.chmod(0o666 & ~_umask())  # mkstemp makes 0600; give the file the usual mode
    except OSError as exc:
        raise AnkleSleepError(
            f"{field}: cannot write {str(path)!r} ({exc.strerror or type(exc).__name__}); "
            "choose a place you can write to",
            field=field.lstrip("-"),
        ) from None
    return target


def write_text(path: Path, text: str, field: str = "output", example: str = "out.html") -> Path:
    """`write_bytes` for UTF-8 text."""
    return write_bytes(path, text.encode("utf-8"), field, example)
