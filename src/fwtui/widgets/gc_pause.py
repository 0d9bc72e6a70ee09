"""Keep the garbage collector out of a keystroke's frame.

A key that re-filters or re-ranks 1,000 frameworks allocates thousands of
short-lived objects, which can set off a collection in the middle of that
key's work (1-2 ms at 1,000 frameworks). Textual pauses collection during
smooth scrolling for the same reason. Here it is paused from the key until
the frame with the result has been drawn, and then runs as usual.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

from textual.dom import DOMNode


@contextmanager
def until_drawn(node: DOMNode) -> Iterator[None]:
    """Pause collection for the work in the block, and resume it once its frame is drawn.

    The resume is scheduled after the work, not before: scheduling wakes the
    screen, and a screen woken before the widgets have asked to be redrawn
    would draw a frame without them.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            node.call_after_refresh(gc.enable)
