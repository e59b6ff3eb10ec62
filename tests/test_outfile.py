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
        ("a-file/sheet.html", "does not exist; create it"),
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
