"""`fwtui serve`: the explorer in a web browser, through textual-serve (the `web` extra).

The server starts one app process per browser tab (`python -m fwtui` under
Textual's web driver). This module holds both sides of that arrangement:
`serve` for the server, and `end_with_server` for each app process, which
ties the app's life to the server's. textual-serve and aiohttp are imported
only inside `serve`; the plain explorer never imports this module.

No authentication: a host other than loopback is served with a warning.
A session (a websocket, which starts an app process) is refused when a page
of another site asks for it (its Origin is not the server), and on a
loopback server when it is reached by another name (DNS rebinding).

One client's cost is bounded: the terminal a session asks for (at start and
on every resize) is cut to `--max-size` (DEFAULT_MAX_SIZE), a session beyond
`--max-sessions` (DEFAULT_MAX_SESSIONS) is refused, and an app whose browser
socket has closed gets SESSION_GRACE seconds to quit before it is killed.
"""

from __future__ import annotations

import ipaddress
import os
import shlex
import signal
import socket
import sys
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from fwtui.text import escape, quote

if TYPE_CHECKING:
    from textual_serve.server import Server

INSTALL_HINT = "pip install 'fwtui[web]'"
# Set by `serve` in its own environment, which textual-serve copies to every app process.
ENV_SERVER_PID = "FWTUI_SERVE_PID"
ENV_SERVE_HOST = "FWTUI_SERVE_HOST"
# What textual-serve (1.1) sets in TEXTUAL_DRIVER for the apps it starts.
WEB_DRIVER = "textual.drivers.web_driver:WebDriver"
WILDCARD_HOSTS = ("", "0.0.0.0", "::")
PR_SET_PDEATHSIG = 1  # linux/prctl.h
DEFAULT_MAX_SESSIONS = 8
DEFAULT_MAX_SIZE = (500, 200)  # columns, rows: wider than any screen; a huge size costs the app memory and time per frame
SESSION_GRACE = 2.0


class ServeError(Exception):
    """`serve` cannot start: message for stderr, exit code 2."""


def under_web_driver(env: dict[str, str] | os._Environ[str] = os.environ) -> bool:
    """Whether this process was started by a Textual web server to run the app in a browser."""
    return env.get("TEXTUAL_DRIVER") == WEB_DRIVER


def is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def page_is_secure(env: dict[str, str] | os._Environ[str] = os.environ) -> bool:
    """Whether the browser page may use the clipboard.

    Browsers give `navigator.clipboard` (which textual-serve's page uses for
    OSC 52) only to secure contexts: https, or http on localhost. `serve`
    speaks plain http, so only a loopback server's page is known to have it.
    """
    return is_loopback(env.get(ENV_SERVE_HOST, ""))


def app_command(python: str, data: str | None = None, overlay: str | None = None, theme: str | None = None) -> str:
    """The shell command textual-serve runs for each browser tab.

    `exec` makes the app the server's own child (not a shell's), so the
    kernel can end it when the server dies.
    """
    argv = [python, "-m", "fwtui"]
    if data:
        argv += ["--data", str(Path(data).resolve())]
    if overlay:
        argv += ["--overlay", str(Path(overlay).resolve())]
    if theme:
        argv += ["--theme", theme]
    return "exec " + shlex.join(argv)


def public_url(host: str, port: int) -> str:
    """The address the page's websocket connects back to."""
    if host in WILDCARD_HOSTS:
        host = socket.gethostname()
    elif ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return f"http://{host}:{port}"


def serve(
    host: str,
    port: int,
    data: str | None = None,
    overlay: str | None = None,
    url: str | None = None,
    theme: str | None = None,
    *,
    max_sessions: int = DEFAULT_MAX_SESSIONS,
    max_size: tuple[int, int] = DEFAULT_MAX_SIZE,
) -> int:
    """Serve the explorer until Ctrl+C or SIGTERM; every app process ends with the server."""
    address = url or public_url(host, port)
    try:
        server_class = _server_class(allowed_hosts(host, port, address), max_sessions, max_size)
    except ImportError:
        raise ServeError(f"fwtui serve needs the web extra: {INSTALL_HINT}") from None
    if not is_loopback(host):
        print(
            f"fwtui: warning: serving on {escape(host)}: there is no authentication; anyone who can reach "
            f"port {port} there can use the explorer. Use --host 127.0.0.1 to keep it to this machine.",
            file=sys.stderr,
        )
    _check_port_free(host, port)
    os.environ[ENV_SERVER_PID] = str(os.getpid())
    os.environ[ENV_SERVE_HOST] = host
    server = server_class(app_command(sys.executable, data, overlay, theme), host=host, port=port, title="fwtui", public_url=address)
    server.serve()
    return 0


def allowed_hosts(host: str, port: int, address: str) -> set[str] | None:
    """The Host headers a session may come with: a loopback server's own names, else any (None)."""
    if not is_loopback(host):
        return None
    names = {"127.0.0.1", "localhost", "[::1]", host if ":" not in host or host.startswith("[") else f"[{host}]"}
    return {f"{name}:{port}".lower() for name in names} | {urlsplit(address).netloc.lower()}


def session_allowed(origin: str | None, host: str, allowed: set[str] | None) -> bool:
    """Whether a websocket may start a session: asked for by the server's own page, at one of its names.

    Browsers send Origin with every websocket; a page of another site that
    opens one to this server carries its own origin and is refused. Clients
    that are not browsers send none; they are not a page's way in.
    """
    if allowed is not None and host.lower() not in allowed:
        return False
    return origin is None or urlsplit(origin).netloc.lower() == host.lower()


