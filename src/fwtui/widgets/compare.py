"""The Compare pane: a matrix of the marked frameworks, one line per fact, one glyph per built-in.

Rows and cells come from fwtui.matrix (shared with the CLI and the copied
summary). Columns share the width, none narrower than a date; past that the
table scrolls sideways with the fact column and the header row kept in place.
A cell, or a row's label, wraps to a second line before it is cut, and when something is cut
the note says that `f` (the list hidden) gives the columns more room. The
strip under the matrix gives the highlighted cell in full with its source.
"""

from __future__ import annotations

import re
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
MIN_COLUMN_WIDTH, MAX_COLUMN_WIDTH = 8, 22  # 8: a date (2026-11) and "moderate" whole
CELL_LINES = 2
SHORT_HEIGHT = 18  # below this many rows the note and the strip take one line each, leaving room for the matrix
SEPARATOR = "separator"
_GROUP_HINTS = {
    matrix.BUILTINS: "Built-ins: how each framework provides them. Move onto a cell for its package and note.",
    matrix.MEASURED: "{title}, by fwtui bench --save (json workload, one worker, loopback). Move onto a cell for its range.",
    matrix.HEALTH: "{title}, by fwtui refresh: advisories on the latest release, releases, wheels. Move onto a cell for more.",
}
# Where a cell's text may break: after a space, a slash, a hyphen or a comma.
_CHUNK = re.compile(r"[^\s/,-]*(?:[/,-]+|\s+|$)")


def fit(text: str, width: int) -> str:
    """`text` on one line of at most `width` cells, cut with an ellipsis."""
    from fwtui.text import fit as fit_cells

    return fit_cells(" ".join(text.split()), width, ellipsis=True).rstrip()


def wrap(text: str, width: int, lines: int = CELL_LINES) -> tuple[list[str], bool]:
    """`text` on at most `lines` lines of `width` cells, broken after a space, slash, hyphen or
    comma, and whether anything was cut (a cut line ends in "…"). A word longer than a line takes
    a line of its own, cut: never split, so that no line starts mid-word."""
    found: list[str] = []  # the lines, each with the space or comma it broke after
    line, long_word = "", False
    for chunk in filter(None, _CHUNK.findall(" ".join(text.split()))):
        if len(line + chunk.rstrip(" ,")) <= width:
            line += chunk
            continue
        if line.strip():
            found.append(line)
        line = chunk
        if len(chunk.rstrip(" ,")) > width:
            found.append(chunk)
            line, long_word = "", True
    if line.strip():
        found.append(line)
    shown = [fit(f.rstrip(" ,"), width) for f in found]
    if len(found) <= lines:
        return shown or [""], long_word
    return [*shown[: lines - 1], fit("".join(found[lines - 1:]), width)], True


