"""Process-wide runtime switches, all in this one place, each kept for a measured reason.

Set FWTUI_NO_TUNING=1 to run with Python's and Textual's defaults instead, so
that each switch can be measured against them (docs/performance.md, "The tuning switch").
"""

from __future__ import annotations

import gc
import os
import sys

ENV_OFF = "FWTUI_NO_TUNING"
SWITCH_INTERVAL = 0.0005  # seconds; Python's default is 0.005


def enabled() -> bool:
    return not os.environ.get(ENV_OFF)


def hold_collector() -> None:
    """From the explorer's start until its first paint: no cyclic collection.

    Importing Textual and building the dataset and the first screen make tens
    of thousands of objects, which set off about 130 collections before the
    first paint, one of them a full walk of everything made so far; the
    minimal Textual app of the benchmark sets off fewer than 100, none full.
    What those collections would find is start-up garbage, collected once the
    collector is back on, while the panes are built after the first paint
    (held until the panes were up, it raised the peak memory: the figures are
    in docs/performance.md, "The tuning switch").
    """
    if enabled():
        gc.disable()


def prompt_frames() -> None:
    """For the explorer: a frame reaches the terminal while the app goes on working.

    Textual writes each frame from a thread of its own. When the app's thread
    keeps working after a frame (building the panes after the first paint),
    the writer waits for the GIL, and at Python's default switch interval it
    waited twice for the first frame (docs/performance.md, "The tuning
    switch", has the figures). Only the writer and the input thread ever wait
    for the GIL, and they seldom have work.
    """
    if enabled():
        sys.setswitchinterval(SWITCH_INTERVAL)


def release_collector() -> None:
    """The collector back on: once the first paint is done, or when the explorer never got that far (it did not start, or quit first)."""
    gc.enable()


def settle_heap() -> None:
    """Once the first screen and its panes are built: keep what exists from the cyclic collector.

    `gc.freeze()` moves every object made so far (the dataset, the search words,
    the widgets) into a generation the collector no longer walks. With 1,000
    frameworks a full collection walked all of them, and the key it fell in
    waited for it, a few times in every hundred keys; after the freeze it walks
    what came later (docs/performance.md). Objects frozen here are
    still freed when nothing refers to them; only a reference cycle among them
    would outlive its use, and these live as long as the app.
    """
    if enabled():
        gc.freeze()
        gc.enable()
