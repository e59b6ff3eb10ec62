"""The web app's routines: the user's folder is looked at once a second at most, and a new or
changed file is picked up at the next look."""

from __future__ import annotations

from pathlib import Path

from anklesleep.routine import catalog
from anklesleep.web.routines import Routines


def test_a_new_routine_file_shows_at_the_next_look_not_on_every_request(tmp_path: Path) -> None:
    now = [100.0]
    routines = Routines(folder=lambda: tmp_path, clock=lambda: now[0])
    assert "mine" not in routines.all()
    quick = (Path(catalog.__file__).parent / "builtin" / "quick.toml").read_text()
    (tmp_path / "mine.toml").write_text(quick.replace('id = "quick"', 'id = "mine"'))
    now[0] += 0.5
    assert "mine" not in routines.all()  # within the second: the folder is not listed again
    now[0] += 0.6
    assert "mine" in routines.all()
    (tmp_path / "mine.toml").unlink()
    now[0] += Routines.RECHECK_SECONDS
    assert "mine" not in routines.all()
