"""Hostile data, every terminal size, key storms, failing clipboards and files, non-terminals, fuzzing.

fwtui must never show a traceback, never lose a copy, and never let a dataset
drive the terminal. The slow cases are marked `slow` and still run in CI.
"""

from __future__ import annotations

import datetime as dt
import functools
import html
import json
import os
import pickle
import random
import re
import signal
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest
import tomli_w
from hypothesis import HealthCheck, event, given, reject, settings
from hypothesis import strategies as st

from fwtui import clipboard, dataset, schema, vocabulary
from fwtui.app import FwtuiApp
from fwtui.cli import main
from fwtui.model import Dataset
from fwtui.screens.main import MainScreen
from fwtui.state import State, load_state, save_state, state_path
from helpers import HOSTILE, MINIMAL, ROOT, hostile_document, shows_its_state, wait_until, write


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
        await wait_until(pilot, lambda: app.screen.active_pane == "details" and shows_its_state(app), what="Details on the record")
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


@pytest.mark.slow  # every pane at nine sizes: 85 s of a worker; test_app and the snapshots cover each pane at the usual sizes
@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
async def test_every_pane_at_every_size(bundled, size):
    app = FwtuiApp(bundled)
    async with app.run_test(size=size) as pilot:
        for key in ("d", "t", "w", "r", "3", "question_mark", "escape"):
            await pilot.press(key)
            await pilot.pause()
        too_small = size[0] < 60 or size[1] < 15
        assert app.screen.has_class("-too-small") == too_small


@pytest.mark.slow  # a resize storm: twelve relayouts of the whole screen; test_app and test_views resize once each way
async def test_resizing_while_running(bundled):
    app = FwtuiApp(bundled)
    async with app.run_test(size=(120, 40)) as pilot:
        # Twelve steps pair each size with a pane in every way that more rounds would (6 sizes, 4 panes).
        for index, size in enumerate([(80, 24), (20, 8), (300, 100), (61, 16), (30, 50), (120, 40)] * 2):
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
    """Random keys in every pane never crash the app and leave it able to quit.

    250 keys a pane: with the two palette fixes in fwtui.app taken out, the storms of
    panes t and w die of DuplicateIds within their first 150 keys (the first such crash
    needed 1,250-key storms, which cost most of the suite's time and found nothing more).
    """
    app = FwtuiApp(bundled)
    keys = storm(seed=20261125 + ord(pane), count=250)
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

    saves: list[object] = []

    def failing_save(state, path=None):
        saves.append(state)
        return "Could not save state: disk full."

    monkeypatch.setattr(fwtui.app, "save_state", failing_save)
    app = FwtuiApp(bundled)
    # Every notice as it is sent: on a loaded machine the first one can time out before the fifth save.
    notices: list[str] = []
    shown = app.notify
    monkeypatch.setattr(app, "notify", lambda message, *args, **kwargs: (notices.append(message), shown(message, *args, **kwargs)))
    async with app.run_test(size=(120, 40)) as pilot:
        for key in ("space", "down", "space", "t", "d"):
            before = len(saves)
            await pilot.press(key)
            await wait_until(pilot, lambda before=before: len(saves) > before, what=f"the save after {key!r}")  # each save fails anew
        await pilot.pause()
        assert len([n for n in notices if "Could not save state" in n]) == 1
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


@pytest.mark.xdist_group("terminal")
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
#
# Whatever the document, `load` either returns a dataset that keeps the model's promises or raises
# DatasetError whose every problem is one clean line naming a place in the document; nothing else.

keys = st.sampled_from(["meta", "framework", "decision", "id", "name", "kind", "interfaces", "builtins", "orm", "hello",
                        "code", "sources", "use_case", "picks", "fit", "comparison", "field", "x", "explainer", "spec"])
scalars = st.one_of(st.text(max_size=20), st.integers(-5, 3000), st.booleans(), st.floats(allow_nan=False), st.dates())
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=5), max_leaves=25)

# What a terminal acts on: never raw in a message (a problem is one line, so no line break either) ...
RAW_IN_MESSAGE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
# ... nor in the model's text, where prose may keep its tabs and line breaks.
RAW_IN_TEXT = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
ID = re.compile(r"[a-z0-9][a-z0-9_-]*")
PATH_STEP = re.compile(r"\[(\d+)\]|(?:^|\.)([^.\[\]]+)")
# Problems about the file as a whole, before there is a document to point into.
FILE_PROBLEM = re.compile(r"file is empty$|file has no data |line \d+: not valid UTF-8 |TOML syntax error: ")


