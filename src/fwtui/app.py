"""The fwtui App: bindings, commands, theme and saved state; the main screen does the rest."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterable, Mapping
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Any

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.command import Provider
from textual.content import Content
from textual.events import Key
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Input

from fwtui.config import Config, check_keymap, theme_problem
from fwtui.model import Dataset
from fwtui.screens.main import PANE_TITLES, MainScreen
from fwtui.state import State, load_state, merge_saved, save_state, state_path
from fwtui.text import escape


def data_commands() -> type[Provider]:
    """The palette's commands over the data (show, compare, use case), loaded when the palette first opens."""
    from fwtui.commands import DataCommands

    return DataCommands


class FwtuiApp(App[None]):
    CSS_PATH = Path(__file__).with_name("app.tcss")  # absolute, so subclasses elsewhere find it
    TITLE = "fwtui"
    COMMANDS = App.COMMANDS | {data_commands}
    BINDINGS = [
        Binding("q", "quit", "Quit", id="quit"),
        # A priority binding, so that `?` opens help from the list's filter box too
        # (FilterBox leaves `?` to it); inputs that take a `?` still consume it.
        Binding("question_mark,f1", "help", "Help", id="help", key_display="?", priority=True),
    ]

    def __init__(
        self, dataset: Dataset, state_file: Path | None = None, notice: str | None = None, config: Config | None = None, remember: bool = True
    ) -> None:
        super().__init__()
        self.dataset = dataset
        self.title, self._age_notice = data_age(dataset)
        self.notice = notice  # why the explorer shows less than was asked for (a broken overlay)
        self.state_file = state_file or state_path()
        self.first_start = not self.state_file.exists()
        self.config = config or Config()
        # A web session (fwtui serve) neither reads nor writes the state file:
        # browser tabs would overwrite each other's marks and criteria.
        self.remember = remember
        self.state, self._state_problem = load_state(self.state_file) if remember else (State(), None)
        if self.config.start_pane:
            self.state = replace(self.state, pane=self.config.start_pane)
        # What this window showed and what the file held at the last read or write:
        # a save applies what changed here since to what the file holds then.
        self._shown_when_saved = self._written = self.state
        self._merge_told = False
        self._save_timer: Timer | None = None
        self._save_failed = False
        self._signals: list[int] = []
        self._leaving = False
        self._warnings: list[tuple[float, str]] = []  # (shown until, message)
        self.exit_notes: list[str] = []  # warnings still on screen when the app ended, for the CLI to print after

    def get_default_screen(self) -> MainScreen:
        # The main screen is the first screen: nothing blank is painted before it.
        return MainScreen(self.dataset, self.state)

    def on_key(self, event: Key) -> None:
        """A letter typed ahead of a focus move goes into the box that now has the focus.

        Textual (8.2.8) hands a key to the widget focused when the app reads it,
        and looks bindings up once the key has bubbled back here, along the
        focus as it is then. "/dj" typed while the app is busy (its first
        second, say) thus went to the list, and by the time "/" had moved the
        focus to the filter the letters were on their way up: the box would
        consume them, so no binding took them, and they were lost. A letter
        the focused box would take only gets here when it was handed to another
        widget, so it is sent on.
        """
        focused = self.focused
        if event.is_printable and isinstance(focused, Input) and focused.check_consume_key(event.key, event.character):
            event.stop()
            focused.post_message(Key(event.key, event.character))

    def on_mount(self) -> None:
        theme = self.state.theme
        problems = list(self.config.problems)
        if self.config.theme:
            problem = theme_problem(self.config.theme, self.available_themes)
            problems += [f"{escape(str(self.config.path))}: {problem}"] if problem else []
            theme = theme if problem else self.config.theme
        if theme != self.theme and theme in self.available_themes:
            self.theme = theme
        if self.config.keymap:
            problems += self._apply_keymap(self.config.keymap)
        for problem in problems:
            self.notify(problem, title="config.toml", severity="warning", markup=False, timeout=10)
        if self._state_problem:
            self.notify(self._state_problem, title="Saved state", severity="warning", markup=False, timeout=10)
        if self.notice:
            self.notify(self.notice, title="Overlay", severity="warning", markup=False, timeout=20)
        if self._age_notice:
            self.notify(self._age_notice, title="Data age", markup=False, timeout=10)
        self._catch_signals()

    def _catch_signals(self) -> None:
        """SIGTERM and SIGHUP end the app as q does: pending state saved, the terminal restored.

        Python's default for both ends the process on the spot, and Textual
        (8.2) handles neither: `kill` left the terminal on the alternate screen
        with mouse reporting on and echo off, and lost the last half second's
        change. The handlers run on the event loop, so they may touch the app.
        """
        import signal

        loop = asyncio.get_running_loop()
        for number in (signal.SIGTERM, signal.SIGHUP):
            try:
                loop.add_signal_handler(number, self._on_signal, number)
            except (NotImplementedError, RuntimeError, ValueError):  # Windows, or not the main thread
                continue
            self._signals.append(number)

    def _on_signal(self, number: int) -> None:
        import signal

        self.save()  # at once: a second signal or a hung-up terminal may not wait for the rest
        if number == signal.SIGHUP and not self.is_headless:
            # The terminal is gone and writes to it may block: end in 5 s whatever happens.
            import os
            import threading

            watchdog = threading.Timer(5.0, os._exit, (128 + number,))
            watchdog.daemon = True
            watchdog.start()
        self.call_next(self._leave, 128 + number)

    def on_unmount(self) -> None:
        loop = asyncio.get_running_loop()
        for number in self._signals:
            loop.remove_signal_handler(number)
        self._signals.clear()

    def _apply_keymap(self, keymap: Mapping[str, str]) -> list[str]:
        """Use the config's keys for the bindings it names; what is wrong with the rest."""
        valid, problems = check_keymap(keymap, binding_ids(), is_key, f"{escape(str(self.config.path))}: ")
        self.set_keymap(valid)
        return problems

    def format_title(self, title: str, sub_title: str) -> Content:
        """The header; on a first start (no saved state) it says how to get a recommendation."""
        if self.first_start:
            decide = next(b for b in MainScreen.BINDINGS if isinstance(b, Binding) and b.id == "pane.decide")
            sub_title = f"{len(self.dataset.frameworks)} frameworks · press {decide.key} for a recommendation"
            title = self.TITLE  # the hint needs the room at 80 columns; the data's age shows from the next start
        return super().format_title(title, sub_title)

    @property
    def main(self) -> MainScreen | None:
        screen = self.screen_stack[0] if self.screen_stack else None
        return screen if isinstance(screen, MainScreen) else None

    def watch_theme(self) -> None:
        self.save_soon()

    def on_main_screen_changed(self) -> None:
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
        if not self.remember:
            return
        # Another fwtui may have saved since: keep its changes, apply ours on top.
        merged, others = merge_saved(self._shown_when_saved, self.state, self._written, self.state_file)
        problem = save_state(merged, self.state_file)
        if problem is None:
            self._shown_when_saved, self._written = self.state, merged
            if others and not self._merge_told:
                self._merge_told = True
                self.notify("Another fwtui window saved its choices too; the saved state keeps its marks with yours.",
                            title="Saved state", severity="warning", markup=False)
        if problem and not self._save_failed:
            self.notify(problem + " Your choices will not be remembered.", title="Saved state", severity="warning", markup=False)
        self._save_failed = problem is not None

    async def action_quit(self) -> None:
        await self._leave(0)

    async def _leave(self, return_code: int) -> None:
        """Save, let a copy under way finish (its fallback file is written), then exit."""
        if self._leaving:
            return
        self._leaving = True
        self.save()
        from fwtui import clipboard

        copies = [worker for worker in self.workers if worker.group == "copy"]
        deadline = time.monotonic() + 4 * clipboard.TOOL_TIMEOUT + 1  # a tool or two that hang, and the file
        while any(not worker.is_finished for worker in copies) and time.monotonic() < deadline:
            await asyncio.sleep(0.02)  # polled: a copy that failed or was cancelled must not stop the quit
        # A warning that was still on screen (where a copy was saved, say) would go unread: the CLI prints it.
        now = time.monotonic()
        self.exit_notes = [message for until, message in self._warnings if until > now]
        self.exit(return_code=return_code)

    def notify(self, message: str, *args: Any, **kwargs: Any) -> None:
        if kwargs.get("severity") in ("warning", "error"):
            self._warnings.append((time.monotonic() + (kwargs.get("timeout") or self.NOTIFICATION_TIMEOUT), message))
        super().notify(message, *args, **kwargs)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "help":  # a priority binding: in the command palette, `?` is typed, not help opened over it
            from textual.command import CommandPalette

            return not isinstance(self.screen, CommandPalette)
        return True

    def action_help(self) -> None:
        """Open help, or close it when it is open."""
        from fwtui.screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            self.screen.dismiss()
        else:
            self.push_screen(HelpScreen([b for b in self.BINDINGS if isinstance(b, Binding)], self.config.keymap))

    def action_command_palette(self) -> None:
        """Open the palette unless one is anywhere on the screen stack.

        Textual (8.2) asks only whether the top screen is the palette: with help
        over an open palette, or a palette still being removed, ctrl+p pushed a
        second one with the same id and the app ended on DuplicateIds."""
        if not any(screen.id == "--command-palette" for screen in self.screen_stack):
            super().action_command_palette()

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
        yield SystemCommand("Refresh from the package index", "Check versions, Python and license on the index; review, then write refresh.toml",
                            self.action_refresh)

    def action_refresh(self) -> None:
        from fwtui.screens.refresh import RefreshScreen

        self.push_screen(RefreshScreen(self.dataset))




