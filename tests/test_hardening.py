"""Hostile data, every terminal size, key storms, failing clipboards and files, non-terminals, fuzzing.

fwtui must never show a traceback, never lose a copy, and never let a dataset
drive the terminal. The slow cases are marked `slow` and still run in CI.
"""

from __future__ import annotations

import html
import json
import os
import random
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fwtui import clipboard, dataset
from fwtui.app import FwtuiApp
from fwtui.cli import main
from fwtui.screens.main import MainScreen
from fwtui.state import State, load_state, save_state, state_path
from helpers import HOSTILE, MINIMAL, ROOT, hostile_document, write


def screen_text(app: FwtuiApp) -> str:
    """What the screen shows, as plain text (from Textual's SVG screenshot)."""
    svg = app.export_screenshot()
    return html.unescape(re.sub(r"<[^>]+>", "", svg)).replace("\xa0", " ")


# 1. Hostile datasets --------------------------------------------------------------------


def test_hostile_text_loads_and_the_cli_prints_it_literally(tmp_path, capsys):
    path = write(tmp_path, hostile_document())
    for command in (["list"], ["show", "alpha"], ["compare", "alpha", "beta"], ["recommend", "--use-case", "api"]):
        for fmt in ("table", "markdown", "json"):
            assert main(["--data", str(path), *command, "--format", fmt]) == 0, (command, fmt)
            out = capsys.readouterr().out
            assert "\x1b" not in out
            if fmt == "json":
                json.loads(out)
    main(["--data", str(path), "show", "alpha", "--format", "json"])
    record = json.loads(capsys.readouterr().out)["framework"][0]
    assert record["name"] == HOSTILE[0] and record["best_for"] == HOSTILE


async def test_hostile_text_in_every_pane_is_shown_literally(tmp_path):
    data = dataset.load(write(tmp_path, hostile_document()), overlay=None)
    app = FwtuiApp(data)
    async with app.run_test(size=(120, 40)) as pilot:
        for key in ("d", "t", "w", "r", "1", "c"):
            await pilot.press(key)
            await pilot.pause()
        await app.workers.wait_for_complete()
        assert app.is_running  # "[@click=app.quit]" did not quit it
        assert "[@click=app.bell]why" in screen_text(app)  # the use case's reason, on the decision panel
        await pilot.press("d")
        await pilot.pause(0.2)
        shown = screen_text(app)
        assert "[bold red]x" in shown and "[/]" in shown


def test_escape_codes_are_refused_wherever_text_enters(tmp_path, capsys):
    sequences = ["\x1b[2J", "\x1b]52;c;aGk=\x07", "\x1b]8;;http://x\x1b\\", "\x9b31m", "\u202eevil", "\x07"]
    for index, sequence in enumerate(sequences):
        document = hostile_document()
        document["framework"][1]["tagline"] = f"before{sequence}after"
        path = write(tmp_path, document, f"bad{index}.toml")
        assert main(["--data", str(path), "list"]) == 2
        err = capsys.readouterr().err
        assert "framework[1].tagline: contains the control character" in err
        assert sequence not in err  # the message names the code point, it does not replay it
        overlay = write(tmp_path, {"framework": [{"id": "beta", "tagline": f"x{sequence}"}]}, f"overlay{index}.toml")
        with pytest.raises(dataset.DatasetError, match="control character"):
            dataset.load(MINIMAL, overlay=overlay)


async def test_no_frameworks_at_all(tmp_path, capsys):
    path = write(tmp_path, hostile_document(count=0))
    assert main(["--data", str(path), "list", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["framework"] == []
    app = FwtuiApp(dataset.load(path, overlay=None))
    async with app.run_test(size=(80, 24)) as pilot:
        for key in ("d", "t", "w", "r", "1", "space", "c", "slash", "x", "escape", "o", "h"):
            await pilot.press(key)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, MainScreen) and app.screen.marked == ()


@pytest.mark.slow
async def test_five_thousand_frameworks(tmp_path):
    data = dataset.load(write(tmp_path, hostile_document(count=5000)), overlay=None)
    app = FwtuiApp(data)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("end", "space", "slash", *"alpha", "escape", "r", "1", "h", "t")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, MainScreen) and "fw4999" in screen.marked
        assert len(screen.ranking) == 5000


