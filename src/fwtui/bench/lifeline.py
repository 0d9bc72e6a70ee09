"""Tie the servers bench starts to fwtui's own life, whatever ends fwtui.

Three ties, each covering what the one before cannot:
- every server runs in its own session, and is ended by its process group
  and its session (servers.py);
- every server's environment carries two marks, the run's and its own, so a
  process that leaves the session (a daemon's double fork and setsid) is
  still found by reading `/proc/<pid>/environ`, and on Linux the server's
  first process gets a death signal (PR_SET_PDEATHSIG) from the kernel;
- a watchdog process holds the read end of a pipe from fwtui: when fwtui
  ends in any way, SIGKILL too, the pipe closes and the watchdog ends every
  process that carries the run's mark and removes the run's temporary folder.

Standard library only: the watchdog runs as `python -m fwtui.bench.lifeline`.
Nothing here starts servers or generates load.
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NamedTuple

RUN_MARK = "FWTUI_BENCH_RUN"
SERVER_MARK = "FWTUI_BENCH_SERVER"
PROC = Path("/proc")
_PR_SET_PDEATHSIG = 1


class Process(NamedTuple):
    pid: int
    group: int
    session: int


def new_mark() -> str:
    return secrets.token_hex(8)


def running() -> Iterator[Process]:
    """Every running process this user may read (zombies left out), from /proc."""
    for entry in PROC.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            # After the command name (which may hold spaces and parentheses): state, ppid, pgrp, session.
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if len(fields) > 3 and fields[0] not in ("Z", "X"):
            yield Process(int(entry.name), int(fields[2]), int(fields[3]))


def _carries(pid: int, mark: bytes) -> bool:
    try:
        return mark in (PROC / str(pid) / "environ").read_bytes().split(b"\0")
    except OSError:
        return False


def members(*, session: int | None = None, mark: tuple[str, str] | None = None) -> list[int]:
    """The running processes in `session`, or whose environment holds `mark` (name, value); never this one.

    Without /proc (not Linux) the list is empty; the process group is then the only tie.
    """
    if not PROC.is_dir():
        return []
    wanted = f"{mark[0]}={mark[1]}".encode() if mark else None
    me = os.getpid()
    found = []
    for process in running():
        if process.pid == me:
            continue
        if (session is not None and process.session == session) or (wanted is not None and _carries(process.pid, wanted)):
            found.append(process.pid)
    return found


def kill_all(pids: list[int], sig: signal.Signals) -> None:
    for pid in pids:
        try:
            os.kill(pid, sig)
        except (ProcessLookupError, PermissionError):
            pass


def end(find: Callable[[], list[int]], grace: float) -> None:
    """SIGTERM what find() lists, wait up to grace seconds, SIGKILL what is left, wait (bounded) until none is left."""
    kill_all(find(), signal.SIGTERM)
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline and find():
        time.sleep(0.05)
    deadline = time.monotonic() + 5.0
    while (left := find()) and time.monotonic() < deadline:
        kill_all(left, signal.SIGKILL)
        time.sleep(0.05)


def death_signal() -> Callable[[], None] | None:
    """A preexec_fn step asking the kernel to SIGKILL the child when fwtui ends, or None where there is no prctl."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        prctl = libc.prctl
    except (OSError, AttributeError):
        return None
    parent = os.getpid()

    def arm() -> None:
        prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        if os.getppid() != parent:  # fwtui ended before the signal was armed
            os._exit(1)

    return arm


@contextmanager
def deferred_signals() -> Iterator[None]:
    """Hold Ctrl+C, SIGTERM and SIGHUP while the body ends servers; one that came meanwhile is raised after it
    (as KeyboardInterrupt, which also takes the place of an error already on its way: the user asked to stop).

    A second Ctrl+C during the grace period would otherwise cut the ending
    short and leave the server running. Outside the main thread signals are
    left alone (Python delivers them to the main thread only).
    """
    caught: list[int] = []
    try:
        with _handling((signal.SIGINT, signal.SIGTERM, signal.SIGHUP), lambda signum, frame: caught.append(signum)):
            yield
    finally:
        if caught:
            raise KeyboardInterrupt


@contextmanager
def interrupting_signals() -> Iterator[None]:
    """SIGTERM and SIGHUP (a closed terminal) end a run the way Ctrl+C does, so every `finally` still runs."""
    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    with _handling((signal.SIGTERM, signal.SIGHUP), interrupt):
        yield


@contextmanager
def _handling(signals: tuple[signal.Signals, ...], handler: Callable[[int, Any], None]) -> Iterator[None]:
    """`handler` for `signals` in the body, the previous handlers back after it; outside the main thread, nothing."""
    previous: dict[int, object] = {}
    try:
        for sig in signals:
            previous[sig] = signal.signal(sig, handler)
    except ValueError:  # not the main thread: leave signals alone
        pass
    try:
        yield
    finally:
        for held, old in previous.items():
            signal.signal(held, old)  # type: ignore[arg-type]


@contextmanager
def watched(folder: Path) -> Iterator[str]:
    """A run's mark, with a watchdog that ends the run's processes and removes folder when fwtui ends.

    On a normal end fwtui has already done both; the watchdog then finds
    nothing and exits. It is started in its own session so a Ctrl+C or a
    closed terminal reaches fwtui, not it.
    """
    mark = new_mark()
    watchdog: subprocess.Popen[bytes] | None = None
    if PROC.is_dir():
        try:
            watchdog = subprocess.Popen(
                [sys.executable, "-m", "fwtui.bench.lifeline", mark, str(folder)],
                stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                start_new_session=True, env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])},
            )
        except OSError:
            watchdog = None  # the other ties still hold
    try:
        yield mark
    finally:
        if watchdog is not None and watchdog.stdin is not None:
            watchdog.stdin.close()
            try:
                watchdog.wait(timeout=10)
            except subprocess.TimeoutExpired:
                watchdog.kill()


def _watch(mark: str, folder: str) -> None:
    """The watchdog: wait for fwtui's end (the pipe on stdin closes), then end the run's processes and remove folder."""
    for sig in (signal.SIGINT, signal.SIGHUP, signal.SIGTERM):
        signal.signal(sig, signal.SIG_IGN)
    while sys.stdin.buffer.read(4096):
        pass
    end(lambda: members(mark=(RUN_MARK, mark)), grace=2.0)
    shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    _watch(sys.argv[1], sys.argv[2])