NOTICE_AFTER_DAYS = 90


def data_age(data: Dataset) -> tuple[str, str | None]:
    """The title, with the data's age (meta.as_of to today), and a one-line notice when bundled release facts are old.

    The notice waits NOTICE_AFTER_DAYS from the later of meta.as_of and the newest
    release check (which a `fwtui refresh` overlay moves), and only for the
    dataset fwtui ships: someone else's dataset has its own way of being kept.
    """
    from fwtui import clock
    from fwtui.dataset import bundled_path

    today = clock.today()
    days = (today - data.meta.as_of).days
    age = f"{days} day{'s' if days != 1 else ''}" if days < 60 else f"{days // 30} months" if days < 730 else f"{days // 365} years"
    title = f"fwtui · data {age} old" if days > 0 else "fwtui"
    checks = [source.checked for framework in data.frameworks for source in framework.sources if source.group == "release"]
    fresh = (today - max([data.meta.as_of, *checks])).days
    notice = None
    if fresh > NOTICE_AFTER_DAYS and data.origin[:1] == (bundled_path(),):
        notice = f"The release facts were last checked {fresh} days ago: `fwtui refresh` (or the palette's Refresh) reads the current ones."
    return title, notice


def binding_ids() -> set[str]:
    """Every binding id a keymap can name: the app's, its screens' and its widgets' (Textual's included)."""
    import importlib
    import pkgutil

    from textual.dom import DOMNode

    import fwtui.screens
    import fwtui.widgets

    for package in (fwtui.screens, fwtui.widgets):  # the panes' modules load lazily: load them all here
        for module in pkgutil.iter_modules(package.__path__):
            importlib.import_module(f"{package.__name__}.{module.name}")
    ids: set[str] = set()
    for cls in (FwtuiApp, *_fwtui_nodes(DOMNode)):
        for klass in cls.__mro__:
            ids |= {binding.id for binding in vars(klass).get("BINDINGS", ()) if isinstance(binding, Binding) and binding.id}
    return ids


def _fwtui_nodes(base: type) -> list[type]:
    """fwtui's screens and widgets: the subclasses of `base` defined in this package."""
    found: list[type] = []
    subclasses: list[type] = base.__subclasses__()
    for cls in subclasses:
        if cls.__module__.startswith("fwtui."):
            found.append(cls)
        found += _fwtui_nodes(cls)
    return found


def is_key(name: str) -> bool:
    """A key Textual can match: a character, a named key (f5, escape, pageup) or a character's name (question_mark, slash)."""
    import unicodedata

    from textual.keys import KEY_NAME_REPLACEMENTS, Keys

    if len(name) == 1 or name in KEY_NAME_REPLACEMENTS.values() or name in {key.value for key in Keys}:
        return True
    try:
        unicodedata.lookup(name.replace("_", " "))
    except KeyError:
        return False
    return True
