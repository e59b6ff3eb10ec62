"""Export and import of everything the user has recorded: lossless, idempotent, all-or-nothing.

Formats (described for users in `docs/data.md`):
- JSON: one document `{"format": "anklesleep-export", "schema_version": 1, "app_version",
  "exported_at", "tables": {"sessions": [...], "sleep_entries": [...], ...}}`.
- CSV: one file per table (`sessions.csv`, `sleep_entries.csv`, …) plus `manifest.json`, in a
  folder or a zip file. A hand-made CSV with the right header imports too.
- Import also reads a SQLite backup made by `anklesleep backup`.

Each table has a natural key (sessions and experiments: uuid; nights: date; symptom scores:
day + complaint; settings: key); the database's own row ids are never exported. Importing a row
whose key exists changes nothing when it is identical; when it differs the stored row is kept
unless the caller asks to replace it. Every row is checked before anything is written, and the
write is one transaction, so a bad file imports nothing.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from sqlalchemy import Connection, Table, select

from anklesleep import __version__
from anklesleep.basics.errors import AnkleSleepError
from anklesleep.basics.i18n import _, ngettext
from anklesleep.diary.entries import (
    NIGHT_FIELDS,
    SleepEntry,
    SymptomEntry,
    validate_entry,
    validate_symptom,
)
from anklesleep.store import setting_values
from anklesleep.store.column_text import (
    NO_DEFAULT,
    Encoded,
    columns,
    decode_value,
    encode_row,
    encode_value,
)
from anklesleep.store.tables import metadata
from anklesleep.trackers.checks import check_tracker_row

FORMAT = "anklesleep-export"
SCHEMA_VERSION = 1
#: Tables in export (and import) order, each with its natural key.
KEYS: dict[str, tuple[str, ...]] = {
    "sessions": ("uuid",),
    "sleep_entries": ("night",),
    "symptom_entries": ("day", "symptom"),
    "settings": ("key",),
    "experiments": ("uuid",),
    "tracker_nights": ("source", "record_id"),
}
#: How rows are ordered in an export (ties broken by the key), for stable files.
ORDER: dict[str, tuple[str, ...]] = {
    "sessions": ("started_at", "uuid"),
    "sleep_entries": ("night",),
    "symptom_entries": ("day", "symptom"),
    "settings": ("key",),
    "experiments": ("created_at", "uuid"),
    "tracker_nights": ("start_at", "source", "record_id"),
}
TABLES: tuple[str, ...] = tuple(KEYS)
MAX_ERRORS_SHOWN = 5
#: The most rows one import reads (20 years of three sessions, a night and seven scores a day
#: is about 80,000), so that a small file that unpacks to millions of rows cannot fill the memory.
MAX_ROWS = 250_000

Conflict = Literal["keep", "replace"]
Decoded = dict[str, Any]  # a row as Python values for the database


# --- reading what is stored -------------------------------------------------------------------


def _sort_key(table: str, row: Encoded) -> tuple[str, ...]:
    return tuple("" if row[name] is None else str(row[name]) for name in ORDER[table])


def collect(conn: Connection) -> dict[str, list[Encoded]]:
    """Every exported row of every table, encoded, in a stable order."""
    result: dict[str, list[Encoded]] = {}
    for name in TABLES:
        table = metadata.tables[name]
        query = select(table)
        if name == "settings":  # this computer's server secrets stay here
            query = query.where(table.c.key.not_in(sorted(setting_values.PRIVATE_KEYS)))
        rows = [encode_row(name, row._mapping) for row in conn.execute(query)]
        result[name] = sorted(rows, key=lambda r, n=name: _sort_key(n, r))  # type: ignore[misc]
    return result


def document(tables: Mapping[str, list[Encoded]], now: dt.datetime) -> dict[str, Any]:
    """The JSON export document."""
    return {
        "format": FORMAT,
        "schema_version": SCHEMA_VERSION,
        "app_version": __version__,
        "exported_at": now.astimezone(dt.UTC).isoformat(),
        "tables": {name: list(tables.get(name, [])) for name in TABLES},
    }


def manifest(tables: Mapping[str, list[Encoded]], now: dt.datetime) -> dict[str, Any]:
    """`manifest.json` of a CSV export: the version and how many rows each file holds."""
    doc = document(tables, now)
    doc["tables"] = {name: len(tables.get(name, [])) for name in TABLES}
    return doc


def to_json(tables: Mapping[str, list[Encoded]], now: dt.datetime) -> str:
    return json.dumps(document(tables, now), ensure_ascii=False, indent=1, allow_nan=False) + "\n"


# --- checking incoming rows -------------------------------------------------------------------


@dataclass(frozen=True)
class SourceRow:
    """One row as read from a file, with where it came from for error messages."""

    where: str  # e.g. "sleep_entries.csv line 4" or "tables.sleep_entries row 2"
    values: Mapping[str, Any]
    from_csv: bool
    problem: str | None = None  # found while reading, e.g. a CSV line with too many cells


@dataclass
class Incoming:
    """The rows of one file (or folder), by table, not yet checked."""

    tables: dict[str, list[SourceRow]] = field(default_factory=dict)
    count: int = 0

    def add(self, table: str, row: SourceRow) -> None:
        if table == "settings" and _private(row.values):
            return  # an older export's server secret: it stays with the computer that made it
        self.count += 1
        if self.count > MAX_ROWS:  # refused while reading, before the rows fill the memory
            raise AnkleSleepError(
                _(
                    "import: the file holds more than {limit} rows, far more than years of "
                    "use make; is this the right file?"
                ).format(limit=MAX_ROWS),
                field="path",
            )
        self.tables.setdefault(table, []).append(row)


def _domain_check(table: str, row: Decoded, today: dt.date) -> None:
    """The diary's own rules for a night or a score (the same as when typed in)."""
    if table == "sleep_entries":
        # Nights already kept once: an unusual one was confirmed when it was typed in.
        night = SleepEntry(**{n: row[n] for n in NIGHT_FIELDS})
        validate_entry(night, today, confirmed=True)
    elif table == "symptom_entries":
        entry = SymptomEntry(row["day"], row["symptom"], row["score"], row["note"])
        validate_symptom(entry, today)
    elif table == "settings":
        setting_values.check(row["key"], row["value"])
    elif table == "sessions":
        _check_session(row)
    elif table == "experiments":
        _check_experiment(row)
    elif table == "tracker_nights":
        check_tracker_row(row)


