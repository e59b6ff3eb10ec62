"""The layers of `docs/architecture.md`, enforced on every import statement in the package.

basics <- pure domains <- store <- services <- shells (cli, web); no shell imports the other
(one bridge: `cli.serve` starts the web app); nothing in the package imports `testing`.
Imports inside functions and under TYPE_CHECKING count too.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "anklesleep"

BASICS = {"basics"}
DOMAINS = {
    "routine",
    "audio",
    "player",
    "diary",
    "practice",
    "insights",
    "experiment",
    "schedule",
    "printouts",
    "trackers",
}
ALLOWED: dict[str, set[str]] = {
    "basics": BASICS,
    **dict.fromkeys(DOMAINS, BASICS | DOMAINS),
    "store": BASICS | DOMAINS | {"store"},
    "services": BASICS | DOMAINS | {"store", "services"},
    "cli": BASICS | DOMAINS | {"store", "services", "cli"},
    "web": BASICS | DOMAINS | {"store", "services", "web"},
    "testing": BASICS | DOMAINS | {"testing"},
    "__main__": {"cli"},
    "__init__": set(),
}
# The one place a shell reaches into the other: `anklesleep serve` builds the web app.
BRIDGES = {("cli.serve", "web.app")}
# Libraries that belong to the edges, never to the pure domains or the basics.
EDGE_LIBRARIES = {"sqlalchemy", "alembic", "starlette", "uvicorn"}


def modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def layer_of(path: Path) -> str:
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    return parts[0]


def dotted(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE).with_suffix("").parts)
    if parts[-1] == "__init__" and len(parts) > 1:
        parts.pop()
    return ".".join(parts)


def imported(tree: ast.AST) -> list[str]:
    """Every absolute module named by an import statement, inside `anklesleep` or not."""
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "anklesleep":
                names += [f"anklesleep.{alias.name}" for alias in node.names]
            else:
                names.append(node.module)
                names += [f"{node.module}.{alias.name}" for alias in node.names]
    return names


def test_every_module_belongs_to_a_known_layer() -> None:
    unknown = {layer_of(p) for p in modules()} - set(ALLOWED)
    assert not unknown, f"add these packages to a layer: {sorted(unknown)}"


@pytest.mark.parametrize("path", modules(), ids=lambda p: dotted(p))
def test_imports_point_down(path: Path) -> None:
    layer = layer_of(path)
    here = dotted(path)
    tree = ast.parse(path.read_text("utf-8"))
    wrong = []
    for name in imported(tree):
        top = name.split(".")[0]
        if layer in BASICS | DOMAINS and top in EDGE_LIBRARIES:
            wrong.append(name)
        if top != "anklesleep" or name == "anklesleep":
            continue
        target = name.removeprefix("anklesleep.")
        target_layer = target.split(".")[0]
        if target_layer == "__version__" or not (PACKAGE / target_layer).exists():
            continue
        if target_layer in ALLOWED[layer]:
            continue
        if any(here == src and target.startswith(dst) for src, dst in BRIDGES):
            continue
        wrong.append(name)
    assert not wrong, f"{here} ({layer}) may not import {sorted(set(wrong))}"


def test_the_layer_check_catches_a_wrong_import() -> None:
    tree = ast.parse("def f():\n    from anklesleep.store import sessions\n")
    assert "anklesleep.store.sessions" in imported(tree)
    assert "store" not in ALLOWED["routine"]


#: What a shell may read from `store.sessions` itself; every write goes through
#: `services.sessions`, where the lifecycle's rules are applied.
SESSION_READS = {"list_sessions", "get_session"}


def session_store_uses(tree: ast.AST) -> set[str]:
    """The names a module uses from `anklesleep.store.sessions`."""
    aliases: set[str] = set()
    used: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "anklesleep.store.sessions":
            used |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module == "anklesleep.store":
            aliases |= {a.asname or a.name for a in node.names if a.name == "sessions"}
        elif isinstance(node, ast.Import):
            aliases |= {a.asname for a in node.names if a.name == "anklesleep.store.sessions"}
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in aliases
        ):
            used.add(node.attr)
    return used


@pytest.mark.parametrize(
    "path",
    [p for p in modules() if layer_of(p) in ("cli", "web")],
    ids=lambda p: dotted(p),
)
def test_shells_change_sessions_only_through_the_service(path: Path) -> None:
    writes = session_store_uses(ast.parse(path.read_text("utf-8"))) - SESSION_READS
    assert not writes, f"{dotted(path)} writes sessions itself: {sorted(writes)}"


def test_the_session_check_catches_a_direct_write() -> None:
    tree = ast.parse(
        "def f(engine, record):\n"
        "    from anklesleep.store import sessions\n"
        "    sessions.start_session(engine, record)\n"
    )
    assert session_store_uses(tree) == {"start_session"}
    tree = ast.parse("from anklesleep.store.sessions import save, list_sessions\n")
    assert session_store_uses(tree) - SESSION_READS == {"save"}


ARCHITECTURE = PACKAGE.parents[1] / "docs" / "architecture.md"


@pytest.mark.parametrize(
    "package", sorted(p.parent for p in PACKAGE.glob("*/__init__.py")), ids=lambda p: p.name
)
def test_every_package_says_what_it_holds_and_may_import(package: Path) -> None:
    """The map a newcomer reads: each package's docstring names what lives there and what it
    may import, and docs/architecture.md lists it in its tree and in the layer rules."""
    doc = ast.get_docstring(ast.parse((package / "__init__.py").read_text("utf-8"))) or ""
    assert len(doc.split()) >= 15, f"{package.name}/__init__.py: say what lives here"
    assert re.search(r"\bimport", doc, re.IGNORECASE), (
        f"{package.name}/__init__.py: say what it may import"
    )
    tree = ARCHITECTURE.read_text("utf-8")
    assert re.search(rf"^{package.name}/ ", tree, re.MULTILINE), f"{package.name} not in the map"
    assert package.name in ALLOWED, f"{package.name} has no layer in this test"


# Database-wide operations own their transactions; everything else in `store` joins the caller's.
ENGINE_TAKERS = {"database.py", "backup.py", "slot_status.py:done_checker"}


def test_store_functions_take_a_connection_not_an_engine() -> None:
    mixed = []
    for path in sorted((PACKAGE / "store").glob("*.py")):
        body = ast.parse(path.read_text()).body
        aliases = {  # e.g. `Bind = Engine | Connection`
            target.id
            for node in body
            if isinstance(node, ast.Assign) and "Engine" in ast.unparse(node.value)
            for target in node.targets
            if isinstance(target, ast.Name)
        }
        for node in body:
            if not isinstance(node, ast.FunctionDef) or not node.args.args:
                continue
            first = node.args.args[0].annotation
            hint = ast.unparse(first) if first is not None else ""
            if (
                any(name in hint for name in {"Engine", *aliases})
                and not {path.name, f"{path.name}:{node.name}"} & ENGINE_TAKERS
            ):
                mixed.append(f"{path.name}:{node.name}({hint})")
    assert mixed == []
