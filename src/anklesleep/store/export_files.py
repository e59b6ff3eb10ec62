"""Export files on disk: writing JSON and CSV (folder or zip) safely, and reading any of them
(or a SQLite backup) back as rows to import. The row rules live in `anklesleep.store.transfer`."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import shutil
import tempfile
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

from anklesleep.basics import files
from anklesleep.basics.errors import AnkleSleepError
from anklesleep.basics.i18n import _
from anklesleep.store.column_text import NO_DEFAULT, Encoded, columns, csv_cell
from anklesleep.store.transfer import (
    FORMAT,
    MAX_ROWS,
    SCHEMA_VERSION,
    TABLES,
    Incoming,
    SourceRow,
    incoming_from_tables,
    manifest,
    to_json,
)

ExportFormat = Literal["json", "csv"]
MANIFEST = "manifest.json"
SQLITE_HEADER = b"SQLite format 3\x00"
#: What an import reads at most: files in an archive, bytes in one file, bytes in all of them.
MAX_MEMBERS = 32
MAX_MEMBER_BYTES = 50_000_000
MAX_ARCHIVE_BYTES = 200_000_000
#: How many JSON objects a row may hold (itself and a few values such as a session's options).
OBJECTS_PER_ROW = 4
_TABLE_FILES = ", ".join(f"{name}.csv" for name in TABLES)


def _fail(message: str) -> AnkleSleepError:
    return AnkleSleepError(_("import: {message}").format(message=message), field="path")


# --- writing ----------------------------------------------------------------------------------


def _check_target(path: Path, force: bool) -> None:
    if path.exists() and not force:
        if path.is_dir() and not any(path.iterdir()):
            return
        raise AnkleSleepError(
            _("output: {path!r} already exists; choose a new name or pass --force").format(
                path=str(path)
            ),
            field="output",
        )
    if not path.parent.is_dir():
        raise AnkleSleepError(
            _("output: folder {folder!r} does not exist; create it or choose another").format(
                folder=str(path.parent)
            ),
            field="output",
        )


def csv_text(table: str, rows: list[Encoded]) -> str:
    """One table as CSV: a header of column names, then one line per row."""
    specs = columns(table)
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([spec.name for spec in specs])
    for row in rows:
        writer.writerow([csv_cell(spec.kind, row[spec.name]) for spec in specs])
    return buffer.getvalue()


def _csv_files(tables: Mapping[str, list[Encoded]], now: dt.datetime) -> dict[str, str]:
    files = {
        MANIFEST: json.dumps(manifest(tables, now), ensure_ascii=False, indent=1) + "\n",
    }
    for name in TABLES:
        files[f"{name}.csv"] = csv_text(name, tables.get(name, []))
    return files


def write_export(
    path: Path,
    tables: Mapping[str, list[Encoded]],
    fmt: ExportFormat,
    now: dt.datetime,
    force: bool = False,
) -> Path:
    """Write the export; CSV goes into a zip when `path` ends in .zip, else into a folder.

    Nothing appears at `path` unless everything was written.
    """
    _check_target(path, force)
    if fmt == "json":
        with files.opened(path, files.PRIVATE) as handle:
            handle.write(to_json(tables, now).encode("utf-8"))
        return path
    contents = _csv_files(tables, now)
    if path.suffix.lower() == ".zip":
        with (
            files.replacing(path, files.PRIVATE) as temp,
            zipfile.ZipFile(temp, "w", compression=zipfile.ZIP_DEFLATED) as archive,
        ):
            for name, text in contents.items():
                archive.writestr(name, text.encode("utf-8"))
        return path
    folder = Path(tempfile.mkdtemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent))
    old: Path | None = None
    try:
        for name, text in contents.items():
            files.write_bytes(folder / name, text.encode("utf-8"), mode=files.PRIVATE)
        if path.exists():
            old = path.with_name(f".{path.name}.old")
            shutil.rmtree(old, ignore_errors=True)
            path.rename(old)
        folder.rename(path)
        files.sync_folder(path.parent)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        if old is not None:
            if path.exists():
                shutil.rmtree(old, ignore_errors=True)
            else:  # the rename failed: put the previous export back
                old.rename(path)
    return path


# --- reading ----------------------------------------------------------------------------------


def _check_version(doc: Mapping[str, Any], where: str) -> None:
    version = doc.get("schema_version")
    if doc.get("format") != FORMAT or version is None:
        raise _fail(
            _(
                "{where} is not an anklesleep export (no format {format!r} with a "
                "schema_version); give a file made by `anklesleep export`"
            ).format(where=where, format=FORMAT)
        )
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise _fail(
            _("{where}: schema_version {version!r} is not valid; expected {schema_version}").format(
                where=where, version=version, schema_version=SCHEMA_VERSION
            )
        )
    if version > SCHEMA_VERSION:
        raise _fail(
            _(
                "{where} has schema version {version}, newer than the "
                "{schema_version} this anklesleep reads; update anklesleep and "
                "import again"
            ).format(where=where, version=version, schema_version=SCHEMA_VERSION)
        )


class _TooManyObjects(Exception):
    pass


def _counting_objects(limit: int) -> Any:
    """A `json.loads` object hook that stops the parse after `limit` objects, before millions
    of tiny rows (`{},{},…`) fill the memory."""
    seen = 0

    def hook(pairs: dict[str, Any]) -> dict[str, Any]:
        nonlocal seen
        seen += 1
        if seen > limit:
            raise _TooManyObjects
        return pairs

    return hook


def parse_json(text: str, where: str) -> Incoming:
    try:
        doc = json.loads(text, object_hook=_counting_objects(OBJECTS_PER_ROW * MAX_ROWS))
    except _TooManyObjects:
        raise _fail(
            _(
                "{where} holds more than {limit} rows, far more than years of use make; is "
                "this the right file?"
            ).format(where=where, limit=MAX_ROWS)
        ) from None
    except RecursionError:
        raise _fail(
            _("{where} nests too deeply to be an anklesleep export; the file is damaged").format(
                where=where
            )
        ) from None
    except json.JSONDecodeError as exc:
        raise _fail(
            _(
                "{where} is not valid JSON (line {lineno}, column {colno}: {msg}); "
                "give a file made by `anklesleep export`"
            ).format(where=where, lineno=exc.lineno, colno=exc.colno, msg=exc.msg)
        ) from None
    if not isinstance(doc, dict):
        raise _fail(
            _(
                "{where} is not an anklesleep export; give a file made by `anklesleep export`"
            ).format(where=where)
        )
    _check_version(doc, where)
    tables = doc.get("tables")
    if not isinstance(tables, dict):
        raise _fail(
            _('{where}: "tables" is missing or not an object; the file is damaged').format(
                where=where
            )
        )
    for name, rows in tables.items():
        if name not in TABLES:
            raise _fail(
                _("{where}: unknown table {name!r}; expected {tables}").format(
                    where=where, name=name, tables=", ".join(TABLES)
                )
            )
        if not isinstance(rows, list):
            raise _fail(
                _("{where}: tables.{name} is not a list of rows; the file is damaged").format(
                    where=where, name=name
                )
            )
        for number, row in enumerate(rows, start=1):
            if not isinstance(row, dict):
                raise _fail(
                    _("{where}: {name} row {number} is not an object; the file is damaged").format(
                        where=where, name=name, number=number
                    )
                )
    return incoming_from_tables(tables)


def parse_csv(table: str, data: bytes, where: str, incoming: Incoming) -> None:
    """Add the rows of one table's CSV to `incoming`; a wrong header fails the whole import."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _fail(
            _("{where} is not UTF-8 text (byte {start}); save it as UTF-8 CSV").format(
                where=where, start=exc.start
            )
        ) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise _fail(
            _("{where} is empty; it needs a header line of column names").format(where=where)
        ) from None
    except csv.Error as exc:
        raise _fail(_("{where} line 1: {exc}").format(where=where, exc=exc)) from None
    names = [spec.name for spec in columns(table)]
    unknown = [h for h in header if h not in names]
    required = [s.name for s in columns(table) if s.name not in header and s.default is NO_DEFAULT]
    duplicated = sorted({h for h in header if header.count(h) > 1})
    if unknown or required or duplicated:
        parts = []
        if unknown:
            parts.append(f"unknown column{'s' if len(unknown) > 1 else ''} {', '.join(unknown)}")
        if required:
            parts.append(f"missing column{'s' if len(required) > 1 else ''} {', '.join(required)}")
        if duplicated:
            parts.append(f"repeated column {', '.join(duplicated)}")
        raise _fail(
            _("{where}: {parts}; the columns are {names}").format(
                where=where, parts="; ".join(parts), names=", ".join(names)
            )
        )
    line = reader.line_num + 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise _fail(
                _("{where} line {line}: {exc}").format(where=where, line=line, exc=exc)
            ) from None
        here = f"{where} line {line}"
        line = reader.line_num + 1
        if not cells:
            continue
        values: dict[str, Any] = dict(zip(header, cells, strict=False))
        problem = None
        if len(cells) != len(header):
            problem = f"has {len(cells)} cells for {len(header)} columns"
        incoming.add(table, SourceRow(here, values, from_csv=True, problem=problem))


