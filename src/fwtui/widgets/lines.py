"""Line-API views: the framework list, the ranking and the record are drawn as lines.

A Static with a long Rich renderable costs a layout of the screen on every
update, and renders its content twice (once to measure its height). These
views render once, at their width, keep the lines, and draw only the ones on
screen; the screen is laid out again only when the scrollbar comes or goes.
"""

from __future__ import annotations

from rich.console import RenderableType
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip
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


class RenderableView(ScrollView, can_focus=True):
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

    def render_line(self, y: int) -> Strip:
        index = self.scroll_offset.y + y
        lines = self.lines
        return lines[index] if index < len(lines) else Strip.blank(self._width, self.rich_style)

    def on_resize(self) -> None:
        self._lines = None
        self.virtual_size = Size(0, len(self.lines))

    def notify_style_update(self) -> None:
        self._lines = None
        super().notify_style_update()