def parse_size(text: str) -> tuple[int, int]:
    """"COLUMNSxROWS" (e.g. "500x200") as two counts of at least 20 and 5; ValueError otherwise."""
    columns, sep, rows = text.lower().partition("x")
    if not (sep and columns.strip().isdigit() and rows.strip().isdigit()):
        raise ValueError(f"expected COLUMNSxROWS such as {DEFAULT_MAX_SIZE[0]}x{DEFAULT_MAX_SIZE[1]}")
    size = int(columns), int(rows)
    if size[0] < 20 or size[1] < 5 or max(size) > 10_000:
        raise ValueError("columns from 20 and rows from 5, each at most 10000")
    return size


def bounded_size(width: Any, height: Any, limit: tuple[int, int]) -> tuple[int, int]:
    """A terminal size a client asked for, as counts from 1 to `limit`; what is not a number is 80x24."""

    def count(value: Any, most: int, default: int) -> int:
        try:
            number = int(value)
        except (TypeError, ValueError, OverflowError):
            return default
        return min(max(number, 1), most)

    return count(width, limit[0], 80), count(height, limit[1], 24)


def _server_class(allowed: set[str] | None, max_sessions: int = DEFAULT_MAX_SESSIONS, max_size: tuple[int, int] = DEFAULT_MAX_SIZE) -> type[Server]:
    """textual-serve's Server, refusing the sessions `session_allowed` refuses and those past
    `max_sessions`, bounding each one's terminal, and ending its app when its socket closes.

    textual-serve (1.1.3) leaves open browser sessions to aiohttp's graceful
    shutdown, which waits for them (18 s here after Ctrl+C with two tabs
    open; up to aiohttp's shutdown timeout of a minute). Cancelling each
    session's handler makes textual-serve close its websocket and send its
    app the quit message, so the server ends within a second.
    """
    import asyncio

    from aiohttp import web
    from textual_serve.server import Server

    full = f"fwtui serve: {max_sessions} sessions are open, the most this server takes (--max-sessions); close one and reload"

    class FwtuiServer(Server):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.sessions: set[asyncio.Task[Any]] = set()

        async def handle_index(self, request: web.Request) -> Any:
            # Said on the page, where a browser shows it; the websocket's refusal below is for clients that skip the page.
            if len(self.sessions) >= max_sessions:
                raise web.HTTPServiceUnavailable(text=full)
            return await super().handle_index(request)

        async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
            if not session_allowed(request.headers.get("Origin"), request.host, allowed):
                raise web.HTTPForbidden(text="fwtui serve: this page may not start a session here")
            if len(self.sessions) >= max_sessions:
                raise web.HTTPServiceUnavailable(text=full)
            width, height = bounded_size(request.query.get("width", "80"), request.query.get("height", "24"), max_size)
            request = request.clone(rel_url=request.rel_url.update_query(width=width, height=height))
            task = asyncio.current_task()
            assert task is not None
            self.sessions.add(task)
            try:
                return await super().handle_websocket(request)
            finally:
                self.sessions.discard(task)

        async def _process_messages(self, websocket: web.WebSocketResponse, app_service: Any) -> None:
            _bound_resizes(app_service, max_size)
            try:
                await super()._process_messages(websocket, app_service)
            finally:
                asyncio.get_running_loop().call_later(SESSION_GRACE, _kill_app, app_service)

        async def on_shutdown(self, app: web.Application) -> None:
            for task in list(self.sessions):
                task.cancel()

    return FwtuiServer


def _bound_resizes(app_service: Any, limit: tuple[int, int]) -> None:
    """Cut every resize a session asks for to `limit`.

    textual-serve (1.1.3) passes a browser's resize message to its AppService's
    `set_terminal_size` as the browser wrote it; this wraps that method on the
    one session's instance.
    """
    resize = app_service.set_terminal_size

    async def bounded(width: Any, height: Any) -> None:
        await resize(*bounded_size(width, height, limit))

    app_service.set_terminal_size = bounded


def _kill_app(app_service: Any) -> None:
    """End a session's app that has not quit since its socket closed.

    textual-serve (1.1.3) asks the app to quit and waits for it as long as it
    takes; its AppService keeps the process in `_process` (asyncio's Process).
    """
    process = getattr(app_service, "_process", None)
    if process is not None and process.returncode is None:
        try:
            process.kill()
        except ProcessLookupError:
            pass


def _check_port_free(host: str, port: int) -> None:
    """Fail with a message, not a traceback from inside aiohttp, when the port is taken."""
    try:
        infos = socket.getaddrinfo(host or None, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as error:
        raise ServeError(f"cannot serve on host {quote(host)}: {error.strerror}") from None
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as error:
            raise ServeError(f"cannot serve on {escape(host)} port {port}: {error.strerror or error}; choose another with --port") from None


def end_with_server() -> None:
    """In an app process started by `serve`: end this process when the server ends.

    The server's Ctrl+C and SIGTERM reach the apps through the kernel too, so
    one mechanism covers every way the server can end, SIGKILL included. On
    Linux the kernel sends SIGKILL when the parent dies (PR_SET_PDEATHSIG):
    a web session keeps nothing on disk, so there is nothing to save first.
    Elsewhere a thread notices the server is gone within a second.
    """
    server = int(os.environ.get(ENV_SERVER_PID) or 0)
    if not server:
        return
    if sys.platform.startswith("linux"):
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    else:
        threading.Thread(target=_watch_server, args=(server,), name="fwtui-server-watch", daemon=True).start()
    if os.getppid() != server:  # the server died before the death signal was armed
        os._exit(1)


def _watch_server(server: int) -> None:
    while os.getppid() == server:
        time.sleep(1.0)
    os._exit(1)
