"""Hardening, round 2: signals, output streams, control characters in messages, unbounded input,
the parse cache, cell widths, huge text, and two instances at once.

Each section is one class of failure; each test here failed before its fix.
The explorer runs in a pseudo-terminal of its own where a real terminal matters
(signals, stale COLUMNS/LINES, a closed stdin); everything it starts is ended.
"""

from __future__ import annotations

import fcntl
import json
import os
import pickle
import re
import resource
import select
import signal
import struct
import subprocess
import sys
import termios
import time
import tomllib
from pathlib import Path

import pytest
import tomli_w

from fwtui import dataset, vocabulary
from fwtui.app import FwtuiApp
from fwtui.cli import main
from helpers import MINIMAL, ROOT, shows_its_state, wait_until

ESCAPES = ["\x1b[2J", "\x1b]0;pwned\x07", "\x9b31m", "\u202eevil", "\x07", "\x1b]52;c;aGk=\x07"]
RAW = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")  # what must never reach a terminal raw


def valid_document() -> dict:
    """tests/data/minimal.toml, with every packaged built-in naming its package (dataset 2.0)."""
    document = tomllib.loads(MINIMAL.read_text(encoding="utf-8"))
    for framework in document["framework"]:
        for need, level in framework["builtins"].items():
            if level in vocabulary.PACKAGED_LEVELS and need not in framework.get("builtin_packages", {}):
                framework.setdefault("builtin_packages", {})[need] = f"pkg-{need}"
                framework.setdefault("builtin_notes", {})[need] = f"from pkg-{need}"
    return document


def write(path: Path, document: dict) -> Path:
    path.write_text(tomli_w.dumps(document), encoding="utf-8")
    return path


@pytest.fixture
def data_file(tmp_path: Path) -> Path:
    document = valid_document()
    document["framework"][0]["name"] = "Älpha 中文"
    return write(tmp_path / "data.toml", document)


def environment(tmp_path: Path, data: Path, **extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in ("COLUMNS", "LINES", "PYTHONIOENCODING")}
    env.update(FWTUI_DATA=str(data), FWTUI_STATE_DIR=str(tmp_path / "state"), FWTUI_CACHE_DIR=str(tmp_path / "cache"),
               FWTUI_CONFIG_DIR=str(tmp_path / "config"), TERM="xterm-256color")
    env.update(extra)
    return env


def run_fwtui(args: list[str], env: dict[str, str], shell: str = "", **kwargs) -> subprocess.CompletedProcess[bytes]:
    """fwtui in a subprocess; `shell` adds redirections (`>&-`, `> /dev/full`)."""
    command = [sys.executable, "-m", "fwtui", *args]
    if shell:
        command = ["sh", "-c", 'exec "$@" ' + shell, "sh", *command]
    kwargs.setdefault("stdin", subprocess.DEVNULL)
    return subprocess.run(command, capture_output="stdout" not in kwargs, timeout=60, cwd=ROOT, env=env, **kwargs)


class Terminal:
    """fwtui started in a pseudo-terminal of its own, as a user starts it; `close` ends it."""

    def __init__(self, env: dict[str, str], args: tuple[str, ...] = (), size: tuple[int, int] = (100, 30), shell: str = "") -> None:
        self.master, self.slave = os.openpty()
        fcntl.ioctl(self.slave, termios.TIOCSWINSZ, struct.pack("HHHH", size[1], size[0], 0, 0))
        command = [sys.executable, "-m", "fwtui", *args]
        if shell:
            command = ["sh", "-c", 'exec "$@" ' + shell, "sh", *command]
        self.process = subprocess.Popen(command, stdin=self.slave, stdout=self.slave, stderr=self.slave, env=env,
                                        cwd=ROOT, start_new_session=True)
        self.output = bytearray()

    def read_until(self, needle: bytes, timeout: float = 30, start: int = 0) -> bool:
        deadline = time.monotonic() + timeout
        while needle not in self.output[start:]:
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            ready, _, _ = select.select([self.master], [], [], min(left, 0.05))
            if ready:
                try:
                    self.output += os.read(self.master, 65536)
                except OSError:  # the other side is closed
                    return needle in self.output[start:]
        return True

    def wait(self, timeout: float = 20) -> int | None:
        deadline = time.monotonic() + timeout
        while self.process.poll() is None and time.monotonic() < deadline:
            self.read_until(b"\0never\0", timeout=0.1)
        self.read_until(b"\0never\0", timeout=0.2)
        return self.process.poll()

    def text(self) -> str:
        return re.sub(r"\x1b\[[0-9;?<>=]*[a-zA-Z~]|\x1b[()][0-9A-Z]", "", self.output.decode("utf-8", "replace"))

    def echo_on(self) -> bool:
        flags = termios.tcgetattr(self.slave)[3]
        return bool(flags & termios.ECHO) and bool(flags & termios.ICANON)

    def close(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)
        os.close(self.master)
        os.close(self.slave)


