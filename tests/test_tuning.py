"""Start-up: the runtime tuning's order and off switch, and what the first screen must not load."""

from __future__ import annotations

import subprocess
import sys

from helpers import ROOT

ORDER = """
import os, sys
os.environ.pop("TEXTUAL_FPS", None)
from fwtui import tuning
tuning.apply()
assert "textual" not in sys.modules, "tuning.apply() imported Textual"
import textual.constants
print(textual.constants.MAX_FPS, sys.getswitchinterval())
"""


def run(code: str, **env: str) -> str:
    import os

    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=ROOT,
                          env={**os.environ, **env})
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_the_frame_rate_is_set_before_textual_reads_it():
    fps, interval = run(ORDER).split()
    assert int(fps) == 120 and float(interval) == 0.0005


def test_the_off_switch_leaves_the_defaults():
    fps, interval = run(ORDER, FWTUI_TUNING="off").split()
    assert int(fps) == 60 and float(interval) == 0.005


def test_plain_fwtui_reaches_the_explorer_through_tuning():
    # The explorer's entry applies the tuning before it imports the app (and so Textual).
    source = (ROOT / "src" / "fwtui" / "cli.py").read_text(encoding="utf-8")
    start = source[source.index("def _start("):]
    assert start.index("tuning.apply()") < start.index("from fwtui.app import FwtuiApp")


# tomli_w is left out: the state is saved (with it) half a second after the first screen, as designed.
DEFERRED = ("pygments", "rich.syntax", "tomlkit", "fwtui.clipboard", "fwtui.screens.help", "textual.widgets._markdown",
            "fwtui.widgets.explainer", "fwtui.widgets.compare", "fwtui.widgets.decision", "fwtui.matrix", "fwtui.bench",
            "fwtui.refresh", "fwtui.index", "fwtui.web", "textual_serve", "playwright", "aiohttp")


def test_the_first_screen_loads_nothing_deferred():
    loaded = set(subprocess.run([sys.executable, str(ROOT / "benchmarks" / "first_screen_modules.py")], capture_output=True,
                                text=True, timeout=120, cwd=ROOT, check=True).stdout.split())
    early = sorted(m for m in loaded if any(m == d or m.startswith(d + ".") for d in DEFERRED))
    assert not early, f"loaded before they are needed: {early}"
