"""The baseline for keystrokes: a minimal Textual app with one Input, whose key echo fwtui's keys are held to."""

from textual.app import App, ComposeResult
from textual.widgets import Footer, Header, Input


class MinimalInputApp(App[None]):
    BINDINGS = [("escape", "quit", "Quit")]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(placeholder="ECHO READY")
        yield Footer()


if __name__ == "__main__":
    MinimalInputApp().run()
