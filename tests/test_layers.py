"""The layout is the architecture (docs/architecture.md): imports run one way, with no cycles.

Every module of ``handful`` is given a layer; a module may import its own layer and the layers
below it, never a higher one, and the import graph has no cycles. Imports made only for type
checking (under ``if TYPE_CHECKING:``) are not dependencies and are left out. A new module
must be placed in ``LAYERS`` (the test says so), which is the point: where a module sits is a
decision.
"""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import REPO

SRC = REPO / "src"

#: Module name prefix -> layer; the longest matching prefix wins.
LAYERS: dict[str, int] = {
    "handful.errors": 0,
    "handful.config": 0,
    "handful.parse": 1,
    "handful.vault": 2,
    "handful.write": 2,
    "handful.model": 3,
    "handful.score": 4,
    "handful.generate": 5,
    "handful.doctor": 5,
    "handful.storage": 6,
    "handful.statedir": 6,
    "handful.lock": 6,
    "handful.undo": 6,
    "handful.capture": 6,
    "handful.exports": 6,  # calendar, chat and mail exports: parsers, and their cache entries
    "handful.exports.settings": 0,  # the [[capture]] and [me] tables of handful.toml
    "handful.hookspecs": 7,
    "handful.builtin": 7,
    "handful.plugins": 7,
    "handful.parallel": 8,
    "handful.loading": 8,
    "handful.outputs": 8,
    "handful.recorders": 8,
    "handful.quick": 8,
    "handful.session": 8,
    "handful.reading": 8,
    "handful.engine": 8,
    "handful.demo": 8,
    "handful.interop": 8,
    "handful.logged": 8,
    "handful.migrate": 8,
    "handful.setup": 8,
    "handful.triage": 8,
    "handful.cli": 9,
    "handful.watch": 9,
    "handful.__main__": 10,
    "handful": 1,  # the package itself: its version, and parse_note for embedding
}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def layer_of(module: str) -> int | None:
    matches = [p for p in LAYERS if module == p or module.startswith(p + ".")]
    return LAYERS[max(matches, key=len)] if matches else None


def runtime_imports(path: Path) -> set[str]:
    """The handful modules ``path`` imports when it runs (type-checking-only ones left out)."""
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                continue
            if isinstance(child, ast.ImportFrom) and child.module and child.level == 0:
                if child.module.startswith("handful"):
                    for alias in child.names:
                        full = f"{child.module}.{alias.name}"
                        is_module = (SRC / (full.replace(".", "/") + ".py")).exists() or (
                            SRC / full.replace(".", "/")
                        ).is_dir()
                        found.add(full if is_module else child.module)
            elif isinstance(child, ast.Import):
                found.update(a.name for a in child.names if a.name.startswith("handful"))
            visit(child)

    visit(ast.parse(path.read_text(encoding="utf-8")))
    return found


def graph() -> dict[str, set[str]]:
    return {
        module_name(path): runtime_imports(path) for path in sorted((SRC / "handful").rglob("*.py"))
    }


def test_every_module_has_a_layer() -> None:
    missing = [m for m in graph() if layer_of(m) is None]
    assert missing == [], "place these modules in LAYERS (docs/architecture.md)"


def test_imports_never_go_up_a_layer() -> None:
    upward = [
        f"{module} (layer {layer_of(module)}) imports {target} (layer {layer_of(target)})"
        for module, targets in graph().items()
        for target in sorted(targets)
        if (layer_of(target) or 0) > (layer_of(module) or 0)
    ]
    assert upward == []


def test_there_are_no_import_cycles() -> None:
    edges = graph()
    cycles: list[list[str]] = []
    state: dict[str, int] = {}  # 1: on the path, 2: done
    path: list[str] = []

    def walk(node: str) -> None:
        state[node] = 1
        path.append(node)
        for target in sorted(edges.get(node, ())):
            if target == node:
                continue
            if state.get(target) == 1:
                cycles.append([*path[path.index(target) :], target])
            elif target not in state:
                walk(target)
        path.pop()
        state[node] = 2

    for node in sorted(edges):
        if node not in state:
            walk(node)
    assert cycles == []


def test_interop_never_imports_the_command_line() -> None:
    library = {m: t for m, t in graph().items() if m.startswith("handful.interop")}
    shells = [
        (m, t)
        for m, targets in library.items()
        for t in targets
        if t.startswith(("handful.cli", "handful.watch"))
    ]
    assert shells == []
