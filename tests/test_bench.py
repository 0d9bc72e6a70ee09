"""fwtui bench: the generator, servers' start and end, rounds, smoke, saved results, the command.

A small standard-library HTTP server stands in for a framework; environments
are injected (the interpreter running the tests) except where envs.py itself
is tested. Only 127.0.0.1 is used. The one test that installs a real framework
from the package index runs only with FWTUI_NETWORK_TESTS=1 (the suite never reaches the internet).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from fwtui import dataset
from fwtui.bench import baselines, envs, facts, lifeline, load, report, run, saved, servers, workloads
from fwtui.cli import main
from fwtui.model import BenchRecipe, Framework, HelloWorld
from helpers import MINIMAL

PYTHON_BIN = Path(sys.executable).parent
JSON_ONLY: dict[str, object] = {"workloads": ("json",), "baselines": False}
# The CLI's flags for the same: the baselines need uvicorn and gunicorn, which the tests do not install.
CLI_JSON_ONLY = ["--workload", "json", "--no-baselines"]

# The stand-in framework: its modes come from the command line, as a recipe's server would say them.
# It serves only when run as a program, as the recipes' apps do: bench also imports it to time the import.
STAND_IN_MAIN = textwrap.dedent('''
    import json, os, sys, time
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    port, mode = int(sys.argv[1]), (sys.argv[2] if len(sys.argv) > 2 else "ok")
    if len(sys.argv) > 3:
        with open(sys.argv[3], "w") as pid_file:
            pid_file.write(str(os.getpid()))
    BODY = json.dumps({"message": "Hello, World!"}).encode()
    if mode == "wrong":
        BODY = json.dumps({"message": "Bye"}).encode()
    if mode == "daemon":
        # A helper that leaves the session (double fork and setsid) and listens on a port of its
        # own; both it and the server ignore SIGTERM, so ending them takes the grace period and a SIGKILL.
        import signal, socket
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        if os.fork() == 0:
            os.setsid()
            if os.fork() == 0:
                listener = socket.socket()
                listener.bind(("127.0.0.1", 0))
                listener.listen()
                with open(sys.argv[3] + ".daemon", "w") as daemon_file:
                    daemon_file.write(f"{os.getpid()} {listener.getsockname()[1]}")
                time.sleep(600)
            os._exit(0)
    seen = [0]


    class Hello(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True

        def do_GET(self):
            seen[0] += 1
            status = 500 if mode == "flaky" and seen[0] % 5 == 0 else 200
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(BODY)))
            self.end_headers()
            self.wfile.write(BODY)

        def log_message(self, *args):
            pass


    class Server(ThreadingHTTPServer):
        def handle_error(self, request, client_address):
            if not isinstance(sys.exc_info()[1], ConnectionError):  # a client that hangs up mid-answer is expected
                super().handle_error(request, client_address)


    Server(("127.0.0.1", port), Hello).serve_forever()
''')
STAND_IN = "def main():\n" + textwrap.indent(STAND_IN_MAIN, "    ") + "\n\nif __name__ == '__main__':\n    main()\n"


def recipe(mode: str = "ok", extra: str = "") -> BenchRecipe:
    return BenchRecipe(("stand-in",), STAND_IN, f"python app.py {{port}} {mode} {extra}".strip())


def stand_in_framework(minimal: dataset.Dataset, framework_id: str = "alpha", mode: str = "ok", **changes: object) -> Framework:
    return minimal.framework(framework_id)._replace(bench=recipe(mode), **changes)


def this_python_env(framework: Framework | None = None) -> envs.Environment:
    return envs.Environment(PYTHON_BIN, PYTHON_BIN, "3", {"stand-in": "1.0"}, reused=True)


def pid_alive(pid: int) -> bool:
    """Running, by /proc where there is one (a zombie is not running), else by signal 0."""
    stat = Path(f"/proc/{pid}/stat")
    if Path("/proc").is_dir():
        try:
            return stat.read_text().rsplit(")", 1)[1].split()[0] != "Z"
        except (OSError, IndexError):
            return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


# A server in this process, for the generator's own tests --------------------------


class _Counting(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    delay = 0.0
    answer_status = 200
    hang_up_every = 0
    close_after_answer = False  # as gunicorn's sync worker: a new connection for every request
    count = 0
    lock = threading.Lock()
    header_names: set[str] = set()

    def do_GET(self) -> None:
        with self.lock:
            type(self).count += 1
            type(self).header_names.update(name.lower() for name in self.headers)
            number = type(self).count
        if self.hang_up_every and number % self.hang_up_every == 0:
            self.close_connection = True
            return
        time.sleep(self.delay)
        body = b'{"message": "Hello, World!"}'
        self.send_response(self.answer_status)
        self.send_header("Content-Length", str(len(body)))
        if self.close_after_answer:
            self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # the generator hangs up at its deadline, mid-answer: expected, not worth a traceback


@pytest.fixture
def local_server() -> Iterator[tuple[str, type[_Counting]]]:
    handler = type("Handler", (_Counting,), {"count": 0, "lock": threading.Lock(), "header_names": set()})
    httpd = _QuietServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/", handler
    finally:
        httpd.shutdown()
        httpd.server_close()


BUILTIN = load.Generator("built-in", "builtin")


def test_builtin_generator_counts_what_the_server_answered(local_server: tuple[str, type[_Counting]]) -> None:
    url, handler = local_server
    result = BUILTIN.run(url, connections=4, seconds=0.6, warmup=0.2)
    assert result.errors == 0
    assert result.requests > 20
    # The server also answered the warm-up and the requests cut off at the deadline; never fewer.
    assert handler.count >= result.requests
    assert result.requests_per_second == pytest.approx(result.requests / 0.6)


def test_builtin_generator_sends_what_wrk_sends(local_server: tuple[str, type[_Counting]]) -> None:
    """Only the request line and Host: every header more is work for the server, measured against the framework."""
    url, handler = local_server
    BUILTIN.run(url, connections=2, seconds=0.2, warmup=0.0)
    assert handler.count > 0
    assert handler.header_names == {"host"}


def test_builtin_generator_without_epoll_uses_poll(local_server: tuple[str, type[_Counting]], monkeypatch: pytest.MonkeyPatch) -> None:
    import select

    monkeypatch.delattr(select, "epoll", raising=False)
    url, handler = local_server
    result = BUILTIN.run(url, connections=3, seconds=0.4, warmup=0.1)
    assert result.errors == 0 and 0 < result.requests <= handler.count


def test_builtin_generator_latency_percentiles(local_server: tuple[str, type[_Counting]]) -> None:
    url, handler = local_server
    handler.delay = 0.02
    result = BUILTIN.run(url, connections=2, seconds=0.6, warmup=0.1)
    assert result.requests >= 10
    assert 20 <= result.p50_ms < 200
    assert result.p99_ms >= result.p50_ms
    # Two connections, 20 ms each: about 100 answers a second, not more.
    assert result.requests_per_second <= 100


@pytest.mark.parametrize("poller", ["epoll", "poll"])
def test_builtin_generator_against_a_server_that_closes_after_every_answer(
    local_server: tuple[str, type[_Counting]], monkeypatch: pytest.MonkeyPatch, poller: str
) -> None:
    import select

    if poller == "poll":
        monkeypatch.delattr(select, "epoll", raising=False)
    url, handler = local_server
    handler.close_after_answer = True
    result = BUILTIN.run(url, connections=4, seconds=0.6, warmup=0.1)
    assert result.errors == 0  # a close announced by the answer is not a hang-up
    assert 20 < result.requests <= handler.count


def test_an_answer_counts_when_it_completes_in_the_window(local_server: tuple[str, type[_Counting]]) -> None:
    """As wrk counts: by when the answer completed, so a request sent in the warm-up and answered after it counts."""
    url, handler = local_server
    handler.delay = 0.3
    # Window 0.2-0.5 s: the first answers (sent at 0, done at about 0.3 s) fall in it, the next (about 0.6 s) after it.
    result = BUILTIN.run(url, connections=2, seconds=0.3, warmup=0.2)
    assert result.requests == 2
    assert result.p50_ms >= 300  # its latency is the whole wait, warm-up part included


def test_non_200_answers_are_errors(local_server: tuple[str, type[_Counting]]) -> None:
    url, handler = local_server
    handler.answer_status = 503
    result = BUILTIN.run(url, connections=2, seconds=0.3, warmup=0.0)
    assert result.requests > 0
    assert result.errors == result.requests


def test_hang_ups_are_errors_and_the_connection_is_made_again(local_server: tuple[str, type[_Counting]]) -> None:
    url, handler = local_server
    handler.hang_up_every = 3
    result = BUILTIN.run(url, connections=2, seconds=0.5, warmup=0.0)
    assert result.errors > 0
    assert result.requests > result.errors  # it went on after each hang-up


def test_nothing_listening_is_all_errors() -> None:
    port = servers.free_port()
    result = BUILTIN.run(f"http://127.0.0.1:{port}/", connections=2, seconds=0.3, warmup=0.0)
    assert result.requests == 0 and result.errors > 0


def test_percentile_nearest_rank() -> None:
    values = [float(n) for n in range(1, 101)]
    assert load.percentile(values, 50) == 50.0
    assert load.percentile(values, 99) == 99.0
    assert load.percentile([7.0], 99) == 7.0
    assert load.percentile([], 50) == 0.0


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi", (200, False)),
        (b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nh", None),
        (b"HTTP/1.1 404 Not Found\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhi\r\n0\r\n\r\n", (404, False)),
        (b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhi\r\n0\r\n", None),
        (b"HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n", (200, True)),
        (b"HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n", (200, False)),
        (b"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n", (200, True)),
        (b"HTTP/1.1 204 No Content\r\n\r\n", (204, False)),
        (b"HTTP/1.1 200\r\nCONTENT-LENGTH: 2\r\nCONNECTION: Close\r\n\r\nhi", (200, True)),
        (b"HTTP/1.1 200 OK\r\nX-Content-Length: 99\r\nContent-Length: 1\r\nX-Note: connection: close\r\n\r\nh", (200, False)),
        (b"HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, Chunked\r\n\r\n1;ext=1\r\nh\r\n0\r\nX-Trailer: 1\r\n\r\n", (200, False)),
        (b"HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 0\r\n\r\n", (200, False)),
    ],
)
def test_parse_response(raw: bytes, expected: tuple[int, bool] | None) -> None:
    answer = load.parse_response(raw)
    assert ((answer.status, answer.close) if answer else None) == expected
    if answer:
        assert answer.size == len(raw)  # all of it, and no more
        assert load.parse_response(raw + b"HTTP/1.1 200") == answer


@pytest.mark.parametrize(
    "raw",
    [b"SSH-2.0-OpenSSH\r\n\r\n", b"HTTP/1.1 20 OK\r\nContent-Length: 0\r\n\r\n", b"HTTP/2 200\r\n\r\n",
     b"HTTP/1.1 200 OK\r\nContent-Length: lots\r\n\r\n", b"HTTP/1.1 200 OK\r\n\r\nno length"],
)
def test_parse_response_refuses_what_is_not_http(raw: bytes) -> None:
    with pytest.raises(ValueError):
        load.parse_response(raw)


WRK_OUTPUT = """Running 1s test @ http://127.0.0.1:40000/
  1 threads and 64 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     3.90ms  610.21us  12.03ms   91.02%
    Req/Sec    16.42k     1.10k   17.46k    80.00%
  Latency Distribution
     50%    3.84ms
     75%    4.01ms
     90%    4.26ms
     99%  615.43us
  16335 requests in 1.00s, 2.51MB read
  Socket errors: connect 0, read 2, write 0, timeout 1
  Non-2xx or 3xx responses: 4