def marked_in_state(tmp_path: Path) -> list[str]:
    path = tmp_path / "state" / "state.toml"
    return tomllib.loads(path.read_text(encoding="utf-8"))["marked"] if path.exists() else []


# 1. Signals ---------------------------------------------------------------------------------


@pytest.mark.parametrize("number", [signal.SIGTERM, signal.SIGHUP], ids=["SIGTERM", "SIGHUP"])
def test_a_signal_restores_the_terminal_and_saves_a_change_made_just_before(tmp_path, data_file, number):
    terminal = Terminal(environment(tmp_path, data_file))
    try:
        assert terminal.read_until(b"web things"), terminal.text()[-2000:]  # the record pane is up
        before = len(terminal.output)
        os.write(terminal.master, b" ")  # mark the highlighted framework (alpha)...
        assert terminal.read_until(b"1 marked", start=before), terminal.text()[-2000:]
        after_change = len(terminal.output)
        os.kill(terminal.process.pid, number)  # ...and at once, long before the 0.5 s save timer
        code = terminal.wait()
        assert code == 128 + number, (code, terminal.text()[-3000:])
        tail = bytes(terminal.output[after_change:])
        assert b"\x1b[?1049l" in tail  # left the alternate screen
        assert b"\x1b[?1000l" in tail  # mouse reporting off
        assert terminal.echo_on()
        assert "Traceback" not in terminal.text()
        assert marked_in_state(tmp_path) == ["alpha"]
    finally:
        terminal.close()


async def test_sigterm_to_a_running_app_quits_it_and_saves(tmp_path, minimal_app_data):
    unhandled: list[int] = []
    previous = signal.signal(signal.SIGTERM, lambda number, frame: unhandled.append(number))  # the app's own replaces it
    try:
        app = FwtuiApp(minimal_app_data, state_file=tmp_path / "state.toml")
        async with app.run_test(size=(100, 30)) as pilot:
            await wait_until(pilot, lambda: shows_its_state(app), what="the explorer settling")
            await pilot.press("space")
            os.kill(os.getpid(), signal.SIGTERM)
            for _ in range(100):
                await pilot.pause(0.02)
                if not app.is_running or unhandled:
                    break
    finally:
        signal.signal(signal.SIGTERM, previous)
    assert not unhandled and app.return_code == 128 + signal.SIGTERM
    assert "alpha" in tomllib.loads((tmp_path / "state.toml").read_text())["marked"]


@pytest.fixture
def minimal_app_data(tmp_path) -> dataset.model.Dataset:
    return dataset.load(write(tmp_path / "app-data.toml", valid_document()), overlay=None)


# 2. Copy, then quit at once -------------------------------------------------------------------


async def test_copy_then_quit_in_one_burst_still_saves_the_summary(tmp_path, minimal_app_data, monkeypatch):
    from fwtui import clipboard

    monkeypatch.setenv("TERM", "xterm")  # not known to take OSC 52
    monkeypatch.setattr(clipboard, "clipboard_tools", lambda env=None, platform=None: [])
    app = FwtuiApp(minimal_app_data, state_file=tmp_path / "state.toml")
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: shows_its_state(app), what="the explorer settling")
        await pilot.press("c", "q")
    saved = list((tmp_path / "state" / "summaries").glob("summary-*.md"))
    assert len(saved) == 1 and "Alpha" in saved[0].read_text(encoding="utf-8")
    assert any("Saved to" in note and str(saved[0]) in note for note in app.exit_notes)


