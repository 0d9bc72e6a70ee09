"""Compare and Decide as a reader sees them, at the sizes the issues name.

Compare: six marked at 120x40 and three at 80x24, with the list shown, and the
detail strip on a built-in cell. Decide: the empty state, a use case with
needs, and a close call, at 80x24, 100x30 and 120x40. Regenerate with
`pytest tests/snapshots --snapshot-update`, then look at every changed SVG.
"""

from __future__ import annotations

import pytest

from fwtui.state import State
from helpers import app_with, settle

pytestmark = pytest.mark.slow  # pictures: `pytest tests/snapshots` when a view changes, and every full run

SIX = ("django", "flask", "fastapi", "litestar", "falcon", "django-ninja")
SIZES = {"80x24": (80, 24), "100x30": (100, 30), "120x40": (120, 40)}


@pytest.mark.parametrize(("size", "marked"), [((120, 40), SIX), ((80, 24), SIX[:3])], ids=["120x40-six", "80x24-three"])
def test_compare(snap_compare, size, marked):
    app = app_with(State(marked=marked, pane="compare"))
    assert snap_compare(app, terminal_size=size, run_before=settle)


def test_compare_detail_strip(snap_compare):
    async def on_orm(pilot) -> None:
        await settle(pilot)
        await pilot.press("t")
        table = pilot.app.screen.query_one("#compare-table")
        rows = [str(row.label) for row in table.rows.values()]
        labels = [str(table.get_row_at(i)[0]) for i in range(len(rows))]
        table.move_cursor(row=labels.index("ORM"), column=2)  # Flask's ORM
        await pilot.pause()

    app = app_with(State(marked=SIX[:3], pane="compare"))
    assert snap_compare(app, terminal_size=(120, 40), run_before=on_orm)


DECIDE = {
    "empty": State(pane="decide"),
    "needs": State(pane="decide", use_case="rest-api", needs=("orm",), nice=("websockets",)),
    "close": State(pane="decide", use_case="learning"),
}


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("case", list(DECIDE))
def test_decide(snap_compare, case, size):
    app = app_with(DECIDE[case])
    assert snap_compare(app, terminal_size=SIZES[size], run_before=settle)
