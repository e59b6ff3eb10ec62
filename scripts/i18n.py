"""Keep the message catalogs in step with the code (Babel).

    python scripts/i18n.py update   # extract messages into the .pot; update, compile catalogs
    python scripts/i18n.py check    # exit 1 when the .pot is out of date (the tests run this)

Messages come from Python (`_()`, `N_()`, `t()`, `ngettext()`, `nt()`), Jinja templates, and
the text fields of the built-in routine files, and the command line's help texts and
command docstrings (`extract_click`).
"""

from __future__ import annotations

import ast
import inspect
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
    "Nn_": (1, 2),
    "filled": None,
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


def extract_click(
    fileobj: Any, keywords: Any, comment_tags: Any, options: Any
) -> Iterator[tuple[int, str, str, list[str]]]:
    """Babel extraction method for the command line's own help: the `help=`, `short_help=`
    and `epilog=` texts and the docstrings of click commands (shown through
    `anklesleep.cli.click_words.localize`, which looks them up cleaned like click shows them)."""
    tree = ast.parse(fileobj.read().decode("utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.keyword) and node.arg in ("help", "short_help", "epilog"):
            value = node.value
            if isinstance(value, ast.Constant) and isinstance(value.value, str) and value.value:
                text = inspect.cleandoc(value.value).partition("\f")[0]
                yield value.lineno, "", text, []
        elif isinstance(node, ast.FunctionDef) and any(
            "command" in ast.unparse(d) or "group" in ast.unparse(d) for d in node.decorator_list
        ):
            doc = ast.get_docstring(node)
            if doc:
                yield node.lineno, "", doc.partition("\f")[0], []


def extract_fstrings(
    fileobj: Any, keywords: Any, comment_tags: Any, options: Any
) -> Iterator[tuple[int, str, str, list[str]]]:
    """Babel extraction method for `_("…")` written inside an f-string, which Babel's own
    Python extractor reads as one string and passes over."""
    tree = ast.parse(fileobj.read().decode("utf-8"))
    for node in ast.walk(tree):
        if not isinstance(node, ast.JoinedStr):
            continue
        for inner in ast.walk(node):
            if (
                isinstance(inner, ast.Call)
                and isinstance(inner.func, ast.Name)
                and inner.func.id in ("_", "t", "N_")
                and inner.args
                and isinstance(inner.args[0], ast.Constant)
                and isinstance(inner.args[0].value, str)
                and inner.args[0].value
            ):
                yield inner.lineno, "", inner.args[0].value, []


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
        methods = [method]
        if path.suffix == ".py":
            methods.append(extract_fstrings)
        if path.parent.name == "cli" and path.suffix == ".py":
            methods.append(extract_click)
        for each in methods:
            with path.open("rb") as fileobj:
                for lineno, message, _comments, context in extract(each, fileobj, KEYWORDS):
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
            # no guesses from similar messages: a guess would show a wrong translation
            catalog.update(template, no_fuzzy_matching=True)
        else:
            catalog = Catalog(locale=lang, project="anklesleep")
            catalog.update(template, no_fuzzy_matching=True)
        catalog.fuzzy = False
        for message in catalog:
            if message.id and message.fuzzy:
                message.flags.discard("fuzzy")
                message.string = (
                    ("",) * len(message.string) if isinstance(message.id, tuple) else ""
                )
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
