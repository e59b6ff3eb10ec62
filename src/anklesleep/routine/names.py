"""Short names of the built-in routines as people read them (the ids stay in data and commands)."""

from __future__ import annotations

from anklesleep.basics.i18n import N_, Translate

#: the built-in routines' short names (the English ones are the ids themselves)
SHORT_NAMES: dict[str, str] = {"full": N_("full"), "quick": N_("quick")}


def short_name(routine_id: str, t: Translate) -> str:
    """The routine's short name in the language of `t`; a routine of the user's own keeps its id."""
    return t(SHORT_NAMES[routine_id]) if routine_id in SHORT_NAMES else routine_id
