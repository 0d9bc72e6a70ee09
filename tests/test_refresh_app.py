"""The app's side of refresh: the data's age in the header, the start notice, the palette command and its review screen."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from textual.widgets import Button, DataTable

from fwtui import dataset, index
from fwtui.app import FwtuiApp, data_age
from helpers import ROOT, refreshed
from index_server import Index, make_dataset


@pytest.fixture
def index_server(monkeypatch: pytest.MonkeyPatch) -> Index:  # type: ignore[misc]
    for name in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    server = Index()
    monkeypatch.setenv(index.ENV_INDEX_URL, server.url)
    yield server
    server.close()


def test_the_title_says_how_old_the_data_is(minimal, monkeypatch) -> None:
    as_of = minimal.meta.as_of
    for days, title in [(0, "fwtui"), (1, "fwtui · data 1 day old"), (45, "fwtui · data 45 days old"), (200, "fwtui · data 6 months old")]:
        monkeypatch.setenv("FWTUI_TODAY", (as_of + dt.timedelta(days=days)).isoformat())
        assert data_age(minimal)[0] == title


def test_old_bundled_data_gets_a_notice_naming_refresh(bundled, minimal, monkeypatch) -> None:
    newest = max([bundled.meta.as_of, *(s.checked for f in bundled.frameworks for s in f.sources if s.group == "release")])
    monkeypatch.setenv("FWTUI_TODAY", (newest + dt.timedelta(days=90)).isoformat())
    assert data_age(bundled)[1] is None
    monkeypatch.setenv("FWTUI_TODAY", (newest + dt.timedelta(days=91)).isoformat())
    notice = data_age(bundled)[1]
    assert notice is not None and "91 days" in notice and "fwtui refresh" in notice
    assert data_age(minimal)[1] is None  # not the bundled dataset: no notice, however old


async def test_palette_command_reviews_then_writes_the_overlay(tmp_path: Path, index_server: Index) -> None:
    data_file = make_dataset(tmp_path, {"alpha": "django", "beta": "fastapi", "gamma": "litestar"})
    app = FwtuiApp(dataset.load(data_file, None), state_file=tmp_path / "state.toml")
    async with app.run_test(size=(120, 40)) as pilot:
        commands = [command.title for command in app.get_system_commands(app.screen)]
        assert "Refresh from the package index" in commands
        await refreshed(pilot)
        table = app.screen.query_one("#refresh-diff", DataTable)
        # django, fastapi, litestar, then the registry's packages (a full run reads them, as the CLI's does)
        assert table.display and table.row_count == 4 + 3 + 3 + 3
        assert not app.screen.query_one("#refresh-write", Button).disabled
        await pilot.press("w")
        await pilot.pause()
        assert not app.screen.query("#refresh-diff")  # closed
    written = tomllib.loads((tmp_path / "config" / dataset.REFRESH_NAME).read_text(encoding="utf-8"))
    assert {record["id"] for record in written["framework"]} == {"alpha", "beta", "gamma"}
    assert [record["name"] for record in written["package"]] == ["alpha-sockets"]  # the one registry entry that changes


async def test_closing_the_review_writes_nothing(tmp_path: Path, index_server: Index) -> None:
    data_file = make_dataset(tmp_path, {"alpha": "django"})
    app = FwtuiApp(dataset.load(data_file, None), state_file=tmp_path / "state.toml")
    async with app.run_test(size=(120, 40)) as pilot:
        await refreshed(pilot)
        assert app.screen.query_one("#refresh-diff", DataTable).row_count == 4 + 3  # django, then the registry's packages
        await pilot.press("escape")
        await pilot.pause()
        assert not app.screen.query("#refresh-diff")
    assert not (tmp_path / "config" / dataset.REFRESH_NAME).exists()


def test_refresh_code_is_not_loaded_before_it_is_used(tmp_path: Path) -> None:
    env = {**os.environ, "FWTUI_STATE_DIR": str(tmp_path / "state"), "FWTUI_CONFIG_DIR": str(tmp_path / "config"),
           "FWTUI_CACHE_DIR": str(tmp_path / "cache")}
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "first_screen_modules.py")], capture_output=True, text=True,
                          timeout=120, cwd=ROOT, env=env)
    assert done.returncode == 0, done.stderr
    modules = set(done.stdout.split())
    assert "fwtui.app" in modules
    assert not modules & {"fwtui.refresh", "fwtui.index", "fwtui.screens.refresh", "tomlkit", "concurrent.futures.thread"}