Requests/sec:  16335.12
Transfer/sec:      2.51MB
"""


def test_parse_wrk() -> None:
    result = load.parse_wrk(WRK_OUTPUT, 1.0)
    assert result.requests == 16335 and result.seconds == 1.0
    assert result.p50_ms == pytest.approx(3.84) and result.p99_ms == pytest.approx(0.61543)
    assert result.errors == 7
    with pytest.raises(load.LoadError):
        load.parse_wrk("wrk: bad things", 1.0)


def test_parse_hey_and_oha() -> None:
    hey = ("Summary:\n  Total:\t1.0020 secs\n  Requests/sec:\t900.1\n\nLatency distribution:\n  50% in 0.0040 secs\n"
           "  99% in 0.0120 secs\n\nStatus code distribution:\n  [200]\t890 responses\n  [500]\t10 responses\n\n"
           "Error distribution:\n  [3]\tGet http://127.0.0.1:1/: EOF\n")
    result = load.parse_hey(hey, 1.0)
    assert (result.requests, result.errors, result.p50_ms, result.p99_ms) == (900, 13, 4.0, 12.0)
    oha = json.dumps({"summary": {"total": 2.0}, "latencyPercentiles": {"p50": 0.002, "p99": 0.01},
                      "statusCodeDistribution": {"200": 98, "502": 2}, "errorDistribution": {"connection closed": 1}})
    result = load.parse_oha(oha, 2.0)
    assert (result.requests, result.errors, result.seconds) == (100, 3, 2.0)
    assert result.p50_ms == pytest.approx(2.0) and result.p99_ms == pytest.approx(10.0)


def test_asking_for_a_generator_that_is_missing_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(load.LoadError, match="hey is not on PATH"):
        load.find_generator("hey")
    assert load.find_generator("auto").program == "builtin"


@pytest.mark.skipif(shutil.which("wrk") is None, reason="wrk is not installed")
def test_wrk_against_the_stand_in(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text(STAND_IN)
    port = servers.free_port()
    with servers.serve("python app.py {port}", tmp_path, port=port, bin_dir=PYTHON_BIN, ready_within=10):
        result = load.find_generator("wrk").run(f"http://127.0.0.1:{port}/", 4, 1, warmup=0)
    assert result.requests > 0 and result.errors == 0


# Servers: readiness, failed starts, ending the group ------------------------------


def test_serve_waits_for_readiness_and_ends_the_group(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text(STAND_IN)
    port = servers.free_port()
    sleeper_pid = tmp_path / "sleeper.pid"
    # A second process in the group (as a pre-fork server's workers are) must end too.
    command = f"sleep 60 & echo $! > {sleeper_pid}; python app.py {{port}}"
    with servers.serve(command, tmp_path, port=port, bin_dir=PYTHON_BIN, ready_within=10) as server:
        assert servers.request("127.0.0.1", port).status == 200
        assert servers.group_alive(server.pid)
        sleeper = int(sleeper_pid.read_text())
        assert pid_alive(sleeper)
    assert not servers.group_alive(server.pid)
    assert not pid_alive(sleeper)
    assert not pid_alive(server.pid)


def test_readiness_deadline(tmp_path: Path) -> None:
    started = time.monotonic()
    with pytest.raises(servers.ServerError, match=r"did not answer on 127\.0\.0\.1:\d+ within 0\.5 s: waiting") as caught:
        with servers.serve("echo waiting; sleep 30", tmp_path, port=servers.free_port(), ready_within=0.5):
            pass
    assert time.monotonic() - started < 8
    assert "waiting" in str(caught.value)
    leader = re.search(r"`(.*)`", str(caught.value))
    assert leader is not None


def test_a_server_that_exits_is_reported_with_its_output(tmp_path: Path) -> None:
    with pytest.raises(servers.ServerError, match=r"exited with code 3 before answering: no such module"):
        with servers.serve("echo no such module >&2; exit 3", tmp_path, port=servers.free_port(), ready_within=10):
            pass


def test_an_error_inside_serve_still_ends_the_group(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text(STAND_IN)
    port = servers.free_port()
    with pytest.raises(RuntimeError):
        with servers.serve("python app.py {port}", tmp_path, port=port, bin_dir=PYTHON_BIN, ready_within=10) as server:
            raise RuntimeError("boom")
    assert not servers.group_alive(server.pid)
    assert not servers.port_in_use(port)


def test_a_server_that_ignores_sigterm_is_killed(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text("import signal\nsignal.signal(signal.SIGTERM, signal.SIG_IGN)\n" + STAND_IN)
    port = servers.free_port()
    process = subprocess.Popen(["python", "app.py", str(port)], cwd=tmp_path, env=servers.program_env(PYTHON_BIN), start_new_session=True)
    deadline = time.monotonic() + 20
    while not servers.port_in_use(port) and time.monotonic() < deadline:  # listening, so SIGTERM is ignored by now
        time.sleep(0.05)
    assert servers.port_in_use(port), "the stand-in server never listened"
    started = time.monotonic()
    servers.stop(process, grace=0.5)
    assert time.monotonic() - started < 5
    assert not pid_alive(process.pid)


# Rounds and results -----------------------------------------------------------------


def test_measure_interleaves_rounds_and_reports_every_figure(minimal: dataset.Dataset) -> None:
    frameworks = [stand_in_framework(minimal, "alpha"), stand_in_framework(minimal, "beta", mode="flaky")]
    outcomes, generator, pins = run.measure(
        frameworks, run.Options(duration=0.5, rounds=2, connections=4, warmup=0.1, generator="builtin", **JSON_ONLY),
        environment=this_python_env, progress=False)
    alpha, beta = (o.record() for o in outcomes)
    assert alpha["id"] == "alpha" and alpha["rounds"] == 2 and alpha["error"] is None
    rps = alpha["requests_per_second"]
    assert 0 < rps["min"] <= rps["median"] <= rps["max"]
    assert 0 < alpha["latency_ms"]["p50"] <= alpha["latency_ms"]["p99"]
    assert alpha["errors"] == 0
    assert alpha["versions"] == {"stand-in": "1.0"}
    assert alpha["server"] == "python app.py {port} ok" and alpha["generator"] == generator.name == "built-in"
    assert beta["errors"] > 0 and beta["error"] is None  # every fifth answer is a 500
    assert set(alpha) >= {"id", "requests_per_second", "latency_ms", "errors", "rounds", "versions", "server", "generator"}
    if len(os.sched_getaffinity(0)) >= 2:
        assert "pinned" in pins.describe() and pins.server and pins.generator and not pins.server & pins.generator


def test_a_framework_that_fails_is_named_and_the_others_are_measured(minimal: dataset.Dataset) -> None:
    frameworks = [
        stand_in_framework(minimal, "alpha", mode="wrong"),
        minimal.framework("beta")._replace(bench=None),
        stand_in_framework(minimal, "gamma"),
    ]
    outcomes, _, _ = run.measure(frameworks, run.Options(duration=0.3, rounds=1, connections=2, warmup=0.0, generator="builtin", **JSON_ONLY),
                                 environment=this_python_env, progress=False)
    alpha, beta, gamma = outcomes
    assert 'answered {"message": "Bye"} instead of {"message": "Hello, World!"}' in alpha.error
    assert "no [framework.bench] recipe" in beta.error
    assert not gamma.error and gamma.record()["requests_per_second"]["median"] > 0


def test_answer_problem() -> None:
    answer = workloads.JSON.answer_problem
    assert answer(200, "application/json", b'{"message": "Hello, World!"}') == ""
    assert answer(404, "", b"") == "answered HTTP 404 instead of 200"
    assert "not JSON" in answer(200, "text/html", b"<html>")
    plain = workloads.PLAINTEXT.answer_problem
    assert plain(200, "text/plain; charset=utf-8", b"Hello, World!") == ""
    assert "instead of text/plain" in plain(200, "application/json", b"Hello, World!")
    params = workloads.PARAMS.answer_problem
    assert params(200, "application/json", json.dumps(workloads.PARAMS_ECHO).encode()) == ""
    assert "instead of" in params(200, "application/json", json.dumps({**workloads.PARAMS_ECHO, "id": "42"}).encode())


# Environments ---------------------------------------------------------------------


def test_environment_is_made_once_and_reused(tmp_path: Path) -> None:
    first = envs.ensure([], root=tmp_path)
    assert not first.reused and (first.path / envs.MARKER).is_file()
    assert (first.bin_dir / "python").exists()
    second = envs.ensure([], root=tmp_path)
    assert second.reused and second.path == first.path
    # A folder without its marker is an interrupted attempt: made again.
    (first.path / envs.MARKER).unlink()
    assert not envs.ensure([], root=tmp_path).reused


def test_environment_key() -> None:
    assert envs.env_key(["b", "a"], "3.11.7") == envs.env_key(["a", "b"], "3.11.7")
    assert envs.env_key(["a"], "3.11.7") != envs.env_key(["a"], "3.12.1")
    assert envs.env_key(["a"], "3.11.7") != envs.env_key(["a[x]"], "3.11.7")


def test_versions_of_requirements() -> None:
    env = envs.Environment(Path("."), Path("."), "3.11.7", {"Flask": "3.1.0", "gunicorn": "23.0.0", "Werkzeug": "3.1.3"}, True)
    assert env.versions_of(["flask>=3", "Gunicorn", "uvicorn[standard]"]) == {"Flask": "3.1.0", "gunicorn": "23.0.0"}


def test_find_python_refuses_a_python_from_the_future() -> None:
    assert envs.find_python("9.9") is None
    found = envs.find_python("3.11")
    assert found is not None and envs.release(found[1]) >= envs.release("3.11")


# Saved results --------------------------------------------------------------------


def _saved_result(framework_id: str, rps: float) -> saved.SavedResult:
    import datetime as dt

    return saved.SavedResult(framework_id, dt.date(2026, 11, 25), rps, rps * 0.9, rps * 1.1, 1.5, 9.0, 0, 3,
                             "wrk 4.1.0", "gunicorn app:app", {"flask": "3.1.0"}, "3.12.1")


def test_saved_results_round_trip_and_merge(tmp_path: Path) -> None:
    machine = saved.this_machine("wrk 4.1.0")
    path = saved.save_results(machine, [_saved_result("flask", 2000.0), _saved_result("fastapi", 5000.0)])
    assert path.parent == tmp_path / "state" and path.name == "bench.toml"
    loaded = saved.load_results()
    assert loaded is not None and loaded.machine == machine
    assert [r.id for r in loaded.ranked()] == ["fastapi", "flask"]
    assert loaded.results["flask"] == _saved_result("flask", 2000.0)
    saved.save_results(machine, [_saved_result("flask", 2500.0)])
    merged = saved.load_results()
    assert merged is not None and merged.results["flask"].rps_median == 2500.0 and "fastapi" in merged.results
    saved.save_results(machine._replace(cpu="another CPU"), [_saved_result("litestar", 7000.0)])
    fresh = saved.load_results()
    assert fresh is not None and set(fresh.results) == {"litestar"}


@pytest.mark.parametrize("text", ["", "not toml [", "version = 99\n", 'version = 1\nmachine = "x"\n'])
def test_saved_results_that_cannot_be_trusted_read_as_none(tmp_path: Path, text: str) -> None:
    path = tmp_path / "bench.toml"
    path.write_text(text)
    assert saved.load_results(path) is None
    assert saved.load_results(tmp_path / "missing.toml") is None


def test_saved_module_is_cheap_to_import() -> None:
    code = ("import sys; sys.modules['textual'] = None; sys.modules['rich'] = None; import fwtui.bench.saved; "
            "print(sorted(m for m in sys.modules if m.startswith('fwtui')))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.replace("'", '"')) == ["fwtui", "fwtui.bench", "fwtui.bench.saved"]


# The command ---------------------------------------------------------------------


def write_dataset(tmp_path: Path, hello_port: int, mode: str = "ok") -> Path:
    """The minimal dataset with the stand-in as every framework's bench app and hello sample."""
    text = MINIMAL.read_text(encoding="utf-8")
    bench = f'bench = {{ packages = ["stand-in"], code = {json.dumps(STAND_IN)}, server = "python app.py {{port}} {mode}" }}'
    hello = (f'hello = {{ install = ["stand-in"], code = {json.dumps(STAND_IN)}, file = "hello.py", '
             f'run = "python hello.py {hello_port} {mode}", url = "http://127.0.0.1:{hello_port}/" }}')
    text = re.sub(r"^bench = .*$", lambda _: bench, text, flags=re.M)
    text = re.sub(r"^hello = .*$", lambda _: hello, text, flags=re.M)
    path = tmp_path / "data.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def injected_envs(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, ...]]:
    """envs.ensure answers with this interpreter's folder; the list records what was asked for."""
    asked: list[tuple[str, ...]] = []

    def ensure(requirements: list[str], python: str = sys.executable, **_: object) -> envs.Environment:
        asked.append(tuple(requirements))
        return this_python_env()

    monkeypatch.setattr(envs, "ensure", ensure)
    return asked