# 2. Terminal sizes ---------------------------------------------------------------------------

SIZES = [(20, 8), (40, 12), (59, 15), (60, 15), (80, 24), (120, 40), (200, 60), (300, 100)]


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
async def test_every_pane_at_every_size(bundled, size):
    app = FwtuiApp(bundled)
    async with app.run_test(size=size) as pilot:
        for key in ("d", "t", "w", "r", "3", "question_mark", "escape"):
            await pilot.press(key)
            await pilot.pause()
        too_small = size[0] < 60 or size[1] < 15
        assert app.screen.has_class("-too-small") == too_small


async def test_resizing_while_running(bundled):
    app = FwtuiApp(bundled)
    async with app.run_test(size=(120, 40)) as pilot:
        for index, size in enumerate([(80, 24), (20, 8), (300, 100), (61, 16), (30, 50), (120, 40)] * 3):
            await pilot.resize_terminal(*size)
            await pilot.press("dtwr"[index % 4], "down")
        assert not app.screen.has_class("-too-small")
        assert app.is_running


# 3. Key storms -------------------------------------------------------------------------------

STORM_KEYS = (
    [*"abcdefghijklmnoprstuvwxyz0123456789", "space", "enter", "tab", "shift+tab", "escape", "up", "down", "left",
     "right", "pageup", "pagedown", "home", "end", "backspace", "slash", "question_mark", "f1", "ctrl+p", "delete"]
)  # every binding except the ones that leave: q, ctrl+q, ctrl+c


def storm(seed: int, count: int) -> list[str]:
    rng = random.Random(seed)
    return [rng.choice(STORM_KEYS) for _ in range(count)]


@pytest.mark.slow
@pytest.mark.parametrize("pane", ["d", "t", "w", "r"])
async def test_key_storm(bundled, pane):
    app = FwtuiApp(bundled)
    keys = storm(seed=20261125 + ord(pane), count=1250)  # 5,000 keys over the four panes
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press(pane)
        for start in range(0, len(keys), 50):
            await pilot.press(*keys[start : start + 50])
        await app.workers.wait_for_complete()
        for _ in range(4):  # out of any modal, palette or input
            await pilot.press("escape")
        await pilot.press("l", "q")
        await pilot.pause()
    assert app.return_code == 0
    assert not app.is_running


# 4. Clipboard --------------------------------------------------------------------------------


def tool(tmp_path: Path, name: str, body: str) -> list[str]:
    script = tmp_path / name
    script.write_text(f"#!/bin/sh\n{body}\n")
    script.chmod(0o755)
    return [str(script)]


@pytest.mark.parametrize(
    ("body", "expected"),
    [("exit 3", "failed (exit 3)"), ("sleep 30", "did not answer within 0.5 s"), (None, "could not run")],
    ids=["failing", "hanging", "missing"],
)
def test_a_broken_tool_never_loses_the_summary(tmp_path, body, expected):
    argv = tool(tmp_path, "copier", body) if body else [str(tmp_path / "no-such-tool")]
    result = clipboard.deliver("# summary", osc52_sent=True, save_folder=tmp_path / "saved", env={}, tools=[argv], timeout=0.5)
    assert not result.copied and result.saved_to is not None
    assert result.saved_to.read_text() == "# summary"
    assert expected in result.message() and str(result.saved_to) in result.message()


def test_a_working_tool_copies(tmp_path):
    out = tmp_path / "got.txt"
    result = clipboard.deliver("héllo", True, tmp_path / "saved", env={}, tools=[tool(tmp_path, "ok", f"cat > {out}")])
    assert result.copied and result.tool and out.read_text(encoding="utf-8") == "héllo"
    assert result.saved_to is None