def path_steps(path: str) -> list[str | int] | None:
    """ "framework[0].hello.code" as ["framework", 0, "hello", "code"]; None if it is not written like a path."""
    steps: list[str | int] = []
    position = 0
    for match in PATH_STEP.finditer(path):
        if match.start() != position:
            return None
        steps.append(int(match[1]) if match[1] is not None else match[2])
        position = match.end()
    return steps if steps and position == len(path) else None


def names_a_place(document: dict, path: str) -> bool:
    """Whether `path` leads to something in `document`, or to a field the schema knows that is missing there.

    Indexes must exist. A missing field must be one its table may hold (a required field, or a table of
    them such as builtin_packages.orm, where builtin_packages is missing or not a table); what is in
    the document may be anything, an unknown field too.
    """
    steps = path_steps(path)
    if steps is None:  # a cycle in builds_on is named by a framework's id
        frameworks = document.get("framework")
        lineage = isinstance(frameworks, list) and any(isinstance(f, dict) and "builds_on" in f for f in frameworks)
        return lineage and re.fullmatch(r'framework ".*"', path) is not None
    node: object = document
    rules: dict = schema.SCHEMA
    for index, step in enumerate(steps):
        if isinstance(step, int):
            if not isinstance(node, list) or step >= len(node):
                return False
            node, rules = node[step], rules.get("items", {})
            continue
        extra = rules.get("additionalProperties")
        rule = rules.get("properties", {}).get(step, extra if isinstance(extra, dict) else None)
        if isinstance(node, dict) and step in node:
            node, rules = node[step], rule or {}
            continue
        # A missing field, or a missing table and its field (where a table is missing or is not a table).
        for missing in steps[index:]:
            if not isinstance(missing, str) or rules.get("type") != "object" or missing not in rules.get("properties", {}):
                return False
            rules = rules["properties"][missing]
        return len(steps) - index <= 2
    return True


def plain_keys(document: object) -> bool:
    """Whether every key is a plain word, so that a path written with dots and brackets has one reading."""
    if isinstance(document, dict):
        return all(re.fullmatch(r"[A-Za-z0-9_-]+", key) and plain_keys(item) for key, item in document.items())
    if isinstance(document, list):
        return all(plain_keys(item) for item in document)
    return True


def assert_clean_error(error: dataset.DatasetError, document: dict | None, source: Path) -> None:
    """Every problem is one line without control characters that names a place in `document` (or the file)."""
    assert error.problems
    assert str(source) in error.source
    lines = error.render().split("\n")
    assert len(lines) == 1 + len(error.problems) and str(error) == error.render()
    for problem in [error.source, *error.problems]:
        assert not RAW_IN_MESSAGE.search(problem), repr(problem)
    for problem in error.problems:
        if document and not plain_keys(document):
            continue  # a key such as "a.b" or "x[0]" makes its path ambiguous: only the form is checked
        if document:
            path, separator, message = problem.partition(": ")
            assert separator and message and names_a_place(document, path), (problem, document)
        else:
            assert FILE_PROBLEM.match(problem), problem


