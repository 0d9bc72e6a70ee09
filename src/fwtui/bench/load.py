"""Load generators: wrk, oha or hey when found on PATH, else a built-in one.

The built-in generator is an HTTP/1.1 client that keeps N keep-alive
connections busy, one request in flight on each (as wrk does), and times
every answer. It drives non-blocking sockets from one epoll (poll outside
Linux) rather than asyncio, which reached only 51-57% of wrk against
gunicorn's sync worker (a new connection per request). Against wrk on the
same running server (benchmarks/generators.py: 5 interleaved ABBA rounds,
7 servers covering every server kind of the dataset's recipes, a 2-core
machine shared with other work) its median ratio was 95% over the 35
rounds, 87% against gunicorn's sync worker and uvicorn, 93-156% against the
others; single rounds ranged from 57% to 174%, while wrk against itself in
the same round fell as low as 45%, so one round on such a machine does not
separate the two.

Every generator answers with a LoadResult over the measured window only (the
warm-up is run and thrown away; an answer counts when it completes inside the
window, as wrk counts). Traffic goes to the URL it is given, which run.py
only ever makes on 127.0.0.1. Nothing here starts or ends servers.
"""

from __future__ import annotations

import errno
import json
import math
import os
import re
import select
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple
from urllib.parse import urlsplit

from fwtui.bench.servers import pin_children

EXTERNAL = ("wrk", "oha", "hey")
_MAX_HEAD = 64 * 1024
_MAX_BODY = 16 * 1024 * 1024


class LoadResult(NamedTuple):
    """What one measured window gave: answers (any status), errors, time and latency."""

    requests: int
    errors: int  # non-200 answers plus socket errors and timeouts
    seconds: float
    p50_ms: float
    p99_ms: float

    @property
    def requests_per_second(self) -> float:
        return self.requests / self.seconds if self.seconds > 0 else 0.0


class LoadError(Exception):
    """The generator could not run or its output could not be read."""


