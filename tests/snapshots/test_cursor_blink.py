"""The snapshot tests' frozen cursor (conftest.cursor_without_blink) holds: a focused Input's cursor stays drawn."""

from __future__ import annotations

from fwtui.app import FwtuiApp
from fwtui.dataset import load
from fwtui.widgets.framework_list import FilterBox
from helpers import MINIMAL


async def test_a_focused_filter_box_draws_the_same_cursor_over_a_second() -> None:
    app = FwtuiApp(load(MINIMAL, overlay=None), remember=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("slash", *"orm")
        box = app.screen.query_one("#filter", FilterBox)
        assert box.has_focus
        pictures = []
        for _ in range(7):  # the blink, were it on, would hide the cursor within a second of the last key
            pictures.append(list(box.render_line(0)))
            await pilot.pause(0.25)
        typed, cursor = pictures[0][:2]
        assert (typed.text, cursor.text) == ("orm", " ") and cursor.style != typed.style, "the cursor is drawn after the text"
        assert all(picture == pictures[0] for picture in pictures)
