"""Print the modules loaded when fwtui's first screen has painted (headless), one per line.

The details pane highlights its code sample in a callback that runs after the
first refresh; the snapshot is taken as that deferred work starts.
"""

import asyncio
import os
import sys
import tempfile

os.environ.setdefault("FWTUI_STATE_DIR", tempfile.mkdtemp(prefix="fwtui-probe-"))

from fwtui.app import FwtuiApp  # noqa: E402
from fwtui.dataset import load  # noqa: E402
from fwtui.widgets import details  # noqa: E402

seen: list[str] = []
highlight = details.highlighted_code


def snapshot_then_highlight(framework):
    if not seen:
        seen.extend(sorted(sys.modules))
    return highlight(framework)


details.highlighted_code = snapshot_then_highlight


async def main() -> None:
    app = FwtuiApp(load())
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
    print("\n".join(seen))


asyncio.run(main())