def _read_csv_set(files: Mapping[str, bytes], where: str) -> Incoming:
    """CSV files by base name (`sleep_entries.csv`, `manifest.json`) from a folder or zip."""
    if MANIFEST in files:
        try:
            doc = json.loads(files[MANIFEST].decode("utf-8-sig"))
        except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
            raise _fail(
                _("{where}/{manifest} is not valid JSON; the export is damaged").format(
                    where=where, manifest=MANIFEST
                )
            ) from None
        if not isinstance(doc, dict):
            raise _fail(
                _("{where}/{manifest} is not an anklesleep manifest; the export is damaged").format(
                    where=where, manifest=MANIFEST
                )
            )
        _check_version(doc, f"{where}/{MANIFEST}")
    unknown = sorted(n for n in files if n.endswith(".csv") and n[:-4] not in TABLES)
    if unknown:
        raise _fail(
            _(
                "{where} has {unknown}, which anklesleep does not know; the CSV "
                "files are {table_files}"
            ).format(where=where, unknown=", ".join(unknown), table_files=_TABLE_FILES)
        )
    incoming = Incoming()
    found = [name for name in TABLES if f"{name}.csv" in files]
    if not found:
        raise _fail(
            _("{where} holds none of {table_files}; give an anklesleep CSV export").format(
                where=where, table_files=_TABLE_FILES
            )
        )
    for name in found:
        parse_csv(name, files[f"{name}.csv"], f"{name}.csv", incoming)
    return incoming


