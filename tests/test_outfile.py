"""Output files: checked first, written whole or not at all, one clear line otherwise."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from anklesleep.basics import files as outfile
from anklesleep.basics.errors import AnkleSleepError


def test_write_text_replaces_the_file_whole(tmp_path: Path) -> None:
    target = tmp_path / "sheet.html"
    target.write_text("old")
    outfile.write_text(target, "new ✓")
    assert target.read_text(encoding="utf-8") == "new ✓"
    assert [p.name for p in tmp_path.iterdir()] == ["sheet.html"]
    umask = os.umask(0)
    os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask


def test_a_failed_write_keeps_the_old_file_and_leaves_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "sheet.html"
    target.write_text("old")

    def full_disk(_fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full_disk)
    with pytest.raises(AnkleSleepError) as info:
        outfile.write_text(target, "new")
    assert "No space left on device" in info.value.message
    assert info.value.field == "output"
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["sheet.html"]


@pytest.mark.parametrize(
    ("where", "says"),
    [
        ("missing/sheet.html", "does not exist; create it"),
        ("a-file/sheet.html", "cannot write in"),
        ("folder", "is a folder; give a file name"),
    ],
)
def test_unwritable_places_are_one_clear_error(tmp_path: Path, where: str, says: str) -> None:
    (tmp_path / "a-file").write_text("x")
    (tmp_path / "folder").mkdir()
    with pytest.raises(AnkleSleepError) as info:
        outfile.write_text(tmp_path / where, "page")
    assert says in info.value.message
    assert "\n" not in info.value.message


def test_the_error_names_the_flag_and_suggests_a_file_name(tmp_path: Path) -> None:
    with pytest.raises(AnkleSleepError) as info:
        outfile.write_bytes(tmp_path, b"x", "--output", example="anklesleep.ics")
    assert info.value.message == (
        f"--output: {str(tmp_path)!r} is a folder; give a file name such as "
        f"{tmp_path / 'anklesleep.ics'}"
    )
    assert info.value.field == "output"
    assert list(tmp_path.iterdir()) == []


_WRITE_UNDER_UMASK = """
import os, sys
from pathlib import Path
from anklesleep.basics import files
os.umask(int(sys.argv[1], 8))
folder = Path(sys.argv[2])
files.write_text(folder / "shared.txt", "x")
files.write_text(folder / "private.txt", "x", mode=files.PRIVATE)
with files.replacing(folder / "by-path.bin") as temp:
    temp.write_bytes(b"x")
print(oct(os.umask(0)))
"""


@pytest.mark.parametrize(("umask", "shared"), [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_the_mode_follows_the_umask_which_is_left_as_it_was(
    tmp_path: Path, umask: int, shared: int
) -> None:
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-c", _WRITE_UNDER_UMASK, oct(umask), str(tmp_path)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert int(done.stdout, 8) == umask  # never flipped, not even back and forth
    assert (tmp_path / "shared.txt").stat().st_mode & 0o777 == shared
    assert (tmp_path / "by-path.bin").stat().st_mode & 0o777 == shared
    assert (tmp_path / "private.txt").stat().st_mode & 0o777 == 0o600


class Crash(Exception):
    pass


def test_a_crash_inside_the_writer_keeps_the_old_file_and_leaves_no_temporary(
    tmp_path: Path,
) -> None:
    target = tmp_path / "export.json"
    target.write_text("old")
    with pytest.raises(Crash), outfile.opened(target) as handle:
        handle.write(b"half of the new")
        raise Crash
    assert target.read_text() == "old"
    with pytest.raises(Crash), outfile.replacing(target) as temp:
        temp.write_bytes(b"half of the new")
        raise Crash
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["export.json"]


def test_writers_in_threads_all_get_the_mode_of_the_umask(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from concurrent.futures import ThreadPoolExecutor

    def umask_changed(_mask: int) -> int:
        raise AssertionError("the umask is process-wide: a writer must not change it")

    umask = os.umask(0o027)
    monkeypatch.setattr(os, "umask", umask_changed)
    try:

        def write(n: int) -> int:
            path = tmp_path / f"{n}.txt"
            if n % 2:
                outfile.write_text(path, str(n))
            else:
                outfile.write_text(path, str(n), mode=outfile.PRIVATE)
            return path.stat().st_mode & 0o777

        with ThreadPoolExecutor(max_workers=8) as pool:
            modes = list(pool.map(write, range(400)))
    finally:
        monkeypatch.undo()
        os.umask(umask)
    assert modes == [0o600 if n % 2 == 0 else 0o640 for n in range(400)]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(f"{n}.txt" for n in range(400))


def test_copy_replaces_the_target_whole(tmp_path: Path) -> None:
    source = tmp_path / "rendered.opus"
    source.write_bytes(b"\x00" * 100_000)
    target = tmp_path / "bedtime.opus"
    target.write_bytes(b"old")
    outfile.copy(source, target)
    assert target.read_bytes() == source.read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bedtime.opus", "rendered.opus"]


def test_a_new_database_file_is_private(tmp_path: Path) -> None:
    from anklesleep.store import database

    umask = os.umask(0o022)
    try:
        engine = database.create(f"sqlite:///{tmp_path / 'a.sqlite3'}")
        database.migrate(engine)
        engine.dispose()
    finally:
        os.umask(umask)
    assert (tmp_path / "a.sqlite3").stat().st_mode & 0o777 == 0o600
