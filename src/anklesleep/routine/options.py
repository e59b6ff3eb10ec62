"""Session options shared by every front end (`show`, `timeline`, `start`, `audio`, the web app).

`None` means "the routine's own default". `validate` turns raw user values into `Options` or
raises one clear `AnkleSleepError` naming the option, the value and the allowed range.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from anklesleep.basics.errors import AnkleSleepError
from anklesleep.basics.i18n import _

Foot = Literal["left", "right"]
FEET: tuple[Foot, ...] = ("left", "right")
EXTRA_CIRCLE_CHOICES = ("none", "inward", "outward")

#: The options a user sets by name on the command line or in a query string.
OPTION_NAMES = (
    "hold",
    "release",
    "circle_pace",
    "tilt_pace",
    "extra_circles",
    "foot_order",
    "first_foot",
    "tempo",
    "intro",
    "closing",
)
#: the spoken introduction: full, short or none (absent: the routine's default)
INTRO_CHOICES = ("full", "short", "none")
#: the closing words: those for a morning, home (after work) or bedtime session (absent: general)
SLOT_CHOICES = ("morning", "home", "bedtime")

#: the speaking rates a voice can be asked for, in words a minute (absent: a calm 130)
SPEECH_RATE_RANGE = (80, 220)
#: the quiet bed's level, in dBFS RMS (absent: no bed); 'soft' is the level we suggest
BED_RANGE = (-60.0, -30.0)
BED_SOFT = -48.0
#: how a speech engine may be named (the engines themselves live in `anklesleep.audio.voices`)
_SPEAKER_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789-_.")

#: option name -> (low, high) for the numeric options
RANGES: dict[str, tuple[float, float]] = {
    "hold": (1.0, 60.0),
    "release": (0.5, 30.0),
    "circle_pace": (0.5, 10.0),
    "tilt_pace": (0.5, 10.0),
    "tempo": (0.1, 3.0),
}


def range_text(name: str) -> str:
    """A numeric option's range as people read it, e.g. `0.5-30` (for help texts and tables)."""
    low, high = RANGES[name]
    return f"{low:g}-{high:g}"


@dataclass(frozen=True)
class Options:
    """How to play a routine. Numbers are seconds; `tempo` scales every duration."""

    hold: float | None = None
    release: float | None = None
    circle_pace: float | None = None
    tilt_pace: float | None = None
    #: extra circles after A2, per foot: "inward", "outward" (absent = none)
    extra_circles: Mapping[Foot, str] = field(default_factory=dict)
    foot_order: Literal["by-section", "by-foot"] | None = None
    first_foot: Foot = "left"
    tempo: float = 1.0
    voice: bool = True
    language: str = "en"
    intro: Literal["full", "short", "none"] | None = None
    closing: Literal["morning", "home", "bedtime"] | None = None
    #: the speech engine that speaks (absent: the most natural one installed)
    speaker: str | None = None
    #: how fast it speaks, in words a minute (absent: the calm default, 130)
    speech_rate: int | None = None
    #: the quiet bed of room tone under the track, its level in dBFS (absent: none)
    bed: float | None = None

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["extra_circles"] = dict(self.extra_circles)
        return data


def _flag(name: str) -> str:
    return "--" + name.replace("_", "-")


def parse_extra_circles(value: str | Mapping[str, str] | None) -> dict[Foot, str]:
    """`inward` (both feet), `none`, or per foot: `left=inward,right=outward`."""
    if value is None:
        return {}
    if not isinstance(value, str | Mapping):
        raise AnkleSleepError(
            _(
                "--extra-circles: got {value!r}; use none, inward, outward, or per foot like "
                "left=inward,right=none"
            ).format(value=value),
            field="extra_circles",
        )
    pairs: dict[str, str]
    if isinstance(value, Mapping):
        pairs = {str(k): str(v) for k, v in value.items()}
    elif "=" in value:
        pairs = {}
        for part in value.split(","):
            foot, _sep, direction = part.partition("=")
            pairs[foot.strip()] = direction.strip()
    else:
        pairs = {foot: value.strip() for foot in FEET}
    result: dict[Foot, str] = {}
    for foot, direction in pairs.items():
        if foot not in FEET or direction not in EXTRA_CIRCLE_CHOICES:
            raise AnkleSleepError(
                _(
                    "--extra-circles: got {value!r}; use none, inward, outward, or per "
                    "foot like left=inward,right=none"
                ).format(value=value),
                field="extra_circles",
            )
        if direction != "none":
            result[foot] = direction
    return result


