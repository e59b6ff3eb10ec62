"""What each stored setting may hold: one checker per key, used by import, by reads and by
`anklesleep doctor`.

A value that its checker refuses is never imported. A stored value that fails (an older bug, a
hand edit) is read as the key's default with a one-line warning on the log, so the app keeps
working, and `anklesleep doctor --repair` removes it.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from anklesleep.basics.errors import AnkleSleepError
from anklesleep.basics.i18n import _

LOG = logging.getLogger("anklesleep.store")
T = TypeVar("T")

#: Settings that belong to this computer's web server, never exported nor imported.
PRIVATE_KEYS = frozenset({"web_access_token", "web_csrf_secret"})
MAX_JSON_CHARS = 20_000


def _instant(key: str) -> Callable[[Any], Any]:
    def check(value: Any) -> Any:
        if value is None:
            return value
        try:
            if not isinstance(value, str):
                raise ValueError
            parsed = dt.datetime.fromisoformat(value)
            if parsed.tzinfo is None:
                raise ValueError
        except ValueError:
            raise AnkleSleepError(
                _("{key}: expected a date and time with a UTC offset").format(key=key), field=key
            ) from None
        return value

    return check


def _slots(value: Any) -> Any:
    from anklesleep.schedule import timezones
    from anklesleep.schedule.slots import from_dict

    parsed = from_dict(value)
    if isinstance(value, Mapping) and value.get("timezone"):
        timezones.check(parsed.timezone, "slots.timezone")
    return value


def _preferences(value: Any) -> Any:
    from anklesleep.store.preferences import from_mapping

    if value is not None and not isinstance(value, Mapping):
        raise AnkleSleepError(
            _("preferences: expected an object with options and theme"), field="preferences"
        )
    from_mapping(value)
    return value


def _calendar_revisions(value: Any) -> Any:
    from anklesleep.schedule.slots import check_slot_name

    def bad() -> AnkleSleepError:
        return AnkleSleepError(
            _("calendar_revisions: expected an object of slot: {sequence, fingerprint}"),
            field="calendar_revisions",
        )

    if value is None:
        return value
    if not isinstance(value, Mapping):
        raise bad()
    for slot, entry in value.items():
        check_slot_name(slot)
        if not isinstance(entry, Mapping) or set(entry) != {"sequence", "fingerprint"}:
            raise bad()
        number = entry["sequence"]
        if isinstance(number, bool) or not isinstance(number, int) or number < 0:
            raise bad()
        if not isinstance(entry["fingerprint"], str):
            raise bad()
    return value


def _language(value: Any) -> Any:
    from anklesleep.store.language import check as check_language

    return check_language(value)


def _token(key: str) -> Callable[[Any], Any]:
    def check(value: Any) -> Any:
        if not isinstance(value, str) or not 16 <= len(value) <= 200:
            raise AnkleSleepError(_("{key}: expected a random text").format(key=key), field=key)
        return value

    return check


#: Every setting the app keeps, with its checker (which returns the value or raises one line).
RULES: dict[str, Callable[[Any], Any]] = {
    "slots": _slots,
    "preferences": _preferences,
    "calendar_revisions": _calendar_revisions,
    "safety_acknowledged_at": _instant("safety_acknowledged_at"),
    "calendar_exported_at": _instant("calendar_exported_at"),
    "language": _language,
    "web_access_token": _token("web_access_token"),
    "web_csrf_secret": _token("web_csrf_secret"),
}


def check(key: str, value: Any) -> Any:
    """`value` if it is what setting `key` may hold, else one line naming the key and the fix."""
    rule = RULES.get(key)
    if rule is None:
        raise AnkleSleepError(
            _("key: got {key!r}; known settings: {known}").format(
                key=key, known=", ".join(sorted(set(RULES) - PRIVATE_KEYS))
            ),
            field="key",
        )
    import json

    if len(json.dumps(value, ensure_ascii=False)) > MAX_JSON_CHARS:
        raise AnkleSleepError(
            _("{key}: the value is longer than {limit} characters").format(
                key=key, limit=MAX_JSON_CHARS
            ),
            field=key,
        )
    return rule(value)


def problem(key: str, value: Any) -> str | None:
    """Why a stored value is bad (one line), or None when it is fine."""
    from anklesleep.store.database import DamagedJSON

    if isinstance(value, DamagedJSON):
        return _("{key}: the stored value is not JSON").format(key=key)
    try:
        check(key, value)
    except AnkleSleepError as exc:
        return exc.message
    except (TypeError, ValueError) as exc:  # a value json cannot even write
        return f"{key}: {type(exc).__name__}"
    return None


def parse_or_default(key: str, value: Any, parse: Callable[[Any], T], default: T) -> T:
    """`parse(value)`, or `default` with a one-line warning when the stored value is damaged."""
    try:
        return parse(value)
    except (AnkleSleepError, AttributeError, TypeError, ValueError, KeyError):
        LOG.warning("setting %r is damaged and was ignored; run `anklesleep doctor --repair`", key)
        return default
