"""Snapshots are pictures of one day: the age of the data and of each fact is counted to a fixed date."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FWTUI_TODAY", "2026-11-25")
