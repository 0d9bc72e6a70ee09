"""What the tests share: paths, and hostile datasets written to a folder."""

import functools
import subprocess
import sys
import tomllib
from pathlib import Path

import tomli_w

TESTS = Path(__file__).parent
ROOT = TESTS.parent
MINIMAL = TESTS / "data" / "minimal.toml"


HOSTILE = [
    "[bold red]x",
    "[/]",
    "[link=http://x]y[/link]",
    "[@click=app.quit]boom",
    "[ lone",
    "lone ]",
    "zero\u200bwidth\u200djoiner",
    "中文字符 全角 テキスト",
    "emoji 🐍🚀👩‍💻",
    "x" * 10_000,
]
TEXT_FIELDS = ("name", "tagline", "description", "async_note", "performance_note", "license", "latest_version")


def hostile_document(count: int | None = None) -> dict:
    """The minimal dataset with hostile text in every prose field, optionally with `count` frameworks."""
    document = tomllib.loads(MINIMAL.read_text(encoding="utf-8"))
    for index, framework in enumerate(document["framework"]):
        for offset, field in enumerate(TEXT_FIELDS):
            framework[field] = HOSTILE[(index + offset) % len(HOSTILE)]
        framework["best_for"] = list(HOSTILE)
        framework["tags"] = ["[red]tag", "🐍"]
        # A first-party or extension cell's note names its package (dataset 2.0).
        packages = framework.get("builtin_packages", {})
        framework["builtin_notes"] = {"orm": "[/bold] note", **{need: f"[/bold] {package}" for need, package in packages.items()}}
        framework["hello"]["run"] = "[blink]run"
    document["use_case"][0]["picks"][0]["why"] = "[@click=app.bell]why"
    if count is not None:
        template = document["framework"]
        document["framework"] = []
        for index in range(count):
            record = dict(template[index % len(template)])
            record["id"] = f"fw{index}"
            document["framework"].append(record)
        document["use_case"][0]["picks"] = [{"framework": "fw0", "fit": 90, "why": "first"}] if count else []
        for package in document.get("package", []):  # its makers' ids are gone with the renamed frameworks
            package["made_by"] = []
        if not count:
            document.pop("use_case")
    return document


@functools.cache
def bundled_copies(count: int):
    """The bundled dataset's frameworks repeated to `count`, each with its own id ("f7") and name ("F 007").

    Built once per size and process: a Dataset is immutable, and hypothesis asks for one per example.
    """
    from fwtui import dataset

    document = tomllib.loads(dataset.bundled_path().read_text(encoding="utf-8"))
    originals = document["framework"]
    document["framework"] = [{**originals[i % len(originals)], "id": f"f{i}", "name": f"F {i:03}"} for i in range(count)]
    return dataset.build(document)


def write(tmp_path: Path, document: dict, name: str = "data.toml") -> Path:
    path = tmp_path / name
    path.write_text(tomli_w.dumps(document), encoding="utf-8")
    return path


_BLOCK_TEXTUAL = """
import sys

class Block:
    def find_spec(self, name, path=None, target=None):
        if name == "textual" or name.startswith("textual."):
            raise ImportError("textual is blocked in this test")
        return None

sys.meta_path.insert(0, Block())
"""


def without_textual(code: str) -> subprocess.CompletedProcess[str]:
    """Run `code` in a fresh interpreter in which importing Textual fails."""
    return subprocess.run([sys.executable, "-c", _BLOCK_TEXTUAL + code], capture_output=True, text=True, timeout=60, cwd=ROOT)


async def wait_until(pilot, condition, timeout: float = 10.0, what: str = "the condition") -> None:
    """Let the app run until `condition()` holds: event by event, failing after `timeout` seconds.

    Instead of a fixed pause: as quick as the app on an idle machine, as patient as a busy one needs.
    """
    import time

    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} did not happen within {timeout} s")
        await pilot.pause(0.01)


async def refreshed(pilot) -> None:
    """Run the palette's "Refresh from the package index" and let its worker finish."""
    pilot.app.action_refresh()
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def app_with(state):
    """The explorer on the bundled dataset, starting from `state` as if it were saved from last time."""
    from fwtui.app import FwtuiApp
    from fwtui.dataset import bundled_path, load

    app = FwtuiApp(load(bundled_path(), overlay=None))
    app.state = state
    return app


PANE_VIEWS = {"details": "#details-view", "compare": "#compare-view", "explainer": "#explainer-view", "decide": "#decide-view"}


async def open_decide(app, pilot) -> None:
    """Press r and wait until Decide shows its ranking."""
    await pilot.press("r")
    await wait_until(pilot, lambda: app.screen.active_pane == "decide" and shows_its_state(app), what="Decide shown")


def shows_its_state(app) -> bool:
    """Whether the explorer has finished its deferred work: the panes are mounted, and the shown
    pane has what the screen last pushed down (Decide its ranking, Details the highlighted record)."""
    screen = app.screen
    if not screen.query("#panes"):
        return False
    pane = screen.active_pane
    found = screen.query(PANE_VIEWS[pane])
    if not found:
        return False
    view = found.first()
    if pane == "decide":
        return view.ranking is screen.ranking
    if pane == "details":
        highlighted = screen.framework_list.highlighted_id
        return highlighted is None or (view.framework is not None and view.framework.id == highlighted)
    return True


async def settle(pilot) -> None:
    """Wait until the explorer shows its state (see `shows_its_state`), without the start-up
    notices in the picture: a condition, not a fixed pause, so a loaded machine waits longer."""
    await wait_until(pilot, lambda: shows_its_state(pilot.app), what="the explorer settling")
    pilot.app.clear_notifications()
    await pilot.pause()
