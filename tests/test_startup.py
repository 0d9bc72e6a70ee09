"""Start-up: what the first screen must not load."""

from __future__ import annotations

import subprocess
import sys

from helpers import ROOT

# tomli_w is left out: the state is saved (with it) half a second after the first screen, as designed.
DEFERRED = ("pygments", "rich.syntax", "tomlkit", "fwtui.clipboard", "fwtui.screens.help", "textual.widgets._markdown",
            "fwtui.widgets.explainer", "fwtui.widgets.compare", "fwtui.widgets.decision", "fwtui.matrix", "fwtui.bench",
            "fwtui.refresh", "fwtui.index", "fwtui.web", "textual_serve", "playwright", "aiohttp", "packaging")


def test_the_first_screen_loads_nothing_deferred():
    loaded = set(subprocess.run([sys.executable, str(ROOT / "benchmarks" / "first_screen_modules.py")], capture_output=True,
                                text=True, timeout=120, cwd=ROOT, check=True).stdout.split())
    early = sorted(m for m in loaded if any(m == d or m.startswith(d + ".") for d in DEFERRED))
    assert not early, f"loaded before they are needed: {early}"