def _check_session(row: Decoded) -> None:
    """What the session log needs to read the row back (slot, source, sane numbers)."""
    from anklesleep.practice.records import SOURCES
    from anklesleep.schedule.slots import check_slot_name

    check_slot_name(row["slot"])
    if row["source"] not in SOURCES:
        raise AnkleSleepError(
            _("source: got {value!r}; use one of {sources}").format(
                value=row["source"], sources=", ".join(SOURCES)
            ),
            field="source",
        )
    for name in ("planned_seconds", "completed_seconds"):
        if row[name] < 0:
            raise AnkleSleepError(
                _("{name}: got {value}; give 0 or more").format(name=name, value=row[name]),
                field=name,
            )
    if not -24 * 60 < row["utc_offset_minutes"] < 24 * 60:
        raise AnkleSleepError(
            _("utc_offset_minutes: got {value}; give less than a day").format(
                value=row["utc_offset_minutes"]
            ),
            field="utc_offset_minutes",
        )
    if not isinstance(row["steps_done"], list) or not all(
        isinstance(step, str) for step in row["steps_done"]
    ):
        raise AnkleSleepError(_("steps_done: give a JSON list of step names"), field="steps_done")
    if not isinstance(row["options"], dict):
        raise AnkleSleepError(_("options: give a JSON object"), field="options")
    from anklesleep.practice.records import check_stored_options, check_stored_played

    check_stored_options(row["options"])
    check_stored_played(row.get("played"), row.get("position_seconds"))


