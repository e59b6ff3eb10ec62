"""Credit for a session: only the time actually played counts.

The player reports the stretches of the track it really played, as (start, end) positions in
seconds. Seeking forward leaves a gap, so skipped time earns nothing; seeking back and
replaying a stretch counts it once. A session is *completed* when it reached the end and at
least `COMPLETE_SHARE` of its cues were played; otherwise it is partial, with the share of
time played.

Pure: intervals, cue starts and totals are arguments.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence

Interval = tuple[float, float]

#: The share of cues a session must have played, besides reaching the end, to count as done.
COMPLETE_SHARE = 0.9
#: Positions this close are one stretch (a report boundary or a rounding, not a skip).
JOIN_SECONDS = 0.3
#: Most stretches kept per session; the player reports a handful, a client gone wrong many.
MAX_INTERVALS = 2000


def merge(intervals: Iterable[Interval]) -> tuple[Interval, ...]:
    """The union of `intervals`, sorted, with stretches closer than `JOIN_SECONDS` joined."""
    ordered = sorted((float(a), float(b)) for a, b in intervals if b > a)
    result: list[Interval] = []
    for start, end in ordered:
        if result and start <= result[-1][1] + JOIN_SECONDS:
            last_start, last_end = result[-1]
            result[-1] = (last_start, max(last_end, end))
        else:
            result.append((start, end))
    return tuple(result)


def clip(intervals: Iterable[Interval], total: float) -> tuple[Interval, ...]:
    """`intervals` limited to the track, 0..`total`."""
    return merge((max(0.0, a), min(total, b)) for a, b in intervals if a < total and b > 0)


def seconds_played(intervals: Iterable[Interval]) -> float:
    return sum(b - a for a, b in merge(intervals))


def share_of_time(intervals: Iterable[Interval], total: float) -> float:
    """The share (0..1) of a `total`-second track that was played."""
    if total <= 0:
        return 0.0
    return min(1.0, seconds_played(clip(intervals, total)) / total)


def share_of_cues(intervals: Iterable[Interval], cue_starts: Sequence[float]) -> float:
    """The share (0..1) of cues whose start was played (the moment their sound begins)."""
    if not cue_starts:
        return 0.0
    stretches = merge(intervals)
    begins = [a for a, _ in stretches]
    heard = 0
    for start in cue_starts:
        i = bisect.bisect_right(begins, start + JOIN_SECONDS) - 1
        if i >= 0 and stretches[i][0] <= start + JOIN_SECONDS and start < stretches[i][1]:
            heard += 1
    return heard / len(cue_starts)


def earns_completion(
    *,
    reached_end: bool,
    intervals: Iterable[Interval],
    total: float,
    cue_starts: Sequence[float] | None = None,
) -> bool:
    """Reached the end with at least `COMPLETE_SHARE` of the cues played.

    Without the cue times (a track the server no longer knows), the share of time stands in.
    """
    if not reached_end:
        return False
    played = tuple(intervals)
    share = share_of_cues(played, cue_starts) if cue_starts else share_of_time(played, total)
    return share >= COMPLETE_SHARE - 1e-9