def test_c_then_q_in_one_read_in_a_terminal_saves_the_summary_and_says_where(tmp_path, data_file):
    env = environment(tmp_path, data_file, TERM="xterm")  # not known to take OSC 52; no DISPLAY: no tool
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "TMUX", "TERM_PROGRAM", "WT_SESSION"):
        env.pop(name, None)
    terminal = Terminal(env)
    try:
        assert terminal.read_until(b"web things"), terminal.text()[-2000:]
        os.write(terminal.master, b"cq")  # one burst: both keys in one read
        assert terminal.wait() == 0, terminal.text()[-2000:]
        saved = list((tmp_path / "state" / "summaries").glob("summary-*.md"))
        assert len(saved) == 1 and "Alpha" in saved[0].read_text(encoding="utf-8")
        assert "Saved to" in terminal.text().replace("\r\n", "")
    finally:
        terminal.close()


async def test_quit_waits_for_a_slow_clipboard_tool_then_saves(tmp_path, minimal_app_data, monkeypatch):
    from fwtui import clipboard

    script = tmp_path / "slow-copier"
    script.write_text("#!/bin/sh\nsleep 30\n")
    script.chmod(0o755)
    monkeypatch.setenv("TERM", "xterm")
    monkeypatch.setattr(clipboard, "clipboard_tools", lambda env=None, platform=None: [[str(script)]])
    monkeypatch.setattr(clipboard, "TOOL_TIMEOUT", 0.5)
    app = FwtuiApp(minimal_app_data, state_file=tmp_path / "state.toml")
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: shows_its_state(app), what="the explorer settling")
        await pilot.press("c", "q")
    saved = list((tmp_path / "state" / "summaries").glob("summary-*.md"))
    assert len(saved) == 1
    assert any("did not answer" in note for note in app.exit_notes)


# 3. Output streams --------------------------------------------------------------------------


def test_closed_stdout_is_a_message_not_a_traceback(tmp_path, data_file):
    env = environment(tmp_path, data_file)
    for args in (["list"], ["show", "alpha", "--format", "json"], ["compare", "alpha", "beta"], ["--version"], []):
        done = run_fwtui(args, env, shell=">&-")
        assert b"Traceback" not in done.stderr, (args, done.stderr)
        if args != ["--version"]:  # argparse's own exit
            assert done.returncode == 1 and b"standard output is closed" in done.stderr, (args, done.stderr)


@pytest.mark.parametrize("fmt", ["table", "json", "markdown", "toml"])
def test_a_full_disk_on_stdout_is_a_message_not_a_traceback(tmp_path, data_file, fmt):
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full here")
    done = run_fwtui(["compare", "alpha", "beta", "--format", fmt], environment(tmp_path, data_file), shell="> /dev/full")
    assert done.returncode == 1, done.stderr
    assert b"Traceback" not in done.stderr and b"Exception ignored" not in done.stderr
    assert b"could not write the output: No space left on device" in done.stderr


def test_a_reader_that_leaves_early_ends_quietly(tmp_path, data_file):
    env = environment(tmp_path, data_file)
    done = subprocess.run(f'"{sys.executable}" -m fwtui list | head -c 10 > /dev/null; echo "${{PIPESTATUS[0]:-$?}}"',
                          shell=True, executable="/bin/bash", capture_output=True, timeout=60, cwd=ROOT, env=env)
    assert b"Traceback" not in done.stderr and b"Exception ignored" not in done.stderr


@pytest.mark.parametrize("encoding", ["latin-1", "cp1252", "ascii"])
def test_an_output_encoding_without_the_characters(tmp_path, data_file, encoding):
    env = environment(tmp_path, data_file, PYTHONIOENCODING=encoding)
    for args in (["compare", "alpha", "beta"], ["list"], ["show", "alpha"], ["list", "--format", "markdown"]):
        done = run_fwtui(args, env)
        assert done.returncode == 0 and b"Traceback" not in done.stderr, (args, done.stderr)
        assert b"lpha" in done.stdout
    done = run_fwtui(["show", "alpha", "--format", "json"], env)
    assert "Älpha 中文" in json.dumps(json.loads(done.stdout.decode(encoding)), ensure_ascii=False)  # escaped, the same JSON
    done = run_fwtui(["show", "alpha", "--format", "toml"], env)
    assert "Älpha 中文" in json.dumps(tomllib.loads(done.stdout.decode(encoding)), ensure_ascii=False, default=str)
    done = run_fwtui(["show", "no\x1b[2Jsuch"], env)
    assert done.returncode == 2 and b"\x1b" not in done.stderr and b"Traceback" not in done.stderr


