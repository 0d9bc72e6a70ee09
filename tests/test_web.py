"""`fwtui serve`: the command, the app under the web driver, the server's app processes, and a real browser.

The browser test drives Debian's Chromium (`/usr/bin/chromium`) with
Playwright; Playwright's own browser download is not used. It reads what the
page shows from xterm.js's buffer, which an init script catches as the page
creates its terminal, and what reached the clipboard through
navigator.clipboard. Every request outside the test's server is refused.
"""

from __future__ import annotations

import asyncio
import io
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from fwtui import clipboard, web
from fwtui.app import FwtuiApp
from fwtui.cli import main
from fwtui.state import State, save_state
from helpers import MINIMAL

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync"]


# The command and its pieces -------------------------------------------------------


def test_app_command_execs_the_app_with_quoted_paths(tmp_path: Path) -> None:
    data = tmp_path / "my data.toml"
    command = web.app_command("/opt/py thon/bin/python", str(data), None, "nord")
    assert command.startswith("exec ")  # the app replaces the shell: the server's own child
    assert f"'{data.resolve()}'" in command and "'/opt/py thon/bin/python' -m fwtui" in command
    assert command.endswith("--theme nord")


@pytest.mark.parametrize(("host", "loopback"), [("127.0.0.1", True), ("localhost", True), ("::1", True), ("127.8.0.1", True),
                                               ("0.0.0.0", False), ("::", False), ("192.168.1.4", False), ("example.org", False)])
def test_is_loopback(host: str, loopback: bool) -> None:
    assert web.is_loopback(host) is loopback


def test_public_url() -> None:
    assert web.public_url("127.0.0.1", 8000) == "http://127.0.0.1:8000"
    assert web.public_url("::1", 8080) == "http://[::1]:8080"
    assert web.public_url("0.0.0.0", 80) == f"http://{socket.gethostname()}:80"


