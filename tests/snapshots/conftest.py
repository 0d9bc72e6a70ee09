"""What every snapshot test shares: a text cursor that does not blink, so no picture catches it mid-blink."""

from __future__ import annotations

import pytest
from textual.widgets import Input


@pytest.fixture(autouse=True)
def cursor_without_blink(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every Input, from its first frame, shows its cursor steadily while it has focus.

    Textual 8.2's Input reads its `cursor_blink` reactive (default on) to start and restart a
    half-second blink timer; a constant False on the class leaves the timer paused. Setting it
    on the Inputs of a running app missed those not mounted yet (the filter box is mounted
    after the first frame). test_cursor_blink.py fails if this stops working.
    """
    monkeypatch.setattr(Input, "cursor_blink", False)