def texts(value: object, path: str = "") -> Iterator[tuple[str, str]]:
    """Every text in a model record (NamedTuples, tuples, dicts), with where it is."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from texts(key, f"{path}.<key>")
            yield from texts(item, f"{path}.{key}")
    elif isinstance(value, tuple):
        names = getattr(value, "_fields", None) or range(len(value))
        for name, item in zip(names, value):
            yield from texts(item, f"{path}.{name}")


def assert_keeps_the_models_promises(data: Dataset) -> None:
    """What the panes, the engine and the CLI rely on, and the loader promises them."""
    ids = [f.id for f in data.frameworks]
    assert len(ids) == len(set(ids)) and all(ID.fullmatch(i) for i in ids), ids
    for framework in data.frameworks:
        assert set(framework.builtins) == set(vocabulary.BUILTINS), framework.builtins
        assert set(framework.builtins.values()) <= set(vocabulary.BUILTIN_LEVELS), framework.builtins
        for need, level in framework.builtins.items():
            if level in vocabulary.PACKAGED_LEVELS:
                package = framework.builtin_packages[need]
                assert package.casefold() in framework.builtin_notes[need].casefold()
        assert framework.kind in vocabulary.KINDS
        for chosen, known in ((framework.interfaces, vocabulary.INTERFACES), (framework.servers, vocabulary.SERVERS)):
            assert chosen and len(set(chosen)) == len(chosen) and set(chosen) <= set(known), chosen
        assert type(framework.first_release) is int and 1990 <= framework.first_release <= 2100
        assert type(framework.type_hint_driven) is bool
        assert framework.sources and all(re.match(r"https?://\S+\Z", s.url) and type(s.checked) is dt.date for s in framework.sources)
        assert set(framework.builds_on) <= set(ids) - {framework.id}
        compile(framework.hello.code, framework.hello.file, "exec")
        for field in ("name", "tagline", "license", "latest_version"):
            assert not re.search(r"[\t\r\n]", getattr(framework, field)), (field, getattr(framework, field))
    for use_case in data.use_cases:
        assert use_case.picks and all(p.framework in ids and type(p.fit) is int and 0 <= p.fit <= 100 for p in use_case.picks)
    for where, text in texts(data):
        assert not RAW_IN_TEXT.search(text), (where, text)


def load_or_error(path: Path, overlay: Path | None = None) -> Dataset | dataset.DatasetError:
    """The loaded dataset, or the DatasetError it was refused with; any other exception fails the test."""
    try:
        return dataset.load(path, overlay=overlay)
    except dataset.DatasetError as error:
        return error


def toml_file(folder: Path, document: dict, name: str = "data.toml") -> Path:
    try:
        text = tomli_w.dumps(document)
    except (TypeError, ValueError):
        reject()  # not representable in TOML
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.slow  # fuzzers: 300 examples each; test_dataset holds every documented error by name
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(document=st.dictionaries(keys, values, max_size=6))
def test_fuzz_random_documents(tmp_path_factory, document):
    path = toml_file(tmp_path_factory.mktemp("fuzz"), document)
    result = load_or_error(path)
    assert isinstance(result, Dataset) == (dataset.check(document) == [])
    if isinstance(result, Dataset):
        assert_keeps_the_models_promises(result)
    else:
        assert_clean_error(result, document, path)


def places(value: object, at: tuple = ()) -> Iterator[tuple]:
    """Every place in a document, as the keys and indexes that lead to it."""
    yield at
    if isinstance(value, dict):
        for key, item in value.items():
            yield from places(item, (*at, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from places(item, (*at, index))


@functools.cache
def _minimal_pickled() -> bytes:
    return pickle.dumps(tomllib.loads(MINIMAL.read_text(encoding="utf-8")))


def minimal_document() -> dict:
    """A fresh copy of the minimal dataset, free to change: parsed once, since the fuzzers ask for
    one per example and parsing TOML cost them more than the loading they test."""
    return pickle.loads(_minimal_pickled())


def strings_of(value: object) -> set[str]:
    if isinstance(value, str):
        return {value}
    items = value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
    return set().union(*(strings_of(item) for item in items))


# Another text of the same document (an id, a level, a URL) makes a plausible wrong reference or a
# duplicate id; one with an escape code appended must be refused wherever it lands.
KNOWN_TEXTS = sorted(strings_of(minimal_document()))
ALIKE = {
    str: st.text(max_size=20) | st.sampled_from(KNOWN_TEXTS) | st.sampled_from(KNOWN_TEXTS).map(lambda text: text + "\x1b[2J"),
    int: st.integers(-5, 3000),
    float: st.floats(0, 2),
    bool: st.booleans(),
    dt.date: st.dates(),
}


@st.composite
def changed_documents(draw: st.DrawFn) -> dict:
    """The valid minimal dataset with one to three things removed, replaced or added anywhere in it."""
    document = minimal_document()
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.sampled_from([place for place in places(document) if place]))
        parent = document
        for step in at[:-1]:
            parent = parent[step]
        how = draw(st.sampled_from(["remove", "replace", "replace alike", "add"]))
        if how == "remove":
            del parent[at[-1]]
        elif how == "replace":
            parent[at[-1]] = draw(values)
        elif how == "replace alike":  # a value of the same type: often still valid
            parent[at[-1]] = draw(ALIKE.get(type(parent[at[-1]]), values))
        elif isinstance(parent[at[-1]], dict):
            parent[at[-1]][draw(keys)] = draw(values)
        elif isinstance(parent[at[-1]], list):
            parent[at[-1]].append(draw(values))
    return document


@pytest.mark.parametrize("file", [5, "a\x00.py"], ids=["number", "null-character"])
def test_a_sample_file_name_compile_refuses_is_a_problem(tmp_path, file):
    document = minimal_document()
    document["framework"][0]["hello"]["file"] = file
    error = load_or_error(toml_file(tmp_path, document))
    assert isinstance(error, dataset.DatasetError)
    assert any(problem.startswith("framework[0].hello.file: ") for problem in error.problems), error.problems


@pytest.mark.slow
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(document=changed_documents())
def test_fuzz_a_valid_document_changed(tmp_path_factory, document):
    """Near-valid documents: both outcomes happen, and a document `check` passes must build."""
    path = toml_file(tmp_path_factory.mktemp("fuzz"), document)
    problems = dataset.check(document)
    if not problems:
        assert_keeps_the_models_promises(dataset.build(document))
    result = load_or_error(path)
    event("loaded" if isinstance(result, Dataset) else "refused")
    assert isinstance(result, Dataset) == (problems == [])
    if isinstance(result, Dataset):
        assert_keeps_the_models_promises(result)
    else:
        assert_clean_error(result, document, path)


def test_removing_any_one_part_of_a_valid_document():
    """Each field, table and list item of the minimal dataset taken out in turn: what `check` passes builds."""
    whole = minimal_document()
    outcomes = set()
    for at in [place for place in places(whole) if place]:
        document = minimal_document()
        parent = document
        for step in at[:-1]:
            parent = parent[step]
        del parent[at[-1]]
        problems = dataset.check(document)
        outcomes.add(not problems)
        if problems:
            assert_clean_error(dataset.DatasetError("minimal.toml", problems), document, Path("minimal.toml"))
        else:
            assert_keeps_the_models_promises(dataset.build(document))
    assert outcomes == {True, False}, "optional parts and required parts"


def merged_field(base: object, value: object) -> object:
    """What an overlay's `value` makes of `base`: tables merge key by key, anything else replaces."""
    if isinstance(base, dict) and isinstance(value, dict):
        return {**base, **{key: merged_field(base.get(key), item) for key, item in value.items()}}
    return value


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(field=st.sampled_from(["name", "interfaces", "builtins", "first_release", "hello", "sources", "stars", "tags"]),
       value=values)
