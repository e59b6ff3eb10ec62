"""The layers of `docs/architecture.md`, enforced on every import statement in the package.

basics <- pure domains <- store <- services <- shells (cli, web); no shell imports the other
(one bridge: `cli.serve` starts the web app); nothing in the package imports `testing`.
Imports inside functions and under TYPE_CHECKING count too.
"""

from __future__ import annotations

import ast
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
