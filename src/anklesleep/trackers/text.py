"""Reading text exports: UTF-8 (with or without a byte-order mark) or a clear refusal, and the
one-line error for a record that cannot be read."""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from typing import IO

from anklesleep.basics.errors import AnkleSleepError
from anklesleep.basics.i18n import _

_UTF16 = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def refuse(where: str, what: str, value: str, fix: str) -> AnkleSleepError:
    """The error for one record: where it is, which field, the value and how to fix it."""
    return AnkleSleepError(
        _("{where}: {what} {value!r} cannot be read; {fix}; nothing was imported").format(
            where=where, what=what, value=value[:60], fix=fix
        ),
        field="file",
    )


def not_utf8(name: str) -> AnkleSleepError:
    return AnkleSleepError(
        _(
            "{file}: is not UTF-8 text; export it again from the app, or save it as "
            "“CSV UTF-8” in your spreadsheet program; nothing was imported"
        ).format(file=name),
        field="file",
    )


def csv_rows(stream: IO[bytes], name: str) -> Iterator[tuple[int, list[str]]]:
    """(line number, cells) of a UTF-8 CSV stream; a wrong encoding raises one clear line."""
    head = stream.peek(2)[:2] if isinstance(stream, io.BufferedReader) else b""
    if head in _UTF16:
        raise not_utf8(name)
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
    reader = csv.reader(text)
    try:
        for row in reader:
            yield reader.line_num, row
    except UnicodeDecodeError:
        raise not_utf8(name) from None
    except csv.Error as exc:
        raise AnkleSleepError(
            _("{file} line {line}: is not valid CSV ({why}); nothing was imported").format(
                file=name, line=reader.line_num, why=exc
            ),
            field="file",
        ) from None
    finally:
        text.detach()  # the caller closes the stream it opened