@pytest.mark.parametrize("columns", ["", "abc", "0", "-5", " ", "1", "99999999999999999999"])
def test_bad_columns_values(tmp_path, data_file, columns):
    done = run_fwtui(["list"], environment(tmp_path, data_file, COLUMNS=columns))
    assert done.returncode == 0 and b"Traceback" not in done.stderr, done.stderr
    assert b"alpha" in done.stdout and b"gamma" in done.stdout


def test_stale_columns_and_lines_do_not_make_the_explorer_too_small(tmp_path, data_file):
    terminal = Terminal(environment(tmp_path, data_file, COLUMNS="40", LINES="10"), size=(100, 30))
    try:
        assert terminal.read_until(b"web things"), terminal.text()[-2000:]
        assert "too small" not in terminal.text()
        os.write(terminal.master, b"q")
        assert terminal.wait() == 0
    finally:
        terminal.close()


def test_closed_stdin_in_a_terminal_prints_the_list(tmp_path, data_file):
    terminal = Terminal(environment(tmp_path, data_file), shell="<&-")
    try:
        assert terminal.wait() == 0, terminal.text()[-2000:]
        assert "gamma" in terminal.text() and "Traceback" not in terminal.text()
    finally:
        terminal.close()


# 4. Control characters in messages ----------------------------------------------------------


def assert_clean(text: str) -> None:
    bad = RAW.search(text)
    assert bad is None, f"raw U+{ord(bad.group()):04X} in {text!r}"


@pytest.mark.parametrize("sequence", ESCAPES, ids=["csi", "osc-title", "c1", "bidi", "bell", "osc52"])
def test_messages_that_quote_input_show_control_characters_escaped(tmp_path, capsys, sequence):
    cases = {
        "unknown field": lambda d: d["framework"][0].update({f"x{sequence}": 1}),
        "unknown table key": lambda d: d["meta"].update({sequence: {"a": 1}}),
        "unknown pick": lambda d: d["use_case"][0]["picks"][0].update(framework=f"beta{sequence}"),
        "duplicate id": lambda d: [f.update(id=f"dup{sequence}") for f in d["framework"][:2]],
        "unknown builds_on": lambda d: d["framework"][0].update(builds_on=[f"no{sequence}"]),
        "unknown source": lambda d: d["use_case"][0].update(source=f"no{sequence}"),
        "comparison text": lambda d: d["comparison"][0].update(text={f"no{sequence}": "t"}),
    }
    for name, change in cases.items():
        document = valid_document()
        change(document)
        path = write(tmp_path / "data.toml", document)
        assert main(["--data", str(path), "list"]) == 2, name
        err = capsys.readouterr().err
        assert_clean(err)
        assert "\\x" in err or "\\u" in err or "U+" in err, (name, err)  # the character is named, not dropped
        with pytest.raises(dataset.DatasetError) as caught:
            dataset.load(path, overlay=None)
        for problem in [caught.value.source, *caught.value.problems]:  # what the TUI would show
            assert_clean(problem)


@pytest.mark.parametrize("sequence", ESCAPES, ids=["csi", "osc-title", "c1", "bidi", "bell", "osc52"])
def test_command_line_arguments_quoted_in_errors_are_escaped(tmp_path, capsys, data_file, sequence):
    for args in (["show", f"no{sequence}"], ["compare", "alpha", f"x{sequence}"], ["recommend", "--use-case", f"x{sequence}"],
                 ["recommend", "--need", f"x{sequence}"], ["list", "--data", str(tmp_path / f"missing{sequence}.toml")],
                 ["list", "--overlay", str(tmp_path / f"missing{sequence}.toml")]):
        assert main(["--data", str(data_file), *args] if "--data" not in args else args) == 2, args
        captured = capsys.readouterr()
        assert_clean(captured.err)
        assert_clean(captured.out)


