"""The palette's "Refresh from the package index": ask the index in a worker, show the diff, write it on accept.

The asking and the diff are refresh.py's (the same as `fwtui refresh`); this
screen shows progress while a thread waits on the network, then the changes,
and on accept writes refresh.toml in the config folder. The explorer keeps the
facts it started with: the new ones show after a restart.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, DataTable, ProgressBar, Static
from textual.worker import Worker, WorkerState, get_current_worker

from fwtui.model import Dataset
from fwtui.text import escape

if TYPE_CHECKING:
    from fwtui.refresh import Report


def base_path(data: Dataset) -> Path:
    """The dataset file the explorer's data came from (before refresh.toml and the overlay)."""
    return data.origin[0]


class RefreshScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    RefreshScreen { align: center middle; }
    RefreshScreen > #refresh-box {
        width: 90%; max-width: 130; height: auto; max-height: 90%;
        border: thick $primary; background: $surface; padding: 1 2;
    }
    RefreshScreen #refresh-title { text-style: bold; margin-bottom: 1; }
    RefreshScreen #refresh-diff { height: auto; max-height: 20; margin: 1 0; }
    RefreshScreen #refresh-buttons { height: auto; align-horizontal: right; }
    RefreshScreen #refresh-buttons Button { margin-left: 2; }
    """
    BINDINGS = [
        Binding("escape", "close", "Close", id="refresh.close"),
        Binding("w", "write", "Write refresh.toml", id="refresh.write"),
    ]

    def __init__(self, data: Dataset) -> None:
        super().__init__()
        self.data = data
        self.report: Report | None = None
        self.document: dict[str, Any] = {}
        # A thread blocked on the network cannot be cancelled from outside: the requests
        # watch this flag instead, so closing the screen (or quitting) ends them promptly.
        self._cancel = threading.Event()

    def compose(self) -> ComposeResult:
        with Vertical(id="refresh-box"):
            yield Static("Refresh from the package index", id="refresh-title")
            yield Static("Reading the dataset…", id="refresh-status", markup=False)
            yield ProgressBar(total=None, show_eta=False, id="refresh-progress")
            table: DataTable[str] = DataTable(id="refresh-diff", cursor_type="row", zebra_stripes=True)
            table.display = False
            yield table
            with Horizontal(id="refresh-buttons"):
                yield Button("Write refresh.toml", id="refresh-write", variant="primary", disabled=True)
                yield Button("Close", id="refresh-close")

    def on_mount(self) -> None:
        # A refresh that fails in a way nobody foresaw says so here; it never ends the explorer.
        self.run_worker(self._check, thread=True, exclusive=True, group="refresh", description="asking the package index", exit_on_error=False)

    def _check(self) -> None:
        """In a thread: the network wait never holds the screen."""
        from fwtui import dataset, index, refresh

        worker = get_current_worker()

        def later(callback: Any, *args: Any) -> None:
            if not worker.is_cancelled:
                self.app.call_from_thread(callback, *args)

        try:
            base, document = refresh.load_base(base_path(self.data))
            url = index.resolve_index_url(None)
        except (dataset.DatasetError, ValueError) as error:
            later(self._failed, escape(str(error), keep_newlines=True))
            return
        later(self._status, f"Asking {escape(url)} about {len(base.frameworks)} frameworks and {len(base.packages)} packages…")
        # A full run, as `fwtui refresh` with no ids: the registry's packages are read too.
        report = refresh.check(
            base.frameworks, url, index.DEFAULT_TIMEOUT, on_done=lambda done, total: later(self._progress, done, total),
            cancel=self._cancel, registry=base.packages,
        )
        later(self._show, report, document)

    @on(Worker.StateChanged)
    def _worker_failed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR and event.worker.group == "refresh":
            self._failed(f"the refresh failed ({escape(type(event.worker.error).__name__)}: {escape(str(event.worker.error))})")

    def _status(self, text: str) -> None:
        self.query_one("#refresh-status", Static).update(text)

    def _progress(self, done: int, total: int) -> None:
        self.query_one("#refresh-progress", ProgressBar).update(total=total, progress=done)

    def _failed(self, message: str) -> None:
        self.query_one("#refresh-progress", ProgressBar).display = False
        self._status(f"Nothing was read: {message}")

    def _show(self, report: Report, document: dict[str, Any]) -> None:
        from fwtui import refresh

        self.report, self.document = report, document
        self.query_one("#refresh-progress", ProgressBar).display = False
        lines = [refresh.summary(report, len(report.read) + len(report.problems)) + "."]
        lines += [f"{problem.id}: {escape(problem.error)}" for problem in report.problems]
        if report.written:
            lines.append(f"Write them to {refresh.overlay_path()} (loaded after the dataset, before your overlay)?")
        elif report.read:
            lines.append("Nothing to write: the dataset agrees with the index.")
        self._status("\n".join(lines))
        if report.changes:
            table = self.query_one("#refresh-diff", DataTable)
            table.add_columns("Framework", "Field", "Dataset", "Index", "Note")
            table.add_rows(refresh.rows(report))
            table.display = True
        write = self.query_one("#refresh-write", Button)
        write.disabled = not report.written
        (write if report.written else self.query_one("#refresh-close", Button)).focus()

    def action_write(self) -> None:
        from fwtui import refresh

        if self.report is None or not self.report.written:
            return
        try:
            done = refresh.write_overlay(refresh.overlay_path(), self.report, self.document)
        except refresh.RefreshError as error:
            self.app.notify(str(error), title="Refresh", severity="error", markup=False)
            return
        self.app.notify(f"{done[:1].upper()}{done[1:]}. Restart fwtui to see the new facts.", title="Refresh", markup=False, timeout=10)
        self.dismiss()

    def action_close(self) -> None:
        self._cancel.set()
        self.workers.cancel_group(self, "refresh")
        self.dismiss()

    def on_unmount(self) -> None:
        self._cancel.set()

    @on(Button.Pressed, "#refresh-write")
    def _write_pressed(self) -> None:
        self.action_write()

    @on(Button.Pressed, "#refresh-close")
    def _close_pressed(self) -> None:
        self.action_close()