def test_a_huge_summary_skips_osc52_and_is_saved(tmp_path):
    huge = "x" * (clipboard.OSC52_LIMIT * 3)
    result = clipboard.deliver(huge, osc52_sent=False, save_folder=tmp_path, env={"TERM_PROGRAM": "WezTerm"}, tools=[])
    assert result.saved_to is not None and "too large" in result.message()


def test_known_terminals_count_as_copied(tmp_path):
    result = clipboard.deliver("x", osc52_sent=True, save_folder=tmp_path, env={"TERM": "xterm-kitty"}, tools=[])
    assert result.copied and result.saved_to is None


def test_unwritable_save_folder_falls_back_to_temp(tmp_path):
    blocker = tmp_path / "file-not-folder"
    blocker.write_text("")
    result = clipboard.deliver("x", osc52_sent=True, save_folder=blocker / "summaries", env={}, tools=[])
    assert result.saved_to is not None and result.saved_to.exists()


async def test_a_hanging_tool_does_not_freeze_the_app(bundled, monkeypatch, tmp_path):
    monkeypatch.setattr(clipboard, "clipboard_tools", lambda env=None: [tool(tmp_path, "slow", "sleep 30")])
    monkeypatch.setattr(clipboard, "TOOL_TIMEOUT", 1.0)
    app = FwtuiApp(bundled)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("c")
        await pilot.press("t")  # the UI answers while the copy waits on the tool
        await pilot.pause()
        assert app.screen.active_pane == "compare"
        await app.workers.wait_for_complete()
        await pilot.pause()
        messages = [n.message for n in app._notifications]
        assert any("did not answer" in m and "Saved to" in m for m in messages)


# 5. Files ------------------------------------------------------------------------------------


def test_state_round_trip_and_empty_file(hermetic):
    assert save_state(State(marked=("flask",), team="beginner")) is None
    state, problem = load_state()
    assert state.marked == ("flask",) and state.team == "beginner" and problem is None
    state_path().write_text("")
    assert load_state() == (State(), None)


def test_read_only_folder_is_reported(tmp_path, monkeypatch):
    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("tempfile.mkstemp", refuse)
    problem = save_state(State(), tmp_path / "state.toml")
    assert problem and "Permission denied" in problem


