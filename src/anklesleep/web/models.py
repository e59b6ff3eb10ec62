"""The JSON API's request and response bodies, declared once as typed models.

`/openapi.json` is generated from these models and the operation list in `anklesleep.web.api`
(see `anklesleep.web.openapi`). Ranges and names come from the core: option ranges from
`anklesleep.routine.options`, symptom keys from `anklesleep.diary.entries`, slot names from
`anklesleep.schedule.slots`, themes from `anklesleep.store.preferences`. The handlers check input
with the core's own validators (one 400 naming the field), and the contract test checks that what
they accept and answer matches these models.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, create_model

from anklesleep.diary.entries import (
    AWAKENINGS_MAX,
    MINUTES_MAX,
    NOTE_MAX,
    QUALITY_LABELS,
    SCORE_MAX,
    SCORE_MIN,
    SYMPTOM_KEYS,
)
from anklesleep.routine.catalog import BUILTIN_IDS
from anklesleep.routine.options import (
    BED_RANGE,
    EXTRA_CIRCLE_CHOICES,
    FEET,
    INTRO_CHOICES,
    RANGES,
    SPEECH_RATE_RANGE,
)
from anklesleep.schedule.slots import SLOTS
from anklesleep.store.language import choices as language_choices
from anklesleep.store.preferences import THEMES

SlotName = Literal[SLOTS]  # type: ignore[valid-type]
Theme = Literal[THEMES]  # type: ignore[valid-type]
Foot = Literal[FEET]  # type: ignore[valid-type]
Direction = Literal[EXTRA_CIRCLE_CHOICES]  # type: ignore[valid-type]
Intro = Literal[INTRO_CHOICES]  # type: ignore[valid-type]
FootOrder = Literal["by-section", "by-foot"]
SlotStatus = Literal["done", "partial", "not yet"]
TIME_PATTERN = r"^[0-9]{1,2}:[0-9]{2}$"
QUALITY_LOW, QUALITY_HIGH = min(QUALITY_LABELS), max(QUALITY_LABELS)


#: one stretch of the track played: [start, end] in seconds
Stretch = Annotated[list[float], Field(min_length=2, max_length=2)]


class Model(BaseModel):
    """A body with exactly these fields."""

    model_config = ConfigDict(extra="forbid")


class Error(Model):
    """Every 4xx answer: the message names the field, the value and the fix."""

    error: str
    field: str | None = None
    problems: dict[str, str] | None = Field(
        default=None, description="Every field with a mistake and its message, when several."
    )


def _ranged(name: str) -> Any:
    low, high = RANGES[name]
    return (float | None, Field(default=None, ge=low, le=high))


#: A session's options as stored and answered (`Options.to_dict()`).
OptionsOut = create_model(  # type: ignore[call-overload]
    "OptionsOut",
    __base__=Model,
    **{name: (float | None, None) for name in RANGES if name != "tempo"},
    tempo=(float, 1.0),
    extra_circles=(dict[Foot, Direction], ...),
    foot_order=(FootOrder | None, None),
    first_foot=(Foot, "left"),
    voice=(bool, True),
    language=(str, "en"),
    intro=(Intro | None, None),
    closing=(SlotName | None, None),
    speaker=(str | None, None),
    speech_rate=(int | None, None),
    bed=(float | None, None),
)

#: Options a request may change; numbers within the core's ranges (null: the routine's own).
OptionsIn = create_model(
    "OptionsIn",
    __base__=Model,
    **{name: _ranged(name) for name in RANGES},
    extra_circles=(
        Direction | str | dict[Foot, Direction] | None,
        Field(default=None, description="none, inward, outward, or per foot: left=inward"),
    ),
    foot_order=(FootOrder | None, None),
    first_foot=(Foot | None, None),
    voice=(bool | None, None),
    language=(str | None, Field(default=None, pattern=r"^[A-Za-z_]+$")),
    intro=(Intro | None, Field(default=None, description="The spoken introduction.")),
    closing=(SlotName | None, Field(default=None, description="The closing words' slot.")),
    speaker=(
        str | None,
        Field(default=None, description="The speech engine (null: the most natural installed)."),
    ),
    speech_rate=(
        int | None,
        Field(default=None, ge=SPEECH_RATE_RANGE[0], le=SPEECH_RATE_RANGE[1]),
    ),
    bed=(float | None, Field(default=None, ge=BED_RANGE[0], le=BED_RANGE[1])),
)

#: The options saved as the user's defaults (no language: that follows the page).
SavedOptions = create_model(  # type: ignore[call-overload]
    "SavedOptions",
    __base__=Model,
    **{name: (float | None, None) for name in RANGES if name != "tempo"},
    tempo=(float, 1.0),
    extra_circles=(dict[Foot, Direction], ...),
    foot_order=(FootOrder | None, None),
    first_foot=(Foot, "left"),
    voice=(bool, True),
    intro=(Intro | None, None),
    closing=(SlotName | None, None),
    speaker=(str | None, None),
    speech_rate=(int | None, None),
    bed=(float | None, None),
)


class RoutineSummary(Model):
    id: str
    name: str
    summary: str
    origin: str
    total_seconds: float
    total: str


class Routines(Model):
    routines: list[RoutineSummary]


class Chapter(Model):
    index: int
    start: float
    end: float
    kind: str
    step: str | None
    foot: str | None
    section: str | None
    title: str
    first_cue: int


class Timeline(Model):
    routine: str
    total_seconds: float
    options: OptionsOut  # type: ignore[valid-type]
    cues: list[dict[str, Any]] = Field(description="start, duration, kind, step, foot, rep, say…")
    chapters: list[Chapter]


class Track(Model):
    id: str
    routine: str
    name: str
    format: str
    audio_url: str
    download_url: str
    chapters_url: str = Field(description="The track's chapters as WebVTT.")
    timeline: Timeline


class Session(Model):
    """A session record (see `anklesleep history --json`)."""

    uuid: str
    routine: str
    slot: SlotName
    started_at: str
    ended_at: str | None
    utc_offset_minutes: int
    local_date: str
    local_start: str
    planned_seconds: float
    completed_seconds: float
    completed: bool
    steps_done: list[str]
    options: dict[str, Any]
    source: str
    played: list[Stretch] = Field(
        description="Stretches of the track played, [start, end] in seconds."
    )
    position_seconds: float | None
    percent_played: float = Field(ge=0, le=100)


class Sessions(Model):
    sessions: list[Session]


class SessionStart(Model):
    routine: str = Field(examples=list(BUILTIN_IDS), description="full, quick, or your own")
    options: OptionsIn | None = None  # type: ignore[valid-type]
    planned_seconds: float = Field(ge=1)
    slot: SlotName | None = None
    replaces: str | None = Field(
        default=None, description="An unfinished session to keep as partial (Start over)."
    )


class Interruption(Model):
    at: float = Field(ge=0, description="Where in the track, in seconds.")
    kind: Literal["error", "stalled", "interrupted"]


class SessionProgress(Model):
    played: list[Stretch] = Field(
        default=[], description="Stretches of the track played, [start, end] in seconds."
    )
    position_seconds: float | None = Field(default=None, ge=0)
    completed_seconds: float | None = Field(
        default=None, ge=0, description="Seconds played from the start (older players)."
    )
    steps_done: list[str] = []
    planned_seconds: float | None = Field(default=None, ge=1)
    extra_circles: str | None = Field(default=None, examples=["left=inward,right=none"])
    track: str | None = Field(default=None, description="The id of the track being played.")
    interruptions: list[Interruption] = Field(
        default=[],
        description="Each time the sound stopped without being asked to since the last report; "
        "kept in the session's options.",
    )


class SessionFinish(SessionProgress):
    completed: bool


class NightIn(Model):
    """One night of the Consensus Sleep Diary; the night itself is in the path. The times and
    counts are required unless a tracker night is stored for the date: then each one left out
    takes the answer stored for the night, else the tracker's (see docs/data.md)."""

    into_bed: str | None = Field(default=None, pattern=TIME_PATTERN, examples=["23:15"])
    tried_to_sleep: str | None = Field(default=None, pattern=TIME_PATTERN)
    sol_minutes: int | None = Field(default=None, ge=0, le=MINUTES_MAX)
    awakenings: int | None = Field(default=None, ge=0, le=AWAKENINGS_MAX)
    waso_minutes: int | None = Field(default=None, ge=0, le=MINUTES_MAX)
    final_awakening: str | None = Field(default=None, pattern=TIME_PATTERN)
    out_of_bed: str | None = Field(default=None, pattern=TIME_PATTERN)
    quality: int = Field(ge=QUALITY_LOW, le=QUALITY_HIGH)
    note: str = Field(default="", max_length=NOTE_MAX)
    fold: Literal["earlier", "later"] | None = Field(
        default=None, description="Which of a repeated hour's two times is meant (clocks back)."
    )
    confirm: bool = Field(
        default=False, description="Save an unusual night (over 14 h in bed, over 3 h to sleep)."
    )


