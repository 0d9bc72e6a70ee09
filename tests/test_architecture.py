"""The layering: the core works without Textual, and the import graph has no circle and no upward import."""

from __future__ import annotations

import ast
from pathlib import Path

from helpers import without_textual

CORE = """
import fwtui.model, fwtui.schema, fwtui.dataset, fwtui.decide, fwtui.summary, fwtui.rules, fwtui.clipboard, fwtui.state, fwtui.cli
from fwtui.cli import main
raise SystemExit(main(["recommend", "--use-case", "rest-api", "--format", "json"]))
"""


def test_core_and_cli_do_not_import_textual():
    done = without_textual(CORE)
    assert done.returncode == 0, done.stderr
    assert '"id": "fastapi"' in done.stdout


# The import graph --------------------------------------------------------------------------------
# Every import counts, at the top of a module, inside a function or under TYPE_CHECKING: a
# lazy or typing-only import is still a dependency a reader must follow.

SRC = Path(__file__).resolve().parents[1] / "src" / "fwtui"
UI = ("fwtui.app", "fwtui.commands", "fwtui.screens", "fwtui.widgets")
ENTRY = ("fwtui.cli", "fwtui.__main__")


def module_name(path: Path) -> str:
    parts = path.relative_to(SRC.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(path: Path, modules: set[str]) -> set[str]:
    """The modules (fwtui's, or the top-level name of another package) that a file imports."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name if alias.name.startswith("fwtui") else alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            if not node.module.startswith("fwtui"):
                found.add(node.module.split(".")[0])
                continue
            # `from fwtui import clock` imports the module fwtui.clock; `from fwtui.x import y` the module fwtui.x.
            found |= {f"{node.module}.{a.name}" if f"{node.module}.{a.name}" in modules else node.module for a in node.names}
    return found


def import_graph() -> dict[str, set[str]]:
    paths = {module_name(path): path for path in SRC.rglob("*.py")}
    return {name: imported(path, set(paths)) for name, path in paths.items()}


def within(name: str, prefixes: tuple[str, ...]) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in sorted(graph.get(node, ())):
            if target not in graph:
                continue
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1 or node in graph[node]:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_import_graph_has_no_circle():
    assert circles(import_graph()) == []


def test_the_circle_finder_finds_one():
    assert circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_screens_and_widgets_do_not_import_the_app():
    """Attributes down, messages up: a screen or widget posts a message; the app is not theirs to call."""
    upward = {
        (name, target)
        for name, targets in import_graph().items()
        if within(name, ("fwtui.screens", "fwtui.widgets"))
        for target in targets
        if within(target, ("fwtui.app", "fwtui.commands", "fwtui.cli"))
    }
    assert upward == set()


def test_core_modules_import_no_screen_widget_app_or_textual():
    graph = import_graph()
    assert "fwtui.decide" in graph and "textual" in graph["fwtui.app"]  # the graph is read at all
    upward = {
        (name, target)
        for name, targets in graph.items()
        if not within(name, UI + ENTRY)
        for target in targets
        if within(target, (*UI, *ENTRY, "textual"))
    }
    assert upward == set()