def test_full_disk_keeps_the_old_file(tmp_path, monkeypatch):
    path = tmp_path / "state.toml"
    save_state(State(marked=("old",)), path)
    original = os.fsync

    def full(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    problem = save_state(State(marked=("new",)), path)
    monkeypatch.setattr(os, "fsync", original)
    assert problem and "No space left" in problem
    assert load_state(path)[0].marked == ("old",)
    assert [p.name for p in tmp_path.iterdir()] == ["state.toml"]  # no temp file left behind


def test_killed_mid_write_leaves_the_old_file(tmp_path):
    path = tmp_path / "state.toml"
    save_state(State(marked=("old",)), path)
    script = (
        "import os, signal, sys\n"
        "from pathlib import Path\n"
        "from fwtui.state import State, save_state\n"
        "os.fsync = lambda fd: os.kill(os.getpid(), signal.SIGKILL)\n"
        f"save_state(State(marked=('new',)), Path({str(path)!r}))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=60)
    assert done.returncode == -signal.SIGKILL
    assert load_state(path)[0].marked == ("old",)


async def test_unwritable_state_is_reported_once_and_the_app_goes_on(bundled, monkeypatch):
    import fwtui.app

    monkeypatch.setattr(fwtui.app, "save_state", lambda state, path=None: "Could not save state: disk full.")
    app = FwtuiApp(bundled)
    async with app.run_test(size=(120, 40)) as pilot:
        for key in ("space", "down", "space", "t", "d"):
            await pilot.press(key)
            await pilot.pause(0.6)
        for _ in range(30):  # on a busy machine the last save may come a little later
            if any("Could not save state" in n.message for n in app._notifications):
                break
            await pilot.pause(0.1)
        warnings = [n for n in app._notifications if "Could not save state" in n.message]
        assert len(warnings) == 1
        assert app.is_running


# 6. Not a terminal ---------------------------------------------------------------------------


def run_fwtui(*args, env=None, **kwargs):
    environment = {**os.environ, "FWTUI_STATE_DIR": os.environ["FWTUI_STATE_DIR"], **(env or {})}
    return subprocess.run([sys.executable, "-m", "fwtui", *args], capture_output=True, text=True, timeout=60,
                          cwd=ROOT, env=environment, **kwargs)


@pytest.mark.parametrize("env", [{}, {"NO_COLOR": "1"}, {"TERM": "dumb"}], ids=["plain", "no-color", "dumb"])
def test_piped_output_is_clean(env):
    done = run_fwtui(env=env, stdin=subprocess.DEVNULL)
    assert done.returncode == 0 and "FastAPI" in done.stdout
    assert "\x1b" not in done.stdout


def test_term_dumb_in_a_terminal_prints_the_list(tmp_path):
    if not shutil_which("tmux"):
        pytest.skip("tmux is not installed")
    socket = f"fwtui-dumb-{os.getpid()}"
    raw = tmp_path / "raw.txt"

    def tmux(*args):
        return subprocess.run(["tmux", "-L", socket, *args], capture_output=True, text=True, cwd=ROOT)

    command = f"sleep 0.5; TERM=dumb FWTUI_STATE_DIR={tmp_path} {sys.executable} -m fwtui; echo EXITED $?; sleep 10"
    tmux("-f", "/dev/null", "new-session", "-d", "-x", "100", "-y", "40", command)
    tmux("pipe-pane", "-o", f"cat > {raw}")  # every byte the program writes to its terminal
    try:
        for _ in range(300):
            if "EXITED" in tmux("capture-pane", "-p").stdout:
                break
            subprocess.run(["sleep", "0.1"])
        screen = tmux("capture-pane", "-p", "-S", "-").stdout  # with the scrollback: the list is taller than the pane
    finally:
        tmux("kill-server")
    assert "EXITED 0" in screen and "Robyn" in screen
    written = raw.read_bytes()
    assert b"TERM=dumb" in written and b"\x1b[" not in written and b"\x1b]" not in written


def shutil_which(name: str) -> str | None:
    import shutil

    return shutil.which(name)


# 7. Fuzzing the loader -----------------------------------------------------------------------

keys = st.sampled_from(["meta", "framework", "decision", "id", "name", "kind", "interfaces", "builtins", "orm", "hello",
                        "code", "sources", "use_case", "picks", "fit", "comparison", "field", "x", "explainer", "spec"])
scalars = st.one_of(st.text(max_size=20), st.integers(-5, 3000), st.booleans(), st.floats(allow_nan=False), st.dates())
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=5), max_leaves=25)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(document=st.dictionaries(keys, values, max_size=6))
def test_fuzz_random_documents(tmp_path_factory, document):
    path = tmp_path_factory.mktemp("fuzz") / "data.toml"
    try:
        path.write_text(tomli_w.dumps(document), encoding="utf-8")
    except (TypeError, ValueError):
        return  # not representable in TOML (e.g. mixed arrays in old tomli-w)
    try:
        dataset.load(path, overlay=None)
    except dataset.DatasetError as error:
        assert error.problems


@settings(max_examples=300, deadline=None)
@given(field=st.sampled_from(["name", "interfaces", "builtins", "first_release", "hello", "sources", "stars", "tags"]),
       value=values)
def test_fuzz_field_values(tmp_path_factory, field, value):
    overlay = tmp_path_factory.mktemp("fuzz") / "overlay.toml"
    try:
        overlay.write_text(tomli_w.dumps({"framework": [{"id": "alpha", field: value}]}), encoding="utf-8")
    except (TypeError, ValueError):
        return
    try:
        dataset.load(MINIMAL, overlay=overlay)
    except dataset.DatasetError as error:
        assert error.problems


@settings(max_examples=200, deadline=None)
@given(blob=st.binary(max_size=300))
def test_fuzz_raw_bytes(tmp_path_factory, blob):
    path = tmp_path_factory.mktemp("fuzz") / "data.toml"
    path.write_bytes(blob)
    with pytest.raises(dataset.DatasetError):
        dataset.load(path, overlay=None)