def _wanted(info: zipfile.ZipInfo) -> bool:
    """Whether a zip member is one of the files an export holds (others are never read)."""
    base = Path(info.filename).name
    if info.is_dir() or base.startswith(".") or info.filename.startswith("__MACOSX"):
        return False
    return base == MANIFEST or base.endswith(".csv")


def _inflate(archive: zipfile.ZipFile, info: zipfile.ZipInfo, budget: int, name: str) -> bytes:
    """A member's bytes, refused as soon as more than `budget` bytes come out (whatever its
    header declares), so a small archive cannot fill the memory."""
    limit = min(budget, MAX_MEMBER_BYTES)
    chunks: list[bytes] = []
    size = 0
    with archive.open(info) as member:
        while chunk := member.read(1 << 20):
            size += len(chunk)
            if size > limit:
                raise _too_big(name, info.filename)
            chunks.append(chunk)
    return b"".join(chunks)


def _too_big(name: str, member: str) -> AnkleSleepError:
    return _fail(
        _(
            "{name}: {member} unpacks to more than anklesleep reads ({member_mb} MB a file, "
            "{total_mb} MB in all); is this the right file?"
        ).format(
            name=name,
            member=member,
            member_mb=MAX_MEMBER_BYTES // 1_000_000,
            total_mb=MAX_ARCHIVE_BYTES // 1_000_000,
        )
    )


def _read_zip(path: Path) -> Incoming:
    files: dict[str, bytes] = {}
    try:
        with zipfile.ZipFile(path) as archive:
            members = [info for info in archive.infolist() if _wanted(info)]
            if len(members) > MAX_MEMBERS:
                raise _fail(
                    _("{name} holds {count} files; an export holds at most {limit}").format(
                        name=path.name, count=len(members), limit=MAX_MEMBERS
                    )
                )
            declared = 0
            for info in members:  # names, count and sizes checked before anything is read
                base = Path(info.filename).name
                if base in files:
                    raise _fail(
                        _("{name} holds {base} twice; keep one").format(name=path.name, base=base)
                    )
                files[base] = b""
                declared += info.file_size
                if info.file_size > MAX_MEMBER_BYTES or declared > MAX_ARCHIVE_BYTES:
                    raise _too_big(path.name, info.filename)
            left = MAX_ARCHIVE_BYTES
            for info in members:
                data = _inflate(archive, info, left, path.name)
                left -= len(data)
                files[Path(info.filename).name] = data
    except (zipfile.BadZipFile, OSError, NotImplementedError, EOFError) as exc:
        raise _fail(
            _("cannot read {path!r} as a zip file ({exc}); is it damaged?").format(
                path=str(path), exc=exc
            )
        ) from None
    return _read_csv_set(files, path.name)


