"""The baseline for first paint and memory: a minimal Textual app (Header, one Static, Footer)."""

from textual.app import App, ComposeResult
from textual.widgets import Footer, Header, Static


class MinimalApp(App[None]):
    BINDINGS = [("q", "quit", "Quit")]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("MINIMAL READY")
        yield Footer()


if __name__ == "__main__":
    MinimalApp().run()