class NightMetrics(Model):
    tib_minutes: int
    tst_minutes: int
    se_percent: float
    sol_minutes: int
    waso_minutes: int
    nwak: int
    tib_after_final_minutes: int
    tib_before_trying_minutes: int


class NightEntry(Model):
    night: str
    into_bed: str
    tried_to_sleep: str
    sol_minutes: int
    awakenings: int
    waso_minutes: int
    final_awakening: str
    out_of_bed: str
    quality: int
    quality_label: str
    note: str
    zone: str = Field(description="The time zone the clock times are in.")
    fold: int | None = Field(description="0: the earlier, 1: the later of a repeated hour.")


class Night(NightEntry):
    """A night as saved, with its derived metrics."""

    metrics: NightMetrics


class Nights(Model):
    nights: list[Night]


class SymptomScore(Model):
    key: str
    label: str
    score: int | None
    note: str


class Symptoms(Model):
    day: str
    symptoms: list[SymptomScore]


#: A day's complaint scores: 0-10 to save, null to clear, keys from the core.
SymptomsIn = create_model(  # type: ignore[call-overload]
    "SymptomsIn",
    __base__=Model,
    **{key: (int | None, Field(default=None, ge=SCORE_MIN, le=SCORE_MAX)) for key in SYMPTOM_KEYS},
    **{
        f"{key}_note": (str | None, Field(default=None, max_length=NOTE_MAX))
        for key in SYMPTOM_KEYS
    },
)


