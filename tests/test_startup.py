"""Start-up: what the first screen must not load, and what its first paint must not wait for."""

from __future__ import annotations

import gc
import os
import subprocess
import sys

from fwtui.cli import main
from helpers import ROOT

# tomli_w is left out: the state is saved (with it) half a second after the first screen, as designed.
DEFERRED = ("pygments", "rich.syntax", "tomlkit", "fwtui.clipboard", "fwtui.screens.help", "textual.widgets._markdown",
            "fwtui.widgets.explainer", "fwtui.widgets.compare", "fwtui.widgets.decision", "fwtui.matrix", "fwtui.bench",
            "fwtui.refresh", "fwtui.index", "fwtui.web", "textual_serve", "playwright", "aiohttp", "packaging")

# Loaded once the list is on screen, not before: the schema only checks a dataset (a parse-cache
# entry found valid is not checked again), summary words what Decide and Details show, and the
# panes are mounted after the first paint.
AFTER_FIRST_PAINT = ("fwtui.schema", "fwtui.summary", "fwtui.widgets.panes", "fwtui.widgets.details", "textual.widgets._tabbed_content")

# Starts the explorer headless (through the command line, as `fwtui` does) and prints what was
# loaded when the main screen began its first work after the first paint: mounting the panes.
FIRST_PAINT_PROBE = """
import asyncio, sys
from textual.app import App
from fwtui import cli
from fwtui.screens.main import MainScreen
loaded = []
mount_panes = MainScreen._mount_panes
def first_work_after_paint(screen):
    loaded.extend(sorted(sys.modules))
    mount_panes(screen)
async def until_painted(app):
    async with app.run_test(size=(120, 40)) as pilot:
        while not loaded:
            await pilot.pause()
        await app.action_quit()
MainScreen._mount_panes = first_work_after_paint
App.run = lambda app, **_: asyncio.run(until_painted(app))
cli._is_terminal = lambda stream: True
assert cli.main([]) == 0
print("\\n".join(loaded))
"""


def test_the_first_screen_loads_nothing_deferred():
    loaded = set(subprocess.run([sys.executable, str(ROOT / "benchmarks" / "first_screen_modules.py")], capture_output=True,
                                text=True, timeout=120, cwd=ROOT, check=True).stdout.split())
    early = sorted(m for m in loaded if any(m == d or m.startswith(d + ".") for d in DEFERRED))
    assert not early, f"loaded before they are needed: {early}"


def test_the_first_paint_waits_for_nothing_it_does_not_show(tmp_path):
    # The second start is the usual one: the parse cache holds the dataset found valid, the state is saved.
    env = {**os.environ, "FWTUI_STATE_DIR": str(tmp_path), "FWTUI_CONFIG_DIR": str(tmp_path), "FWTUI_CACHE_DIR": str(tmp_path)}
    for _ in range(2):
        done = subprocess.run([sys.executable, "-c", FIRST_PAINT_PROBE], capture_output=True, text=True, timeout=120, cwd=ROOT, env=env)
        assert done.returncode == 0, done.stderr
    assert list(tmp_path.glob("parsed-*.pickle")) and list(tmp_path.glob("*.toml")), "the first start left no cache or state"
    loaded = set(done.stdout.split())
    assert "fwtui.screens.main" in loaded and "fwtui.widgets.framework_list" in loaded, "the probe ran before the first screen"
    early = sorted(m for m in loaded if any(m == d or m.startswith(d + ".") for d in (*DEFERRED, *AFTER_FIRST_PAINT)))
    assert not early, f"loaded before the first paint: {early}"


COLLECTOR_PROBE = """
import asyncio, gc, sys
from textual.app import App
from fwtui import cli, tuning
from fwtui.screens.main import MainScreen
seen = {}
mount_panes, settle_heap = MainScreen._mount_panes, tuning.settle_heap
def first_work_after_paint(screen):
    seen["at the first paint"] = gc.isenabled()
    seen["switch interval"] = sys.getswitchinterval()
    mount_panes(screen)
    seen["building the panes"] = gc.isenabled()
def settled():
    settle_heap()
    seen["once settled"] = gc.isenabled()
async def until_settled(app):
    async with app.run_test(size=(120, 40)) as pilot:
        while len(seen) < 4:
            await pilot.pause()
        await app.action_quit()
MainScreen._mount_panes = first_work_after_paint
tuning.settle_heap = settled
App.run = lambda app, **_: asyncio.run(until_settled(app))
cli._is_terminal = lambda stream: True
assert cli.main([]) == 0
print(seen)
"""


def test_the_collector_is_held_until_the_first_paint_and_frames_get_the_gil_soon(tmp_path):
    env = {key: value for key, value in os.environ.items() if key != "FWTUI_NO_TUNING"}
    env.update(FWTUI_STATE_DIR=str(tmp_path), FWTUI_CONFIG_DIR=str(tmp_path), FWTUI_CACHE_DIR=str(tmp_path))
    done = subprocess.run([sys.executable, "-c", COLLECTOR_PROBE], capture_output=True, text=True, timeout=120, cwd=ROOT, env=env)
    assert done.returncode == 0, done.stderr
    # Back on for the panes, built after the first paint: their garbage is collected, not frozen.
    # The switch interval: Textual's writer thread gets the GIL soon after the app's thread queues a frame.
    assert done.stdout.strip() == "{'at the first paint': False, 'switch interval': 0.0005, 'building the panes': True, 'once settled': True}"


# The `fwtui` command's entry point: is the collector held before fwtui's modules and Textual are
# imported, and is it on again for a command that is not the explorer?
ENTRY_PROBE = """
import gc, inspect, sys
from importlib.metadata import entry_points
from fwtui import tuning
seen = {}
hold, release = tuning.hold_collector, tuning.release_collector
def holding():
    seen.setdefault("loaded when held", sorted(m for m in ("fwtui.cli", "fwtui.dataset", "textual") if m in sys.modules))
    hold()
def releasing():
    seen.setdefault("on again in", [frame.function for frame in inspect.stack()][1])  # _run, before it runs the command
    release()
tuning.hold_collector, tuning.release_collector = holding, releasing
(script,) = [e for e in entry_points(group="console_scripts") if e.name == "fwtui"]
sys.argv = ["fwtui", "paths"]
code = script.load()()
print(script.value, code, seen, gc.isenabled(), sys.getswitchinterval())
"""


def test_the_command_holds_the_collector_before_fwtui_is_imported_and_frees_it_for_commands(tmp_path):
    env = {key: value for key, value in os.environ.items() if key != "FWTUI_NO_TUNING"}
    env.update(FWTUI_STATE_DIR=str(tmp_path), FWTUI_CONFIG_DIR=str(tmp_path), FWTUI_CACHE_DIR=str(tmp_path))
    done = subprocess.run([sys.executable, "-c", ENTRY_PROBE], capture_output=True, text=True, timeout=120, cwd=ROOT, env=env)
    assert done.returncode == 0, done.stderr
    *_, last = done.stdout.strip().splitlines()
    assert last == "fwtui.__main__:main 0 {'loaded when held': [], 'on again in': '_run'} True 0.005"


def test_the_collector_runs_again_when_the_explorer_does_not_start(monkeypatch, capsys):
    monkeypatch.delenv("FWTUI_NO_TUNING", raising=False)
    assert gc.isenabled()
    interval = sys.getswitchinterval()
    assert main([]) == 0  # not a terminal: the list is printed instead
    assert "fwtui list" in capsys.readouterr().err
    assert gc.isenabled()
    assert sys.getswitchinterval() == interval  # set only for an explorer that starts