@pytest.mark.parametrize("sequence", ESCAPES, ids=["csi", "osc-title", "c1", "bidi", "bell", "osc52"])
def test_argparse_errors_escape_what_they_quote(capsys, sequence):
    for args in (["list", f"--x{sequence}"], [f"x{sequence}"], ["list", "--format", f"x{sequence}"], ["list", "extra", sequence]):
        with pytest.raises(SystemExit) as done:
            main(args)
        assert done.value.code == 2
        assert_clean(capsys.readouterr().err)


def test_an_overlay_with_escapes_in_keys_and_ids(tmp_path, capsys, data_file):
    overlay = write(tmp_path / "overlay.toml", {"framework": [{"id": "\x1b]0;t\x07", "\x1b[2J": "x"}],
                                                "\x9b1m": {"\u202e": 1}})
    assert main(["--data", str(data_file), "--overlay", str(overlay), "list"]) == 2
    err = capsys.readouterr().err
    assert_clean(err)
    assert "\\x1b" in err


def test_state_messages_escape_the_path(tmp_path):
    from fwtui.state import load_state

    folder = tmp_path / "st\x1b[2Jate"
    folder.mkdir()
    (folder / "state.toml").write_text("not = [toml")
    _, problem = load_state(folder / "state.toml")
    assert problem is not None and "\\x1b[2J" in problem
    assert_clean(problem)


# 5. Unbounded input -------------------------------------------------------------------------


def test_a_device_as_overlay_is_refused_at_once(tmp_path, data_file):
    start = time.monotonic()
    done = run_fwtui(["list", "--overlay", "/dev/zero"], environment(tmp_path, data_file))
    assert time.monotonic() - start < 20
    assert done.returncode == 2 and b"not a regular file" in done.stderr and b"Traceback" not in done.stderr


def test_a_huge_sparse_file_is_refused_before_it_is_read(tmp_path, data_file):
    huge = tmp_path / "huge.toml"
    with open(huge, "wb") as file:
        file.truncate(2 * 1024**3)  # 2 GB, no disk used

    def at_most_a_gigabyte() -> None:  # reading the file whole (2 GB, then 4 GB decoded) fails under this
        resource.setrlimit(resource.RLIMIT_AS, (1024**3, 1024**3))

    for args in (["--data", str(huge), "list"], ["--overlay", str(huge), "list"], ["validate", str(huge)]):
        start = time.monotonic()
        done = run_fwtui(args, environment(tmp_path, data_file), preexec_fn=at_most_a_gigabyte)
        assert done.returncode == 2 and b"limit" in done.stderr and b"Traceback" not in done.stderr, done.stderr
        assert time.monotonic() - start < 20


@pytest.mark.parametrize("where", ["data", "overlay", "state", "cache"])
def test_a_fifo_never_hangs_fwtui(tmp_path, data_file, where):
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    env = environment(tmp_path, data_file)
    args = ["list"]
    if where == "data":
        args = ["--data", str(fifo), "list"]
    elif where == "overlay":
        args = ["--overlay", str(fifo), "list"]
    elif where == "state":
        (tmp_path / "state").mkdir()
        os.mkfifo(tmp_path / "state" / "state.toml")
        script = "from fwtui.state import load_state; print(load_state()[1])"
        done = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=30, env=env, cwd=ROOT)
        assert b"not a regular file" in done.stdout and done.returncode == 0, done
        return
    else:
        run_fwtui(["list"], env)  # fills the cache
        entries = list((tmp_path / "cache").glob("parsed-*"))
        assert entries
        entries[0].unlink()
        os.mkfifo(entries[0])
    done = run_fwtui(args, env)  # before: blocked in open() until the 60 s timeout
    if where == "cache":
        assert done.returncode == 0 and b"gamma" in done.stdout, done.stderr
    else:
        assert done.returncode == 2 and b"FIFO" in done.stderr and b"Traceback" not in done.stderr, done.stderr


