"""Shared fixtures: every test runs with its own state, config and cache folders and no clipboard tools."""

from __future__ import annotations

from pathlib import Path

import pytest

from fwtui import dataset
from fwtui.model import Dataset
from helpers import MINIMAL


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
