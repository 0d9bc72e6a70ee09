"""config.toml (theme, start pane, keymap), --theme, --inline, `fwtui paths`, and the palette's data commands."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from textual.command import CommandList

from fwtui import config
from fwtui.app import FwtuiApp, binding_ids, is_key
from fwtui.cli import main
from fwtui.commands import frameworks_named
from helpers import MINIMAL, wait_until

# Reading the file ----------------------------------------------------------------------


def write_config(hermetic: Path, text: str) -> Path:
    folder = hermetic / "config"
    folder.mkdir(exist_ok=True)
    path = folder / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_no_file_gives_the_defaults(hermetic: Path) -> None:
    settings = config.load()
    assert settings == config.Config(path=hermetic / "config" / "config.toml")


def test_a_good_file(hermetic: Path) -> None:
    write_config(hermetic, 'theme = "nord"\nstart_pane = "decide"\n[keymap]\nquit = "ctrl+q"\n"pane.decide" = "f5, r"\n')
    settings = config.load()
    assert (settings.theme, settings.start_pane, settings.keymap, settings.problems) == ("nord", "decide", {"quit": "ctrl+q", "pane.decide": "f5, r"}, ())


@pytest.mark.parametrize(("text", "problem"), [
    ("theme = \n", "not valid TOML"),
    ('them = "nord"\n', 'unknown setting "them" ignored (did you mean "theme"?)'),
    ('start_pane = "decid"\n', 'start_pane "decid" is not one of details, compare, explainer, decide (did you mean "decide"?)'),
    ("theme = 3\n", "theme must be a string"),
    ('keymap = "q"\n', "[keymap] must be a table"),
    ("[keymap]\nquit = 1\n", "\"keymap.quit\" must be a non-empty string"),
    ('theme = "no\\u001b[31m"\n', "control character"),
])
def test_a_bad_file_gives_a_problem_and_defaults_for_that_part(hermetic: Path, text: str, problem: str) -> None:
    write_config(hermetic, text)
    settings = config.load()
    assert len(settings.problems) == 1 and problem in settings.problems[0], settings.problems
    assert str(settings.path) in settings.problems[0]


def test_an_unreadable_config_is_a_problem_not_a_crash(hermetic: Path) -> None:
    (hermetic / "config" / "config.toml").mkdir(parents=True)  # a folder where the file should be
    assert "could not read it" in config.load().problems[0]


def test_check_keymap() -> None:
    valid, problems = config.check_keymap(
        {"quit": "ctrl+q", "pane.decide": "f5,r", "quitt": "x", "copy": "ctrl+nosuchkey", "help": "hyperspace+h"},
        binding_ids(), is_key,
    )
    assert valid == {"quit": "ctrl+q", "pane.decide": "f5,r"}
    assert any('unknown binding id "quitt"' in p and 'did you mean "quit"' in p for p in problems)
    assert any('keymap.copy: "ctrl+nosuchkey"' in p for p in problems)
    assert any('keymap.help: "hyperspace+h"' in p for p in problems)


def test_binding_ids_cover_the_app_the_screens_and_the_panes() -> None:
    ids = binding_ids()
    assert {"quit", "help", "copy", "pane.decide", "filter", "list.mark", "help.close"} <= ids


@pytest.mark.parametrize(("key", "known"), [("q", True), ("f5", True), ("question_mark", True), ("slash", True), ("space", True),
                                            ("pageup", True), ("escape", True), ("nosuchkey", False), ("", False)])
def test_is_key(key: str, known: bool) -> None:
    assert config._is_combination(key, is_key) is known


# In the app ----------------------------------------------------------------------------


async def test_the_app_uses_the_config(hermetic: Path, minimal) -> None:
    write_config(hermetic, 'theme = "nord"\nstart_pane = "decide"\n[keymap]\n"pane.details" = "f6"\nquitt = "x"\n')
    app = FwtuiApp(minimal, config=config.load())
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert app.theme == "nord"
        assert app.main is not None and app.main.active_pane == "decide"
        await pilot.press("f6")
        await pilot.pause()
        assert app.main.active_pane == "details"
        messages = [n.message for n in app._notifications]
        assert any('unknown binding id "quitt"' in m and 'did you mean "quit"' in m for m in messages), messages


async def test_an_unknown_theme_in_the_config_is_a_warning(hermetic: Path, minimal) -> None:
    write_config(hermetic, 'theme = "nrod"\n')
    app = FwtuiApp(minimal, config=config.load())
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert app.theme == "textual-dark"
        assert any('unknown theme "nrod"' in n.message and '"nord"' in n.message for n in app._notifications)


def test_theme_flag(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--data", str(MINIMAL), "--theme", "nrod"]) == 2
    assert 'unknown theme "nrod" (did you mean "nord"?)' in capsys.readouterr().err
    assert main(["--theme", "nord", "list"]) == 2
    runs = []
    monkeypatch.setattr(FwtuiApp, "run", lambda app, **options: runs.append((app.config.theme, options)))
    monkeypatch.setattr("fwtui.cli._is_terminal", lambda stream: True)
    assert main(["--data", str(MINIMAL), "--theme", "nord", "--inline"]) == 0
    assert runs == [("nord", {"inline": True})]
    assert main(["--inline", "list"]) == 2
    assert "--inline applies to the explorer only" in capsys.readouterr().err


# fwtui paths ---------------------------------------------------------------------------


def test_paths(hermetic: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_config(hermetic, 'theme = "nord"\n')
    assert main(["paths", "--format", "json"]) == 0
    records = {r["name"]: r for r in json.loads(capsys.readouterr().out)["path"]}
    assert set(records) == {"config", "overlay", "refresh", "dataset", "state", "summaries", "bench", "cache", "bench-envs"}
    assert records["config"] == {"name": "config", "path": str(hermetic / "config" / "config.toml"), "exists": True,
                                 "what": "settings: theme, start pane, keymap", "override": "FWTUI_CONFIG_DIR"}
    assert records["state"]["path"] == str(hermetic / "state" / "state.toml") and records["state"]["exists"] is False
    assert records["summaries"]["path"] == str(hermetic / "state" / "summaries")
    assert records["cache"]["path"] == str(hermetic / "cache")
    assert main(["paths"]) == 0
    table = capsys.readouterr().out
    assert f"config     {hermetic / 'config' / 'config.toml'}\n" in table and "state: FWTUI_STATE_DIR" in table
    assert f"state      {hermetic / 'state' / 'state.toml'}  (not there yet)" in table


def test_paths_works_with_a_broken_dataset(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text("[meta\n")
    assert main(["--data", str(broken), "paths", "--format", "toml"]) == 0
    assert str(broken) in capsys.readouterr().out


# The command palette -------------------------------------------------------------------


def test_frameworks_named(minimal) -> None:
    frameworks = list(minimal.frameworks)
    assert [f.id for f in frameworks_named(frameworks, "Alpha and beta")] == ["alpha", "beta"]
    assert [f.id for f in frameworks_named(frameworks, "gam, al")] == ["gamma", "alpha"]
    assert frameworks_named(frameworks, "zeta") == []


@pytest.mark.parametrize(("query", "pane"), [("Show Gamma", "details"), ("Compare Alpha and Gamma", "compare"), ("Use case: An API", "decide")])
async def test_palette_commands(minimal, query: str, pane: str) -> None:
    app = FwtuiApp(minimal, remember=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*query)
        await wait_until(pilot, lambda: any(hits.highlighted is not None for hits in app.screen.query(CommandList)), what="the palette's hits")
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.main is not None and app.main.active_pane == pane, what=f"the {pane} pane")
        await pilot.pause()
        main_screen = app.main
        assert main_screen is not None and main_screen.active_pane == pane
        if pane == "details":
            assert main_screen.framework_list.highlighted_id == "gamma"
        elif pane == "compare":
            assert main_screen.marked == ("alpha", "gamma")
        else:
            assert main_screen.criteria.use_case == "api"


async def test_show_clears_a_filter_that_hides_the_framework(minimal) -> None:
    from fwtui.commands import show_framework

    app = FwtuiApp(minimal, remember=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("slash", *"alpha", "enter")
        await pilot.pause()
        assert app.main is not None and app.main.framework_list.visible_ids() == ["alpha"]
        await show_framework(app.main, "beta")
        await pilot.pause()
        assert app.main.framework_list.highlighted_id == "beta"


def test_serve_the_palette_and_playwright_are_not_loaded_before_the_first_paint(hermetic: Path) -> None:
    import subprocess

    from helpers import ROOT

    probe = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "first_screen_modules.py")],
                           capture_output=True, text=True, timeout=120, cwd=ROOT)
    loaded = set(probe.stdout.split())
    assert "fwtui.app" in loaded, probe.stderr
    early = [m for m in loaded if m.split(".")[0] in ("textual_serve", "aiohttp", "playwright") or m in ("fwtui.web", "fwtui.commands")]
    assert early == []


def test_config_and_web_do_not_import_textual() -> None:
    """Like the core: config.toml is read, and the server side of `serve` runs, without Textual."""
    from helpers import without_textual

    done = without_textual("""
import fwtui.config, fwtui.web
print(fwtui.config.load().theme == "", fwtui.web.app_command("python").startswith("exec "))
""")
    assert done.stdout.split() == ["True", "True"], done.stderr


def test_the_config_page_names_every_binding_id() -> None:
    from helpers import ROOT

    page = (ROOT / "docs" / "config.md").read_text(encoding="utf-8")
    # The ten use-case ids are given as a range, `decide.use_case_0` to `decide.use_case_9`.
    missing = [i for i in sorted(binding_ids()) if f"`{i}`" not in page and not i.startswith("decide.use_case_")]
    assert missing == [], "docs/config.md's keymap table should list these binding ids"
