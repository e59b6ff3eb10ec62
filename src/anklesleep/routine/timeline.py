"""Routine + options -> Timeline: every cue of a session with its exact start and duration.

Pure: no clock, files or database. Speech length comes from an injected `speech_seconds(text)`
(measured clips when a voice engine renders them, else `estimate_speech_seconds`), so an
announcement always lasts at least as long as its spoken words and never runs into a tone.
The same Timeline drives the terminal player, the rendered audio track and the web player.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from typing import Any, Literal

from anklesleep.basics.i18n import N_, Translate
from anklesleep.routine.definition import Routine, Section, SectionId, Step
from anklesleep.routine.options import Foot, Options
from anklesleep.routine.script import Script, builtin_script

CueKind = Literal["announce", "grip", "hold", "release", "circle", "tilt", "switch", "done"]
SpeechSeconds = Callable[[str], float]

#: Tone frequencies (Hz): a brighter tone starts a hold, a lower one releases it; soft ticks pace
#: circles and tilts; a low chime closes the session.
TONE_HOLD = 660.0
TONE_RELEASE = 440.0
TONE_CIRCLE = 880.0
TONE_TILT = 740.0
TONE_DONE = 523.25
#: The last repetition of a step sounds lower (a deeper bell or tick), and two rising notes from
#: this pitch end a toe stretch.
TONE_LAST_HOLD = 493.88
TONE_LAST_CIRCLE = 783.99
TONE_LAST_TILT = 698.46
TONE_STEP_END = 392.0
#: Silence kept after a spoken clip before the next cue, so speech never touches a tone.
SPEECH_GAP = 0.4
#: "Get set": the pause between the end of a step's words and its first hold or movement (ours).
GET_SET_SECONDS = 1.5
#: Silent sessions give each announcement its reading time: words at this pace…
READING_WORDS_PER_MINUTE = 180
#: …plus this long to look up from the screen and start.
READING_PAUSE_SECONDS = 1.5
#: Pause after each sentence of the introduction.
INTRO_PAUSE_SECONDS = 0.8
#: Where a spoken count starts within its cue: after the cue's sound has rung (the mixer starts
#: the words here), and the silence it must leave before the next cue.
COUNT_DELAY: dict[str, float] = {"release": 0.85, "circle": 0.35, "tilt": 0.35}
COUNT_TAIL = 0.2
#: How many circles the "more" control adds (the Japanese source: 5 more where it was harder).
MORE_CIRCLES = 5
#: The quiet moment before the first word (ours): the first cue of every timeline, silent, so a
#: phone or headset has woken up before anything is said, and every player starts at cue 0, 0 s.
LEAD_IN_SECONDS = 2.0
LEAD_IN_TEXT = N_("Settle in.")
#: Words per second of a calm voice, for estimating speech without a voice engine.
WORDS_PER_SECOND = 2.5


#: Japanese spoken calmly runs at about 6 characters a second, 2.4 times the English word rate
WIDE_CHARS_PER_WORD = 2.4


def word_count(text: str) -> float:
    """How many words `text` is worth when spoken or read: its space-separated words, with
    text written without spaces (Japanese, Chinese) counted as one word per
    `WIDE_CHARS_PER_WORD` characters."""
    count = 0.0
    for token in text.split():
        wide = sum(1 for c in token if unicodedata.east_asian_width(c) in "WF")
        count += wide / WIDE_CHARS_PER_WORD + (1 if wide < len(token) else 0)
    return count


def estimate_speech_seconds(text: str) -> float:
    """Estimated speaking time of `text` at a calm pace: 0.3 s plus 2.5 words a second.

    Used when no voice engine measures real clips (and to plan before rendering). Measured
    espeak-ng clips at 140 words a minute come out slightly shorter than this estimate.
    """
    words = word_count(text)
    return 0.0 if words == 0 else 0.3 + words / WORDS_PER_SECOND


def reading_seconds(text: str) -> float:
    """Time to read `text` on a screen and get going: 180 words a minute plus 1.5 s.

    Silent sessions (no voice, or no voice engine) size every announcement this way, so a long
    instruction is never rushed; an empty text takes no time.
    """
    words = word_count(text)
    return 0.0 if words == 0 else words * 60 / READING_WORDS_PER_MINUTE + READING_PAUSE_SECONDS


def no_speech(_text: str) -> float:
    """`speech_seconds` for silent sessions: nothing is spoken (announcements are read)."""
    return 0.0


@dataclass(frozen=True)
class Cue:
    """One moment of the session: an announcement, a grip, a hold, a release, one circle…"""

    start: float
    duration: float
    kind: CueKind
    section: SectionId | None
    foot: Foot | None
    step: str | None
    rep: int | None
    reps: int | None
    say: str | None
    tone_hz: float | None
    #: index of the chapter (one step on one foot, a foot switch, or the closing) it belongs to
    chapter: int
    #: what to show while the cue runs: the step's instruction, or the announcement
    text: str

    @property
    def end(self) -> float:
        return self.start + self.duration

    def to_dict(self) -> dict[str, Any]:
        return {
            "start": round(self.start, 6),
            "duration": round(self.duration, 6),
            "kind": self.kind,
            "section": self.section,
            "foot": self.foot,
            "step": self.step,
            "rep": self.rep,
            "reps": self.reps,
            "say": self.say,
            "tone_hz": self.tone_hz,
            "chapter": self.chapter,
            "text": self.text,
        }


@dataclass(frozen=True)
class Chapter:
    """A run of cues that a player can skip to: one step on one foot, a switch, or the end."""

    index: int
    first: int  # index of its first cue
    last: int  # index of its last cue
    start: float
    end: float
    kind: CueKind
    step: str | None
    foot: Foot | None
    section: SectionId | None
    title: str


@dataclass(frozen=True)
class Timeline:
    """The ordered, contiguous cues of one session."""

    routine_id: str
    options: Options
    cues: tuple[Cue, ...]

    @property
    def total_seconds(self) -> float:
        return self.cues[-1].end if self.cues else 0.0

    def __iter__(self) -> Iterator[Cue]:
        return iter(self.cues)

    def __len__(self) -> int:
        return len(self.cues)

    def chapters(self) -> tuple[Chapter, ...]:
        result: list[Chapter] = []
        for i, cue in enumerate(self.cues):
            if result and result[-1].index == cue.chapter:
                if result[-1].first == 0 and i == 1 and is_lead_in(self.cues[0]):
                    # the lead-in opens the first chapter, which is named after what follows
                    plain = cue.kind in ("switch", "done") or cue.step is None
                    title = cue.text if plain else _chapter_title(cue)
                    result[-1] = Chapter(
                        cue.chapter,
                        0,
                        i,
                        0.0,
                        cue.end,
                        cue.kind,
                        cue.step,
                        cue.foot,
                        cue.section,
                        title,
                    )
                    continue
                result[-1] = replace(result[-1], last=i, end=cue.end)
                continue
            plain = cue.kind in ("switch", "done") or cue.step is None  # the introduction
            title = cue.text if plain else _chapter_title(cue)
            result.append(
                Chapter(
                    cue.chapter,
                    i,
                    i,
                    cue.start,
                    cue.end,
                    cue.kind,
                    cue.step,
                    cue.foot,
                    cue.section,
                    title,
                )
            )
        return tuple(result)

    def to_dict(self) -> dict[str, Any]:
        return {
            "routine": self.routine_id,
            "total_seconds": round(self.total_seconds, 6),
            "options": self.options.to_dict(),
            "cues": [c.to_dict() for c in self.cues],
        }


def is_lead_in(cue: Cue) -> bool:
    """Whether `cue` is the silent lead-in that opens every timeline."""
    return cue.start == 0.0 and cue.kind == "announce" and cue.say is None and cue.step is None


def _chapter_title(cue: Cue) -> str:
    foot = f" ({cue.foot})" if cue.foot else ""
    return f"{cue.step}{foot}"


class _Builder:
    """Accumulates cues back to back, so the timeline is contiguous by construction."""

    def __init__(
        self, speech_seconds: SpeechSeconds, t: Translate, tempo: float, voiced: bool
    ) -> None:
        self.cues: list[Cue] = []
        self.voiced = voiced
        self.now = 0.0
        self.chapter = -1
        self.speech_seconds = speech_seconds
        self.t = t
        self.tempo = tempo
        self.script = builtin_script()
        #: the lead-in's chapter is still open: the next chapter is the one it opens
        self.leading = False

    def new_chapter(self) -> None:
        if self.leading:
            self.leading = False
            return
        self.chapter += 1

    def lead_in(self) -> None:
        """The silent first cue: `LEAD_IN_SECONDS` whatever the tempo, shown as "Settle in"."""
        self.new_chapter()
        self.add(LEAD_IN_SECONDS, "announce", self.t(LEAD_IN_TEXT))
        self.leading = True

    def words(self, say: str, pause: float = SPEECH_GAP) -> float:
        """How long the words `say` take: spoken plus `pause`, or (silent) their reading time.

        A voice that measures nothing for a text (no engine after all) falls back to reading.
        """
        speech = self.speech_seconds(say) if self.voiced else 0.0
        if speech > 0:
            return speech + pause
        return max(reading_seconds(say), pause if say.strip() else 0.0)

    def count_fits(self, say: str | None, kind: str, room: float) -> str | None:
        """`say` if a voice can speak it within a `kind` cue of `room` seconds, else None.

        Counts never lengthen a cue: a pace too quick for the words is simply not counted.
        """
        if not say or not self.voiced:
            return None
        speech = self.speech_seconds(say)
        if speech <= 0 or COUNT_DELAY[kind] + speech + COUNT_TAIL > room:
            return None
        return say

    def spoken(self, say: str, minimum: float, pause: float = SPEECH_GAP) -> float:
        """Duration of a cue that speaks `say`: its minimum, or the words and `pause` after them."""
        return max(minimum * self.tempo, self.words(say, pause))

    def add(self, duration: float, kind: CueKind, text: str, **fields: Any) -> None:
        cue = Cue(
            start=self.now,
            duration=duration,
            kind=kind,
            section=fields.get("section"),
            foot=fields.get("foot"),
            step=fields.get("step"),
            rep=fields.get("rep"),
            reps=fields.get("reps"),
            say=fields.get("say"),
            tone_hz=fields.get("tone_hz"),
            chapter=self.chapter,
            text=text,
        )
        self.cues.append(cue)
        self.now += duration


_FOOT_NAMES = {"left": N_("left foot"), "right": N_("right foot")}
_SWITCH = {"left": N_("Switch to the left foot."), "right": N_("Switch to the right foot.")}
_MORE = {
    "inward": N_("Five more circles inward, where it felt stiff."),
    "outward": N_("Five more circles outward, where it felt stiff."),
}


def _identity(text: str) -> str:
    return text


def expand(
    routine: Routine,
    options: Options,
    speech_seconds: SpeechSeconds = estimate_speech_seconds,
    translate: Translate = _identity,
    script: Script | None = None,
) -> Timeline:
    """Every cue of a session of `routine` played with `options`, in order, back to back.

    `script` (default: the built-in one) gives the introduction, counts and closing words.
    "Halfway there" is said at the step that starts nearest the middle of the session's time
    (found by laying the session out once without it), unless a foot switch comes just before.
    """
    starts: list[float] = []
    plain = _expand(routine, options, speech_seconds, translate, script, None, starts)
    if len(starts) <= 2:
        return plain
    middle = plain.total_seconds / 2
    nearest = min(range(len(starts)), key=lambda i: abs(starts[i] - middle))
    if nearest == 0:
        return plain
    return _expand(routine, options, speech_seconds, translate, script, nearest, [])


def _expand(
    routine: Routine,
    options: Options,
    speech_seconds: SpeechSeconds,
    translate: Translate,
    script: Script | None,
    halfway_at: int | None,
    starts: list[float],
) -> Timeline:
    """The session laid out with "halfway" before step number `halfway_at` (None: nowhere);
    each step's start time is appended to `starts`."""
    t = translate
    words = script or builtin_script()
    b = _Builder(speech_seconds, t, options.tempo, options.voice)
    b.script = words
    b.lead_in()
    tr = routine.transitions
    order = options.foot_order or routine.order
    first: Foot = options.first_foot
    feet: tuple[Foot, Foot] = (first, "right" if first == "left" else "left")
    if order == "by-section":
        blocks = [(section, foot) for section in routine.sections for foot in feet]
    else:
        blocks = [(section, foot) for foot in feet for section in routine.sections]

    intro = words.intro(options.intro or words.default_intro(routine.id))
    if intro:
        b.new_chapter()
        for sentence in intro:
            say = t(sentence).format(foot=t(_FOOT_NAMES[first]))
            b.add(b.spoken(say, 0.0, INTRO_PAUSE_SECONDS), "announce", say, say=say)
    said_foot: Foot | None = None
    said_section: SectionId | None = None
    step_number = 0
    switched = False
    for section, foot in blocks:
        if said_foot is not None and foot != said_foot:
            b.new_chapter()
            say = t(_SWITCH[foot])
            b.add(b.spoken(say, tr.switch_seconds), "switch", say, foot=foot, say=say)
            said_foot = foot
            switched = True
        for step in section.steps:
            prefix: list[str] = []
            if section.id != said_section:
                prefix.append(t(section.title))
            if foot != said_foot:
                prefix.append(t(_FOOT_NAMES[foot]))
            said = _with_lead(prefix, t(step.instruction), t)
            # "halfway" at the middle step, unless a foot switch has just said as much
            if step_number == halfway_at and not switched:
                said = t("{halfway} {instruction}").format(
                    halfway=t(words.halfway), instruction=said
                )
            switched = False
            said_section, said_foot = section.id, foot
            step_number += 1
            b.new_chapter()
            starts.append(b.now)
            _add_step(b, routine, section, step, foot, said, options)
        extra = options.extra_circles.get(foot)
        if section.id == "ankle" and extra:
            circle = next((s for s in section.steps if s.direction == extra), None)
            if circle is not None:
                b.new_chapter()
                say = t(_MORE[extra])
                fields = {"section": section.id, "foot": foot, "step": circle.id, "say": say}
                b.add(
                    b.spoken(say, tr.announce_min_seconds, GET_SET_SECONDS),
                    "announce",
                    say,
                    **fields,
                )
                pace = (options.circle_pace or circle.pace_seconds) * options.tempo
                text = t(circle.instruction)
                for rep in range(1, MORE_CIRCLES + 1):
                    b.add(
                        pace,
                        "circle",
                        text,
                        **{**fields, "say": None},
                        rep=rep,
                        reps=MORE_CIRCLES,
                        tone_hz=_pace_tone("circle", rep == MORE_CIRCLES),
                    )
    b.new_chapter()
    say = t(words.closing(options.closing))
    b.add(b.spoken(say, tr.closing_seconds), "done", say, say=say, tone_hz=TONE_DONE)
    return Timeline(routine.id, options, tuple(b.cues))


