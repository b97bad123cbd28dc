"""The layers of docs/DESIGN.md hold: imports go downward only, no module cycle, nothing below the CLI prints.

Layers, lowest first (a module may import its own layer and the ones below):
core → reference → journal → books → close → statements → reconcile → export, saft → cli.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LAYERS = {
    "ledger.core": 0, "ledger.chart_of_accounts": 1, "ledger.reference": 1, "ledger.journal": 2,
    "ledger.books": 3, "ledger.examples": 3, "ledger.close": 4, "ledger.statements": 5,
    "ledger.reconcile": 6, "ledger.export": 7, "ledger.saft": 7, "ledger.cli": 8, "ledger.__main__": 9,
}
SOURCES = {"ledger": ROOT / "ledger", "ledger.statements": ROOT / "statements",
           "ledger.chart_of_accounts": ROOT / "chart_of_accounts", "ledger.examples": ROOT / "fixtures"}


def modules() -> dict[str, Path]:
    """Every engine module by its installed name."""
    found = {}
    for package, folder in SOURCES.items():
        for path in folder.rglob("*.py"):
            parts = path.relative_to(folder).with_suffix("").parts
            if any(not p.isidentifier() for p in parts):  # fixtures/2024/build.py is no module
                continue
            name = ".".join((package, *parts)).removesuffix(".__init__")
            found[name] = path
    return found


MODULES = modules()


def layer(name: str) -> int:
    """The layer of a module (the longest prefix of LAYERS); ``ledger`` itself is the lowest."""
    hits = [prefix for prefix in LAYERS if name == prefix or name.startswith(prefix + ".")]
    return LAYERS[max(hits, key=len)] if hits else 0


def imports(name: str) -> set[str]:
    """The engine modules ``name`` imports (at any depth of its code)."""
    tree = ast.parse(MODULES[name].read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("ledger"):
            for alias in node.names:
                child = f"{node.module}.{alias.name}"
                found.add(child if child in MODULES else node.module)
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("ledger")}
    return {m for m in found if m in MODULES and m != name}


def test_every_engine_module_has_a_layer():
    assert len(MODULES) > 60
    assert not [m for m in MODULES if m != "ledger" and not any(m == p or m.startswith(p + ".") for p in LAYERS)]


@pytest.mark.parametrize("name", sorted(MODULES))
def test_imports_go_downward(name):
    upward = sorted(m for m in imports(name) if layer(m) > layer(name))
    assert not upward, f"{name} (layer {layer(name)}) imports a higher layer: {upward}"


def test_no_import_cycle():
    graph = {name: imports(name) for name in MODULES}
    state: dict[str, int] = {}

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in graph[node]:
            if state.get(nxt) == 1:
                raise AssertionError(f"import cycle: {' -> '.join(path[path.index(nxt):] + [nxt])}")
            if nxt not in state:
                visit(nxt, path + [nxt])
        state[node] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])


@pytest.mark.parametrize("name", sorted(m for m in MODULES if layer(m) < LAYERS["ledger.cli"]))
def test_nothing_below_the_cli_prints(name):
    tree = ast.parse(MODULES[name].read_text(encoding="utf-8"))
    calls = [n.func.id for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)]
    assert "print" not in calls, name
    assert "click" not in {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}, name


@pytest.mark.parametrize("name", sorted(MODULES))
def test_every_public_name_has_a_docstring(name):
    tree = ast.parse(MODULES[name].read_text(encoding="utf-8"))
    assert ast.get_docstring(tree), f"{name} has no module docstring"
    missing = [node.name for node in tree.body
               if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and not node.name.startswith("_")
               and not ast.get_docstring(node)]
    assert not missing, f"{name}: {missing}"
