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
from anklesleep.store.column_text import NO_DEFAULT, Encoded, columns, csv_cell
from anklesleep.store.transfer import (
    FORMAT,
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
_TABLE_FILES = ", ".join(f"{name}.csv" for name in TABLES)


def _fail(message: str) -> AnkleSleepError:
    return AnkleSleepError(f"import: {message}", field="path")


# --- writing ----------------------------------------------------------------------------------


def _check_target(path: Path, force: bool) -> None:
    if path.exists() and not force:
        if path.is_dir() and not any(path.iterdir()):
            return
        raise AnkleSleepError(
            f"output: {str(path)!r} already exists; choose a new name or pass --force",
            field="output",
        )
    if not path.parent.is_dir():
        raise AnkleSleepError(
            f"output: folder {str(path.parent)!r} does not exist; create it or choose another",
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
            f"{where} is not an anklesleep export (no format {FORMAT!r} with a schema_version); "
            "give a file made by `anklesleep export`"
        )
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise _fail(f"{where}: schema_version {version!r} is not valid; expected {SCHEMA_VERSION}")
    if version > SCHEMA_VERSION:
        raise _fail(
            f"{where} has schema version {version}, newer than the {SCHEMA_VERSION} this "
            "anklesleep reads; update anklesleep and import again"
        )


def parse_json(text: str, where: str) -> Incoming:
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise _fail(
            f"{where} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}); "
            "give a file made by `anklesleep export`"
        ) from None
    if not isinstance(doc, dict):
        raise _fail(f"{where} is not an anklesleep export; give a file made by `anklesleep export`")
    _check_version(doc, where)
    tables = doc.get("tables")
    if not isinstance(tables, dict):
        raise _fail(f'{where}: "tables" is missing or not an object; the file is damaged')
    for name, rows in tables.items():
        if name not in TABLES:
            raise _fail(f"{where}: unknown table {name!r}; expected {', '.join(TABLES)}")
        if not isinstance(rows, list):
            raise _fail(f"{where}: tables.{name} is not a list of rows; the file is damaged")
        for number, row in enumerate(rows, start=1):
            if not isinstance(row, dict):
                raise _fail(f"{where}: {name} row {number} is not an object; the file is damaged")
    return incoming_from_tables(tables)


def parse_csv(table: str, data: bytes, where: str, incoming: Incoming) -> None:
    """Add the rows of one table's CSV to `incoming`; a wrong header fails the whole import."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _fail(f"{where} is not UTF-8 text (byte {exc.start}); save it as UTF-8 CSV") from None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise _fail(f"{where} is empty; it needs a header line of column names") from None
    except csv.Error as exc:
        raise _fail(f"{where} line 1: {exc}") from None
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
        raise _fail(f"{where}: {'; '.join(parts)}; the columns are {', '.join(names)}")
    line = reader.line_num + 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise _fail(f"{where} line {line}: {exc}") from None
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
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise _fail(f"{where}/{MANIFEST} is not valid JSON; the export is damaged") from None
        if not isinstance(doc, dict):
            raise _fail(f"{where}/{MANIFEST} is not an anklesleep manifest; the export is damaged")
        _check_version(doc, f"{where}/{MANIFEST}")
    unknown = sorted(n for n in files if n.endswith(".csv") and n[:-4] not in TABLES)
    if unknown:
        raise _fail(
            f"{where} has {', '.join(unknown)}, which anklesleep does not know; "
            f"the CSV files are {_TABLE_FILES}"
        )
    incoming = Incoming()
    found = [name for name in TABLES if f"{name}.csv" in files]
    if not found:
        raise _fail(f"{where} holds none of {_TABLE_FILES}; give an anklesleep CSV export")
    for name in found:
        parse_csv(name, files[f"{name}.csv"], f"{name}.csv", incoming)
    return incoming


def _read_zip(path: Path) -> Incoming:
    files: dict[str, bytes] = {}
    try:
        with zipfile.ZipFile(path) as archive:
            for info in archive.infolist():
                base = Path(info.filename).name
                if info.is_dir() or base.startswith(".") or info.filename.startswith("__MACOSX"):
                    continue
                if base in files:
                    raise _fail(f"{path.name} holds {base} twice; keep one")
                files[base] = archive.read(info)
    except (zipfile.BadZipFile, OSError) as exc:
        raise _fail(f"cannot read {str(path)!r} as a zip file ({exc}); is it damaged?") from None
    return _read_csv_set(files, path.name)


def _read_folder(path: Path) -> Incoming:
    files = {
        child.name: child.read_bytes()
        for child in path.iterdir()
        if child.is_file() and (child.suffix == ".csv" or child.name == MANIFEST)
    }
    return _read_csv_set(files, path.name)


def _read_sqlite(path: Path) -> Incoming:
    """Rows of a SQLite backup (migrated in a temporary copy, never in place)."""
    from sqlalchemy.exc import SQLAlchemyError

    from anklesleep.store.database import create, migrate
    from anklesleep.store.transfer import collect

    with tempfile.TemporaryDirectory(prefix="anklesleep-import-") as folder:
        copy = Path(folder) / "backup.sqlite3"
        shutil.copyfile(path, copy)
        engine = create(f"sqlite:///{copy}")
        try:
            migrate(engine)
            with engine.connect() as conn:
                tables = collect(conn)
        except SQLAlchemyError as exc:
            raise _fail(
                f"cannot read {str(path)!r} as an anklesleep database ({type(exc).__name__}); "
                "is it damaged?"
            ) from None
        finally:
            engine.dispose()
    return incoming_from_tables(tables, lambda table, n: f"backup {table} row {n}")


def read_import(path: Path) -> Incoming:
    """Rows from an export: a JSON file, a CSV folder, a zip of CSVs, one table's CSV file, or
    a SQLite backup. A file that is none of these fails with one line."""
    if not path.exists():
        raise _fail(f"nothing at {str(path)!r}; check the path")
    if path.is_dir():
        return _read_folder(path)
    try:
        with path.open("rb") as handle:
            head = handle.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise _fail(f"cannot read {str(path)!r} ({exc.strerror})") from None
    if head == SQLITE_HEADER:
        return _read_sqlite(path)
    if zipfile.is_zipfile(path):
        return _read_zip(path)
    if path.suffix.lower() == ".csv":
        if path.stem not in TABLES:
            raise _fail(
                f"{path.name}: name the file after its table ({_TABLE_FILES}) so anklesleep "
                "knows what it holds"
            )
        incoming = Incoming()
        parse_csv(path.stem, path.read_bytes(), path.name, incoming)
        return incoming
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise _fail(
            f"{path.name} is not an anklesleep export (not JSON, CSV, zip or a backup); "
            "give a file made by `anklesleep export` or `anklesleep backup`"
        ) from None
    return parse_json(text, path.name)
