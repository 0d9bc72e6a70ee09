"""End to end: the installed fwtui in a real terminal (tmux), copying through OSC 52 into tmux's buffer."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from fwtui import summary

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("terminal")]

FWTUI = Path(sys.executable).with_name("fwtui")


def wait_for(predicate, timeout=20.0, step=0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    return predicate()


@pytest.fixture
def tmux(tmp_path):
    if shutil.which("tmux") is None:
        if os.environ.get("CI"):
            pytest.fail("tmux is missing: .ci/run should have installed it")
        pytest.skip("tmux is not installed")
    socket = f"fwtui-test-{os.getpid()}"
    conf = tmp_path / "tmux.conf"
    conf.write_text("set -g set-clipboard on\nset -g default-terminal xterm-256color\n")

    def run(*args, check=True):
        return subprocess.run(["tmux", "-L", socket, *args], capture_output=True, text=True, timeout=10, check=check)

    run("-f", str(conf), "start-server", ";", "set", "-g", "exit-empty", "off", check=False)
    yield run
    run("kill-server", check=False)


def test_copy_lands_in_tmux_buffer(tmux, tmp_path, bundled):
    assert FWTUI.exists(), f"fwtui is not installed next to {sys.executable}"
    command = f"env FWTUI_STATE_DIR={tmp_path / 'state'} FWTUI_CONFIG_DIR={tmp_path / 'config'} {FWTUI}; sleep 5"
    tmux("-f", "/dev/null", "new-session", "-d", "-s", "e2e", "-x", "120", "-y", "40", command)
    tmux("set", "-g", "set-clipboard", "on")

    def screen():
        return tmux("capture-pane", "-p", "-t", "e2e", check=False).stdout

    count = f"{len(bundled.frameworks)} of {len(bundled.frameworks)}"
    assert wait_for(lambda: count in screen() and "Django" in screen()), screen()
    tmux("send-keys", "-t", "e2e", "c")
    buffer = wait_for(lambda: tmux("show-buffer", check=False).stdout)
    expected = summary.framework_markdown(bundled, bundled.framework("django"))
    assert buffer.strip() == expected.strip()
    assert wait_for(lambda: "Copied to the" in screen() and "OSC 52" in screen()), screen()
    tmux("send-keys", "-t", "e2e", "q")
    assert wait_for(lambda: count not in screen()), screen()


def test_decide_for_a_flask_team_s_rest_api_shows_three_places_at_100x30(tmux, tmp_path, bundled):
    """A person at 100x30: Decide, the REST API use case, then Flask marked as known to the team."""
    from fwtui.decide import Criteria, rank

    command = f"env FWTUI_STATE_DIR={tmp_path / 'state'} FWTUI_CONFIG_DIR={tmp_path / 'config'} {FWTUI}; sleep 5"
    tmux("-f", "/dev/null", "new-session", "-d", "-s", "decide", "-x", "100", "-y", "30", command)

    def screen():
        return tmux("capture-pane", "-p", "-t", "decide", check=False).stdout

    assert wait_for(lambda: "Django" in screen()), screen()
    tmux("send-keys", "-t", "decide", "r")
    assert wait_for(lambda: "What you are building" in screen()), screen()
    number = next(n for n, use_case in enumerate(bundled.use_cases, start=1) if use_case.id == "rest-api")
    tmux("send-keys", "-t", "decide", str(number))
    leader = rank(bundled, Criteria(use_case="rest-api"))[0].framework.name
    assert wait_for(lambda: f"1 {leader}" in screen()), screen()
    tmux("send-keys", "-t", "decide", "k")  # to the frameworks the team knows, A to Z
    known = sorted(bundled.frameworks, key=lambda f: (f.name.casefold(), f.id))
    for _ in range([f.id for f in known].index("flask")):
        tmux("send-keys", "-t", "decide", "Down")
        time.sleep(0.05)
    time.sleep(0.3)
    tmux("send-keys", "-t", "decide", "Space")
    assert wait_for(lambda: "knows Flask" in screen()), screen()
    ranking = [entry for entry in rank(bundled, Criteria(use_case="rest-api", know=("flask",))) if not entry.excluded]
    heads = [f"{place} {entry.framework.name[:12]}" for place, entry in enumerate(ranking[:3], start=1)]
    assert wait_for(lambda: all(head in screen() for head in heads)), (heads, screen())
    first_reason = f"{ranking[0].reasons[0].points:+d} "
    assert first_reason in screen()
