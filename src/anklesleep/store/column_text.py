"""How each exported column is written as text or JSON and read back, from the table
definitions, so that a round trip gives back exactly the stored value on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

from sqlalchemy import JSON, Boolean, Date, Float, Integer, String, Table, Text, Time

from anklesleep.diary.entries import text_problem
from anklesleep.store.tables import metadata
from anklesleep.store.types import UTCDateTime

INT_MIN, INT_MAX = -(2**31), 2**31 - 1  # PostgreSQL INTEGER; SQLite would take more
MAX_JSON_DEPTH = 32  # what the app writes nests 3 deep

Kind = Literal["int", "float", "bool", "str", "date", "time", "datetime", "json"]
Encoded = dict[str, Any]  # a row as JSON-ready values
NO_DEFAULT = object()


@dataclass(frozen=True)
class ColumnSpec:
    """How one exported column is written and read."""

    name: str
    kind: Kind
    nullable: bool
    length: int | None
    default: Any = NO_DEFAULT


def _kind(column_type: object) -> Kind:
    if isinstance(column_type, UTCDateTime):
        return "datetime"
    if isinstance(column_type, JSON):
        return "json"
    if isinstance(column_type, Boolean):
        return "bool"
    if isinstance(column_type, Date):
        return "date"
    if isinstance(column_type, Time):
        return "time"
    if isinstance(column_type, Float):
        return "float"
    if isinstance(column_type, Integer):
        return "int"
    if isinstance(column_type, String | Text):
        return "str"
    raise TypeError(f"no export format for column type {column_type!r}")


@cache
def columns(table_name: str) -> tuple[ColumnSpec, ...]:
    """The exported columns of a table: all but a surrogate integer id, in table order."""
    table: Table = metadata.tables[table_name]
    specs = []
    for column in table.columns:
        if column.name == "id" and column.primary_key:  # a surrogate: rows go by natural keys
            continue
        default: Any = NO_DEFAULT
        if column.nullable:
            default = None
        elif column.default is not None and column.default.is_scalar:
            default = column.default.arg  # type: ignore[attr-defined]
        elif column.name == "updated_at":
            default = "now"
        length = getattr(column.type, "length", None)
        specs.append(
            ColumnSpec(column.name, _kind(column.type), bool(column.nullable), length, default)
        )
    return tuple(specs)


# --- values <-> text --------------------------------------------------------------------------


def encode_value(kind: Kind, value: Any) -> Any:
    """A Python value as JSON-ready data (dates, times and instants as ISO 8601 text)."""
    if value is None:
        return None
    if kind == "datetime":
        return value.astimezone(dt.UTC).isoformat()
    if kind == "date":
        return value.isoformat()
    if kind == "time":
        plain = value.second == 0 and value.microsecond == 0
        return value.isoformat(timespec="minutes") if plain else value.isoformat()
    if kind == "float":
        return float(value)
    if kind == "bool":
        return bool(value)
    return value


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not allowed in JSON")


def _check_text(value: str, length: int | None) -> str:
    problem = text_problem(value)
    if problem:
        raise ValueError(problem)
    if length is not None and len(value) > length:
        raise ValueError(f"is {len(value)} characters long; at most {length} fit")
    return value


def json_depth(value: Any) -> int:
    """How deeply lists and objects nest in `value` (counted without recursion)."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            depth += 1
            deepest = max(deepest, depth)
            if depth > MAX_JSON_DEPTH:
                break
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, depth) for child in children)
    return deepest


def _check_json(value: Any) -> Any:
    if json_depth(value) > MAX_JSON_DEPTH:
        raise ValueError(f"nests more than {MAX_JSON_DEPTH} levels deep")
    try:
        text = json.dumps(value, allow_nan=False, ensure_ascii=False)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"is not plain JSON ({exc})") from None
    problem = text_problem(text)
    if problem:
        raise ValueError(problem.replace("position", "JSON position"))
    return value


def decode_value(spec: ColumnSpec, raw: Any, from_csv: bool) -> Any:
    """A value read from a file as the Python value to store; ValueError says what is wrong."""
    if from_csv and spec.kind != "json" and raw == "" and spec.kind != "str":
        raw = None
    if raw is None:
        if spec.kind == "json":
            return None
        if spec.nullable:
            return None
        raise ValueError("is empty; a value is required")
    kind = spec.kind
    if from_csv:
        if not isinstance(raw, str):
            raise ValueError("is not text")
        if kind == "int":
            raw = int(raw.strip())
        elif kind == "float":
            raw = float(raw.strip())
        elif kind == "bool":
            word = raw.strip().lower()
            if word not in ("true", "false", "1", "0", "yes", "no"):
                raise ValueError(f"{raw!r} is not true or false")
            raw = word in ("true", "1", "yes")
        elif kind == "json":
            try:
                raw = json.loads(raw, parse_constant=_reject_constant)
            except RecursionError:
                raise ValueError(f"nests more than {MAX_JSON_DEPTH} levels deep") from None
    if kind == "int":
        if isinstance(raw, bool) or not isinstance(raw, int):
            raise ValueError(f"{raw!r} is not a whole number")
        if not INT_MIN <= raw <= INT_MAX:
            raise ValueError(f"{raw} is out of range")
        return raw
    if kind == "float":
        if isinstance(raw, bool) or not isinstance(raw, int | float):
            raise ValueError(f"{raw!r} is not a number")
        number = float(raw)
        if number != number or number in (float("inf"), float("-inf")):
            raise ValueError(f"{raw!r} is not a finite number")
        return number
    if kind == "bool":
        if not isinstance(raw, bool):
            raise ValueError(f"{raw!r} is not true or false")
        return raw
    if kind == "json":
        return _check_json(raw)
    if not isinstance(raw, str):
        raise ValueError(f"{raw!r} is not text")
    if kind == "str":
        return _check_text(raw, spec.length)
    if kind == "date":
        return dt.date.fromisoformat(raw.strip())
    if kind == "time":
        value = dt.time.fromisoformat(raw.strip())
        if value.tzinfo is not None:
            raise ValueError(f"{raw!r} has a time zone; give a local clock time")
        return value
    instant = dt.datetime.fromisoformat(raw.strip())
    if instant.tzinfo is None:
        raise ValueError(f"{raw!r} has no UTC offset; add one such as +00:00")
    return instant.astimezone(dt.UTC)


def encode_row(table: str, row: Mapping[Any, Any]) -> Encoded:
    return {spec.name: encode_value(spec.kind, row[spec.name]) for spec in columns(table)}


def csv_cell(kind: Kind, value: Any) -> str:
    """An encoded value as one CSV cell (empty for no value)."""
    if value is None and kind != "json":
        return ""
    if kind == "json":
        return json.dumps(value, ensure_ascii=False, allow_nan=False)
    if kind == "bool":
        return "true" if value else "false"
    if kind == "float":
        return repr(float(value))
    return str(value)
