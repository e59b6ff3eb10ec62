"""Importing a tracker's export: read it whole, then save it in one transaction."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine

from anklesleep.basics.i18n import _, ngettext
from anklesleep.diary.tracked import times_from_tracker
from anklesleep.experiment.analysis import tracker_values
from anklesleep.insights.agreement import Comparison, Measure, compare
from anklesleep.insights.progress import nights_from
from anklesleep.services.evidence import load
from anklesleep.store import trackers as store
from anklesleep.trackers.detect import read_export
from anklesleep.trackers.records import Reading


@dataclass(frozen=True)
class Imported:
    reading: Reading
    saved: store.Saved


def import_export(
    engine: Engine, path: Path, zone: dt.tzinfo, now: dt.datetime, *, save: bool = True
) -> Imported:
    """Read `path` and, unless `save` is False, store its nights (all or nothing)."""
    reading = read_export(path, zone)
    if not save:
        return Imported(reading, store.Saved())
    with engine.begin() as conn:
        saved = store.save(conn, reading.nights, now)
    return Imported(reading, saved)


@dataclass(frozen=True)
class SideBySide:
    """The diary's and the tracker's nights over the same days, kept apart by source, and how
    well they agree. Diary nights whose times are the tracker's are left out of the diary's
    side (`copied`): they would only agree with themselves."""

    diary: dict[Measure, dict[dt.date, float]]
    tracker: dict[Measure, dict[dt.date, float]]
    devices: tuple[str, ...]
    copied: tuple[dt.date, ...]
    comparison: Comparison


def side_by_side(engine: Engine, first: dt.date, last: dt.date) -> SideBySide | None:
    """The diary against the tracker from `first` to `last`; None when no tracker night is
    stored for those days."""
    evidence = load(engine, first, last)
    if not evidence.tracked:
        return None
    copied = tuple(
        e.night
        for e in evidence.nights
        if e.night in evidence.tracked and times_from_tracker(e, evidence.tracked[e.night])
    )
    nights = nights_from(e for e in evidence.nights if e.night not in copied)
    diary: dict[Measure, dict[dt.date, float]] = {
        "tst": {n.night: n.tst for n in nights},
        "se": {n.night: n.se for n in nights},
    }
    tracker: dict[Measure, dict[dt.date, float]] = {
        "tst": tracker_values(evidence.tracked, "tracker_tst"),
        "se": tracker_values(evidence.tracked, "tracker_se"),
    }
    devices = tuple(sorted({n.device for n in evidence.tracked.values()}))
    found = compare(diary, tracker, len(nights), len(evidence.tracked), left_out=len(copied))
    return SideBySide(diary, tracker, devices, copied, found)


def comparison(engine: Engine, first: dt.date, last: dt.date) -> Comparison | None:
    """The diary against the tracker from `first` to `last` (see `side_by_side`); None when no
    tracker night is stored for those days."""
    found = side_by_side(engine, first, last)
    return None if found is None else found.comparison


#: skipped records listed one by one, at most this many
MAX_SKIPPED_SHOWN = 20


def summary_lines(imported: Imported) -> list[str]:
    """What an import read, merged and found."""
    reading = imported.reading
    lines = [
        _("Read {format}: {n} sleep records.").format(format=reading.format, n=reading.records_read)
    ]
    if reading.merged:
        lines.append(
            ngettext(
                "{n} record overlapped another source's and was merged into it.",
                "{n} records overlapped another source's and were merged into them.",
                reading.merged,
            ).format(n=reading.merged)
        )
    naps = sum(1 for n in reading.nights if n.nap)
    found = ngettext("{n} sleep found", "{n} sleeps found", len(reading.nights)).format(
        n=len(reading.nights)
    )
    of_them = ngettext("{n} of them a nap", "{n} of them naps", naps).format(n=naps)
    lines.append(_("{found} ({naps}).").format(found=found, naps=of_them))
    return lines


def skipped_lines(imported: Imported) -> list[str]:
    """Each record skipped, with its place in the file and the reason."""
    skipped = imported.reading.skipped
    lines = [
        _("Skipped {where}: {reason}.").format(where=s.where, reason=s.reason)
        for s in skipped[:MAX_SKIPPED_SHOWN]
    ]
    if len(skipped) > MAX_SKIPPED_SHOWN:
        lines.append(_("… and {n} more skipped.").format(n=len(skipped) - MAX_SKIPPED_SHOWN))
    return lines


def saved_line(imported: Imported) -> str:
    return _("Saved: {added} new, {replaced} updated, {same} already there.").format(
        added=imported.saved.added,
        replaced=imported.saved.replaced,
        same=len(imported.saved.unchanged),
    )


def report_lines(imported: Imported, saved: bool = True) -> list[str]:
    """What an import read, merged, found, skipped (each with its place and reason) and saved."""
    last = saved_line(imported) if saved else _("Nothing was saved (--dry-run).")
    return [*summary_lines(imported), *skipped_lines(imported), last]
