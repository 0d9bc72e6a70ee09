"""The help screen: the Markdown in help.md, shipped with the package.

It has a footer of its own, so the keys listed at the bottom are the ones
that work here, not those of the screen beneath.
"""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Markdown


def help_text() -> str:
    return (Path(__file__).resolve().parents[1] / "help.md").read_text(encoding="utf-8")


class HelpScreen(ModalScreen[None]):
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

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            yield Markdown(help_text())
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#help").focus()