def test_an_explicit_dash_reads_standard_input(tmp_path, data_file):
    env = environment(tmp_path, data_file)
    with open(data_file, "rb") as source:
        done = run_fwtui(["--data", "-", "list", "--format", "json"], env, stdin=source)
    assert done.returncode == 0 and all(name in done.stdout for name in (b'"alpha"', b'"beta"', b'"gamma"'))
    overlay = tomli_w.dumps({"framework": [{"id": "beta", "tagline": "From stdin."}]}).encode()
    done = run_fwtui(["--overlay", "-", "show", "beta", "--format", "json"], env, input=overlay, stdin=None)
    assert done.returncode == 0 and "From stdin." in json.dumps(json.loads(done.stdout))


def test_standard_input_is_capped_too(monkeypatch):
    import io

    from fwtui import files

    monkeypatch.setattr(files, "MAX_BYTES", 1000)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"a = 1\n" * 1000)))
    with pytest.raises(dataset.DatasetError, match="limit"):
        dataset.read_toml(Path("-"))


def test_deeply_nested_toml_is_a_message(tmp_path, capsys):
    path = tmp_path / "deep.toml"
    path.write_text("a = " + "[" * 5000 + "]" * 5000 + "\n")
    assert main(["--data", str(path), "list"]) == 2
    assert "nested too deeply" in capsys.readouterr().err


# 6. The parse cache -------------------------------------------------------------------------


def cache_entry(path: Path) -> Path:
    dataset.load(path, overlay=None)
    entries = list(dataset.cache_dir().glob("parsed-*.pickle"))
    assert len(entries) == 1
    return entries[0]


def poisoned_documents(document: dict) -> dict[str, object]:
    cyclic: list = []
    cyclic.append(cyclic)
    deep: list = []
    inner = deep
    for _ in range(150):
        inner.append([])
        inner = inner[0]
    return {
        "int key": {**document, 1: "x"},
        "tuple key": {**document, ("a",): "x"},
        "int key in a record": {**document, "framework": [{**document["framework"][0], 2: 3}, *document["framework"][1:]]},
        "frozenset key": {**document, frozenset({"a"}): 1},
        "a set": {**document, "framework": {"alpha"}},
        "bytes": {**document, "meta": b"\x1b[2J"},
        "a tuple": {**document, "framework": tuple(document["framework"])},
        "a cycle": {**document, "framework": cyclic},
        "deep": {**document, "framework": deep},
        "not a dict": ["framework"],
        "shared table": {**document, "use_case": [document["use_case"][0]] * 2},
    }


@pytest.mark.parametrize("case", ["int key", "tuple key", "int key in a record", "frozenset key", "a set", "bytes", "a tuple",
                                  "a cycle", "deep", "not a dict", "shared table"])
def test_a_cache_entry_with_unexpected_content_is_ignored(tmp_path, case):
    path = write(tmp_path / "data.toml", valid_document())
    entry = cache_entry(path)
    stamp, source, document, valid = pickle.loads(entry.read_bytes())
    assert valid is True  # found valid: even so, a shape TOML cannot produce is not used
    poisoned = poisoned_documents(document)[case]
    entry.write_bytes(pickle.dumps((stamp, source, poisoned, valid), protocol=pickle.HIGHEST_PROTOCOL))
    loaded = dataset.load(path, overlay=None)  # parsed again from the file
    assert [f.id for f in loaded.frameworks] == ["alpha", "beta", "gamma"]


@pytest.mark.parametrize("kind", ["directory", "huge", "garbage", "symlink to a device", "wrong stamp types"])
def test_anything_else_in_the_cache_folder_is_ignored(tmp_path, kind):
    path = write(tmp_path / "data.toml", valid_document())
    entry = cache_entry(path)
    entry.unlink()
    if kind == "directory":
        entry.mkdir()
    elif kind == "huge":
        with open(entry, "wb") as file:
            file.truncate(3 * 1024**3)
    elif kind == "garbage":
        entry.write_bytes(os.urandom(5000))
    elif kind == "symlink to a device":
        entry.symlink_to("/dev/zero")
    else:
        entry.write_bytes(pickle.dumps(([1], bytearray(path.read_bytes()), {})))
    assert [f.id for f in dataset.load(path, overlay=None).frameworks] == ["alpha", "beta", "gamma"]


# 7. Cell widths and single-line fields ------------------------------------------------------

