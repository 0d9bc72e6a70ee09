"""The help screen: the Markdown in help.md, shipped with the package.

It has a footer of its own, so the keys listed at the bottom are the ones
that work here, not those of the screen beneath.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Markdown

KEYS_MARK = "<!-- keys -->"


def help_text(keys: str = "") -> str:
    """help.md with the key table (made from the bindings) where it says <!-- keys -->."""
    text = (Path(__file__).resolve().parents[1] / "help.md").read_text(encoding="utf-8")
    return text.replace(KEYS_MARK, keys)


def _shown(keys: str) -> str:
    names = {"question_mark": "?", "slash": "/", "escape": "Esc", "space": "Space", "enter": "Enter",
             "left": "←", "right": "→", "up": "↑", "down": "↓", "f1": "F1"}
    return ", ".join(f"`{names.get(key.strip(), key.strip())}`" for key in keys.split(",") if key.strip())


def key_table(app_bindings: Sequence[Binding], keymap: Mapping[str, str] | None = None) -> str:
    """The keys as Markdown, from the bindings themselves (the app's, the screens' and
    widgets', and the user's keymap), so it cannot drift."""
    from fwtui.screens.main import MainScreen
    from fwtui.widgets.decision import KnowsList, NeedsList, QuestionsList
    from fwtui.widgets.framework_list import FrameworkList

    keymap = keymap or {}
    where = {"compare": "Compare", "decide": "Decide"}
    rows: list[tuple[str, str, str]] = []
    seen_use_case = False
    sources: list[tuple[str, list[Binding]]] = [
        ("", list(app_bindings)),
        ("", [b for b in MainScreen.BINDINGS if isinstance(b, Binding)]),
        ("List", [b for b in FrameworkList.BINDINGS if isinstance(b, Binding) and b.id]),
        # Each key of these lists is bound twice (`in_arrival_order`): the table shows the priority
        # one, and only those with an id (the arrows are OptionList's keys).
        *((where, [b for b in widget.BINDINGS if isinstance(b, Binding) and b.id and b.priority]) for where, widget in (
            ("Decide, on a built-in", NeedsList), ("Decide, on a question", QuestionsList), ("Decide, on a framework", KnowsList))),
    ]
    for context, bindings in sources:
        for binding in bindings:
            action = binding.action.split("(")[0]
            pane = where.get(MainScreen.PANE_ACTIONS.get(action, ""), context or "Anywhere")
            if action == "use_case":
                if seen_use_case:
                    continue
                seen_use_case = True
                rows.append(("`0`–`9`", "Pick a use case by its number (0 clears it)", pane))
                continue
            keys = keymap.get(binding.id or "", binding.key)
            rows.append((_shown(keys), binding.tooltip or binding.description or action.replace("_", " "), pane))
    lines = ["| Key | Does | Where |", "|---|---|---|"]
    lines += [f"| {keys} | {does} | {pane} |" for keys, does, pane in rows]
    return "\n".join(lines)


class HelpScreen(ModalScreen[None]):
    # Focused when shown, so the arrow keys scroll the text at once. Unlike a query in
    # on_mount, finding nothing (a quit while the screen mounts) is not an error.
    AUTO_FOCUS = "#help"
    SCOPED_CSS = False  # rules by id, as written; parsed when this module is first used
    DEFAULT_CSS = """
        HelpScreen { align: center middle; }
        #help {
            width: 90%;
            max-width: 100;
            height: 90%;
            border: thick $accent;
            background: $surface;
            padding: 0 1;
        }
    """

    BINDINGS = [
        # `?` and F1 close it too: the app's help binding comes first and toggles.
        Binding("escape,q", "dismiss", "Close help", id="help.close", key_display="esc"),
    ]

    def __init__(self, app_bindings: Sequence[Binding], keymap: Mapping[str, str] | None = None) -> None:
        super().__init__()
        self.app_bindings = app_bindings
        self.keymap = keymap

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            yield Markdown(help_text(key_table(self.app_bindings, self.keymap)))
        yield Footer()

