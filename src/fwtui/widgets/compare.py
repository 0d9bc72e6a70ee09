"""The Compare pane: a matrix of the marked frameworks, one line per fact, one glyph per built-in.

Rows and cells come from fwtui.matrix (shared with the CLI and the copied
summary). Columns share the width so that, with the list shown, six
frameworks fit at 120 columns and three at 80; past that the table scrolls
sideways with the fact column and the header row kept in place. The strip
under the matrix gives the highlighted cell in full with its source.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.reactive import var
from textual.widgets import DataTable, Static

from fwtui import matrix
from fwtui.model import Dataset, Framework
from fwtui.text import cut
from fwtui.vocabulary import LEVEL_STYLES, QUIET_GLYPH, QUIET_LABEL

LABEL_WIDTH, NARROW_LABEL_WIDTH = 16, 12
STRIP_LIMIT = 2_000  # the strip shows a few lines; a longer note is cut with a visible mark
MIN_COLUMN_WIDTH, MAX_COLUMN_WIDTH = 6, 22
SEPARATOR = "separator"


def fit(text: str, width: int) -> str:
    """`text` on one line of at most `width` cells, cut with an ellipsis."""
    from fwtui.text import fit as fit_cells

    return fit_cells(" ".join(text.split()), width, ellipsis=True).rstrip()


def column_widths(room: int, count: int) -> tuple[int, int]:
    """(label width, column width) that fit `count` columns in `room` cells, each column padded by 2."""
    label = LABEL_WIDTH if room - (LABEL_WIDTH + 2) >= count * (8 + 2) else NARROW_LABEL_WIDTH
    column = (room - label - 2) // max(count, 1) - 2
    return label, max(MIN_COLUMN_WIDTH, min(MAX_COLUMN_WIDTH, column))


class CompareTable(Vertical):
    SCOPED_CSS = False  # rules by id, as written; parsed when this module is first used
    DEFAULT_CSS = """
        #compare-view { height: 1fr; }
        #compare-note { color: $text-muted; height: auto; }
        #compare-table { height: 1fr; scrollbar-size-vertical: 1; }
        #compare-strip { height: auto; max-height: 7; border-top: hkey $panel; padding: 0 0; }
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
        self._grid: list[tuple[matrix.Row, list[matrix.Cell]] | None] = []
        self._built_for: tuple[object, ...] = ()

    def compose(self) -> ComposeResult:
        yield Static(id="compare-note", markup=False)
        table: DataTable[Text] = DataTable(id="compare-table", fixed_columns=1, zebra_stripes=True, cursor_type="cell")
        yield table
        yield Static(id="compare-strip", markup=False)

    def on_mount(self) -> None:
        self.rebuild()

    def watch_frameworks(self) -> None:
        self.rebuild()

    def watch_only_differences(self) -> None:
        self.rebuild()

    def on_resize(self) -> None:
        self.rebuild()

    def rebuild(self) -> None:
        if not self.is_mounted or not self.size.width:
            return
        frameworks = self.frameworks
        room = self.size.width - 1  # the vertical scrollbar
        label_width, width = column_widths(room, len(frameworks))
        key = (tuple(f.id for f in frameworks), self.only_differences, label_width, width)
        if key == self._built_for:
            return
        self._built_for = key
        table = self.query_one("#compare-table", DataTable)
        table.clear(columns=True)
        note = self.query_one("#compare-note", Static)
        strip = self.query_one("#compare-strip", Static)
        self._grid = []
        if len(frameworks) < 2:
            hint = "Compare needs two or more frameworks: mark them with space in the list (m in Decide marks its top 3)."
            if frameworks:
                hint = f"Only {frameworks[0].name} is marked. " + hint
            note.update(Text(hint))
            table.display = strip.display = False
            return
        table.display = strip.display = True
        full = matrix.matrix(self.dataset, frameworks)
        shown = matrix.matrix(self.dataset, frameworks, self.only_differences)
        differing = sum(1 for _, cells in full if matrix.differs(cells))
        head = Text(f"{len(frameworks)} marked · {differing} of {len(full)} differ · ")
        if self.only_differences:
            head.append(f"{len(full) - len(shown)} equal rows hidden (o shows all)")
        else:
            head.append("o only differences")
        head.append(" · arrows: a cell in full below\n", style="dim")
        for level, glyph in matrix.LEVEL_GLYPHS.items():
            head.append(glyph, style=LEVEL_STYLES[level])
            head.append(f" {matrix.LEVEL_LABELS[level]}  ", style="dim")
        if any(framework.quiet for framework in frameworks):  # said only when a cell shows it, so the line stays short
            head.append(f"{QUIET_GLYPH} {QUIET_LABEL}", style="dim")
        note.update(head)
        table.add_column(Text("", style="bold"), width=label_width, key="label")
        for framework in frameworks:
            table.add_column(Text(fit(framework.name, width), style="bold"), width=width, key=framework.id)
        group = matrix.FACTS
        for row, cells in shown:
            if row.group != group:
                group = row.group
                table.add_row(Text(fit("Built-ins", label_width), style="bold underline"), *(Text("") for _ in cells), key=SEPARATOR)
                self._grid.append(None)
            differ = matrix.differs(cells)
            label = Text(fit(row.label, label_width), style="bold" if differ else "dim")
            table.add_row(label, *(self._cell_text(c, width, differ) for c in cells))
            self._grid.append((row, cells))
        self._show_cell(table.cursor_coordinate.row, table.cursor_coordinate.column)

    def _cell_text(self, cell: matrix.Cell, width: int, differ: bool) -> Text:
        if cell.level is not None:
            text = Text(fit(cell.text, width))
            text.stylize(LEVEL_STYLES[cell.level], 0, 1)
            if not differ:
                text.stylize("dim")
            return text
        return Text(fit(cell.text, width), style="" if differ else "dim")

    @on(DataTable.CellHighlighted, "#compare-table")
    def _highlighted(self, event: DataTable.CellHighlighted) -> None:
        event.stop()
        self._show_cell(event.coordinate.row, event.coordinate.column)

    def _show_cell(self, row_index: int, column: int) -> None:
        strip = self.query_one("#compare-strip", Static)
        entry = self._grid[row_index] if 0 <= row_index < len(self._grid) else None
        if entry is None:
            strip.update(Text("Built-ins: how each framework provides them. Move onto a cell for its package and note.", style="dim"))
            return
        row, cells = entry
        if column == 0:
            text = Text(row.label, style="bold")
            if row.source:
                text.append(f"  (source: {self.dataset.source_label(row.source)})", style="dim")
            strip.update(text)
            return
        framework = self.frameworks[column - 1]
        cell = cells[column - 1]
        text = Text()
        text.append(f"{framework.name} · ", style="bold")
        text.append(cut(cell.full, STRIP_LIMIT))
        if cell.source is not None:
            text.append(f"\nSource: {cell.source.url} (checked {cell.source.checked.isoformat()})", style="dim")
        strip.update(text)

    def cursor_text(self) -> str:
        """What the strip shows (for tests)."""
        return str(self.query_one("#compare-strip", Static).render())
