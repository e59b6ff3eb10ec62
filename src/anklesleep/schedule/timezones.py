"""The user's IANA time zone: detecting it on this machine and checking names a user types.

Detection looks, in order, at `$TZ`, `/etc/timezone` and the target of the `/etc/localtime`
symlink, and falls back to UTC. Every name is checked against the zoneinfo database (the
system's, or the `tzdata` package), so a stored zone always loads.
"""

from __future__ import annotations

import contextlib
import os
import zoneinfo
from collections.abc import Mapping
from functools import cache
from importlib import resources
from pathlib import Path

from anklesleep.basics.errors import AnkleSleepError
from anklesleep.basics.i18n import _

UTC_NAME = "UTC"
#: Names that all mean UTC; detection reports them as plain "UTC".
UTC_ALIASES = frozenset(
    {
        "UTC",
        "Etc/UTC",
        "Etc/UCT",
        "UCT",
        "Etc/Universal",
        "Universal",
        "Etc/Zulu",
        "Zulu",
        "Etc/GMT",
        "GMT",
        "Etc/GMT0",
        "Etc/GMT+0",
        "Etc/GMT-0",
        "GMT0",
        "GMT+0",
        "GMT-0",
        "Etc/Greenwich",
        "Greenwich",
    }
)
ETC_TIMEZONE = Path("/etc/timezone")
ETC_LOCALTIME = Path("/etc/localtime")
_MARKER = "zoneinfo/"
#: Files in the zoneinfo folder that are not places a person lives.
_NOT_ZONES = frozenset({"localtime", "Factory", "posixrules", "posix", "right"})


@cache
def _available() -> frozenset[str]:
    """Every zone zoneinfo lists: slow (it opens each file of the system's zone folders)."""
    return frozenset(zoneinfo.available_timezones())


@cache
def _packaged() -> frozenset[str]:
    """The zones the `tzdata` package lists in one small file: the part of `_available` that
    costs nothing (`available_timezones` reads it first, then walks the system's folders)."""
    try:
        text = resources.files("tzdata").joinpath("zones").read_text(encoding="utf-8")
    except (ImportError, OSError):
        return frozenset()
    return frozenset(line.strip() for line in text.splitlines() if line.strip())


def _listed(name: str) -> bool:
    """Whether zoneinfo lists `name` (or it is a name of UTC), walking the system's zone
    folders only for a name the `tzdata` package does not list."""
    return name in UTC_ALIASES or name in _packaged() or name in _available()


def _loads(name: str) -> bool:
    """Whether `name` is a zone key zoneinfo can load (not a path, not empty)."""
    if not name or name.startswith(("/", ".")) or ".." in name or "\\" in name:
        return False
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True


def _known(name: str) -> bool:
    """A listed IANA zone (not `localtime`, `posixrules` or `Factory`) that loads."""
    return name not in _NOT_ZONES and _listed(name) and _loads(name)


def normalize(name: str) -> str:
    """`name` with the many spellings of UTC folded into "UTC"."""
    return UTC_NAME if name in UTC_ALIASES else name


def check(value: str, field: str = "timezone") -> str:
    """A valid IANA zone name from what the user typed, or one clear error.

    Accepts any capitalisation of a known name ("europe/london" gives "Europe/London").
    """
    name = str(value).strip()
    if _known(name):
        return normalize(name)
    folded = {zone.casefold(): zone for zone in (_available() | UTC_ALIASES) - _NOT_ZONES}
    match = folded.get(name.casefold())
    if match is not None and _loads(match):
        return normalize(match)
    raise AnkleSleepError(
        _(
            "{field}: got {value!r}; use an IANA time zone name like "
            "Europe/London, America/New_York or UTC"
        ).format(field=field, value=value),
        field=field,
    )


def zone(name: str) -> zoneinfo.ZoneInfo:
    """The `ZoneInfo` for a checked name."""
    return zoneinfo.ZoneInfo(check(name))


def _from_path(text: str) -> str | None:
    """The zone key inside a path like /usr/share/zoneinfo/Europe/London."""
    if _MARKER in text:
        return text.rsplit(_MARKER, 1)[1]
    return None


def detect(
    environ: Mapping[str, str] | None = None,
    etc_timezone: Path = ETC_TIMEZONE,
    etc_localtime: Path = ETC_LOCALTIME,
) -> str:
    """This machine's IANA zone name: `$TZ`, then /etc/timezone, then /etc/localtime; else UTC.

    Only names zoneinfo can load count, so a POSIX rule like `EST5EDT,M3.2.0,M11.1.0` in `$TZ`
    is skipped in favour of the next source.
    """
    env = os.environ if environ is None else environ
    candidates: list[str] = []
    tz = env.get("TZ", "").strip()
    if tz:
        tz = tz.removeprefix(":")
        candidates.append(_from_path(tz) or tz)
    with contextlib.suppress(OSError, UnicodeDecodeError, IndexError):
        candidates.append(etc_timezone.read_text(encoding="utf-8").strip().splitlines()[0])
    with contextlib.suppress(OSError):
        if etc_localtime.is_symlink():
            target = _from_path(str(etc_localtime.readlink()))
            if target:
                candidates.append(target)
    for candidate in candidates:
        name = candidate.strip()
        if _known(name):
            return normalize(name)
    return UTC_NAME