def test_cli_bench_json(tmp_path: Path, injected_envs: list[tuple[str, ...]], capsys: pytest.CaptureFixture[str]) -> None:
    data = write_dataset(tmp_path, servers.free_port())
    code = main(["bench", "alpha", "gamma", "--data", str(data), "--duration", "0.5", "--rounds", "1",
                 "--connections", "4", "--generator", "builtin", "--format", "json", "--save", *CLI_JSON_ONLY])
    out, err = capsys.readouterr()
    assert code == 0, err
    document = json.loads(out)
    records = document["results"]
    assert [r["id"] for r in records] == ["alpha", "gamma"]
    assert all(r["requests_per_second"]["median"] > 0 and r["rounds"] == 1 and r["workload"] == "json" for r in records)
    for record in records:
        assert set(record) >= {"id", "workload", "requests_per_second", "latency_ms", "errors", "rounds", "versions", "server",
                               "generator", "footprint", "import_ms", "cold_start_ms", "rss_mb"}
        assert set(record["footprint"]) == {"distributions", "disk_mb"}
        assert set(record["import_ms"]) == set(record["cold_start_ms"]) == {"median", "min", "max"}
        assert 0 < record["cold_start_ms"]["median"] < 30_000
        assert 0 <= record["import_ms"]["min"] <= record["import_ms"]["median"] <= record["import_ms"]["max"]
        assert record["rss_mb"]["idle"] > 1 and record["rss_mb"]["under_load"] > 1
    machine = document["machine"]
    assert set(machine) >= {"cpu", "cores", "os", "python", "servers", "generator"} and machine["generator"] == "built-in"
    assert injected_envs == [("stand-in",), ("stand-in",)]
    assert "saved 2 result(s)" in err
    loaded = saved.load_results()
    assert loaded is not None and set(loaded.results) == {"alpha", "gamma"}
    assert loaded.machine.generator == "built-in"
    assert loaded.results["alpha"].python == "3"  # the injected environment's
    assert saved.load_run() == document  # the whole run, for --chart

    assert main(["bench", "--chart"]) == 0
    out, _ = capsys.readouterr()
    lines = out.splitlines()
    assert lines[0].startswith("json workload: requests per second, 0 to ")
    drawn = [line for line in lines if line.startswith("  ")]
    assert [line.split()[0] for line in drawn] == sorted(["alpha", "gamma"], key=lambda i: -next(
        r["requests_per_second"]["median"] for r in records if r["id"] == i))
    assert all("●" in line and "p99" in line for line in drawn)
    assert lines[-1].startswith("measured on this machine on ")