def _add_step(
    b: _Builder, routine: Routine, section: Section, step: Step, foot: Foot, say: str, o: Options
) -> None:
    fields: dict[str, Any] = {"section": section.id, "foot": foot, "step": step.id}
    text = b.t(step.instruction)
    tempo = o.tempo
    minimum = routine.transitions.announce_min_seconds
    if step.kind == "grip":
        # The grip gets its own seconds once the words have ended.
        b.add(b.words(say, 0.0) + step.seconds * tempo, "grip", text, **fields, say=say)
        return
    # "Get set": the first hold or movement comes a calm pause after the words end.
    b.add(b.spoken(say, minimum, GET_SET_SECONDS), "announce", text, **fields, say=say)
    reps = step.reps
    if step.kind == "hold":
        hold = (o.hold or step.hold_seconds) * tempo
        release = (o.release or step.release_seconds) * tempo
        for rep in range(1, reps + 1):
            last = rep == reps
            hold_hz = TONE_LAST_HOLD if last else TONE_HOLD
            b.add(hold, "hold", text, **fields, rep=rep, reps=reps, tone_hz=hold_hz)
            # the rest after a hold names the next one: "two", "three", … "last one"
            upcoming = b.script.count(rep + 1, reps) if rep < reps else None
            count = b.count_fits(b.t(upcoming) if upcoming else None, "release", release)
            b.add(
                release,
                "release",
                text,
                **fields,
                rep=rep,
                reps=reps,
                tone_hz=TONE_STEP_END if last else TONE_RELEASE,
                say=count,
            )
    else:
        kind: CueKind = "circle" if step.kind == "circle" else "tilt"
        own = o.circle_pace if kind == "circle" else o.tilt_pace
        pace = (own or step.pace_seconds) * tempo
        for rep in range(1, reps + 1):
            tone = _pace_tone(kind, rep == reps)
            # each circle or tilt counted at its own pace, where the words fit in it
            number = b.script.count(rep, reps)
            count = b.count_fits(b.t(number) if number else None, kind, pace)
            b.add(pace, kind, text, **fields, rep=rep, reps=reps, tone_hz=tone, say=count)


