"""The first hour (issue #27) as pictures, at 80x24, 100x30 and 120x40: Decide with a use case,
a must and a question answered; Compare with six marked; the list filtered by two built-ins.
Regenerate with `pytest tests/snapshots/test_first_hour_snapshots.py --snapshot-update`, then
look at every changed SVG.
"""

from __future__ import annotations

import pytest

from fwtui.state import State
from helpers import app_with, settle

pytestmark = pytest.mark.slow  # pictures: `pytest tests/snapshots` when a view changes, and every full run

SIZES = {"80x24": (80, 24), "100x30": (100, 30), "120x40": (120, 40)}
SIX = ("django", "flask", "fastapi", "litestar", "tornado", "falcon")


@pytest.mark.parametrize("size", list(SIZES))
def test_decide_with_a_use_case_a_must_and_a_question(snap_compare, size):
    app = app_with(State(pane="decide", use_case="rest-api", needs=("orm",), team="beginner"))
    assert snap_compare(app, terminal_size=SIZES[size], run_before=settle)


@pytest.mark.parametrize("size", list(SIZES))
def test_compare_six_marked(snap_compare, size):
    app = app_with(State(marked=SIX, pane="compare"))
    assert snap_compare(app, terminal_size=SIZES[size], run_before=settle)


@pytest.mark.parametrize("size", list(SIZES))
def test_list_filtered_by_two_built_ins(snap_compare, size):
    async def filtered(pilot) -> None:
        await settle(pilot)
        await pilot.press("slash", *"ws orm")
        await pilot.pause()

    assert snap_compare(app_with(State()), terminal_size=SIZES[size], run_before=filtered)
