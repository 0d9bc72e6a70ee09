"""Side-by-side table of the marked frameworks, one dataset comparison row per line.

Rows where the frameworks differ are marked; `only_differences` hides the
rest. The first column stays put while many frameworks scroll sideways.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.reactive import var
from textual.widgets import DataTable, Static

from fwtui.model import Dataset, Framework
from fwtui.summary import cell

LABEL_WIDTH = 18
MIN_COLUMN_WIDTH = 16


class CompareTable(Vertical):
    SCOPED_CSS = False  # rules by id, as written; parsed when this module is first used
    DEFAULT_CSS = """
        #compare-view { height: 1fr; }
        #compare-note { color: $text-muted; height: auto; }
        #compare-table { height: 1fr; }
    """

    frameworks: var[tuple[Framework, ...]] = var((), init=False)
    only_differences: var[bool] = var(False, init=False)

    def __init__(
        self, dataset: Dataset, frameworks: Sequence[Framework], only_differences: bool, *, id: str | None = None
    ) -> None:
        super().__init__(id=id)
        self.dataset = dataset
        self.set_reactive(CompareTable.frameworks, tuple(frameworks))
        self.set_reactive(CompareTable.only_differences, only_differences)

    def compose(self) -> ComposeResult:
        yield Static(id="compare-note", markup=False)
        table: DataTable[Text] = DataTable(id="compare-table", fixed_columns=1, zebra_stripes=True, cursor_type="row")
        yield table

    def on_mount(self) -> None:
        self.rebuild()

    def watch_frameworks(self) -> None:
        self.rebuild()

    def watch_only_differences(self) -> None:
        self.rebuild()

    def on_resize(self) -> None:
        self.rebuild()

    def rows(self) -> list[tuple[str, list[str], bool]]:
        """(label, cells, differ) for every comparison row."""
        result = []
        for row in self.dataset.comparison:
            cells = [cell(f, row) for f in self.frameworks]
            result.append((row.label, cells, len(set(cells)) > 1))
        return result

    def rebuild(self) -> None:
        if not self.is_mounted:
            return
        table = self.query_one("#compare-table", DataTable)
        table.clear(columns=True)
        note = self.query_one("#compare-note", Static)
        if len(self.frameworks) < 1:
            note.update(Text("Mark frameworks with space in the list to compare them (Django, Flask and FastAPI by default)."))
            return
        rows = self.rows()
        differing = sum(1 for _, _, differ in rows if differ)
        mode = "only differences (o: show all)" if self.only_differences else "all rows (o: only differences)"
        note.update(Text(f"{len(self.frameworks)} marked · {differing} of {len(rows)} rows differ · showing {mode} · ≠ marks a difference"))
        # Share the width among the columns; past that, the table scrolls sideways.
        room = max(self.size.width - LABEL_WIDTH - 4 - 2 * len(self.frameworks), 0)
        width = max(MIN_COLUMN_WIDTH, room // len(self.frameworks))
        table.add_column(Text("Feature", style="bold"), width=LABEL_WIDTH, key="label")
        for framework in self.frameworks:
            table.add_column(Text(framework.name, style="bold"), width=width, key=framework.id)
        for label, cells, differ in rows:
            if self.only_differences and not differ:
                continue
            head = Text(("≠ " if differ else "  ") + label, style="bold" if differ else "dim")
            table.add_row(head, *(Text(c, style="" if differ else "dim") for c in cells), height=None)
