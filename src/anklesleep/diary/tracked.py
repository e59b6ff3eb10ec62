"""What a sleep tracker's night answers of the diary, and what a blank diary field means when
there is one: the one set of rules the web form, the API and the command line share.

Without a tracker night every diary answer is required. With one, a morning entry may be as
little as how well you slept and a note; each answer left blank takes, in this order:
1. the answer already stored for the night, the quality included (an entry is never emptied
   by a shorter one);
2. the tracker's: into bed and trying to sleep at its start, the final awakening and out of
   bed at its end (in the night's zone, to the minute), its awake minutes as minutes awake;
3. for what no tracker knows: 0 minutes to fall asleep, and 1 awakening when there were
   minutes awake (else 0), so the night adds up.
Pure: the tracker night is a value; nothing here reads a clock, a database or a file.
"""

from __future__ import annotations

import datetime as dt

from anklesleep.diary import entries as diary
from anklesleep.diary import nighttime
from anklesleep.trackers.records import TrackerNight

#: The diary fields a tracker's night can answer.
FROM_TRACKER: tuple[str, ...] = (*nighttime.TIME_FIELDS, "waso_minutes")
#: The diary fields that may be left blank when the night has a tracker night.
OPTIONAL: tuple[str, ...] = (*nighttime.TIME_FIELDS, "sol_minutes", "awakenings", "waso_minutes")


def _local(moment: dt.datetime, zone_name: str) -> dt.datetime:
    return moment.astimezone(nighttime.zone(zone_name)).replace(second=0, microsecond=0)


def tracker_answers(tracked: TrackerNight, zone_name: str) -> dict[str, str]:
    """The diary answers a tracker's night gives, as form text (`23:05`, `45`)."""
    start = diary.hhmm(_local(tracked.start, zone_name).time())
    end = diary.hhmm(_local(tracked.end, zone_name).time())
    answers = {"into_bed": start, "tried_to_sleep": start, "final_awakening": end}
    answers["out_of_bed"] = end
    if tracked.awake_minutes is not None:
        answers["waso_minutes"] = str(tracked.awake_minutes)
    return answers


def tracker_fold(tracked: TrackerNight, zone_name: str, used: set[str]) -> int | None:
    """Which of a repeated hour's times the tracker meant, for the times taken from it: the
    tracker knows the instant, so the question need not be asked; None when no time taken
    from it falls in a repeated hour."""
    zone = nighttime.zone(zone_name)
    moments = {"into_bed": tracked.start, "tried_to_sleep": tracked.start}
    moments |= {"final_awakening": tracked.end, "out_of_bed": tracked.end}
    for name, moment in moments.items():
        if name not in used:
            continue
        local = moment.astimezone(zone)
        if local.replace(fold=1 - local.fold).utcoffset() != local.utcoffset():
            return local.fold
    return None


def blank_answers(
    tracked: TrackerNight | None, stored: diary.SleepEntry | None, zone_name: str
) -> dict[str, str]:
    """The text each blank field takes (see the module's rules); empty without a tracker night,
    so that every answer stays required. `awakenings` is settled by `blank_awakenings`."""
    if tracked is None:
        return {}
    answers = {"sol_minutes": "0", "waso_minutes": "0"}
    answers |= tracker_answers(tracked, zone_name)
    if stored is not None:
        data = stored.to_dict()
        answers |= {name: str(data[name]) for name in (*OPTIONAL, "quality")}
    return answers


def blank_awakenings(stored: diary.SleepEntry | None, waso_minutes: int) -> int:
    """Awakenings left blank on a tracked night: the stored count, else 1 when there were
    minutes awake (a diary counts minutes awake per awakening), else 0."""
    if stored is not None:
        return stored.awakenings
    return 1 if waso_minutes > 0 else 0


def same_as_tracker(entry: diary.SleepEntry, tracked: TrackerNight) -> tuple[str, ...]:
    """The diary's answers that are the tracker's to the minute (taken from it, or the same)."""
    answers = tracker_answers(tracked, entry.zone)
    data = entry.to_dict()
    return tuple(name for name in FROM_TRACKER if answers.get(name) == str(data[name]))


def times_from_tracker(entry: diary.SleepEntry, tracked: TrackerNight) -> bool:
    """Whether the diary's night is the tracker's: into bed and out of bed both equal its start
    and end. Such a night says nothing about how well the two agree."""
    same = same_as_tracker(entry, tracked)
    return "into_bed" in same and "out_of_bed" in same
