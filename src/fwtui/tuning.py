"""Process-wide tuning of the explorer, in one place, with one switch to turn it off.

Set FWTUI_TUNING=off to run the explorer with Python's and Textual's defaults,
so the worth of each setting can be measured A/B (benchmarks/run.py does).

- Frames per second: Textual draws at most 60 frames a second by default, so a
  key that arrives just after a frame waits up to 17 ms for the next one. At
  120 that wait is halved. A user's own TEXTUAL_FPS wins. Textual reads it
  when `textual.constants` is first imported, so `apply()` runs before any
  Textual import (tests/test_tuning.py checks the order).
- The interpreter's switch interval: Textual reads keys and writes frames on
  threads of their own, and each waits for the interpreter lock while the
  main thread works. By default the lock changes hands every 5 ms, so a
  finished frame could wait that long to be written; 0.5 ms here.
- Freezing the first screen's objects (`settle()`): what exists once the first
  screen is up (Textual's widgets, styles and caches, the dataset) lives as
  long as the app. Frozen, it is no longer walked by the full collections
  that a session's keystrokes set off from time to time.
"""

from __future__ import annotations

import os
import sys

ENV_SWITCH = "FWTUI_TUNING"
FRAMES_PER_SECOND = "120"
SWITCH_INTERVAL = 0.0005


def enabled() -> bool:
    return os.environ.get(ENV_SWITCH, "on").strip().lower() not in ("off", "0", "no", "false")


def apply() -> None:
    """Tune the process for the explorer; call before Textual is imported."""
    if not enabled():
        return
    os.environ.setdefault("TEXTUAL_FPS", FRAMES_PER_SECOND)
    sys.setswitchinterval(SWITCH_INTERVAL)


def settle() -> None:
    """Leave what the first screen made out of later garbage collections (once per process)."""
    import gc

    if enabled() and not gc.get_freeze_count():
        gc.freeze()