def percentile(values: Sequence[float], share: float) -> float:
    """Nearest-rank percentile (share in 0..100) of values; 0.0 for none."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, math.ceil(share / 100 * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


@contextmanager
def pinned(cores: frozenset[int] | None) -> Iterator[None]:
    """Run the body with this process pinned to cores (when the OS allows), then restore."""
    if not cores or not hasattr(os, "sched_setaffinity"):
        yield
        return
    before = os.sched_getaffinity(0)
    os.sched_setaffinity(0, cores)
    try:
        yield
    finally:
        os.sched_setaffinity(0, before)


# The built-in generator --------------------------------------------------------


class _Response(NamedTuple):
    status: int
    size: int  # bytes of head and body
    close: bool


def parse_response(buffer: bytes | bytearray) -> _Response | None:
    """The first complete HTTP/1.1 response in buffer, or None while it is incomplete.

    Only what framing needs is read from the head (status line, Content-Length,
    Transfer-Encoding, Connection), by byte searches on its lowered copy rather
    than line by line: this runs once per request in the generator's hot loop.
    Raises ValueError for an answer that is not HTTP or too large.
    """
    end = buffer.find(b"\r\n\r\n")
    if end < 0:
        if len(buffer) > _MAX_HEAD:
            raise ValueError("response head too large")
        return None
    head = bytes(buffer[: end + 2]).lower()  # every line, the status line too, ends with CRLF
    if not (head.startswith(b"http/1.") and head[8:9] == b" " and head[9:12].isdigit() and head[12:13] in (b" ", b"\r")):
        first = bytes(buffer[: min(end, 80)]).split(b"\r\n", 1)[0]
        raise ValueError(f"not an HTTP/1.x status line: {first!r}")
    status = int(head[9:12])
    close = head[7:8] == b"0"  # HTTP/1.0 closes after each answer unless it says keep-alive
    connection = _header(head, b"\r\nconnection:")
    if connection is not None:
        close = b"close" in connection or (close and b"keep-alive" not in connection)
    start = end + 4
    if status < 200 or status in (204, 304):
        return _Response(status, start, close)
    encoding = _header(head, b"\r\ntransfer-encoding:")
    if encoding is not None and b"chunked" in encoding:
        position = start
        while True:
            line_end = buffer.find(b"\r\n", position)
            if line_end < 0:
                return None
            size = int(bytes(buffer[position:line_end]).split(b";")[0], 16)
            if size == 0:  # the last chunk; trailers, if any, end with an empty line
                trailer_end = buffer.find(b"\r\n\r\n", line_end)
                return None if trailer_end < 0 else _Response(status, trailer_end + 4, close)
            position = line_end + 2 + size + 2
            if len(buffer) < position:
                return None
    length = _header(head, b"\r\ncontent-length:")
    if length is None:
        raise ValueError("response without Content-Length or chunked body (read-until-close is not supported)")
    size = int(length)
    if size > _MAX_BODY:
        raise ValueError("response body too large")
    if len(buffer) < start + size:
        return None
    return _Response(status, start + size, close)


def _header(head: bytes, name: bytes) -> bytes | None:
    """The value of the first header called name (given lowered, with its CRLF before and colon after) in a lowered head."""
    found = head.find(name)
    if found < 0:
        return None
    start = found + len(name)
    return head[start : head.find(b"\r\n", start)].strip()


class _Poller:
    """epoll where there is one (Linux), else poll (macOS, the BSDs): register, wait, forget a file descriptor."""

    def __init__(self) -> None:
        self.epoll = select.epoll() if hasattr(select, "epoll") else None
        self.poll = None if self.epoll else select.poll()
        self.readable = select.EPOLLIN if self.epoll else select.POLLIN
        self.writable = select.EPOLLOUT if self.epoll else select.POLLOUT

    def register(self, fd: int, mask: int) -> None:
        (self.epoll or self.poll).register(fd, mask)  # type: ignore[union-attr]

    def modify(self, fd: int, mask: int) -> None:
        (self.epoll or self.poll).modify(fd, mask)  # type: ignore[union-attr]

    def forget(self, fd: int) -> None:
        """Before fd is closed. epoll forgets a closed socket by itself, so only poll is told (a system call saved per connection)."""
        if self.poll:
            self.poll.unregister(fd)

    def wait(self, seconds: float) -> list[tuple[int, int]]:
        if self.epoll:
            return self.epoll.poll(seconds)
        assert self.poll is not None
        return self.poll.poll(seconds * 1000)

    def close(self) -> None:
        if self.epoll:
            self.epoll.close()


# A new connection per request (gunicorn's sync worker) makes socket creation
# hot: the C socket type skips socket.socket's Python-level __init__, and
# SOCK_NONBLOCK (Linux, the BSDs) makes it non-blocking without a system call.
_SOCKET = socket.SocketType
_NONBLOCK = getattr(socket, "SOCK_NONBLOCK", 0)
_STREAM = socket.SOCK_STREAM | _NONBLOCK


class _Connection:
    """One keep-alive connection of the built-in generator, and the request it waits on."""

    __slots__ = ("sock", "buffer", "sent_at", "connecting")

    def __init__(self, sock: socket.SocketType, sent_at: float, connecting: bool) -> None:
        self.sock = sock
        self.buffer = bytearray()
        self.sent_at = sent_at
        self.connecting = connecting


class _BuiltinRun:
    """N connections, one request in flight on each, driven by one poller until the deadline.

    Plain non-blocking sockets and a dict by file descriptor: per request and
    per new connection this is a handful of system calls and little Python,
    which is what lets one Python process keep up with wrk.
    """

    def __init__(self, url: str, connections: int, warmup: float, seconds: float, method: str = "GET", body: bytes = b"") -> None:
        parts = urlsplit(url)
        self.address = (parts.hostname or "127.0.0.1", parts.port or 80)
        # The request wrk sends: the request line and Host, nothing else (a body's two
        # headers besides). Each header more is parsed by the server (gunicorn's sync
        # worker: a few percent of its time per request), which would be measured
        # against the framework.
        target = parts.path or "/"
        if parts.query:
            target += "?" + parts.query
        head = f"{method} {target} HTTP/1.1\r\nHost: {self.address[0]}:{self.address[1]}\r\n"
        if body:
            head += f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
        self.request = (head + "\r\n").encode("ascii") + body
        self.connections = connections
        self.seconds = seconds
        self.poller = _Poller()
        self.open: dict[int, _Connection] = {}
        # File descriptors opened while handling one batch of events: a closed
        # socket's number can come back at once, and its stale event is not theirs.
        self.fresh: set[int] = set()
        start = time.perf_counter()
        self.measure_from = start + warmup
        self.deadline = self.measure_from + seconds
        self.latencies: list[float] = []
        self.requests = 0
        self.errors = 0
        self.retry_at: list[float] = []
        self.answered: list[int] = []  # keep-alive connections whose answer came in this batch of events  # connections to make again after a failed connect

    def _measuring(self) -> bool:
        return self.measure_from <= time.perf_counter() < self.deadline

    def _connect(self) -> None:
        sock = _SOCKET(socket.AF_INET, _STREAM)
        if not _STREAM & _NONBLOCK:
            sock.setblocking(False)
        code = sock.connect_ex(self.address)
        if code not in (0, errno.EINPROGRESS):
            sock.close()
            self._failed()
            return
        fd = sock.fileno()
        self.fresh.add(fd)
        # On loopback the handshake is usually over when connect returns: sending at
        # once saves a poller turn, and a server that takes one connection at a
        # time (gunicorn's sync worker) finds the request there when it accepts.
        sent_at = time.perf_counter()
        try:
            sock.send(self.request)
        except OSError:
            self.open[fd] = _Connection(sock, sent_at, connecting=True)
            self.poller.register(fd, self.poller.writable)
            return
        self.open[fd] = _Connection(sock, sent_at, connecting=False)
        self.poller.register(fd, self.poller.readable)

    def _failed(self) -> None:
        if self._measuring():
            self.errors += 1
        self.retry_at.append(time.perf_counter() + 0.01)  # no busy loop against a closed port

    def _drop(self, fd: int, failed: bool) -> None:
        connection = self.open.pop(fd)
        self.poller.forget(fd)
        connection.sock.close()
        if failed:
            self._failed()
        else:
            self._connect()

    def _connected(self, fd: int, connection: _Connection) -> None:
        if connection.sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR):
            self._drop(fd, failed=True)
            return
        connection.connecting = False
        self.poller.modify(fd, self.poller.readable)
        connection.sent_at = time.perf_counter()
        try:
            connection.sock.send(self.request)
        except OSError:
            self._drop(fd, failed=True)

    def _readable(self, fd: int, connection: _Connection) -> None:
        try:
            data = connection.sock.recv(65536)
        except BlockingIOError:
            return
        except OSError:
            data = b""
        if not data:  # the server hung up on a request it had not answered
            self._drop(fd, failed=True)
            return
        # An answer usually arrives in one piece: then it is parsed where it
        # landed, and the connection's buffer is touched only for the rest.
        buffer = connection.buffer
        received: bytes | bytearray = data
        if buffer:
            buffer += data
            received = buffer
        try:
            answer = parse_response(received)
        except ValueError:
            self._drop(fd, failed=True)
            return
        if answer is None:
            if received is data:
                buffer += data
            return
        now = time.perf_counter()
        # Counted when it completes inside the window, as wrk counts: an answer
        # to a request sent during the warm-up is still an answer in the window.
        if self.measure_from <= now < self.deadline:
            self.requests += 1
            self.latencies.append(now - connection.sent_at)
            if answer.status != 200:
                self.errors += 1
        if received is buffer:
            del buffer[: answer.size]
        elif answer.size < len(data):
            buffer += data[answer.size :]
        if answer.close:
            self._drop(fd, failed=False)
            return
        self.answered.append(fd)

    def _send_next(self) -> None:
        """The next request on every connection answered in this batch of events, back to back.

        Sent together after the batch's answers are read, the requests reach
        the server close together, as wrk's do, and it takes several per
        wake-up: sent one by one between reads, they came spread out and
        aiohttp and Emmett spent 17-20% more CPU per request than under wrk.
        """
        request = self.request
        for fd in self.answered:
            connection = self.open[fd]
            connection.sent_at = time.perf_counter()
            try:
                connection.sock.send(request)
            except OSError:
                self._drop(fd, failed=True)
        self.answered.clear()

    def run(self) -> LoadResult:
        try:
            for _ in range(self.connections):
                self._connect()
            while (now := time.perf_counter()) < self.deadline:
                if self.retry_at and min(self.retry_at) <= now:
                    due = sum(1 for at in self.retry_at if at <= now)
                    self.retry_at = [at for at in self.retry_at if at > now]
                    for _ in range(due):
                        self._connect()
                wait = self.deadline - now
                if self.retry_at:
                    wait = min(wait, max(0.0, min(self.retry_at) - now))
                self.fresh.clear()
                for fd, _ in self.poller.wait(wait):
                    connection = self.open.get(fd)
                    if connection is None or fd in self.fresh:
                        continue
                    if connection.connecting:
                        self._connected(fd, connection)
                    else:
                        self._readable(fd, connection)
                if self.answered:
                    self._send_next()
        finally:
            for connection in self.open.values():
                connection.sock.close()
            self.poller.close()
        return LoadResult(self.requests, self.errors, self.seconds, percentile(self.latencies, 50) * 1000, percentile(self.latencies, 99) * 1000)


class Generator(NamedTuple):
    """A load generator: its name as reported (with version) and how to run it."""

    name: str
    program: str  # "builtin" or the external program's path

    def run(self, url: str, connections: int, seconds: float, warmup: float = 1.0, cores: frozenset[int] | None = None,
            method: str = "GET", body: bytes = b"") -> LoadResult:
        """Load url for seconds after warmup; a body is sent as application/json."""
        if self.program == "builtin":
            with pinned(cores):
                return _BuiltinRun(url, connections, warmup, seconds, method, body).run()
        tool = os.path.basename(self.program)
        if warmup > 0:
            _external(tool, self.program, url, connections, warmup, cores, method, body)
        return _external(tool, self.program, url, connections, seconds, cores, method, body)


def find_generator(choice: str = "auto") -> Generator:
    """The generator to use: the one asked for, or in auto the first of wrk, oha, hey on PATH, else built-in."""
    if choice == "builtin":
        return Generator("built-in", "builtin")
    for tool in EXTERNAL if choice == "auto" else (choice,):
        program = shutil.which(tool)
        if program:
            return Generator(_version(tool, program), program)
        if choice != "auto":
            raise LoadError(f"{tool} is not on PATH")
    return Generator("built-in", "builtin")


def _version(tool: str, program: str) -> str:
    try:
        done = subprocess.run([program, "--version"], capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return tool
    found = re.search(r"\d+\.\d+(?:\.\d+)?", done.stdout + done.stderr)
    return f"{tool} {found.group(0)}" if found else tool


def _external(tool: str, program: str, url: str, connections: int, seconds: float, cores: frozenset[int] | None,
              method: str = "GET", body: bytes = b"") -> LoadResult:
    whole = max(1, round(seconds))  # wrk and hey take whole seconds
    threads = max(1, min(len(cores) if cores else 1, connections))
    with tempfile.TemporaryDirectory(prefix="fwtui-load-") as folder:
        sending: dict[str, list[str]] = {"wrk": [], "oha": [], "hey": []}
        if method != "GET" or body:
            # wrk takes a method and body from a Lua script only.
            script = Path(folder) / "request.lua"
            script.write_text(f"wrk.method = {json.dumps(method)}\nwrk.body = {json.dumps(body.decode())}\n"
                              'wrk.headers["Content-Type"] = "application/json"\n', encoding="utf-8")
            sending = {"wrk": ["-s", str(script)], "oha": ["-m", method, "-T", "application/json", "-d", body.decode()],
                       "hey": ["-m", method, "-T", "application/json", "-d", body.decode()]}
        commands = {
            "wrk": [program, f"-t{threads}", f"-c{connections}", f"-d{whole}s", "--latency", "--timeout", "10s", *sending["wrk"], url],
            "oha": [program, "-z", f"{whole}s", "-c", str(connections), "--no-tui", "--json", *sending["oha"], url],
            "hey": [program, "-z", f"{whole}s", "-c", str(connections), *sending["hey"], url],
        }
        try:
            # subprocess.run kills the generator if this is interrupted (Ctrl+C included).
            done = subprocess.run(commands[tool], capture_output=True, text=True, timeout=whole + 30, preexec_fn=pin_children(cores))
        except (OSError, subprocess.TimeoutExpired) as error:
            raise LoadError(f"{tool} failed: {error}") from None
    if done.returncode != 0:
        raise LoadError(f"{tool} exited with {done.returncode}: {(done.stderr or done.stdout).strip()[-300:]}")
    parse = {"wrk": parse_wrk, "oha": parse_oha, "hey": parse_hey}[tool]
    return parse(done.stdout, float(whole))


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _ms(text: str) -> float:
    found = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text.strip())
    if not found:
        raise LoadError(f"unreadable latency {text!r}")
    return float(found.group(1)) * _UNITS[found.group(2)]


def parse_wrk(output: str, seconds: float) -> LoadResult:
    """wrk --latency's report."""
    total = re.search(r"(\d+) requests in ([\d.]+)(us|ms|s|m)", output)
    p50 = re.search(r"^\s*50(?:\.0+)?%\s+(\S+)", output, re.M)
    p99 = re.search(r"^\s*99(?:\.0+)?%\s+(\S+)", output, re.M)
    if not (total and p50 and p99):
        raise LoadError(f"unreadable wrk output: {output.strip()[-300:]}")
    errors = 0
    socket = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    if socket:
        errors += sum(int(n) for n in socket.groups())
    non_ok = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if non_ok:
        errors += int(non_ok.group(1))
    elapsed = _ms(total.group(2) + total.group(3)) / 1000
    return LoadResult(int(total.group(1)), errors, elapsed or seconds, _ms(p50.group(1)), _ms(p99.group(1)))


