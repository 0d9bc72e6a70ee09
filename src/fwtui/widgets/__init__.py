"""Widgets of the fwtui app, one per file, each with its own messages."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual.widget import Widget


def focus_now(widget: Widget, scroll_visible: bool = True) -> None:
    """Move the focus to `widget` before the next key is handled.

    `Widget.focus()` moves it on a later turn of the app's queue, behind any key
    already typed: "k" then Down, typed in one go, would send the Down to the
    list the focus was leaving. A key that moves the focus uses this instead.
    """
    widget.screen.set_focus(widget, scroll_visible=scroll_visible)