def test_cli_bench_table_and_markdown(tmp_path: Path, injected_envs: list[tuple[str, ...]], capsys: pytest.CaptureFixture[str]) -> None:
    data = write_dataset(tmp_path, servers.free_port())
    assert main(["bench", "beta", "--data", str(data), "--duration", "0.5", "--rounds", "1", "--generator", "builtin", *CLI_JSON_ONLY]) == 0
    out, err = capsys.readouterr()
    assert "Beta" in out and "req/s" in out
    assert "one worker, 127.0.0.1" in err
    assert main(["bench", "beta", "--data", str(data), "--duration", "0.5", "--rounds", "1", "--generator", "builtin",
                 "--format", "markdown", *CLI_JSON_ONLY]) == 0
    out, _ = capsys.readouterr()
    assert out.startswith("### json workload") and "| Framework | req/s (median) |" in out and "| Beta |" in out
    assert "measured on this machine on " in out and " cores, " in out  # the fingerprint goes with every export


def test_cli_bench_names_a_python_too_old(tmp_path: Path, injected_envs: list[tuple[str, ...]],
                                           capsys: pytest.CaptureFixture[str]) -> None:
    data = write_dataset(tmp_path, servers.free_port())
    text = data.read_text().replace('min_python = "3.10"', 'min_python = "3.99"', 1)
    data.write_text(text)
    code = main(["bench", "alpha", "beta", "--data", str(data), "--duration", "0.5", "--rounds", "1", "--generator", "builtin", *CLI_JSON_ONLY])
    _, err = capsys.readouterr()
    assert code == 1
    assert re.search(r"alpha json failed: needs Python >= 3\.99; this is 3\.\d+\.\d+", err)
    assert "beta json failed" not in err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["bench", "alpah"], 'unknown framework "alpah". Did you mean "alpha"?'),
        (["bench", "--rounds", "0"], "must be between 1 and 100"),
        (["bench", "--duration", "soon"], "not a number"),
        (["bench", "--format", "toml"], "invalid choice"),
    ],
)
def test_cli_bench_bad_arguments_exit_2(tmp_path: Path, argv: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    data = write_dataset(tmp_path, 1)
    try:
        code = main([*argv, "--data", str(data)])
    except SystemExit as exit:
        code = exit.code  # argparse's own usage errors
    assert code == 2
    assert message in capsys.readouterr().err


def test_cli_smoke_passes_and_fails_by_name(tmp_path: Path, injected_envs: list[tuple[str, ...]], capsys: pytest.CaptureFixture[str]) -> None:
    data = write_dataset(tmp_path, servers.free_port())
    assert main(["bench", "alpha", "--smoke", "--data", str(data)]) == 0
    out, _ = capsys.readouterr()
    assert out.splitlines() == ["ok   alpha hello", "ok   alpha bench"]

    wrong = write_dataset(tmp_path, servers.free_port(), mode="wrong")
    assert main(["bench", "alpha", "beta", "--smoke", "--data", str(wrong), "--format", "json"]) == 1
    out, err = capsys.readouterr()
    checks = json.loads(out)
    assert [(c["id"], c["part"], c["ok"]) for c in checks] == [
        ("alpha", "hello", False), ("alpha", "bench", False), ("beta", "hello", False), ("beta", "bench", False)]
    assert 'instead of {"message": "Hello, World!"}' in checks[0]["error"]
    assert "4 of 4 failed: alpha hello, alpha bench, beta hello, beta bench" in err


def test_smoke_names_a_busy_hello_port(tmp_path: Path, injected_envs: list[tuple[str, ...]], capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        data = write_dataset(tmp_path, port)
        assert main(["bench", "gamma", "--smoke", "--data", str(data)]) == 1
    out, _ = capsys.readouterr()
    assert f"FAIL gamma hello: port {port} (from hello.url) is already in use" in out
    assert "ok   gamma bench" in out


def _wait_for_file(path: Path, timeout: float = 20) -> None:
    """Until the stand-in server has written `path` (its pid, once it serves)."""
    deadline = time.monotonic() + timeout
    while not path.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert path.exists(), "the stand-in server never started"


def test_sigint_in_the_middle_leaves_no_process(tmp_path: Path) -> None:
    pid_file = tmp_path / "server.pid"
    bench = _bench_process(tmp_path, f"ok {pid_file}", own_session=False)
    try:
        _wait_for_file(pid_file)
        time.sleep(1.0)  # now loading
        server_pid = int(pid_file.read_text())
        assert pid_alive(server_pid)
        bench.send_signal(signal.SIGINT)
        _, err = bench.communicate(timeout=20)
    finally:
        if bench.poll() is None:
            bench.kill()
            bench.wait()
    assert bench.returncode == 130, err
    assert "interrupted; every server started was stopped" in err
    assert not pid_alive(server_pid)
    assert not servers.group_alive(server_pid)


# One real framework from the package index ------------------------------------------


@pytest.mark.slow
@pytest.mark.skipif(os.environ.get("FWTUI_NETWORK_TESTS") != "1",
                    reason="installs falcon from the package index: the suite never reaches the internet unless FWTUI_NETWORK_TESTS=1")
def test_real_framework_from_the_index(tmp_path: Path, minimal: dataset.Dataset) -> None:
    code = textwrap.dedent("""
        import falcon

        class Hello:
            def on_get(self, req, resp):
                resp.media = {"message": "Hello, World!"}

        app = falcon.App()
        app.add_route("/", Hello())
    """)
    falcon = minimal.framework("alpha")._replace(
        id="falcon", min_python="3.9",
        bench=BenchRecipe(("falcon", "gunicorn"), code, "gunicorn --workers 1 --bind 127.0.0.1:{port} app:app"),
        hello=HelloWorld(code, "app.py", "gunicorn app:app", ("falcon", "gunicorn"), "http://127.0.0.1:8000/"),
    )
    outcomes, _, _ = run.measure([falcon], run.Options(duration=1, rounds=1, connections=16, warmup=0.5, generator="builtin", **JSON_ONLY),
                                 env_root=tmp_path / "envs", progress=False)
    record = outcomes[0].record()
    assert record["error"] is None, record
    assert record["requests_per_second"]["median"] > 100
    assert record["errors"] == 0
    assert set(record["versions"]) == {"falcon", "gunicorn"}


@pytest.mark.parametrize(
    ("command", "shown"),
    [("gunicorn --workers 1 --bind 127.0.0.1:{port} app:app", "gunicorn"), ("python app.py {port}", "python app.py"), ("", "")],
)
def test_short_server(command: str, shown: str) -> None:
    assert report.short_server(command) == shown


def test_sample_files_go_in_subfolders_but_never_outside(tmp_path: Path) -> None:
    run.write_app(tmp_path, "apps/_default/__init__.py", "x = 1\n")
    assert (tmp_path / "apps" / "_default" / "__init__.py").read_text() == "x = 1\n"
    for name in ("../escape.py", "/etc/escape.py", ""):
        with pytest.raises(run.Failure, match="outside the sample's folder"):
            run.write_app(tmp_path / "apps", name, "x = 1\n")
    assert not (tmp_path / "escape.py").exists()


# Whatever ends fwtui, its servers end too ------------------------------------------------


def _bench_process(tmp_path: Path, mode: str, own_session: bool = True) -> subprocess.Popen[str]:
    """`fwtui bench` in a process of its own, measuring the stand-in server in `mode` for 30 s.

    In a session of its own (`own_session`), as a terminal's shell would give it, the signals a
    test sends reach fwtui alone.
    """
    data = write_dataset(tmp_path, servers.free_port(), mode=mode)
    script = textwrap.dedent(f"""
        import sys
        from pathlib import Path
        from fwtui.bench import envs
        envs.ensure = lambda *a, **k: envs.Environment(Path({str(PYTHON_BIN)!r}), Path({str(PYTHON_BIN)!r}), "3", {{}}, True)
        from fwtui.cli import main
        sys.exit(main(["bench", "alpha", "--data", {str(data)!r}, "--duration", "30", "--rounds", "1", "--generator", "builtin",
                       "--workload", "json", "--no-baselines"]))
    """)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    return subprocess.Popen([sys.executable, "-c", script], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=own_session)


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="the processes of a session are read from /proc")
@pytest.mark.slow  # four real bench runs killed four ways, with daemons: 27 s of a worker
@pytest.mark.parametrize("ending", ["SIGHUP", "SIGKILL", "SIGTERM", "double SIGINT"])
def test_whatever_ends_fwtui_ends_its_servers_and_their_daemons(tmp_path: Path, ending: str) -> None:
    pid_file = tmp_path / "server.pid"
    daemon_file = Path(f"{pid_file}.daemon")
    bench = _bench_process(tmp_path, f"daemon {pid_file}")
    try:
        _wait_for_file(daemon_file)
        time.sleep(1.0)  # now loading
        server_pid = int(pid_file.read_text())
        daemon_pid, daemon_port = map(int, daemon_file.read_text().split())
        session = os.getsid(server_pid)
        work = Path(os.readlink(f"/proc/{server_pid}/cwd")).parents[1]  # <work>/<framework>/<workload>
        assert work.name.startswith("fwtui-bench-") and pid_alive(daemon_pid) and os.getsid(daemon_pid) != session
        if ending == "double SIGINT":
            bench.send_signal(signal.SIGINT)
            time.sleep(0.5)  # inside the grace period: the server ignores SIGTERM
            bench.send_signal(signal.SIGINT)
        else:
            bench.send_signal(getattr(signal, ending))
        bench.communicate(timeout=30)
        deadline = time.monotonic() + 15  # after SIGKILL the watchdog ends them, not fwtui
        while time.monotonic() < deadline and (pid_alive(daemon_pid) or pid_alive(server_pid) or work.exists()):
            time.sleep(0.1)
    finally:
        if bench.poll() is None:
            bench.kill()
            bench.wait()
    assert not pid_alive(server_pid)
    assert not pid_alive(daemon_pid)
    assert lifeline.members(session=session) == []
    assert not servers.port_in_use(daemon_port)
    assert not work.exists()
    if ending != "SIGKILL":
        assert bench.returncode == 130


# Messages quoting a server's output never replay its control sequences ---------------------


HOSTILE_OUTPUT = "\x1b]52;c;aGVsbG8=\x07\x1b[2J\x9b31m\u202eboom"


def test_a_server_s_control_sequences_are_shown_escaped(tmp_path: Path, injected_envs: list[tuple[str, ...]],
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    data = write_dataset(tmp_path, servers.free_port())
    text = data.read_text(encoding="utf-8")
    # printf's octal escapes write HOSTILE_OUTPUT's bytes (UTF-8) for the shell that runs the recipe.
    octal = "".join(f"\\{byte:03o}" for byte in HOSTILE_OUTPUT.encode())
    printer = f"printf '{octal}'; exit 3 # {{port}}"
    text = re.sub(r'server = "python app.py \{port\} ok"', lambda _: f"server = {json.dumps(printer)}", text)
    data.write_text(text, encoding="utf-8")
    for extra in ([], ["--format", "json"], ["--smoke"], ["--smoke", "--format", "json"]):
        code = main(["bench", "alpha", "--data", str(data), "--duration", "0.5", "--rounds", "1", "--generator", "builtin", *extra, *CLI_JSON_ONLY])
        out, err = capsys.readouterr()
        assert code == 1, err
        shown = out + err
        assert not re.search("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202e]", shown), repr(shown)
        assert "exited with code 3" in shown
        assert "\\x1b]52;c;aGVsbG8=\\x07\\x1b[2J\\x9b31m\\u202eboom" in shown.replace("\\\\", "\\")


def test_save_that_cannot_write_exits_1_and_says_why(tmp_path: Path, injected_envs: list[tuple[str, ...]],
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    data = write_dataset(tmp_path, servers.free_port())
    (tmp_path / "state").write_text("a file where the state folder should be")
    code = main(["bench", "alpha", "--data", str(data), "--duration", "0.5", "--rounds", "1", "--generator", "builtin", "--save", *CLI_JSON_ONLY])
    out, err = capsys.readouterr()
    assert code == 1
    assert "Alpha" in out  # the measurement itself is still reported
    assert re.search(r"could not save the results to .*bench\.toml: ", err)
    assert "saved 1 result" not in err


# Workloads, baselines and the measured facts ---------------------------------------------


def _call_wsgi(code: str, workload: workloads.Workload) -> tuple[int, str, bytes]:
    namespace: dict[str, object] = {}
    exec(compile(code, "app.py", "exec"), namespace)
    path, _, query = workload.path.partition("?")
    environ = {"REQUEST_METHOD": workload.method, "PATH_INFO": path, "QUERY_STRING": query,
               "CONTENT_LENGTH": str(len(workload.body)), "wsgi.input": __import__("io").BytesIO(workload.body)}
    started: list[object] = []
    body = b"".join(namespace["app"](environ, lambda status, headers: started.extend([status, headers])))  # type: ignore[operator]
    status, headers = started
    return int(str(status).split()[0]), dict(headers)["Content-Type"], body  # type: ignore[call-overload]


def _call_asgi(code: str, workload: workloads.Workload) -> tuple[int, str, bytes]:
    import asyncio

    namespace: dict[str, object] = {}
    exec(compile(code, "app.py", "exec"), namespace)
    path, _, query = workload.path.partition("?")
    scope = {"type": "http", "method": workload.method, "path": path, "query_string": query.encode()}
    sent: list[dict[str, object]] = []

    async def receive() -> dict[str, object]:
        return {"type": "http.request", "body": workload.body, "more_body": False}

    async def send(message: dict[str, object]) -> None:
        sent.append(message)

    asyncio.run(namespace["app"](scope, receive, send))  # type: ignore[operator]
    headers = dict(sent[0]["headers"])  # type: ignore[call-overload]
    return int(sent[0]["status"]), headers[b"content-type"].decode(), sent[1]["body"]  # type: ignore[call-overload, return-value]


@pytest.mark.parametrize("baseline", baselines.BASELINES, ids=lambda b: b.id)
@pytest.mark.parametrize("name", workloads.NAMES)
def test_each_baseline_gives_each_workload_s_answer(baseline: baselines.Baseline, name: str) -> None:
    call = _call_asgi if baseline.id == "raw-asgi" else _call_wsgi
    code = workloads.code_for(baseline.recipe, name)
    assert workloads.WORKLOADS[name].answer_problem(*call(code, workloads.WORKLOADS[name])) == ""
    if name == "params":
        status, _, _ = call(code, workloads.PARAMS_INVALID)
        assert status == 422


def test_baseline_for_a_recipe_s_server() -> None:
    assert baselines.baseline_for("gunicorn --workers 1 --bind 127.0.0.1:{port} app:app") == "raw-wsgi"
    assert baselines.baseline_for("gunicorn -k uvicorn.workers.UvicornWorker --bind 127.0.0.1:{port} app:app") == "raw-asgi"
    assert baselines.baseline_for("uvicorn app:app --port {port}") == "raw-asgi"


# The raw WSGI baseline's apps served by the standard library's wsgiref: the workloads end to end, no install.
WSGIREF = ("python -c 'import sys, app; from wsgiref.simple_server import make_server, WSGIRequestHandler as H; "
           "H.log_message = lambda *a: None; make_server(\"127.0.0.1\", int(sys.argv[1]), app.app, handler_class=H).serve_forever()' {port}")


def test_every_workload_is_measured_with_its_facts_and_read_against_its_baseline() -> None:
    raw = baselines.BASELINES[1].recipe._replace(packages=("stand-in",), server=WSGIREF)
    no_params = raw._replace(params="", unsupported={"params": "its router has no typed path parameters"})
    subjects = [run.Subject("alpha", "Alpha", no_params, baseline="raw-wsgi"), run.Subject("raw-wsgi", "raw WSGI", raw)]
    outcomes, _, _ = run.measure(subjects, run.Options(duration=0.4, rounds=2, connections=2, warmup=0.1, generator="builtin",
                                                       baselines=False, import_runs=2),
                                 environment=this_python_env, progress=False)
    records = {(r["id"], r["workload"]): r for r in report.compared(outcomes)}
    assert set(records) == {(i, w) for i in ("alpha", "raw-wsgi") for w in workloads.NAMES}
    assert records["alpha", "params"]["skipped"] == "cannot do the params workload: its router has no typed path parameters"
    assert records["alpha", "params"]["error"] is None
    for key in [("alpha", "json"), ("alpha", "plaintext"), ("raw-wsgi", "json"), ("raw-wsgi", "plaintext"), ("raw-wsgi", "params")]:
        record = records[key]
        assert record["error"] is None and record["rounds"] == 2 and record["errors"] == 0, record
        assert record["requests_per_second"]["median"] > 0
        assert 0 < record["cold_start_ms"]["min"] <= record["cold_start_ms"]["median"] <= record["cold_start_ms"]["max"]
        assert record["rss_mb"]["idle"] > 1
    share = records["alpha", "json"]["share_of_baseline"]
    expected = records["alpha", "json"]["requests_per_second"]["median"] / records["raw-wsgi", "json"]["requests_per_second"]["median"]
    assert share == pytest.approx(expected, abs=0.001)
    assert records["raw-wsgi", "json"]["share_of_baseline"] is None
    assert records["alpha", "params"]["not_distinguishable_from"] == []


def _measured(framework_id: str, rps: tuple[float, ...], workload: str = "json") -> run.Measured:
    return run.Measured(framework_id, framework_id.title(), workload, tuple(load.LoadResult(int(r), 0, 1.0, 1.0, 2.0) for r in rps))


def test_overlapping_ranges_are_named_not_distinguishable() -> None:
    outcomes = [_measured("alpha", (100, 120, 140)), _measured("beta", (130, 150, 160)), _measured("gamma", (200, 210, 220)),
                _measured("alpha", (300, 320, 340), "plaintext"), _measured("gamma", (330, 350, 360), "plaintext")]
    found = {(r["id"], r["workload"]): r["not_distinguishable_from"] for r in report.compared(outcomes)}
    assert found["alpha", "json"] == ["beta"] and found["beta", "json"] == ["alpha"] and found["gamma", "json"] == []
    assert found["alpha", "plaintext"] == ["gamma"]  # compared within a workload only
    rows = report.throughput_rows(report.compared(outcomes), {o.id: o.name for o in outcomes}, "json")
    assert [row[0] for row in rows] == ["Gamma", "Beta", "Alpha"]
    assert rows[1][-1] == "Alpha" and rows[0][-1] == ""


def test_import_time_is_measured_against_a_bare_interpreter() -> None:
    spread = facts.import_ms(Path(sys.executable), "email.mime.multipart", runs=3)
    assert spread is not None and 0 <= spread.min <= spread.median <= spread.max < 5_000
    assert facts.import_ms(Path(sys.executable), "no_such_module_here", runs=1) is None


def test_footprint_counts_what_the_recipe_installed(tmp_path: Path) -> None:
    site = tmp_path / "lib" / "python3.12" / "site-packages"
    for folder, size in (("flask", 600_000), ("flask-3.1.dist-info", 1_000), ("pip", 5_000_000), ("pip-24.0.dist-info", 1_000)):
        (site / folder).mkdir(parents=True)
        (site / folder / "data").write_bytes(b"x" * size)
    found = facts.footprint(tmp_path, {"Flask": "3.1", "pip": "24.0"})
    assert found.distributions == 1
    assert found.disk_mb == pytest.approx(0.601)


def test_resident_memory_is_read_from_proc() -> None:
    if not Path("/proc").is_dir():
        pytest.skip("no /proc")
    alone = facts.rss_mb([os.getpid()])
    assert alone is not None and alone > 1
    assert facts.rss_mb([os.getpid(), os.getpid()]) == pytest.approx(2 * alone, rel=0.2)
    assert facts.rss_mb([]) is None


def test_every_workload_has_words_in_the_report() -> None:
    assert set(report._WORKLOAD_WORDS) == set(workloads.NAMES)


@pytest.mark.parametrize("text", [None, "not json", '{"machine": {}, "results": "x"}', '{"machine": {}, "results": [{"id": 1}]}'])
def test_chart_without_a_saved_run_says_so(text: str | None, capsys: pytest.CaptureFixture[str]) -> None:
    if text is not None:
        saved.run_path().parent.mkdir(parents=True, exist_ok=True)
        saved.run_path().write_text(text)
    assert main(["bench", "--chart"]) == 1
    assert "no saved run to draw" in capsys.readouterr().err


def test_chart_draws_ranges_and_baselines() -> None:
    def result(framework_id: str, low: float, median: float, high: float, **more: object) -> dict[str, object]:
        return {"id": framework_id, "workload": "json", "requests_per_second": {"median": median, "min": low, "max": high},
                "latency_ms": {"p50": 1.0, "p99": 2.0}, **more}

    document = {"machine": {}, "results": [result("raw-asgi", 900, 1000, 1000), result("fastapi", 200, 400, 500, share_of_baseline=0.4,
                                                                                        baseline="raw-asgi")]}
    lines = report.chart(document)
    bar = lines[2].split("│", 1)[1]
    assert lines[2].startswith("  fastapi ")
    assert bar.index("●") == 16 and bar.index("─") == 8 and bar.rindex("─") == 20 and bar.index("┆") == 40
    assert "400 (200-500), 40% of raw-asgi; p50 1.0 ms, p99 2.0 ms" in lines[2]


def test_a_workload_the_recipe_has_no_app_for_is_not_measured_and_not_a_failure(
        tmp_path: Path, injected_envs: list[tuple[str, ...]], capsys: pytest.CaptureFixture[str]) -> None:
    data = write_dataset(tmp_path, servers.free_port())
    code = main(["bench", "alpha", "--data", str(data), "--duration", "0.5", "--rounds", "1", "--generator", "builtin",
                 "--workload", "json", "--workload", "plaintext", "--no-baselines", "--format", "json"])
    out, err = capsys.readouterr()
    assert code == 0, err
    records = {r["workload"]: r for r in json.loads(out)["results"]}
    assert records["json"]["requests_per_second"]["median"] > 0
    assert records["plaintext"]["skipped"] == "the recipe has no code for the plaintext workload"
    assert records["plaintext"]["rounds"] == 0 and records["plaintext"]["error"] is None
    assert "alpha plaintext not measured: the recipe has no code" in err and "failed" not in err


def test_every_bundled_workload_app_is_python(bundled: dataset.Dataset) -> None:
    apps = 0
    for framework in bundled.frameworks:
        assert framework.bench is not None, framework.id
        for workload in workloads.NAMES:
            code = workloads.code_for(framework.bench, workload)
            if code:
                compile(code, f"{framework.id} {workload}", "exec")
                apps += 1
            else:
                assert workloads.why_not(framework.bench, workload)
    assert apps >= 2 * len(bundled.frameworks)  # json everywhere, and most have the others