def test_fuzz_field_values(tmp_path_factory, field, value):
    folder = tmp_path_factory.mktemp("fuzz")
    overlay = toml_file(folder, {"framework": [{"id": "alpha", field: value}]}, "overlay.toml")
    expected = minimal_document()
    alpha = expected["framework"][0]
    alpha[field] = merged_field(alpha.get(field), value)
    result = load_or_error(MINIMAL, overlay)
    event("loaded" if isinstance(result, Dataset) else "refused")
    assert isinstance(result, Dataset) == (dataset.check(expected) == [])
    if isinstance(result, Dataset):
        assert_keeps_the_models_promises(result)
        assert result.framework("alpha").raw == alpha  # the overlay's value, merged, and nothing else changed
        assert [f.raw for f in result.frameworks[1:]] == expected["framework"][1:]
    else:
        assert_clean_error(result, expected, overlay)


@settings(max_examples=200, deadline=None)
@given(blob=st.binary(max_size=300) | st.text(max_size=100).map(lambda text: text.encode()))
def test_fuzz_raw_bytes(tmp_path_factory, blob):
    path = tmp_path_factory.mktemp("fuzz") / "data.toml"
    path.write_bytes(blob)
    with pytest.raises(dataset.DatasetError) as caught:
        dataset.load(path, overlay=None)
    try:
        document = tomllib.loads(blob.decode("utf-8"))
    except UnicodeDecodeError as bad:
        line = blob[: bad.start].count(b"\n") + 1  # the line of the first byte that is not UTF-8
        assert caught.value.problems == [f"line {line}: not valid UTF-8 (byte 0x{blob[bad.start]:02x}); save the file as UTF-8"]
        document = None
    except tomllib.TOMLDecodeError:
        document = None
    event("a TOML document" if document else "not a dataset file")
    assert_clean_error(caught.value, document, path)
    where = re.fullmatch(r".*:(\d+):(\d+)", caught.value.source)
    if where:  # a syntax error points inside the file
        assert document is None and 1 <= int(where[1]) <= blob.count(b"\n") + 1, (caught.value.source, blob)