def _pace_tone(kind: str, last: bool) -> float:
    if kind == "circle":
        return TONE_LAST_CIRCLE if last else TONE_CIRCLE
    return TONE_LAST_TILT if last else TONE_TILT


def add_circles(timeline: Timeline, chapter: int, count: int = MORE_CIRCLES) -> Timeline:
    """The "more" control: `count` more circles at the end of a circle chapter.

    Later cues move back by the added time; the chapter's repetition total grows.
    """
    cues = list(timeline.cues)
    members = [i for i, c in enumerate(cues) if c.chapter == chapter and c.kind == "circle"]
    if not members:
        return timeline
    last = cues[members[-1]]
    reps = (last.reps or 0) + count
    pace = last.duration
    for i in members:
        cues[i] = replace(cues[i], reps=reps)
    # the old last circle is an ordinary one now (its count, if any, no longer holds)
    cues[members[-1]] = replace(cues[members[-1]], tone_hz=TONE_CIRCLE, say=None)
    added = [
        replace(
            last,
            start=last.end + k * pace,
            rep=(last.rep or 0) + 1 + k,
            reps=reps,
            say=None,
            tone_hz=_pace_tone("circle", k == count - 1),
        )
        for k in range(count)
    ]
    shift = count * pace
    after = [replace(c, start=c.start + shift) for c in cues[members[-1] + 1 :]]
    return replace(timeline, cues=(*cues[: members[-1] + 1], *added, *after))


def _with_lead(prefix: list[str], instruction: str, t: Translate) -> str:
    """The instruction after the names of a new section and foot ("Toes, left foot. Pull …"),
    joined the way the language joins them."""
    if not prefix:
        return instruction
    lead = (
        t("{first}, {second}").format(first=prefix[0], second=prefix[1])
        if len(prefix) > 1
        else prefix[0]
    )
    lead = lead[0].upper() + lead[1:]
    return t("{lead}. {instruction}").format(lead=lead, instruction=instruction)
