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


# State flows down, requests come up ---------------------------------------------------------------
# The main screen owns the explorer's state (docs/development.md). A widget is given values and
# posts messages: it neither writes to its screen, app or parent, nor holds a callback into them.

WIDGETS = SRC / "widgets"
ABOVE = {"screen", "app", "parent"}


def _reaches_above(node: ast.AST) -> bool:
    """`self.screen...`, `self.app...` or `self.parent...`, at any depth of an attribute chain."""
    while isinstance(node, ast.Attribute):
        if isinstance(node.value, ast.Name) and node.value.id == "self" and node.attr in ABOVE:
            return True
        node = node.value
    return False


def writes_and_callbacks(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AugAssign | ast.AnnAssign) else []
        found += [f"{path.name}:{node.lineno} writes {ast.unparse(t)}" for t in targets if _reaches_above(t)]
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and _reaches_above(node.func.value):
            if node.func.attr not in {"post_message", "call_from_thread", "get_css_variables"} and not node.func.attr.startswith("_"):
                found.append(f"{path.name}:{node.lineno} calls {ast.unparse(node.func)}")
        if isinstance(node, ast.arg) and node.annotation is not None and "Callable" in ast.unparse(node.annotation):
            found.append(f"{path.name}:{node.lineno} takes a callback {node.arg}")
        if isinstance(node, ast.ImportFrom) and any(a.name == "Callable" for a in node.names):
            found.append(f"{path.name}:{node.lineno} imports Callable")
    return found


def test_widgets_take_values_and_post_messages():
    found = [line for path in sorted(WIDGETS.glob("*.py")) for line in writes_and_callbacks(path)]
    assert found == []


def test_the_widget_check_finds_a_write_and_a_callback(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text(
        "from collections.abc import Callable\n"
        "class W:\n"
        "    def __init__(self, request: Callable[[int], None]) -> None:\n"
        "        self.screen.criteria = 1\n"
        "        self.app.screen.save()\n",
        encoding="utf-8",
    )
    assert len(writes_and_callbacks(sample)) == 4