def test_serve_without_the_extra_names_the_install_command(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setitem(sys.modules, "textual_serve.server", None)  # import fails as if not installed
    assert main(["--data", str(MINIMAL), "serve", "--port", str(free_port())]) == 2
    assert "pip install 'fwtui[web]'" in capsys.readouterr().err


def test_serve_rejects_a_bad_port_and_a_port_in_use(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--data", str(MINIMAL), "serve", "--port", "70000"]) == 2
    assert "--port must be between 1 and 65535" in capsys.readouterr().err
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        assert main(["--data", str(MINIMAL), "serve", "--port", str(taken.getsockname()[1])]) == 2
    err = capsys.readouterr().err
    assert "choose another with --port" in err and "Traceback" not in err


def test_serve_warns_that_a_non_loopback_host_has_no_authentication(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    served = []

    class FakeServer:
        def __init__(self, command: str, **options: object) -> None:
            served.append((command, options))

        def serve(self) -> None:
            return None

    monkeypatch.setattr(web, "_server_class", lambda allowed, *limits: FakeServer)
    monkeypatch.setattr(web, "_check_port_free", lambda host, port: None)  # nothing is bound in this test
    assert main(["--data", str(MINIMAL), "serve", "--host", "0.0.0.0", "--port", "8123"]) == 0
    assert "no authentication" in capsys.readouterr().err
    assert main(["--data", str(MINIMAL), "serve", "--port", "8123"]) == 0
    assert "no authentication" not in capsys.readouterr().err
    command, options = served[-1]
    assert command.endswith(f"--data {MINIMAL.resolve()}") and options["host"] == "127.0.0.1" and options["port"] == 8123


def test_which_pages_may_start_a_session() -> None:
    allowed = web.allowed_hosts("127.0.0.1", 8000, "http://127.0.0.1:8000")
    assert allowed == {"127.0.0.1:8000", "localhost:8000", "[::1]:8000"}
    assert web.session_allowed("http://127.0.0.1:8000", "127.0.0.1:8000", allowed)
    assert web.session_allowed("http://localhost:8000", "localhost:8000", allowed)
    assert web.session_allowed(None, "127.0.0.1:8000", allowed)  # not a browser: no page behind it
    assert not web.session_allowed("https://evil.example", "127.0.0.1:8000", allowed)  # another site's page
    assert not web.session_allowed("http://evil.example:8000", "evil.example:8000", allowed)  # DNS rebinding
    anywhere = web.allowed_hosts("0.0.0.0", 8000, "http://box:8000")
    assert anywhere is None
    assert web.session_allowed("http://box.lan:8000", "box.lan:8000", anywhere)
    assert not web.session_allowed("https://evil.example", "box.lan:8000", anywhere)
    assert "proxy.example" in web.allowed_hosts("127.0.0.1", 8000, "https://proxy.example")  # type: ignore[operator]


def test_serve_reports_a_broken_dataset_before_serving(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text("[meta\n")
    assert main(["--data", str(broken), "serve", "--port", str(free_port())]) == 2
    assert "broken.toml" in capsys.readouterr().err


def test_under_the_web_driver_the_explorer_starts_without_a_terminal(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """textual-serve runs the app with pipes, not a terminal: fwtui must not fall back to printing the list."""
    runs = []
    monkeypatch.setenv("TEXTUAL_DRIVER", web.WEB_DRIVER)
    monkeypatch.setattr(FwtuiApp, "run", lambda app, **options: runs.append((app, options)))
    monkeypatch.setattr(web, "end_with_server", lambda: runs.append("tied to the server"))
    monkeypatch.setattr(sys, "stdout", io.StringIO())  # not a terminal
    assert main(["--data", str(MINIMAL)]) == 0
    assert runs[0] == "tied to the server"
    app, _ = runs[1]
    assert isinstance(app, FwtuiApp) and app.remember is False
    assert "printed `fwtui list`" not in capsys.readouterr().err


def test_an_app_whose_server_is_already_gone_ends_at_once() -> None:
    env = {**os.environ, web.ENV_SERVER_PID: "1"}  # a "server" that is not this process's parent
    done = subprocess.run([sys.executable, "-c", "from fwtui.web import end_with_server; end_with_server(); print('alive')"],
                          env=env, capture_output=True, text=True, timeout=30)
    assert done.returncode == 1 and "alive" not in done.stdout


# The app in a web session ----------------------------------------------------------


async def test_a_web_session_neither_reads_nor_writes_the_state_file(tmp_path: Path, minimal) -> None:
    state_file = tmp_path / "state.toml"
    save_state(State(marked=("beta",), pane="compare"), state_file)
    before = state_file.read_bytes()
    app = FwtuiApp(minimal, state_file=state_file, remember=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert app.main is not None and app.main.marked == () and app.main.active_pane == "details"  # not the file's beta, compare
        await pilot.press("space")
        await pilot.press("q")
    assert state_file.read_bytes() == before


@pytest.mark.parametrize(("host", "copied"), [("127.0.0.1", True), ("0.0.0.0", False)])
async def test_copy_in_the_browser(host: str, copied: bool, monkeypatch: pytest.MonkeyPatch, minimal, hermetic: Path) -> None:
    """On a loopback page OSC 52 reaches the browser clipboard; elsewhere the summary is offered as a download, never saved on the server."""
    monkeypatch.setenv(web.ENV_SERVE_HOST, host)
    monkeypatch.setattr(FwtuiApp, "is_web", property(lambda app: True))
    offered: list[tuple[str, dict[str, object]]] = []
    monkeypatch.setattr(FwtuiApp, "deliver_text", lambda app, file, **options: offered.append((file.read(), options)))
    app = FwtuiApp(minimal, remember=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("c")
        await app.workers.wait_for_complete()
        await pilot.pause()
        messages = [n.message for n in app._notifications]
        assert app.clipboard.startswith("# ")  # OSC 52 was sent either way
    if copied:
        assert "Copied to the browser clipboard." in messages and not offered
    else:
        assert any("Offered as a download: fwtui-summary-" in m for m in messages)
        assert offered[0][0] == app.clipboard and offered[0][1]["mime_type"] == "text/markdown"
    assert not (hermetic / "state" / "summaries").exists()


def test_deliver_in_browser_offers_a_download_when_the_summary_is_too_large() -> None:
    offered = []
    result = clipboard.deliver_in_browser("x" * 10, False, True, lambda text, name: offered.append((text, name)))
    assert not result.copied and result.severity == "warning"
    assert offered == [("x" * 10, result.download)]
    assert "too large" in result.message() and result.download in result.message()


# The server's app processes ------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for(predicate, timeout: float = 20.0, step: float = 0.1):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := predicate():
            return value
        time.sleep(step)
    return predicate()


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return bool(response.status == 200)
    except OSError:
        return False


@contextmanager
def serving(data: Path) -> Iterator[tuple[subprocess.Popen[bytes], int]]:
    """`fwtui serve` on 127.0.0.1 and a free port, in its own process group, ended with that group."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "fwtui", "--data", str(data), "serve", "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )
    try:
        assert wait_for(lambda: _answers(f"http://127.0.0.1:{port}/") or process.poll() is not None), "the server did not answer"
        assert process.poll() is None, "the server ended at start"
        yield process, port
    finally:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.wait(timeout=10)


@pytest.fixture
def server(hermetic: Path) -> Iterator[tuple[subprocess.Popen[bytes], int]]:
    with serving(MINIMAL) as running_server:
        yield running_server


def children(pid: int) -> list[int]:
    """The live processes whose parent is `pid` (Linux /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and _parent_and_state(int(entry.name))[0] == pid:
            found.append(int(entry.name))
    return found


def _parent_and_state(pid: int) -> tuple[int, str]:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0, "gone"
    state, parent = stat.rsplit(")", 1)[1].split()[:2]
    return int(parent), state


def running(pid: int) -> bool:
    return _parent_and_state(pid)[1] not in ("gone", "Z", "X")  # a zombie has ended; only its exit status is left


async def open_sessions(port: int, count: int) -> list:  # type: ignore[type-arg]
    """Browser-like sessions: each websocket starts an app; read until it has drawn the list."""
    import aiohttp

    client = aiohttp.ClientSession()
    sockets = []
    for _ in range(count):
        ws = await client.ws_connect(f"http://127.0.0.1:{port}/ws?width=100&height=30")
        drawn = b""
        while b"of 3" not in drawn:
            message = await asyncio.wait_for(ws.receive(), 30)
            assert message.type in (aiohttp.WSMsgType.BINARY, aiohttp.WSMsgType.TEXT), message
            drawn += message.data if message.type == aiohttp.WSMsgType.BINARY else b""
        sockets.append(ws)
    return [client, sockets]


@pytest.mark.xdist_group("terminal")
@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads the process table from /proc")
@pytest.mark.parametrize("how", [signal.SIGINT, signal.SIGTERM, signal.SIGKILL], ids=["ctrl-c", "sigterm", "sigkill"])
async def test_no_app_process_outlives_the_server(server: tuple[subprocess.Popen[bytes], int], how: signal.Signals) -> None:
    process, port = server
    client, sockets = await open_sessions(port, 2)
    # Like a browser, the sessions keep reading, so they answer the server's close.
    readers = [asyncio.create_task(_read_all(ws)) for ws in sockets]
    try:
        apps = children(process.pid)
        assert len(apps) == 2 and all(running(pid) for pid in apps)
        started = time.monotonic()
        os.kill(process.pid, how)
        while (process.poll() is None or any(running(pid) for pid in apps)) and time.monotonic() - started < 10:
            await asyncio.sleep(0.1)
        assert process.poll() is not None, "the server did not end"
        assert not [pid for pid in apps if running(pid)], f"app processes outlived the server ({how.name})"
        assert time.monotonic() - started < 5
    finally:
        for reader in readers:
            reader.cancel()
        await client.close()


@pytest.mark.xdist_group("terminal")
@pytest.mark.slow
async def test_a_page_of_another_site_cannot_start_a_session(server: tuple[subprocess.Popen[bytes], int]) -> None:
    import aiohttp

    process, port = server
    async with aiohttp.ClientSession() as client:
        for headers in ({"Origin": "https://evil.example"}, {"Origin": f"http://evil.example:{port}", "Host": f"evil.example:{port}"}):
            with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
                await client.ws_connect(f"http://127.0.0.1:{port}/ws?width=80&height=24", headers=headers)
            assert refused.value.status == 403
    assert children(process.pid) == []  # no app process was started for them
    client_and_sockets = await open_sessions(port, 1)  # the server's own page may
    await client_and_sockets[0].close()


async def _read_all(ws) -> None:  # type: ignore[no-untyped-def]
    async for _ in ws:
        pass


# A real browser ------------------------------------------------------------------------

CATCH_TERMINAL = """
(() => {
  // textual-serve's page keeps its xterm.js Terminal in a closure; catch it as it is stored.
  Object.defineProperty(Object.prototype, "terminal", {
    configurable: true,
    set(value) {
      if (value && value.buffer && !window.fwtuiTerminal) window.fwtuiTerminal = value;
      Object.defineProperty(this, "terminal", {value, writable: true, configurable: true, enumerable: true});
    },
  });
  window.fwtuiCopies = [];
  const write = navigator.clipboard.writeText.bind(navigator.clipboard);
  navigator.clipboard.writeText = (text) => { window.fwtuiCopies.push(text); return write(text); };
})();
"""
SCREEN_TEXT = """() => {
  const terminal = window.fwtuiTerminal;
  if (!terminal) return "";
  const rows = [];
  for (let y = 0; y < terminal.rows; y++) rows.push(terminal.buffer.active.getLine(y).translateToString(true));
  return rows.join("\\n");
}"""


@pytest.fixture
def chromium() -> Path:
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail("chromium is missing: .ci/run should have installed it")
        pytest.skip("Debian's chromium is not installed (apt-get install chromium): the browser test needs /usr/bin/chromium")
    return CHROMIUM


class Tab:
    """A browser tab on the server's page, and what its terminal shows."""

    def __init__(self, context, origin: str) -> None:  # type: ignore[no-untyped-def]
        self.page = context.new_page()
        self.page.goto(origin + "/")
        self.shows("Decide")  # the panes are up: the explorer, not the printed list
        self.page.focus(".xterm-helper-textarea")  # where xterm.js takes the keys typed into the page
        self.shows("c Copy")  # the app has the focus: the footer shows the list's keys

    def text(self) -> str:
        return str(self.page.evaluate(SCREEN_TEXT))

    def shows(self, text: str) -> str:
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        try:
            self.page.wait_for_function(f"(text) => ({SCREEN_TEXT})().includes(text)", arg=text, timeout=20_000)
        except PlaywrightTimeout:
            pytest.fail(f"the page never showed {text!r}; it shows:\n{self.text()}")
        return self.text()

    def press(self, *keys: str) -> None:
        for key in keys:
            self.page.keyboard.press(key)


@contextmanager
def browser_context(chromium: Path, origin: str) -> Iterator:  # type: ignore[type-arg]
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 800})
            context.grant_permissions(["clipboard-read", "clipboard-write"], origin=origin)
            # The page asks for a web font; nothing leaves 127.0.0.1.
            context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(origin) else route.abort())
            context.add_init_script(CATCH_TERMINAL)
            yield context
        finally:
            browser.close()


@pytest.mark.xdist_group("terminal")
@pytest.mark.slow
def test_the_explorer_in_a_real_browser(server: tuple[subprocess.Popen[bytes], int], chromium: Path, tmp_path: Path) -> None:
    from fwtui import summary
    from fwtui.dataset import load
    from fwtui.decide import Criteria, rank

    _, port = server
    origin = f"http://127.0.0.1:{port}"
    with browser_context(chromium, origin) as context:
        tab, other = Tab(context, origin), Tab(context, origin)
        other.press("Space")  # the other tab marks Alpha ...
        assert "1 marked" in other.shows("1 marked")
        assert "3 of 3 · 0 marked" in tab.text()  # ... and this one is not touched
        tab.page.bring_to_front()
        tab.page.focus(".xterm-helper-textarea")
        # The focus moves between the list and the filter box a moment after `/` and
        # Enter, and nothing on screen shows it; keys sent at once would land in the
        # wrong one, so the test waits as a typist would.
        tab.press("/")
        tab.page.wait_for_timeout(500)
        tab.press(*"gam")
        filtered = tab.shows("1 of 3")
        assert "Gamma" in filtered and "Beta" not in filtered.split("Decide")[0]
        tab.press("Enter")
        tab.page.wait_for_timeout(500)
        tab.press("r")
        tab.shows("An API")
        tab.press("1", "c")
        shown = tab.shows("Copied to the browser clipboard.")
        tab.page.wait_for_function("() => window.fwtuiCopies.length > 0", timeout=10_000)
        copied = tab.page.evaluate("window.fwtuiCopies[0]")
        on_clipboard = tab.page.evaluate("navigator.clipboard.readText()")
        tab.page.screenshot(path=str(tmp_path / "decide.png"))
        if folder := os.environ.get("FWTUI_SCREENSHOTS"):
            tab.page.screenshot(path=str(Path(folder) / "web-decide.png"))
        assert "1 marked" in other.text() and "An API" not in other.text()  # the other tab kept its own choices
    assert "Decision summary" in shown and "An API" in shown
    data = load(MINIMAL, overlay=None)
    expected = summary.ranking_markdown(data, Criteria(use_case="api"), rank(data, Criteria(use_case="api")))
    assert copied == expected
    assert on_clipboard == expected
    assert (tmp_path / "decide.png").stat().st_size > 10_000


@pytest.mark.xdist_group("terminal")
@pytest.mark.slow
def test_a_copy_too_large_for_the_page_is_offered_as_a_download(hermetic: Path, chromium: Path) -> None:
    import tomllib

    import tomli_w

    from fwtui import summary
    from fwtui.dataset import load

    document = tomllib.loads(MINIMAL.read_text(encoding="utf-8"))
    document["framework"][0]["description"] = " ".join(["Alpha is described at length."] * 3000)  # over 75 kB of Markdown
    big = hermetic / "big.toml"
    big.write_text(tomli_w.dumps(document), encoding="utf-8")
    expected = summary.framework_markdown(load(big, overlay=None), load(big, overlay=None).framework("alpha"))
    assert len(expected.encode()) > clipboard.OSC52_LIMIT
    downloads: list[tuple[str, str]] = []

    def keep(route) -> None:  # type: ignore[no-untyped-def]
        response = route.fetch()
        downloads.append((response.headers.get("content-disposition", ""), response.text()))
        route.fulfill(response=response)

    with serving(big) as (_, port), browser_context(chromium, f"http://127.0.0.1:{port}") as context:
        context.route("**/download/**", keep)
        tab = Tab(context, f"http://127.0.0.1:{port}")
        tab.press("c")
        shown = tab.shows("Offered as a download")
        tab.page.wait_for_timeout(200)
        deadline = time.monotonic() + 15
        while not downloads and time.monotonic() < deadline:
            tab.page.wait_for_timeout(100)
        copies = tab.page.evaluate("window.fwtuiCopies")
    assert "too large" in shown
    assert copies == []  # nothing went through OSC 52
    assert len(downloads) == 1
    disposition, text = downloads[0]
    assert disposition.startswith("attachment; filename=fwtui-summary-") and disposition.endswith(".md")
    assert text == expected
    assert not (hermetic / "state" / "summaries").exists()  # nothing saved on the server