WIDE_NAMES = ["中文字符长名字框架", "テキスト", "e\u0301e\u0301e\u0301 combining", "🐍🚀 emoji", "👩\u200d💻 zwj", "Plain", "x" * 40, "Ａ全角Ｂ"]


def test_the_list_aligns_by_terminal_cells(minimal_app_data):
    from rich.cells import cell_len

    from fwtui.vocabulary import KIND_BADGES
    from fwtui.widgets.framework_list import row_segments

    base = minimal_app_data.frameworks[0]
    kind = KIND_BADGES.get(base.kind, base.kind)
    widths, kind_columns = set(), set()
    for name in WIDE_NAMES:
        segments = row_segments(base._replace(name=name), None, False, False, False)
        texts = [segment.text for segment in segments]
        widths.add(sum(cell_len(text) for text in texts))
        before_kind = next(i for i, text in enumerate(texts) if text.startswith(kind))
        kind_columns.add(sum(cell_len(text) for text in texts[:before_kind]))  # where the kind badge starts
    assert len(widths) == 1 and len(kind_columns) == 1, (widths, kind_columns)


async def test_the_list_on_screen_lines_up(tmp_path):
    from rich.cells import cell_len

    document = valid_document()
    for framework, name in zip(document["framework"], ["中文字符长名字框架", "e\u0301e\u0301 ok", "🐍🚀 emoji"]):
        framework["name"] = name
    app = FwtuiApp(dataset.load(write(tmp_path / "wide.toml", document), overlay=None), state_file=tmp_path / "s.toml")
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: shows_its_state(app), what="the explorer settling")
        rows = app.screen.framework_list.rows
        lines = [rows.render_line(y).text for y in range(3)]
    offsets = {cell_len(line[: line.index(kind)]) for line, kind in zip(lines, ["full", "api", "micro"])}
    assert len(offsets) == 1, lines


def test_text_fit_and_pad():
    from rich.cells import cell_len

    from fwtui.text import fit, pad

    for name in WIDE_NAMES:
        for width in (0, 1, 5, 12, 50):
            assert cell_len(fit(name, width)) == width, (name, width)
            cut = fit(name, width, ellipsis=True)
            assert cell_len(cut) == width and (cut.endswith("…") or cell_len(name) <= width or not width), (name, width)
        assert cell_len(pad(name, 30)) == max(30, cell_len(name))


@pytest.mark.parametrize("field", ["name", "tagline", "latest_version", "license", "tags", "hello.run", "hello.file"])
@pytest.mark.parametrize("character", ["\t", "\n", "\r\n"], ids=["tab", "newline", "crlf"])
def test_single_line_fields_refuse_tabs_and_newlines(tmp_path, capsys, field, character):
    document = valid_document()
    record = document["framework"][1]
    if field == "tags":
        record["tags"] = [f"a{character}b"]
    elif field.startswith("hello."):
        record["hello"][field[6:]] = f"a{character}b"
    else:
        record[field] = f"a{character}b"
    path = write(tmp_path / "data.toml", document)
    assert main(["--data", str(path), "list"]) == 2
    err = capsys.readouterr().err
    assert "framework[1]." + field.replace("tags", "tags[0]") in err
    assert_clean(err)


def test_titles_and_labels_are_single_line_but_prose_is_not(tmp_path):
    document = valid_document()
    document["use_case"][0]["title"] = "two\nlines"
    document["comparison"][0]["label"] = "a\tb"
    document["meta"]["title"] = "x\ny"
    problems = dataset.check(document)
    assert any(p.startswith("use_case[0].title:") for p in problems)
    assert any(p.startswith("comparison[0].label:") for p in problems)
    assert any(p.startswith("meta.title:") for p in problems)
    prose = valid_document()
    prose["framework"][0]["description"] = "First paragraph.\n\n\tSecond, indented."
    prose["framework"][0]["hello"]["code"] = "def f():\n\treturn 1\n"
    prose["use_case"][0]["description"] = "Two\nlines."
    assert dataset.check(prose) == []


def test_an_id_with_a_trailing_newline_is_refused():
    document = valid_document()
    document["framework"][0]["id"] = "alpha\n"
    assert any(p.startswith("framework[0].id:") for p in dataset.check(document))


