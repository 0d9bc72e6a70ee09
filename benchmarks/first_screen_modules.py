"""Print the modules loaded once fwtui's first screen has painted and settled (headless), one per line."""

import asyncio
import os
import sys
import tempfile

os.environ.setdefault("FWTUI_STATE_DIR", tempfile.mkdtemp(prefix="fwtui-probe-"))

from fwtui.app import FwtuiApp  # noqa: E402
from fwtui.dataset import load  # noqa: E402


async def main() -> None:
    app = FwtuiApp(load())
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await asyncio.sleep(0.3)  # past the deferred work: panes mounted, details timer fired
        await pilot.pause()
        print("\n".join(sorted(sys.modules)))


asyncio.run(main())
