"""Helpers for the line-API views (the framework list and the ranking)."""

from __future__ import annotations

from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.widget import Widget


def set_virtual_height(view: ScrollView, height: int) -> None:
    """Give a vertical-only view a new number of lines.

    Setting `virtual_size` asks for a layout of the whole screen; that is only
    needed when the scrollbar comes or goes. Otherwise the thumb is resized in
    place and the scroll position clamped, and the view's own refresh is enough.
    """
    shown = view.size.height
    before = view.virtual_size.height
    if (height > shown) != (before > shown) or (height > shown and not view.show_vertical_scrollbar):
        view.virtual_size = Size(0, height)
        return
    view.set_reactive(Widget.virtual_size, Size(0, height))
    if view.show_vertical_scrollbar:
        view.vertical_scrollbar.window_virtual_size = height
    view.scroll_y = view.scroll_y  # validated: clamped to the new end