def parse_oha(output: str, seconds: float) -> LoadResult:
    """oha --json's report (latencies in seconds)."""
    try:
        report = json.loads(output)
        statuses = {str(k): int(v) for k, v in report.get("statusCodeDistribution", {}).items()}
        failures = sum(int(v) for v in report.get("errorDistribution", {}).values())
        percentiles = report["latencyPercentiles"]
        total = float(report["summary"]["total"]) or seconds
        p50, p99 = float(percentiles["p50"] or 0) * 1000, float(percentiles["p99"] or 0) * 1000
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise LoadError(f"unreadable oha output ({error})") from None
    answered = sum(statuses.values())
    return LoadResult(answered, failures + answered - statuses.get("200", 0), total, p50, p99)


def parse_hey(output: str, seconds: float) -> LoadResult:
    """hey's text report (latencies in seconds)."""
    total = re.search(r"Total:\s+([\d.]+) secs", output)
    p50 = re.search(r"50% in ([\d.]+) secs", output)
    p99 = re.search(r"99% in ([\d.]+) secs", output)
    statuses = {int(code): int(n) for code, n in re.findall(r"\[(\d{3})\]\s+(\d+) responses", output)}
    if not (total and p50 and p99 and statuses):
        raise LoadError(f"unreadable hey output: {output.strip()[-300:]}")
    failures = 0
    section = output.split("Error distribution:", 1)
    if len(section) == 2:
        failures = sum(int(n) for n in re.findall(r"^\s*\[(\d+)\]", section[1], re.M))
    answered = sum(statuses.values())
    return LoadResult(answered, failures + answered - statuses.get(200, 0), float(total.group(1)) or seconds,
                      float(p50.group(1)) * 1000, float(p99.group(1)) * 1000)