# 8. Huge text -------------------------------------------------------------------------------


async def test_a_five_megabyte_description_does_not_freeze_the_details(tmp_path):
    document = valid_document()
    document["framework"][0]["description"] = "lorem ipsum dolor sit amet " * 200_000  # 5.4 MB
    document["framework"][0]["tagline"] = "y" * 1_000_000
    app = FwtuiApp(dataset.load(write(tmp_path / "huge.toml", document), overlay=None), state_file=tmp_path / "s.toml")
    async with app.run_test(size=(100, 30)) as pilot:
        start = time.monotonic()
        await pilot.press("d")
        await wait_until(pilot, lambda: app.screen.active_pane == "details" and shows_its_state(app), what="Details on the record")
        details = app.screen.query_one("#details-view")
        text = details.text()
        elapsed = time.monotonic() - start
        assert elapsed < 5, f"{elapsed:.1f} s to show the record"
        assert "more characters not shown" in text
        assert len(details.lines) < 5_000
        # The list still answers. Escape first: `d` focuses Details when it comes after the panes mount.
        await pilot.press("escape", "down", "down")
        await pilot.pause()
        assert app.screen.framework_list.highlighted_id == "gamma"


def test_shorten_cuts_every_text_of_a_record_and_keeps_the_rest(minimal_app_data):
    from fwtui.text import TEXT_LIMIT, shorten

    framework = minimal_app_data.frameworks[0]
    assert shorten(framework) is framework  # nothing long: the same object
    long = framework._replace(description="d" * 100_000, best_for=("b" * 50_000, "short"),
                              builtin_notes={"orm": "n" * 30_000}, hello=framework.hello._replace(code="c" * 40_000))
    short = shorten(long)
    assert len(short.description) < TEXT_LIMIT + 100 and "80,000 more characters" in short.description
    assert short.best_for[1] == "short" and len(short.best_for[0]) < TEXT_LIMIT + 100
    assert len(short.builtin_notes["orm"]) < TEXT_LIMIT + 100 and len(short.hello.code) < TEXT_LIMIT + 100
    assert short.id == framework.id and short.raw is long.raw


# 9. Two instances at once -------------------------------------------------------------------


async def test_two_windows_keep_each_others_marks(tmp_path, minimal_app_data):
    state_file = tmp_path / "state.toml"
    first = FwtuiApp(minimal_app_data, state_file=state_file)
    second = FwtuiApp(minimal_app_data, state_file=state_file)  # both started before either saved
    async with first.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: shows_its_state(first), what="the first window settling")
        await pilot.press("space")  # marks alpha
        await pilot.press("q")
    async with second.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: shows_its_state(second), what="the second window settling")
        await pilot.press("down", "down", "space")  # marks gamma
        await pilot.press("q")
    saved = tomllib.loads(state_file.read_text())
    assert saved["marked"] == ["alpha", "gamma"]
    assert any("Another fwtui window" in note for note in second.exit_notes)


def test_merge_applies_only_what_changed_here():
    from fwtui.state import State, merge

    base = State(marked=("a", "b"), team="beginner", pane="details")
    ours = State(marked=("b", "c"), team="beginner", pane="compare")  # unmarked a, marked c, changed pane
    theirs = State(marked=("a", "b", "d"), team="senior", pane="details")  # marked d, changed team
    merged = merge(base, ours, theirs)
    assert merged.marked == ("b", "d", "c")
    assert merged.team == "senior" and merged.pane == "compare"
    assert merge(base, ours, base) == ours  # nobody else saved: ours as it is


def test_merge_saved_reads_what_the_other_window_wrote(tmp_path):
    from fwtui.state import State, merge_saved, save_state

    path = tmp_path / "state.toml"
    start = State(marked=("a",))
    save_state(start, path)
    save_state(State(marked=("a", "x")), path)  # the other window
    merged, others = merge_saved(start, State(marked=("a", "y")), start, path)
    assert merged.marked == ("a", "x", "y") and others
    save_state(merged, path)
    again, others = merge_saved(State(marked=("a", "y")), State(marked=("y",)), merged, path)
    assert again.marked == ("x", "y") and not others
