"""The tabbed panes: Textual's TabbedContent, safe to quit while it is still mounting.

The panes are mounted after the first paint, so a quit (a key, a signal, the
end of a test) can come while they mount. In Textual 8.2.8 the tab strip of a
TabbedContent built with `initial=` then raises on its Mount: the app has
stopped running, so the strip's tabs were never mounted, and `Tabs._on_mount`
sets the initial tab, which `Tabs.validate_active` refuses with
"ValueError: No Tab with id ...". That error ended the app with a traceback.

The same holds for any widget of a pane: when the app stops before a widget's
children are mounted, Textual still sends the widget its Mount, so an
`on_mount` that looks up its children first checks `app.is_running`.
"""

from __future__ import annotations

from types import MethodType

from textual.app import ComposeResult
from textual.widgets import TabbedContent
from textual.widgets.tabbed_content import ContentTabs


def _validate_active_unless_closing(strip: ContentTabs, active: str) -> str:
    """`Tabs.validate_active`, except that while the app shuts down nothing is activated."""
    if not strip.app.is_running:
        return ""  # shutting down: the tabs may never have been mounted, and nothing will be shown
    return ContentTabs.validate_active(strip, active)


class Panes(TabbedContent):
    """A TabbedContent whose tab strip tolerates a quit during its mount (see the module's docstring)."""

    def compose(self) -> ComposeResult:
        for widget in super().compose():
            if isinstance(widget, ContentTabs):
                # TabbedContent builds its strip inside compose() and finds it again by its
                # exact type, so the strip keeps its class and gets this one method instead.
                # Reactive validation looks the validator up on the instance.
                setattr(widget, "validate_active", MethodType(_validate_active_unless_closing, widget))  # noqa: B010
            yield widget
