"""Today's date, as fwtui counts the age of facts: one place, so tests and snapshots can fix it.

FWTUI_TODAY=YYYY-MM-DD sets it; anything else, or nothing, is the system's date.
"""

from __future__ import annotations

import datetime as dt
import os

ENV_TODAY = "FWTUI_TODAY"


def today() -> dt.date:
    try:
        return dt.date.fromisoformat(os.environ[ENV_TODAY])
    except (KeyError, ValueError):
        return dt.date.today()