def column_widths(room: int, count: int) -> tuple[int, int]:
    """(label width, column width) that fit `count` columns in `room` cells, each column padded by 2. The
    label column takes what the narrowest columns leave, up to LABEL_WIDTH: a label cut is a row unread."""
    label = max(NARROW_LABEL_WIDTH, min(LABEL_WIDTH, room - 2 - count * (MIN_COLUMN_WIDTH + 2)))
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
    wide: var[bool] = var(False, init=False)  # the list hidden: no more room to gain with `f`

    def __init__(
        self, dataset: Dataset, frameworks: Sequence[Framework], only_differences: bool, *, id: str | None = None
    ) -> None:
        super().__init__(id=id)
        self.dataset = dataset
        self.set_reactive(CompareTable.frameworks, tuple(frameworks))
        self.set_reactive(CompareTable.only_differences, only_differences)
        # A row of the grid, or the group a heading row opens.
        self._grid: list[tuple[matrix.Row, list[matrix.Cell]] | str] = []
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

    def watch_wide(self) -> None:
        self._built_for = ()
        self.rebuild()

    def on_resize(self) -> None:
        self.rebuild()

    def rebuild(self) -> None:
        if not self.is_mounted or not self.size.width:
            return
        frameworks = self.frameworks
        room = self.size.width - 1  # the vertical scrollbar
        label_width, width = column_widths(room, len(frameworks))
        key = (tuple(f.id for f in frameworks), self.only_differences, label_width, width, self.size.height < SHORT_HEIGHT)
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
        short = self.size.height < SHORT_HEIGHT
        strip.styles.max_height = 2 if short else 7
        # "Django REST framework" on two lines, but on one when the pane is short and every row counts.
        names = [wrap(framework.name, width, 1 if short else CELL_LINES)[0] for framework in frameworks]
        table.header_height = max(len(lines) for lines in names)
        table.add_column(Text("", style="bold"), width=label_width, key="label")
        for framework, lines in zip(frameworks, names, strict=True):
            table.add_column(Text("\n".join(lines), style="bold"), width=width, key=framework.id)
        group, cut_any = matrix.FACTS, False
        for row, cells in shown:
            if row.group != group:
                group = row.group
                # The date under the label, in the label column: in a data column it would read as that framework's.
                title, *date = matrix.group_heading(self.dataset, group)
                heading = Text()
                heading.append(fit(title, label_width), style="bold underline")
                for line in date:
                    heading.append("\n" + fit(line, label_width), style="dim")
                table.add_row(heading, *[Text("") for _ in cells], height=1 + len(date), key=f"{SEPARATOR}-{group}")
                self._grid.append(group)
            differ = matrix.differs(cells)
            label_lines, label_cut = wrap(row.label, label_width)
            label = Text("\n".join(label_lines), style="bold" if differ else "dim")
            wrapped = [wrap(c.text, width) for c in cells]
            cut_any = cut_any or label_cut or any(was_cut for _, was_cut in wrapped)
            texts = [self._cell_text(c, lines, differ) for c, (lines, _) in zip(cells, wrapped, strict=True)]
            table.add_row(label, *texts, height=max(len(lines) for lines, _ in [(label_lines, False), *wrapped]))
            self._grid.append((row, cells))
        columns_cut = label_width + 2 + len(frameworks) * (width + 2) > room
        # `f` helps only columns below their widest: past it, the strip under the grid gives a cut cell whole.
        f_helps = columns_cut or (cut_any and (width < MAX_COLUMN_WIDTH or label_width < LABEL_WIDTH))
        note.update(self._note(len(full), len(shown), differing, f_helps, short))
        self._show_cell(table.cursor_coordinate.row, table.cursor_coordinate.column)

    def _note(self, rows: int, shown: int, differing: int, f_helps: bool, short: bool) -> Text:
        """What the matrix holds, how to see more of it, and (with room) what the glyphs mean; in
        fewer words when the pane is narrow, so that the matrix keeps its rows."""
        width, count = self.size.width, len(self.frameworks)
        hidden = rows - shown
        parts = [f"{count} marked", f"{differing} of {rows} differ"]
        if self.only_differences:
            parts.append(f"{hidden} equal {'row' if hidden == 1 else 'rows'} hidden (o shows all)")
        else:
            parts.append("o only differences")
        hint = " · f: wider cells" if f_helps and not self.wide else ""
        arrows = " · arrows: a cell in full below"
        short_hidden = f" · {hidden} hidden" if self.only_differences else ""
        # Fewer words until the line fits: the footer names `o` too, and the header the marked frameworks.
        lines = [" · ".join(parts), " · ".join(parts[:2]) + short_hidden, parts[1] + short_hidden]
        line = next((candidate for candidate in lines if len(candidate + hint) <= width), "")
        if not line:  # no room for the counts: the hint alone, else the counts alone
            line, hint = ("", hint.removeprefix(" · ")) if hint else (lines[-1], "")
        head = Text(line)
        head.append(hint, style="bold")
        if head.cell_len + len(arrows) <= width:  # else the strip's first words say it
            head.append(arrows, style="dim")
        if not short:
            head.append("\n")
            labels = dict(matrix.LEVEL_LABELS)
            if sum(len(label) + 4 for label in labels.values()) > width:
                labels.update({"first-party": "first-party", "extension": "extension"})
            for level, glyph in matrix.LEVEL_GLYPHS.items():
                head.append(glyph, style=LEVEL_STYLES[level])
                head.append(f" {labels[level]}  ", style="dim")
            if any(framework.quiet for framework in self.frameworks):  # said only when a cell shows it, so the line stays short
                head.append(f"{QUIET_GLYPH} {QUIET_LABEL}", style="dim")
        return head

    def _cell_text(self, cell: matrix.Cell, lines: list[str], differ: bool) -> Text:
        text = Text("\n".join(lines), style="" if differ else "dim")
        if cell.level is not None:
            text.stylize(LEVEL_STYLES[cell.level], 0, 1)
        return text

    @on(DataTable.CellHighlighted, "#compare-table")
    def _highlighted(self, event: DataTable.CellHighlighted) -> None:
        event.stop()
        self._show_cell(event.coordinate.row, event.coordinate.column)

    def _show_cell(self, row_index: int, column: int) -> None:
        strip = self.query_one("#compare-strip", Static)
        entry = self._grid[row_index] if 0 <= row_index < len(self._grid) else matrix.BUILTINS
        if isinstance(entry, str):
            strip.update(Text(_GROUP_HINTS[entry].format(title=matrix.group_title(self.dataset, entry)), style="dim"))
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
