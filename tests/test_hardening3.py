"""Hardening, round 3: the package index's shape and timing, redirects and credentials, the files
refresh edits, the state file, the web server's bounds, config at scale and what runs as code.

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
from helpers import MINIMAL, ROOT
from index_server import Index, make_dataset

PROXIES = ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY", "no_proxy", "NO_PROXY")


@pytest.fixture
def index_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[Index]:
    for name in (*PROXIES, index.ENV_INDEX_URL):
        monkeypatch.delenv(name, raising=False)
    server = Index()
    yield server
    server.close()


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
        time.sleep(1.5)  # started, and waiting on the dripping header
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
        await pilot.pause(0.6)
        assert index_threads()  # the requests are under way
        await pilot.press("q")
    deadline = time.monotonic() + 1.0
    while index_threads() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not index_threads()


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