def _check_experiment(row: Decoded) -> None:
    """What the experiment store needs to read the row back (its fixed plan must be whole)."""
    from anklesleep.experiment.design import OUTCOMES, STATUSES, Block

    if row["status"] not in STATUSES:
        raise AnkleSleepError(
            _("status: got {value!r}; use one of {statuses}").format(
                value=row["status"], statuses=", ".join(STATUSES)
            ),
            field="status",
        )
    if row["outcome"] not in OUTCOMES:
        raise AnkleSleepError(
            _("outcome: got {value!r}; use one of {outcomes}").format(
                value=row["outcome"], outcomes=", ".join(OUTCOMES)
            ),
            field="outcome",
        )
    design = row["design"]
    if not isinstance(design, dict) or not all(
        isinstance(design.get(k), int) and not isinstance(design.get(k), bool)
        for k in ("weeks", "block_days")
    ):
        raise AnkleSleepError(
            _("design: give a JSON object with whole numbers weeks and block_days"), field="design"
        )
    schedule = row["schedule"]
    if not isinstance(schedule, list) or not schedule:
        raise AnkleSleepError(_("schedule: give a non-empty JSON list of blocks"), field="schedule")
    for number, block in enumerate(schedule, start=1):
        try:
            if not isinstance(block, dict):
                raise TypeError("not an object")
            Block.from_dict(block)
        except AnkleSleepError as exc:
            raise AnkleSleepError(
                _("schedule block {number}: {message}").format(number=number, message=exc.message),
                field="schedule",
            ) from None
        except (KeyError, TypeError, ValueError) as exc:
            raise AnkleSleepError(
                _("schedule block {number}: {name} {exc}; the plan is damaged").format(
                    number=number, name=type(exc).__name__, exc=exc
                ),
                field="schedule",
            ) from None


def check(
    incoming: Incoming, today: dt.date, now: dt.datetime
) -> tuple[dict[str, list[Decoded]], list[str]]:
    """Decode and check every row; return the rows by table and every problem found."""
    problems: list[str] = []
    result: dict[str, list[Decoded]] = {}
    for table, rows in incoming.tables.items():
        specs = columns(table)
        seen: dict[tuple[Any, ...], str] = {}
        decoded_rows = []
        for source in rows:
            decoded: Decoded = {}
            names = {spec.name for spec in specs}
            reasons = [source.problem] if source.problem else []
            reasons += [f"{extra}: unknown column" for extra in source.values if extra not in names]
            for spec in specs:
                if spec.name not in source.values:
                    if spec.default is NO_DEFAULT:
                        reasons.append(f"{spec.name}: missing")
                    else:
                        decoded[spec.name] = now if spec.default == "now" else spec.default
                    continue
                try:
                    decoded[spec.name] = decode_value(
                        spec, source.values[spec.name], source.from_csv
                    )
                except (ValueError, TypeError) as exc:
                    reasons.append(f"{spec.name}: {exc}")
            if not reasons:
                try:
                    _domain_check(table, decoded, today)
                except AnkleSleepError as exc:
                    reasons.append(exc.message)
                except (TypeError, ValueError, AttributeError, KeyError) as exc:
                    reasons.append(f"{type(exc).__name__}: {str(exc)[:80]}")
            if not reasons:
                key = tuple(decoded[k] for k in KEYS[table])
                if key in seen:
                    shown = ", ".join(str(encode_value("str", k)) for k in key)
                    reasons.append(f"same {'+'.join(KEYS[table])} ({shown}) as {seen[key]}")
                else:
                    seen[key] = source.where
            if reasons:
                problems.append(f"{source.where}: {'; '.join(reasons)}")
            else:
                decoded_rows.append(decoded)
        result[table] = decoded_rows
    return result, problems


# --- writing ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportReport:
    """What an import did (or would do, in a dry run), counted per table."""

    added: dict[str, int]
    replaced: dict[str, int]
    unchanged: dict[str, int]
    kept: dict[str, int]  # rows that differ from the file, left as stored
    dry_run: bool = False
    #: experiments whose fixed plan differs in the file: kept as stored even with "replace"
    fixed: dict[str, int] = field(default_factory=dict)

    @property
    def total_added(self) -> int:
        return sum(self.added.values())

    def to_dict(self) -> dict[str, Any]:
        return {
            "added": self.added,
            "replaced": self.replaced,
            "unchanged": self.unchanged,
            "kept": self.kept,
            "fixed": self.fixed,
            "dry_run": self.dry_run,
        }


