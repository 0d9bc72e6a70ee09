"""The fwtui App: bindings, commands, theme and saved state; the main screen does the rest."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from functools import partial
from pathlib import Path

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.timer import Timer

from fwtui.model import Dataset
from fwtui.screens.main import PANE_TITLES, MainScreen
from fwtui.state import load_state, save_state, state_path


class FwtuiApp(App[None]):
    CSS_PATH = Path(__file__).with_name("app.tcss")  # absolute, so subclasses elsewhere find it
    TITLE = "fwtui"
    BINDINGS = [
        Binding("q", "quit", "Quit", id="quit"),
        # A priority binding, so that `?` opens help from the list's filter box too
        # (FilterBox leaves `?` to it); inputs that take a `?` still consume it.
        Binding("question_mark,f1", "help", "Help", id="help", key_display="?", priority=True),
    ]

    def __init__(self, dataset: Dataset, state_file: Path | None = None, notice: str | None = None) -> None:
        super().__init__()
        self.dataset = dataset
        self.notice = notice  # why the explorer shows less than was asked for (a broken overlay)
        self.state_file = state_file or state_path()
        self.first_start = not self.state_file.exists()
        self.state, self._state_problem = load_state(self.state_file)
        self._save_timer: Timer | None = None
        self._save_failed = False

    def get_default_screen(self) -> MainScreen:
        # The main screen is the first screen: nothing blank is painted before it.
        return MainScreen(self.dataset, self.state)

    def on_mount(self) -> None:
        if self.state.theme != self.theme and self.state.theme in self.available_themes:
            self.theme = self.state.theme
        if self._state_problem:
            self.notify(self._state_problem, title="Saved state", severity="warning", markup=False, timeout=10)
        if self.notice:
            self.notify(self.notice, title="Overlay", severity="warning", markup=False, timeout=20)

    def format_title(self, title: str, sub_title: str) -> Content:
        """The header; on a first start (no saved state) it says how to get a recommendation."""
        if self.first_start:
            decide = next(b for b in MainScreen.BINDINGS if isinstance(b, Binding) and b.id == "pane.decide")
            sub_title = f"{len(self.dataset.frameworks)} frameworks · press {decide.key} for a recommendation"
        return super().format_title(title, sub_title)

    @property
    def main(self) -> MainScreen | None:
        screen = self.screen_stack[0] if self.screen_stack else None
        return screen if isinstance(screen, MainScreen) else None

    def watch_theme(self) -> None:
        self.save_soon()

    def save_soon(self) -> None:
        """Save the state shortly, once a burst of changes has settled."""
        if not self.is_running:
            return
        if self._save_timer is not None:
            self._save_timer.stop()
        self._save_timer = self.set_timer(0.5, self.save)

    def save(self) -> None:
        if self.main is not None:
            self.state = replace(self.main.snapshot_state(self.state), theme=self.theme)
        problem = save_state(self.state, self.state_file)
        if problem and not self._save_failed:
            self.notify(problem + " Your choices will not be remembered.", title="Saved state", severity="warning", markup=False)
        self._save_failed = problem is not None

    async def action_quit(self) -> None:
        self.save()
        self.exit()

    def action_help(self) -> None:
        """Open help, or close it when it is open."""
        from fwtui.screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            self.screen.dismiss()
        else:
            self.push_screen(HelpScreen())

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        main = self.main
        if main is None:
            return
        yield SystemCommand("Copy summary", "Copy a Markdown summary of the active pane (c)", main.action_copy)
        for pane, title in PANE_TITLES.items():
            yield SystemCommand(f"Show {title}", f"Switch to the {title} pane", partial(main.action_pane, pane))
        yield SystemCommand("Filter frameworks", "Focus the filter box (/)", main.action_focus_filter)
        yield SystemCommand("Only differences", "Compare: show only rows that differ (o)", main.action_toggle_differences)
        yield SystemCommand("Hide excluded", "Decide: hide or show excluded frameworks (h)", main.action_toggle_hide_excluded)
        yield SystemCommand("Clear criteria", "Decide: reset the use case and every criterion (x)", main.action_clear_criteria)
        yield SystemCommand("Light theme", "Switch to the textual-light theme", partial(setattr, self, "theme", "textual-light"))
        yield SystemCommand("Dark theme", "Switch to the textual-dark theme", partial(setattr, self, "theme", "textual-dark"))
        yield SystemCommand("Help", "Keys and how fwtui works (?)", self.action_help)
