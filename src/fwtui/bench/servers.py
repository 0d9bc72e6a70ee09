"""Start a server in its own session, wait until it answers, and end every process it started.

serve() is a context manager: whatever happens inside it (an error, Ctrl+C,
a failed start), the server's process group and session, and any process
carrying its mark (one that left the session), are sent SIGTERM, then
SIGKILL for whatever is left, before it returns; a second Ctrl+C meanwhile
waits until that is done. Commands run through /bin/sh so a recipe may use
shell words; the shell leads the session, so its children go with it.
lifeline.py holds the ties that survive fwtui's own sudden end.
Nothing here generates load or installs packages.
"""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, NamedTuple

from fwtui.bench import lifeline

LOG_NAME = "server.log"


class ServerError(Exception):
    """The server did not start or did not answer in time; the message says why."""


class Answer(NamedTuple):
    status: int
    body: bytes
    content_type: str = ""


class Server(NamedTuple):
    pid: int  # also the process group and session id
    port: int
    command: str
    log: Path
    mark: str = ""  # the value of lifeline.SERVER_MARK in its processes' environment
    cold_start_ms: float = 0.0  # from starting its command to its first HTTP answer

    def processes(self) -> list[int]:
        return processes(self.pid, self.mark)


def processes(session: int, mark: str) -> list[int]:
    """A server's running processes: its session, and any that left it carrying its mark."""
    return lifeline.members(session=session, mark=(lifeline.SERVER_MARK, mark) if mark else None)


def free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def port_in_use(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.settimeout(0.5)
        return probe.connect_ex((host, port)) == 0


def request(host: str, port: int, path: str = "/", timeout: float = 5.0, method: str = "GET", body: bytes = b"") -> Answer:
    """One request (a body is sent as JSON); raises OSError or http.client.HTTPException when there is no HTTP answer."""
    connection = http.client.HTTPConnection(host, port, timeout=timeout)
    headers = {"User-Agent": "fwtui-bench", **({"Content-Type": "application/json"} if body else {})}
    try:
        connection.request(method, path, body=body or None, headers=headers)
        response = connection.getresponse()
        return Answer(response.status, response.read(1024 * 1024), response.getheader("Content-Type") or "")
    finally:
        connection.close()


def program_env(bin_dir: Path | None, marks: dict[str, str] | None = None) -> dict[str, str]:
    """The environment a server runs with: its own environment's programs first on PATH, and its marks."""
    env = {key: value for key, value in os.environ.items() if key not in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME")}
    env["PYTHONUNBUFFERED"] = "1"
    env.update(marks or {})
    if bin_dir is not None:
        env["PATH"] = f"{bin_dir}{os.pathsep}{env.get('PATH', '')}"
        env["VIRTUAL_ENV"] = str(bin_dir.parent)
    return env


@contextmanager
def serve(
    command: str,
    cwd: Path,
    *,
    port: int,
    bin_dir: Path | None = None,
    host: str = "127.0.0.1",
    path: str = "/",
    ready_within: float = 30.0,
    cores: frozenset[int] | None = None,
    run_mark: str = "",
) -> Iterator[Server]:
    """Run command (with {port} filled in) in cwd, yield once it answers HTTP on host:port.

    run_mark (from lifeline.watched) lets the run's watchdog find the server if fwtui is killed.
    """
    filled = command.replace("{port}", str(port))
    log_path = cwd / LOG_NAME
    log = open(log_path, "wb")
    process: subprocess.Popen[bytes] | None = None
    mark = lifeline.new_mark()
    marks = {lifeline.SERVER_MARK: mark, **({lifeline.RUN_MARK: run_mark} if run_mark else {})}
    try:
        with lifeline.deferred_signals():  # a Ctrl+C here would leave a started server unknown to the finally
            started = time.perf_counter()
            process = subprocess.Popen(
                ["/bin/sh", "-c", filled],
                cwd=cwd,
                env=program_env(bin_dir, marks),
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own session, so its own process group
                preexec_fn=child_setup(cores),
            )
        server = Server(process.pid, port, filled, log_path, mark)
        _wait_ready(process, server, host, path, ready_within, log)
        yield server._replace(cold_start_ms=(time.perf_counter() - started) * 1000)
    finally:
        with lifeline.deferred_signals():
            if process is not None:
                stop(process, mark=mark)
            log.close()


def pin_children(cores: frozenset[int] | None) -> Callable[[], None] | None:
    """A preexec_fn that pins a child process (and so what it starts) to cores, or None where the OS cannot."""
    if not cores or not hasattr(os, "sched_setaffinity"):
        return None
    return lambda: os.sched_setaffinity(0, cores)


def child_setup(cores: frozenset[int] | None) -> Callable[[], None] | None:
    """The server's preexec_fn: pinned to cores where asked, and killed by the kernel when fwtui ends (Linux)."""
    steps = [step for step in (pin_children(cores), lifeline.death_signal()) if step is not None]
    if not steps:
        return None

    def setup() -> None:
        for step in steps:
            step()

    return setup


def _wait_ready(process: subprocess.Popen[bytes], server: Server, host: str, path: str, within: float, log: IO[bytes]) -> None:
    deadline = time.monotonic() + within
    # Asked often at first, the first answer times the cold start to within a few milliseconds.
    pause = 0.005
    while True:
        code = process.poll()
        if code is not None:
            raise ServerError(f"`{server.command}` exited with code {code} before answering{tail(server.log, log)}")
        try:
            request(host, server.port, path, timeout=2.0)
            return
        except (OSError, http.client.HTTPException):
            pass
        if time.monotonic() >= deadline:
            raise ServerError(f"`{server.command}` did not answer on {host}:{server.port} within {within:g} s{tail(server.log, log)}")
        time.sleep(pause)
        pause = min(pause * 1.1, 0.1)


def tail(path: Path, log: IO[bytes] | None = None, lines: int = 6) -> str:
    """The last lines of a server's output, for an error message ('' when there are none)."""
    if log is not None:
        log.flush()
    try:
        text = path.read_bytes()[-4000:].decode("utf-8", "replace")
    except OSError:
        return ""
    kept = [line for line in text.splitlines() if line.strip()][-lines:]
    return (": " + " | ".join(line.strip() for line in kept)) if kept else ""


def stop(process: subprocess.Popen[bytes], grace: float = 5.0, mark: str = "") -> None:
    """End the process's whole group and session, and every process carrying mark (lifeline.SERVER_MARK):
    SIGTERM, wait up to grace seconds, then SIGKILL what is left."""
    group = process.pid

    def found() -> list[int]:
        return processes(group, mark)

    _signal_group(group, signal.SIGTERM)
    lifeline.kill_all(found(), signal.SIGTERM)
    deadline = time.monotonic() + grace
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        pass
    # The leader may be gone while workers it started linger in the group, or outside it.
    while time.monotonic() < deadline and (group_alive(group) or found()):
        time.sleep(0.05)
    _signal_group(group, signal.SIGKILL)
    lifeline.end(found, grace=0.0)
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        pass


def _signal_group(group: int, sig: signal.Signals) -> None:
    try:
        os.killpg(group, sig)
    except (ProcessLookupError, PermissionError):
        pass


def group_alive(group: int) -> bool:
    """Is any process of the group still running (zombies waiting to be reaped do not count)?"""
    if lifeline.PROC.is_dir():
        return any(process.group == group for process in lifeline.running())
    try:
        os.killpg(group, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
