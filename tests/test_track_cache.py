"""The track cache keeps no unfinished files: stale ones go, and prune counts every file."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from anklesleep.audio import mixing as track


def _file(path: Path, size: int, mtime: float) -> Path:
    path.write_bytes(b"x" * size)
    os.utime(path, (mtime, mtime))
    return path


def test_clean_partial_removes_only_stale_unfinished_files(tmp_path: Path) -> None:
    now = time.time()
    stale = _file(tmp_path / ".abc.opus-x1y2.opus.part", 10, now - 2 * track.STALE_PART_SECONDS)
    fresh = _file(tmp_path / ".def.opus-q9.opus.part", 10, now)
    done = _file(tmp_path / "abc.opus", 10, now - 2 * track.STALE_PART_SECONDS)
    assert track.clean_partial(tmp_path) == 1
    assert not stale.exists()
    assert fresh.exists() and done.exists()


def test_clean_partial_of_a_missing_folder_is_nothing(tmp_path: Path) -> None:
    assert track.clean_partial(tmp_path / "absent") == 0


def test_prune_counts_and_removes_unfinished_files_with_their_track(tmp_path: Path) -> None:
    _file(tmp_path / "old.wav", 100, 1_000_000)
    _file(tmp_path / ".old.wav-zz.wav.part", 500, 1_000_000)
    _file(tmp_path / "new.wav", 100, 2_000_000)
    # 700 bytes in all: over 650 only because the unfinished file counts
    assert track.prune(tmp_path, keep_bytes=650) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["new.wav"]


def test_prune_spares_the_kept_key_even_with_its_unfinished_file(tmp_path: Path) -> None:
    _file(tmp_path / ".kept.wav-1.wav.part", 100, 1_000_000)
    _file(tmp_path / "other.wav", 100, 2_000_000)
    assert track.prune(tmp_path, keep_bytes=0, keep=frozenset({"kept"})) == 1
    assert [p.name for p in tmp_path.iterdir()] == [".kept.wav-1.wav.part"]


def test_the_server_renders_a_new_track_in_a_child_process_and_reads_it_from_the_cache(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from anklesleep.routine import catalog
    from anklesleep.routine.options import validate
    from anklesleep.web.context import real_renderer, render_here

    def no_mixing_here(*args: object, **kwargs: object) -> None:
        raise AssertionError("the server mixed a track itself")

    # only this process is patched: the spawned child imports the real mixer
    monkeypatch.setattr(track, "mix", no_mixing_here)
    render = real_renderer(elsewhere=render_here)
    routine, options = catalog.load("quick"), validate(voice=False)
    rendered = render(routine, options, "wav")
    assert rendered.path.exists() and rendered.path.stat().st_size > 0
    assert rendered.timeline.total_seconds > 0
    assert render(routine, options, "wav").path == rendered.path  # a hit: no child needed


def test_a_failed_child_render_is_done_here(monkeypatch: pytest.MonkeyPatch) -> None:
    from anklesleep.routine import catalog
    from anklesleep.routine.options import validate
    from anklesleep.web.context import real_renderer

    render = real_renderer(elsewhere=_fails)
    rendered = render(catalog.load("quick"), validate(voice=False), "wav")
    assert rendered.path.exists()


def _fails(*args: object) -> None:
    raise RuntimeError("no child render today")
