"""Shared fixtures: every test runs with its own state, config and cache folders and no clipboard tools."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from fwtui import dataset, index
from fwtui.model import Dataset
from helpers import MINIMAL
from index_server import Index


@pytest.fixture(autouse=True)
def hermetic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("FWTUI_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.setenv("FWTUI_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("FWTUI_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("FWTUI_TODAY", "2026-11-25")  # the age of facts is counted to one day
    # No process-wide tuning in the test process: a frozen heap would keep every earlier
    # test's app from the collector. tests/test_app.py turns it on where it is tested.
    monkeypatch.setenv("FWTUI_NO_TUNING", "1")
    for name in ("FWTUI_DATA", "FWTUI_OVERLAY", "DISPLAY", "WAYLAND_DISPLAY", "TMUX", "TERM_PROGRAM", "WT_SESSION"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


@pytest.fixture(scope="session")
def bundled() -> Dataset:
    return dataset.load(dataset.bundled_path(), overlay=None)


@pytest.fixture(scope="session")
def minimal() -> Dataset:
    return dataset.load(MINIMAL, overlay=None)


@pytest.fixture
def index_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[Index]:
    """The recorded package index on 127.0.0.1, with no proxy or index address from the environment in the way."""
    for name in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY", index.ENV_INDEX_URL):
        monkeypatch.delenv(name, raising=False)
    server = Index()
    yield server
    server.close()