def _read_folder(path: Path) -> Incoming:
    chosen = [
        child
        for child in path.iterdir()
        if child.is_file() and (child.suffix == ".csv" or child.name == MANIFEST)
    ]
    if len(chosen) > MAX_MEMBERS or sum(child.stat().st_size for child in chosen) > (
        MAX_ARCHIVE_BYTES
    ):
        raise _too_big(path.name, _("its files"))
    big = next((child for child in chosen if child.stat().st_size > MAX_MEMBER_BYTES), None)
    if big is not None:
        raise _too_big(path.name, big.name)
    files = {child.name: child.read_bytes() for child in chosen}
    return _read_csv_set(files, path.name)


def _read_sqlite(path: Path) -> Incoming:
    """Rows of a SQLite backup (migrated in a temporary copy, never in place)."""
    from sqlalchemy.exc import SQLAlchemyError

    from anklesleep.store.database import create, current_revision, migrate
    from anklesleep.store.transfer import collect

    with tempfile.TemporaryDirectory(prefix="anklesleep-import-") as folder:
        copy = Path(folder) / "backup.sqlite3"
        shutil.copyfile(path, copy)
        engine = create(f"sqlite:///{copy}")
        try:
            if current_revision(engine) is None:
                raise _fail(
                    _(
                        "{path!r} is a SQLite file but not an anklesleep backup; import a file "
                        "made by `anklesleep backup` or `anklesleep export`"
                    ).format(path=str(path))
                )
            migrate(engine)
            with engine.connect() as conn:
                tables = collect(conn)
        except SQLAlchemyError as exc:
            raise _fail(
                _("cannot read {path!r} as an anklesleep database ({name}); is it damaged?").format(
                    path=str(path), name=type(exc).__name__
                )
            ) from None
        finally:
            engine.dispose()
    return incoming_from_tables(tables, lambda table, n: f"backup {table} row {n}")


def read_import(path: Path) -> Incoming:
    """Rows from an export: a JSON file, a CSV folder, a zip of CSVs, one table's CSV file, or
    a SQLite backup. A file that is none of these fails with one line."""
    if not path.exists():
        raise _fail(_("nothing at {path!r}; check the path").format(path=str(path)))
    if path.is_dir():
        return _read_folder(path)
    try:
        with path.open("rb") as handle:
            head = handle.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise _fail(
            _("cannot read {path!r} ({strerror})").format(path=str(path), strerror=exc.strerror)
        ) from None
    if not path.is_file():  # a device, a pipe or a socket could give bytes without end
        raise _fail(
            _(
                "{path!r} is not a file, a folder or a zip; give a file made by "
                "`anklesleep export` or `anklesleep backup`"
            ).format(path=str(path))
        )
    if head == SQLITE_HEADER:
        return _read_sqlite(path)
    if not zipfile.is_zipfile(path) and path.stat().st_size > MAX_MEMBER_BYTES:
        raise _fail(
            _(
                "{name} is larger than an export can be ({limit} MB); is this the right file?"
            ).format(name=path.name, limit=MAX_MEMBER_BYTES // 1_000_000)
        )
    if zipfile.is_zipfile(path):
        return _read_zip(path)
    if path.suffix.lower() == ".csv":
        if path.stem not in TABLES:
            raise _fail(
                _(
                    "{name}: name the file after its table ({table_files}) so anklesleep "
                    "knows what it holds"
                ).format(name=path.name, table_files=_TABLE_FILES)
            )
        incoming = Incoming()
        parse_csv(path.stem, path.read_bytes(), path.name, incoming)
        return incoming
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise _fail(
            _(
                "{name} is not an anklesleep export (not JSON, CSV, zip or a "
                "backup); give a file made by `anklesleep export` or `anklesleep "
                "backup`"
            ).format(name=path.name)
        ) from None
    return parse_json(text, path.name)
