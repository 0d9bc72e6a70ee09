"""The first screen a new user sees, at 80x24 and 120x40: the list's legend whole,
its column headings, and the header's hint on how to get a recommendation.

The small test dataset keeps these pictures apart from the bundled data's
growth. Regenerate with `pytest tests/snapshots/test_first_contact_snapshots.py
--snapshot-update`, then look at the changed SVGs before committing them.
"""

from __future__ import annotations

import pytest

from fwtui.app import FwtuiApp
from fwtui.dataset import load
from helpers import MINIMAL

pytestmark = pytest.mark.slow  # pictures: `pytest tests/snapshots` when a view changes, and every full run


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_first_screen(snap_compare, size):
    # No state file in the test's state folder: this is a first start.
    assert snap_compare(FwtuiApp(load(MINIMAL, overlay=None)), terminal_size=size)
