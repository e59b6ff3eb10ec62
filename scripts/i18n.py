"""Keep the message catalogs in step with the code (Babel).

    python scripts/i18n.py update   # extract messages into the .pot; update, compile catalogs
    python scripts/i18n.py check    # exit 1 when the .pot is out of date (the tests run this)

Messages come from Python (`_()`, `N_()`, `t()`, `ngettext()`, `nt()`), Jinja templates, and
the text fields of the built-in routine files.
"""

from __future__ import annotations

import io
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog
from babel.messages.extract import extract
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "anklesleep"
LOCALE = PACKAGE / "locale"
POT = LOCALE / "anklesleep.pot"
LANGUAGES = ("en", "ja")
KEYWORDS: dict[str, Any] = {
    "_": None,
    "N_": None,
    "t": None,
    "gettext": None,
    "ngettext": (1, 2),
    "nt": (1, 2),
}
TOML_KEYS = ("name", "summary", "title", "purpose", "instruction", "say")


def extract_toml(
    fileobj: Any, keywords: Any, comment_tags: Any, options: Any
) -> Iterator[tuple[int, str, str, list[str]]]:
    """Babel extraction method for routine files: their user-facing text fields."""
    text = fileobj.read().decode("utf-8")
    lines = text.splitlines()

    def line_of(value: str) -> int:
        return next((i + 1 for i, line in enumerate(lines) if value in line), 0)

    def walk(node: object) -> Iterator[str]:
        if isinstance(node, dict):
            for key, value in node.items():
                if key in TOML_KEYS and isinstance(value, str):
                    yield value
                elif key in TOML_KEYS and isinstance(value, list):
                    yield from (item for item in value if isinstance(item, str))
                else:
                    yield from walk(value)
        elif isinstance(node, list):
            for item in node:
                yield from walk(item)

    for value in walk(tomllib.loads(text)):
        yield line_of(value), "", value, []


def build_catalog() -> Catalog:
    catalog = Catalog(project="anklesleep", msgid_bugs_address="", copyright_holder="")
    files = (
        sorted(PACKAGE.rglob("*.py"))
        + sorted(PACKAGE.rglob("*.html"))
        + sorted(PACKAGE.glob("routine/builtin/*.toml"))
    )
    for path in files:
        method: Any
        if path.suffix == ".py":
            method = "python"
        elif path.suffix == ".html":
            method = "jinja2.ext:babel_extract"
        else:
            method = extract_toml
        relative = path.relative_to(ROOT).as_posix()
        with path.open("rb") as fileobj:
            for lineno, message, _comments, context in extract(method, fileobj, KEYWORDS):
                if message:
                    catalog.add(message, None, [(relative, lineno)], context=context)
    return catalog


def _ids(catalog: Catalog) -> set[object]:
    return {m.id for m in catalog if m.id}


def write_pot(catalog: Catalog) -> None:
    buffer = io.BytesIO()
    write_po(buffer, catalog, omit_header=False, no_location=True, sort_output=True)
    POT.parent.mkdir(parents=True, exist_ok=True)
    POT.write_bytes(buffer.getvalue())


def update() -> None:
    template = build_catalog()
    write_pot(template)
    for lang in LANGUAGES:
        folder = LOCALE / lang / "LC_MESSAGES"
        folder.mkdir(parents=True, exist_ok=True)
        po_path = folder / "anklesleep.po"
        if po_path.exists():
            with po_path.open("rb") as fh:
                catalog = read_po(fh, locale=lang)
            catalog.update(template)
        else:
            catalog = Catalog(locale=lang, project="anklesleep")
            catalog.update(template)
        buffer = io.BytesIO()
        write_po(buffer, catalog, no_location=True, sort_output=True, ignore_obsolete=True)
        po_path.write_bytes(buffer.getvalue())
        mo = io.BytesIO()
        write_mo(mo, catalog)
        (folder / "anklesleep.mo").write_bytes(mo.getvalue())


def check() -> int:
    with POT.open("rb") as fh:
        current = read_po(fh)
    fresh = build_catalog()
    missing = _ids(fresh) - _ids(current)
    stale = _ids(current) - _ids(fresh)
    if missing or stale:
        for message in sorted(map(str, missing))[:20]:
            print(f"not in the catalog: {message!r}")
        for message in sorted(map(str, stale))[:20]:
            print(f"no longer used: {message!r}")
        print("run `make i18n` to update the catalogs")
        return 1
    return 0


if __name__ == "__main__":
    action = sys.argv[1] if len(sys.argv) > 1 else "check"
    if action == "update":
        update()
        sys.exit(0)
    sys.exit(check())