def _key_filter(table: Table, keys: Sequence[str], row: Decoded) -> list[Any]:
    return [table.c[k] == row[k] for k in keys]


def apply(
    conn: Connection,
    rows: Mapping[str, list[Decoded]],
    conflict: Conflict = "keep",
    dry_run: bool = False,
) -> ImportReport:
    """Write checked rows in the caller's transaction (which the caller rolls back on error)."""
    added: dict[str, int] = {}
    replaced: dict[str, int] = {}
    unchanged: dict[str, int] = {}
    kept: dict[str, int] = {}
    fixed: dict[str, int] = {}
    for name in TABLES:
        new_rows = rows.get(name, [])
        if not new_rows:
            continue
        table = metadata.tables[name]
        keys = KEYS[name]
        existing = {
            tuple(row[k] for k in keys): encode_row(name, row)
            for row in (r._mapping for r in conn.execute(select(table)))
        }
        inserts = []
        for row in new_rows:
            key = tuple(row[k] for k in keys)
            stored = existing.get(key)
            if stored is None:
                inserts.append(row)
            elif stored == encode_row(name, row):
                unchanged[name] = unchanged.get(name, 0) + 1
            elif name == "experiments" and _plan_differs(stored, encode_row(name, row)):
                fixed[name] = fixed.get(name, 0) + 1  # a saved plan is never rewritten
            elif conflict == "replace":
                replaced[name] = replaced.get(name, 0) + 1
                if not dry_run:
                    changes = {k: v for k, v in row.items() if k not in keys}
                    conn.execute(
                        table.update().where(*_key_filter(table, keys, row)).values(**changes)
                    )
            else:
                kept[name] = kept.get(name, 0) + 1
        if inserts:
            added[name] = len(inserts)
            if not dry_run:
                conn.execute(table.insert(), inserts)
    return ImportReport(added, replaced, unchanged, kept, dry_run, fixed)


#: an experiment's plan, fixed before its first night; only its status and end can change
FIXED_PLAN = ("created_at", "outcome", "seed", "design", "schedule", "start_date")


def _plan_differs(stored: Encoded, incoming: Encoded) -> bool:
    return any(stored.get(k) != incoming.get(k) for k in FIXED_PLAN)


def import_rows(
    conn: Connection,
    incoming: Incoming,
    today: dt.date,
    now: dt.datetime,
    conflict: Conflict = "keep",
    dry_run: bool = False,
) -> ImportReport:
    """Check every row, then write them all (in the caller's transaction) or raise one line."""
    rows, problems = check(incoming, today, now)
    if problems:
        count = len(problems)
        shown = "; ".join(problems[:MAX_ERRORS_SHOWN])
        more = ""
        if count > MAX_ERRORS_SHOWN:
            more = _("; and {n} more").format(n=count - MAX_ERRORS_SHOWN)
        raise AnkleSleepError(
            ngettext(
                "import: {count} bad row, nothing imported: {shown}{more}",
                "import: {count} bad rows, nothing imported: {shown}{more}",
                count,
            ).format(count=count, shown=shown, more=more),
            field="import",
        )
    return apply(conn, rows, conflict, dry_run)


def _private(values: Mapping[str, Any]) -> bool:
    return isinstance(values, Mapping) and values.get("key") in setting_values.PRIVATE_KEYS


def incoming_from_tables(
    tables: Mapping[str, Iterable[Mapping[str, Any]]],
    where: Callable[[str, int], str] = lambda table, n: f"{table} row {n}",
    from_csv: bool = False,
) -> Incoming:
    """Rows given per table (from a JSON document or another database) as `Incoming`."""
    incoming = Incoming()
    for table, rows in tables.items():
        for number, values in enumerate(rows, start=1):
            incoming.add(table, SourceRow(where(table, number), values, from_csv))
    return incoming
