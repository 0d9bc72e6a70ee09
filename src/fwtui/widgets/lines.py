"""Line-API views: the framework list, the ranking and the record are drawn as lines.

A Static with a long Rich renderable costs a layout of the screen on every
update, and renders its content twice (once to measure its height). These
views render once, at their width, keep the lines, and draw only the ones on
screen; the screen is laid out again only when the scrollbar comes or goes.
A kept line is handed to the screen as it is (see `KeptLinesView`), so a
redraw that shows lines seen before costs a lookup per line.
"""

from __future__ import annotations

from rich.console import RenderableType
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.scroll_view import ScrollView
from textual.scrollbar import ScrollBar
from textual.strip import Strip
from textual.style import Style as VisualStyle
from textual.widget import Widget


def set_virtual_height(view: ScrollView, height: int) -> None:
    """Give a vertical-only view a new number of lines.

    Setting `virtual_size` asks for a layout of the whole screen; that is only
    needed when the scrollbar comes or goes. Otherwise the thumb is resized in
    place and the scroll position clamped, and the view's own refresh is enough.
    """
    shown = view.size.height
    before = view.virtual_size.height
    scrollbar_changes = (height > shown) != (before > shown) or (height > shown and not view.show_vertical_scrollbar)
    if scrollbar_changes and view.styles.overflow_y != "scroll":
        view.virtual_size = Size(0, height)
        return
    view.set_reactive(Widget.virtual_size, Size(0, height))
    if view.show_vertical_scrollbar:
        view.vertical_scrollbar.window_virtual_size = height
    view.scroll_y = view.scroll_y  # validated: clamped to the new end


class KeptLinesView(ScrollView):
    """A view whose `render_line` returns strips it keeps, drawn without Textual's per-line restyling.

    Textual 8.2.8's `Widget.render_lines` passes every line through its styles
    cache, which adds border, padding, tint and opacity and then builds a new
    Strip and runs the app's line filters (ANSI colours to true colour) on it,
    on every refresh. A view without any of those styles gets the same lines by
    running the filters on its kept strips: a Strip remembers its filtered copy,
    so a line drawn before costs nothing again (its share of a filter key's frame
    is in docs/performance.md).
    tests/test_views.py compares the two ways line by line, so a change in
    Textual's pipeline fails a test instead of drawing something else.

    The vertical scrollbar is a `KeptScrollBar`: Textual 8.2.8 makes it in this
    property (`Widget.vertical_scrollbar`), with no public way to choose the class.
    """

    @property
    def vertical_scrollbar(self) -> ScrollBar:
        if self._vertical_scrollbar is None:
            self._vertical_scrollbar = bar = KeptScrollBar(vertical=True, name="vertical", thickness=self.scrollbar_size_vertical)
            bar.display = False
            self.app._start_widget(self, bar)
        return self._vertical_scrollbar

    def render_lines(self, crop: Region) -> list[Strip]:
        styles = self.styles
        if styles.gutter or styles.outline.spacing or styles.tint.a or styles.text_opacity != 1 or self.opacity != 1 \
                or (styles.has_rule("hatch") and styles.hatch != "none"):
            return super().render_lines(crop)
        filters = self.get_line_filters()
        base, background = self.background_colors
        padding = VisualStyle(background=base + background).rich_style  # what Textual pads a short line with
        width = self.size.width  # left of the scrollbar, which is drawn over the rest
        render_line = self.render_line
        lines = []
        for y in crop.line_range:
            strip = render_line(y).adjust_cell_length(width, padding)
            for line_filter in filters:
                strip = strip.apply_filter(line_filter, background)
            lines.append(strip)
        if crop.column_span != (0, self.region.width):
            lines = [line.crop(*crop.column_span) for line in lines]
        return lines


class KeptScrollBar(ScrollBar):
    """A scrollbar that keeps what it drew for each thumb, so a thumb seen before costs nothing to draw.

    A filter key changes the list's length, and Textual draws the scrollbar of
    30 lines through its whole pipeline again (about as much as all the rows).
    What it draws depends only on the renderable `ScrollBar.render` returns (its
    sizes, position and style), the size, the crop, the background and the
    app's line filters; those are the key. Anything new is drawn by Textual.
    """

    def __init__(self, vertical: bool = True, name: str | None = None, *, thickness: int = 1) -> None:
        super().__init__(vertical, name, thickness=thickness)
        self._drawn: LRUCache[tuple[object, ...], list[Strip]] = LRUCache(64)

    def render_lines(self, crop: Region) -> list[Strip]:
        bar = self.render()
        key = (tuple(vars(bar).items()), self.size, crop, self.background_colors, tuple(self.get_line_filters()))
        lines = self._drawn.get(key)
        if lines is None:
            lines = self._drawn[key] = super().render_lines(crop)
        return lines

    def notify_style_update(self) -> None:
        self._drawn.clear()
        super().notify_style_update()


class RenderableView(KeptLinesView, can_focus=True):
    """A scrollable view of one Rich renderable, rendered to lines once per content and width."""

    # The scrollbar is always there: a longer or shorter text never changes the
    # width, so it never costs a layout and a second rendering at the new width.
    DEFAULT_CSS = "RenderableView { overflow-x: hidden; overflow-y: scroll; }"

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._lines: list[Strip] | None = None
        self._width = 0

    def renderable(self) -> RenderableType:
        """What to show; subclasses build it from their own state."""
        raise NotImplementedError

    def content_changed(self) -> None:
        """Call when what `renderable()` returns has changed."""
        self._lines = None
        if self.size.width:
            set_virtual_height(self, len(self.lines))
        self.refresh()

    @property
    def lines(self) -> list[Strip]:
        width = self.scrollable_content_region.width  # the width left of the scrollbar
        if self._lines is None or width != self._width:
            self._width, style = width, self.rich_style
            console = self.app.console
            rendered = console.render_lines(self.renderable(), console.options.update_width(max(width, 1)), style=style)
            self._lines = [Strip(line).crop_extend(0, width, style) for line in rendered]
        return self._lines

    def text(self) -> str:
        """What the view shows, as plain text (for tests and debugging)."""
        return "\n".join(line.text.rstrip() for line in self.lines)

    def render_lines(self, crop: Region) -> list[Strip]:
        self.lines  # noqa: B018  (renders again if the width changed: checked once a frame, not once a line)
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        index = self.scroll_offset.y + y
        lines = self._lines if self._lines is not None else self.lines
        return lines[index] if index < len(lines) else Strip.blank(self._width, self.rich_style)

    def on_resize(self) -> None:
        self._lines = None
        self.virtual_size = Size(0, len(self.lines))

    def notify_style_update(self) -> None:
        self._lines = None
        super().notify_style_update()
