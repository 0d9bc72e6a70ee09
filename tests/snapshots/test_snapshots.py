"""Snapshots of every pane at 120x40 and 80x24, the help screen and the light theme.

Regenerate with `pytest tests/snapshots --snapshot-update`, then look at every
changed SVG before committing it.
"""

from __future__ import annotations

import pytest

from fwtui.app import FwtuiApp
from fwtui.dataset import bundled_path, load
from helpers import shows_its_state, wait_until

pytestmark = pytest.mark.slow  # pictures: `pytest tests/snapshots` when a view changes, and every full run

PANE_KEYS = {"details": [], "compare": ["t"], "explainer": ["w"], "decide": ["r", "6"]}


def make_app() -> FwtuiApp:
    return FwtuiApp(load(bundled_path(), overlay=None))


@pytest.mark.parametrize("size", [(120, 40), (80, 24)], ids=["120x40", "80x24"])
@pytest.mark.parametrize("pane", list(PANE_KEYS))
def test_pane(snap_compare, pane, size):
    async def shown(pilot) -> None:
        # Keys pressed once the panes are there, as a person's are: a key that came before them
        # would open the pane without moving the focus, a picture a person never sees.
        await wait_until(pilot, lambda: shows_its_state(pilot.app), what="the first screen settling")
        await pilot.press(*PANE_KEYS[pane])
        await wait_until(pilot, lambda: shows_its_state(pilot.app), what=f"the {pane} pane settling")

    assert snap_compare(make_app(), terminal_size=size, run_before=shown)


def test_help_screen(snap_compare):
    assert snap_compare(make_app(), terminal_size=(120, 40), press=["question_mark"])


def test_light_theme(snap_compare):
    async def light(pilot) -> None:
        pilot.app.theme = "textual-light"

    assert snap_compare(make_app(), terminal_size=(120, 40), press=["t"], run_before=light)


def test_filtered_list(snap_compare):
    assert snap_compare(make_app(), terminal_size=(120, 40), press=["slash", *"websocket"])


def test_too_small(snap_compare):
    assert snap_compare(make_app(), terminal_size=(50, 12))
