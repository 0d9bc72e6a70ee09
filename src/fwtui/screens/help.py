"""The help screen: the Markdown in help.md, shipped with the package."""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Markdown


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
        Binding("escape,q,question_mark,f1", "dismiss", "Close help", id="help.close"),
    ]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            yield Markdown(help_text())

    def on_mount(self) -> None:
        self.query_one("#help").focus()
