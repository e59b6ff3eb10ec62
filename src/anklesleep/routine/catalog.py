"""The routine files: built-in ones shipped here, and the user's own.

Built-ins (`full`, `quick`) are TOML files in this package. A user adds routines as `*.toml`
files in `<config dir>/routines/` or passes one path with `--routine-file`. A user file whose id
equals a built-in's replaces it.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from anklesleep.basics.errors import AnkleSleepError
from anklesleep.basics.i18n import _
from anklesleep.basics.paths import user_routines_dir
from anklesleep.routine.definition import Routine, parse_routine

BUILTIN_IDS = ("full", "quick")


def load_file(path: Path) -> Routine:
    """Read and validate one routine file."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise AnkleSleepError(
            _(
                "routine file: {path!r} does not exist; give the path of a .toml routine file"
            ).format(path=str(path)),
            field="routine_file",
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise AnkleSleepError(
            _(
                "routine file: cannot read {path!r} ({exc}); give a readable UTF-8 .toml file"
            ).format(path=str(path), exc=exc),
            field="routine_file",
        ) from None
    return parse_routine(text, str(path))


def builtin(routine_id: str) -> Routine:
    text = resources.files(__package__).joinpath(f"builtin/{routine_id}.toml").read_text("utf-8")
    return parse_routine(text, f"{routine_id}.toml")


def available(user_dir: Path | None = None) -> dict[str, Routine]:
    """Every routine by id: the built-ins, then the user's files (validated on load)."""
    found = {rid: builtin(rid) for rid in BUILTIN_IDS}
    folder = user_dir if user_dir is not None else user_routines_dir()
    if folder.is_dir():
        for path in sorted(folder.glob("*.toml")):
            routine = load_file(path)
            found[routine.id] = routine
    return found


def load(routine_id: str, routine_file: Path | None = None) -> Routine:
    """The routine to use: `routine_file` when given, else the routine with this id."""
    if routine_file is not None:
        return load_file(routine_file)
    routines = available()
    if routine_id not in routines:
        raise AnkleSleepError(
            _(
                "routine: got {routine_id!r}; choose one of {routines} (see "
                "`anklesleep routines`) or pass --routine-file PATH"
            ).format(routine_id=routine_id, routines=", ".join(sorted(routines))),
            field="routine",
        )
    return routines[routine_id]