class TodaySlot(Model):
    slot: SlotName
    label: str
    time: str
    enabled: bool
    status: SlotStatus
    routine: str
    current: bool
    moment: Literal["done", "missed", "now", "upcoming"]


class TodayAction(Model):
    """One of Today's buttons: fill in the diary, or play a routine."""

    kind: Literal["diary", "routine"]
    label: str
    href: str
    routine: str | None
    slot: SlotName | None


class ExperimentToday(Model):
    phase: str
    do_routine: bool | None
    headline: str
    detail: str
    days_left: int


class Reminder(Model):
    slot: SlotName
    at: str
    routine: str
    done: bool
    title: str
    body: str
    url: str


class Today(Model):
    """Today, the same document as `anklesleep today --json`."""

    day: str
    slots: list[TodaySlot]
    done_count: int
    streak: int
    longest_streak: int
    current_slot: SlotName
    sessions: list[Session]
    last_night: NightEntry | None
    last_night_metrics: NightMetrics | None
    diary_nudge: bool
    experiment: ExperimentToday | None
    reminders: list[Reminder]
    primary: TodayAction | None
    secondary: TodayAction | None
    acknowledge: bool
    habit_strength: float


class SlotOut(Model):
    time: str
    enabled: bool
    routine: str


class SlotSettingsOut(Model):
    timezone: str
    timezone_auto: bool
    slots: dict[SlotName, SlotOut]


class PreferencesOut(Model):
    options: SavedOptions  # type: ignore[valid-type]
    theme: Theme


class Settings(Model):
    slots: SlotSettingsOut
    preferences: PreferencesOut
    safety_acknowledged_at: str | None
    #: "auto" (the browser's language) or a language code with a catalog ("en", "ja")
    language: str = Field(json_schema_extra={"enum": list(language_choices())})


class SlotIn(Model):
    time: str | None = None
    enabled: bool | None = None
    routine: str | None = None


class SlotSettingsIn(Model):
    timezone: str | None = None
    slots: dict[SlotName, SlotIn] | None = None


class PreferencesIn(Model):
    options: OptionsIn | None = None  # type: ignore[valid-type]
    theme: Theme | None = None


class SettingsIn(Model):
    slots: SlotSettingsIn | None = None
    preferences: PreferencesIn | None = None
    safety_acknowledged: bool | None = None
    language: str | None = Field(default=None, json_schema_extra={"enum": list(language_choices())})