def validate(**raw: Any) -> Options:
    """Build `Options` from user values, checking every range."""
    values: dict[str, Any] = {}
    for name, (low, high) in RANGES.items():
        value = raw.get(name)
        if value is None:
            continue
        try:
            number = float(value)
        except (TypeError, ValueError):
            number = float("nan")
        if not low <= number <= high:  # also catches NaN
            raise AnkleSleepError(
                _("{flag}: got {value!r}; expected a number from {low:g} to {high:g}").format(
                    flag=_flag(name), value=value, low=low, high=high
                ),
                field=name,
            )
        values[name] = number
    values["extra_circles"] = parse_extra_circles(raw.get("extra_circles"))
    foot_order = raw.get("foot_order")
    if foot_order is not None and foot_order not in ("by-section", "by-foot"):
        raise AnkleSleepError(
            _("--foot-order: got {foot_order!r}; use by-section or by-foot").format(
                foot_order=foot_order
            ),
            field="foot_order",
        )
    values["foot_order"] = foot_order
    first_foot = raw.get("first_foot") or "left"
    if first_foot not in FEET:
        raise AnkleSleepError(
            _("--first-foot: got {first_foot!r}; use left or right").format(first_foot=first_foot),
            field="first_foot",
        )
    values["first_foot"] = first_foot
    for name, choices in (("intro", INTRO_CHOICES), ("closing", SLOT_CHOICES)):
        value = raw.get(name)
        if value is not None and value not in choices:
            raise AnkleSleepError(
                _("{flag}: got {value!r}; use {choices}").format(
                    flag=_flag(name), value=value, choices=", ".join(choices)
                ),
                field=name,
            )
        values[name] = value
    voice = True if raw.get("voice") is None else raw["voice"]
    if not isinstance(voice, bool):
        raise AnkleSleepError(
            _("--voice: got {voice!r}; use true or false").format(voice=voice), field="voice"
        )
    values["voice"] = voice
    language = raw.get("language") or "en"
    if not isinstance(language, str) or not language.replace("_", "").isalpha():
        raise AnkleSleepError(
            _("--language: got {language!r}; use a language code such as en").format(
                language=language
            ),
            field="language",
        )
    values["language"] = language
    speaker = raw.get("speaker")
    if speaker is not None:
        if (
            not isinstance(speaker, str)
            or not speaker.strip()
            or not set(speaker.strip().lower()) <= _SPEAKER_CHARS
        ):
            raise AnkleSleepError(
                _("--voice: got {speaker!r}; use an engine name such as espeak-ng").format(
                    speaker=speaker
                ),
                field="speaker",
            )
        speaker = speaker.strip().lower()
    values["speaker"] = speaker
    values["speech_rate"] = check_speech_rate(raw.get("speech_rate"))
    values["bed"] = check_bed(raw.get("bed"))
    return Options(**values)


def _as_number(value: object) -> float:
    """`value` as a number when it is one (or its text), else NaN, which every range refuses."""
    if isinstance(value, int | float | str) and not isinstance(value, bool):
        with contextlib.suppress(ValueError):
            return float(value)
    return float("nan")


def check_bed(value: object) -> float | None:
    """The quiet bed's level in dBFS (None or "off": no bed), or one clear error."""
    if value is None or value == "off" or value == "":
        return None
    low, high = BED_RANGE
    number = _as_number(value)
    if not low <= number <= high:  # also catches NaN
        raise AnkleSleepError(
            _("--bed: got {value!r}; use off or a level in dB from {low:g} to {high:g}").format(
                value=value, low=low, high=high
            ),
            field="bed",
        )
    return number


def check_speech_rate(value: object) -> int | None:
    """A speaking rate in words a minute (None stays None), or one clear error with its range."""
    if value is None:
        return None
    low, high = SPEECH_RATE_RANGE
    number = _as_number(value)
    if not low <= number <= high:  # also catches NaN
        raise AnkleSleepError(
            _("--rate: got {value!r}; expected words a minute from {low} to {high}").format(
                value=value, low=low, high=high
            ),
            field="speech_rate",
        )
    return round(number)


def from_dict(data: Mapping[str, Any]) -> Options:
    """Options back from `Options.to_dict()` output (stored sessions, API requests)."""
    known = set(Options.__dataclass_fields__)
    unknown = sorted(set(data) - known)
    if unknown:
        raise AnkleSleepError(
            _("options: unknown option {unknown!r}; allowed: {known}").format(
                unknown=unknown[0], known=", ".join(sorted(known))
            ),
            field=unknown[0],
        )
    return validate(**data)
