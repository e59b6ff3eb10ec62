"""Every file the app writes, written whole or not at all.

`replacing(path)` gives a new temporary file in the target's folder; when the block succeeds
the file is flushed to disk, renamed onto `path` and the folder entry is synced, so a crash or
an error at any point leaves either the old file or the new one, never half of one, and no
temporary file behind. The new file's mode comes from the process's umask, applied by the
kernel when the file is created (`0o666` for ordinary outputs, `PRIVATE` for the database,
its backups and exports); the umask itself is never changed, so threads can write at once.
`check_output` fails early, with one clear line, when a place cannot take a file.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from anklesleep.basics.errors import AnkleSleepError
from anklesleep.basics.i18n import _

#: the mode asked for ordinary outputs (the umask narrows it, usually to 0o644)
SHARED = 0o666
#: the mode asked for files holding the user's diary: only the owner reads them
PRIVATE = 0o600


def _field_key(field: str) -> str:
    return field.lstrip("-")


def check_output(path: Path, field: str = "output", example: str = "out.html") -> Path:
    """Fail early, with one clear line, when `path` cannot be a new or replaced file."""
    target = Path(path).expanduser()
    if target.is_dir():
        raise AnkleSleepError(
            _("{field}: {path} is a folder; give a file name such as {example}").format(
                field=field, path=repr(str(path)), example=target / example
            ),
            field=_field_key(field),
        )
    if target.parent.exists() and not target.parent.is_dir():
        raise AnkleSleepError(
            _("{field}: cannot write in {folder}: it is a file; choose a folder").format(
                field=field, folder=repr(str(target.parent))
            ),
            field=_field_key(field),
        )
    if not target.parent.is_dir():
        raise AnkleSleepError(
            _("{field}: folder {folder} does not exist; create it or choose another").format(
                field=field, folder=repr(str(target.parent))
            ),
            field=_field_key(field),
        )
    if not os.access(target.parent, os.W_OK | os.X_OK):
        raise AnkleSleepError(
            _("{field}: cannot write in {folder}; choose a folder you can write to").format(
                field=field, folder=repr(str(target.parent))
            ),
            field=_field_key(field),
        )
    return target


def _cannot_write(path: Path, field: str, exc: OSError) -> AnkleSleepError:
    return AnkleSleepError(
        _("{field}: cannot write {path} ({reason}); choose a place you can write to").format(
            field=field, path=repr(str(path)), reason=exc.strerror or type(exc).__name__
        ),
        field=_field_key(field),
    )


def _new_temporary(target: Path, mode: int) -> tuple[Path, int]:
    """Create an empty temporary file beside `target`; the kernel applies the umask to `mode`."""
    while True:
        temp = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
        try:
            fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, mode)
        except FileExistsError:
            continue
        return temp, fd


def sync_folder(folder: Path) -> None:
    """Make a rename or a new entry in `folder` survive a power cut (where the system allows)."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):  # some file systems cannot sync a folder
            os.fsync(fd)
    finally:
        os.close(fd)


def create_empty(path: Path, mode: int = PRIVATE) -> None:
    """Create `path` as an empty file with `mode` (less the umask) unless it exists already:
    a file another program (SQLite) fills in gets its mode from us, not from that program."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, mode)
    except FileExistsError:
        return
    os.close(fd)
    sync_folder(Path(path).parent)


def _sync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextlib.contextmanager
def replacing(path: Path, mode: int = SHARED, field: str = "output") -> Iterator[Path]:
    """A new, empty temporary file beside `path`, for a writer that wants a path (a database,
    an encoder, an archive). When the block succeeds it is synced and renamed onto `path`;
    when the block raises, `path` is untouched and the temporary file is removed.

    A writer may replace the temporary file (as encoders do); the mode is then its own.
    Errors of the file system become one `AnkleSleepError` naming `field`.
    """
    target = Path(path).expanduser()
    try:
        temp, fd = _new_temporary(target, mode)
    except OSError as exc:
        raise _cannot_write(target, field, exc) from None
    os.close(fd)
    try:
        yield temp
        _sync_file(temp)
        temp.replace(target)
        sync_folder(target.parent)
    except OSError as exc:
        raise _cannot_write(target, field, exc) from None
    finally:
        temp.unlink(missing_ok=True)


@contextlib.contextmanager
def opened(path: Path, mode: int = SHARED, field: str = "output") -> Iterator[BinaryIO]:
    """`replacing`, for a writer that wants an open binary file."""
    target = Path(path).expanduser()
    try:
        temp, fd = _new_temporary(target, mode)
    except OSError as exc:
        raise _cannot_write(target, field, exc) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        temp.replace(target)
        sync_folder(target.parent)
    except OSError as exc:
        raise _cannot_write(target, field, exc) from None
    finally:
        temp.unlink(missing_ok=True)


def write_bytes(
    path: Path,
    data: bytes,
    field: str = "output",
    example: str = "out.html",
    mode: int = SHARED,
) -> Path:
    """Check the place, then write `data` to `path` atomically; returns the path written."""
    target = check_output(path, field, example)
    with opened(target, mode, field) as handle:
        handle.write(data)
    return target


def write_text(
    path: Path,
    text: str,
    field: str = "output",
    example: str = "out.html",
    mode: int = SHARED,
) -> Path:
    """`write_bytes` for UTF-8 text."""
    return write_bytes(path, text.encode("utf-8"), field, example, mode)


def copy(source: Path, target: Path, field: str = "output", mode: int = SHARED) -> Path:
    """Copy a finished file onto `target` atomically; returns `target`."""
    with opened(target, mode, field) as handle, Path(source).open("rb") as original:
        shutil.copyfileobj(original, handle)
    return Path(target)
