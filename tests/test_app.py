"""Pilot tests: every interaction of the TUI, checked against the engine and the summaries."""

from __future__ import annotations

import asyncio
import tomllib

import pytest
from textual.widgets import Input

from fwtui import matrix, summary
from fwtui.app import FwtuiApp
from fwtui.decide import Criteria, rank
from fwtui.screens.help import HelpScreen
from fwtui.screens.main import MainScreen
from fwtui.state import state_path
from fwtui.widgets.decision import DecisionPanel
from fwtui.widgets.framework_list import FrameworkList
from helpers import shows_its_state, wait_until

SIZE = (120, 40)


def parts(app: FwtuiApp):
    screen = app.screen
    assert isinstance(screen, MainScreen)
    return screen, screen.query_one(FrameworkList)


async def test_starts_on_the_list_with_the_big_three_marked(bundled):
    app = FwtuiApp(bundled)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen, framework_list = parts(app)
        assert screen.marked == ("django", "flask", "fastapi")
        assert len(framework_list.visible_ids()) == len(bundled.frameworks)
        assert screen.active_pane == "details"
        assert screen.focused is framework_list.rows


@pytest.mark.parametrize(
    ("query", "expected", "exact"),
    [
        # A built-in's name asks for it built in or first-party; "+" lets extensions in.
        ("websocket", lambda f: f.builtins["websockets"] in ("built-in", "first-party"), True),
        ("orm", lambda f: f.builtins["orm"] in ("built-in", "first-party"), True),
        ("orm+", lambda f: f.builtins["orm"] != "no", True),
        ("asgi", lambda f: "asgi" in f.interfaces, True),
        ("admin", lambda f: f.builtins["admin"] in ("built-in", "first-party"), True),
        # Words match by prefix, so "micro" also finds "microservices" in taglines.
        ("micro", lambda f: f.kind == "micro", False),
    ],
)
async def test_filter_as_you_type(bundled, query, expected, exact):
    app = FwtuiApp(bundled)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash")
        await pilot.press(*query)
        await pilot.pause()
        _, framework_list = parts(app)
        shown = set(framework_list.visible_ids())
        wanted = {f.id for f in bundled.frameworks if expected(f)}
        assert shown == wanted if exact else wanted <= shown < {f.id for f in bundled.frameworks}
        await pilot.press("escape")
        await pilot.pause()
        assert len(framework_list.visible_ids()) == len(bundled.frameworks)
        assert app.screen.query_one("#filter", Input).value == ""


async def test_arrow_keys_move_the_list_while_typing(bundled):
    app = FwtuiApp(bundled)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash", "a", "s", "g", "i", "down")
        await pilot.pause()
        _, framework_list = parts(app)
        assert framework_list.highlighted_id == framework_list.visible_ids()[1]


async def test_mark_and_compare(bundled):
    app = FwtuiApp(bundled)
    async with app.run_test(size=SIZE) as pilot:
        screen, framework_list = parts(app)
        await pilot.press("down", "down", "down", "space")  # Litestar
        await pilot.pause()
        assert screen.marked == ("django", "flask", "fastapi", "litestar")
        await pilot.press("home", "space")  # unmark Django
        await pilot.press("t")
        await pilot.pause()
        assert screen.active_pane == "compare"
        table = screen.query_one("#compare-table")
        assert [str(c.label) for c in table.columns.values()][1:] == ["Flask", "FastAPI", "Litestar"]
        rows_all = table.row_count
        await pilot.press("o")
        await pilot.pause()
        frameworks = [bundled.framework(i) for i in ("flask", "fastapi", "litestar")]
        grid = matrix.matrix(bundled, frameworks)
        differing = [row for row, cells in grid if matrix.differs(cells)]
        headings = len({row.group for row in differing} - {matrix.FACTS})  # a heading row opens each later group
        assert table.row_count == len(differing) + headings < rows_all
        note = str(screen.query_one("#compare-note").render())
        assert f"{len(grid) - len(differing)} equal rows hidden" in note


async def test_switch_panes_with_keys(bundled):
    app = FwtuiApp(bundled)
    async with app.run_test(size=SIZE) as pilot:
        screen, _ = parts(app)
        for key, pane in (("t", "compare"), ("w", "explainer"), ("r", "decide"), ("d", "details")):
            await pilot.press(key)
            await pilot.pause()
            assert screen.active_pane == pane


async def test_choose_a_use_case_by_number_and_the_list_follows(bundled):
    app = FwtuiApp(bundled)
    async with app.run_test(size=SIZE) as pilot:
        screen, framework_list = parts(app)
        number = [u.id for u in bundled.use_cases].index("ml-serving") + 1
        await pilot.press("r", str(number))
        await pilot.pause()
        assert screen.criteria.use_case == "ml-serving"
        expected = [r.framework.id for r in rank(bundled, Criteria(use_case="ml-serving"))]
        assert [r.framework.id for r in screen.ranking] == expected
        assert framework_list.visible_ids()[0] == "fastapi"
        await pilot.press("0")
        await pilot.pause()
        assert screen.criteria.use_case is None


async def test_type_to_filter_use_cases(bundled):
    app = FwtuiApp(bundled)
    async with app.run_test(size=SIZE) as pilot:
        screen, _ = parts(app)
        await pilot.press("r", "2")  # a use case chosen before typing
        await pilot.pause()
        chosen = screen.criteria.use_case
        screen.query_one("#use-case-filter", Input).focus()
        await pilot.press(*"model")
        await pilot.pause()
        assert screen.criteria.use_case == chosen, "typing narrows the list; it does not choose"
        await pilot.press("enter")
        await pilot.pause()
        assert screen.criteria.use_case == "ml-serving"


async def test_criteria_controls_rerank_live(bundled):
    app = FwtuiApp(bundled)
    async with app.run_test(size=SIZE) as pilot:
        screen, framework_list = parts(app)
        await pilot.press("r")
        await pilot.pause()
        panel = screen.query_one(DecisionPanel)
        panel.query_one("#needs").focus()
        await pilot.press("space", "space")  # ORM: nice to have, then a must
        panel.query_one("#questions").focus()
        await pilot.press("space", "space", "down", "space")  # interface: wsgi, asgi; team: beginner
        await pilot.pause()
        criteria = Criteria(needs=("orm",), team="beginner", interface="asgi")
        assert screen.criteria == criteria
        expected = rank(bundled, criteria)
        assert [(r.framework.id, r.score, r.excluded) for r in screen.ranking] == [
            (r.framework.id, r.score, r.excluded) for r in expected
        ]
        await pilot.press("h")
        await pilot.pause()
        assert framework_list.visible_ids() == [r.framework.id for r in expected if not r.excluded]
        await pilot.press("x")
        await pilot.pause()
        assert screen.criteria == Criteria()
        assert len(framework_list.visible_ids()) == len(bundled.frameworks)


async def test_choosing_a_spec_lights_up_its_frameworks(bundled):
    app = FwtuiApp(bundled)
    async with app.run_test(size=SIZE) as pilot:
        screen, framework_list = parts(app)
        await pilot.press("w")
        await pilot.click("#spec-wsgi")
        await pilot.pause()
        assert framework_list.spec == "wsgi"


@pytest.mark.parametrize("pane", ["details", "compare", "explainer", "decide"])
async def test_copy_puts_the_pane_summary_on_the_clipboard(bundled, hermetic, pane):
    app = FwtuiApp(bundled)
    async with app.run_test(size=SIZE) as pilot:
        screen, _ = parts(app)
        await pilot.press({"details": "d", "compare": "t", "explainer": "w", "decide": "r"}[pane])
        if pane == "decide":
            await pilot.press("5")
        await pilot.press("c")
        await app.workers.wait_for_complete()
        await pilot.pause()
        expected = {
            "details": lambda: summary.framework_markdown(bundled, bundled.framework("django")),
            "compare": lambda: summary.compare_markdown(bundled, [bundled.framework(i) for i in ("django", "flask", "fastapi")]),
            "explainer": lambda: summary.explainer_markdown(bundled),
            "decide": lambda: summary.ranking_markdown(bundled, Criteria(use_case="rest-api"), rank(bundled, Criteria(use_case="rest-api"))),
        }[pane]()
        assert app.clipboard == expected
        assert f"as of {bundled.meta.as_of.isoformat()}" in app.clipboard
        # No tool and no terminal known to take OSC 52 here: the summary must also be in a file.
        saved = list((hermetic / "state" / "summaries").glob("summary-*.md"))
        assert len(saved) == 1 and saved[0].read_text(encoding="utf-8") == expected
        assert any(str(saved[0]) in n.message for n in app._notifications)


async def test_help_screen_opens_and_closes(bundled):
    app = FwtuiApp(bundled)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)


async def test_command_palette_offers_the_actions(bundled):
    app = FwtuiApp(bundled)
    async with app.run_test(size=SIZE):
        titles = {command.title for command in app.get_system_commands(app.screen)}
    assert {"Copy summary", "Show Compare", "Show Decide", "Light theme", "Hide excluded", "Help"} <= titles


async def test_the_palette_is_not_opened_twice_with_a_screen_over_it(bundled):
    """With help pushed over an open palette, ctrl+p must not push a second palette (DuplicateIds)."""
    app = FwtuiApp(bundled)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        app.action_help()
        await pilot.pause()
        app.action_command_palette()
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert [screen.id for screen in app.screen_stack].count("--command-palette") == 1
        assert app.is_running


async def test_state_is_saved_and_restored(bundled):
    app = FwtuiApp(bundled)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("down", "down", "down", "space", "r", "2")
        app.theme = "textual-light"
        await pilot.pause()
        await pilot.press("q")
    saved = tomllib.loads(state_path().read_text())
    assert saved["marked"] == ["django", "flask", "fastapi", "litestar"]
    assert saved["use_case"] == "learning" and saved["pane"] == "decide" and saved["theme"] == "textual-light"

    again = FwtuiApp(bundled)
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen, _ = parts(again)
        assert screen.marked == ("django", "flask", "fastapi", "litestar")
        assert screen.criteria.use_case == "learning"
        assert screen.active_pane == "decide"
        assert again.theme == "textual-light"


@pytest.mark.parametrize(
    "content",
    [b"\x00\xff not toml", b"version = 99\n", b"marked = 'not a list'\nversion = 1\n", b"version = 1\ntheme = \"\\u001b]52;c;eA==\\u0007\"\n"],
    ids=["garbage", "newer", "wrong-types", "escape-codes"],
)
async def test_bad_state_file_is_reported_once_and_ignored(bundled, content):
    path = state_path()
    path.parent.mkdir(parents=True)
    path.write_bytes(content)
    app = FwtuiApp(bundled)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen, _ = parts(app)
        assert screen.marked == ("django", "flask", "fastapi")
        warnings = [n for n in app._notifications if n.title == "Saved state"]
        if content.startswith(b"marked"):
            assert not warnings  # a wrong field is dropped quietly, the rest kept
        else:
            assert len(warnings) == 1


async def test_tiny_terminal_says_so(bundled):
    app = FwtuiApp(bundled)
    async with app.run_test(size=(40, 10)) as pilot:
        await pilot.pause()
        assert app.screen.has_class("-too-small")
        assert app.screen.query_one("#too-small").display
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        assert not app.screen.has_class("-too-small")


async def test_code_sample_is_highlighted_once_the_record_is_looked_at(bundled):
    app = FwtuiApp(bundled)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: shows_its_state(app), what="the Details pane showing its record")
        details = app.screen.query_one("#details-view")
        assert details._highlighted is None  # nothing paid for Pygments at start-up
        await pilot.press("d")
        await wait_until(pilot, lambda: details._highlighted is not None, what="the code sample highlighted")
        assert details._highlighted is details.framework is not None


async def test_escape_returns_to_the_list_from_a_pane(bundled):
    app = FwtuiApp(bundled)
    async with app.run_test(size=SIZE) as pilot:
        screen, framework_list = parts(app)
        await pilot.press("r", "6", "escape", "home", "down", "space")
        await pilot.pause()
        assert screen.focused is framework_list.rows
        assert "litestar" in screen.marked  # second place for ML serving, marked from the list


@pytest.mark.parametrize("pane", ["details", "compare", "explainer", "decide"])
async def test_quitting_while_the_panes_mount_ends_cleanly(bundled, tmp_path, monkeypatch, pane):
    """The panes mount after the first paint; a quit in that moment must not raise.

    Textual 8.2.8's tab strip raised "No Tab with id ..." on its Mount when the app had
    stopped before the strip's tabs were mounted (see fwtui.widgets.panes); run_test
    re-raises what ended the app, so this fails without the workaround.
    """
    started = asyncio.Event()
    mount_panes = MainScreen._mount_panes

    def mount_then_signal(screen: MainScreen) -> None:
        mount_panes(screen)
        started.set()

    monkeypatch.setattr(MainScreen, "_mount_panes", mount_then_signal)
    state = tmp_path / "state.toml"
    state.write_text(f'version = 1\npane = "{pane}"\n')
    app = FwtuiApp(bundled, state_file=state)
    async with app.run_test(size=SIZE):
        await started.wait()
        assert app.screen.query("#panes")  # mounting, not yet mounted: the app shuts down now


def _quit_as_it_starts(monkeypatch, cls: type) -> asyncio.Event:
    """Make `cls`'s next widget or screen signal as it starts, then wait long enough for a quit to begin.

    The hook is Textual's private `_pre_process` (8.2.8), the start of a widget's own
    task: a quit that begins there stops the app before the widget's children mount.
    """
    started = asyncio.Event()
    pre_process = cls._pre_process

    async def signal_then_start(self) -> bool:
        started.set()
        await asyncio.sleep(0.05)
        return await pre_process(self)

    monkeypatch.setattr(cls, "_pre_process", signal_then_start)
    return started


@pytest.mark.parametrize(
    ("pane", "module", "name"),
    [
        ("decide", "fwtui.widgets.decision", "DecisionPanel"),
        ("compare", "fwtui.widgets.compare", "CompareTable"),
        ("explainer", "fwtui.widgets.explainer", "Explainer"),
        ("details", "fwtui.widgets.details", "FrameworkDetails"),
    ],
)
async def test_quitting_as_a_pane_starts_ends_cleanly(bundled, tmp_path, monkeypatch, pane, module, name):
    """Textual still sends Mount to a widget whose children never mounted; its on_mount must not look them up."""
    import importlib

    started = _quit_as_it_starts(monkeypatch, getattr(importlib.import_module(module), name))
    state = tmp_path / "state.toml"
    state.write_text(f'version = 1\npane = "{pane}"\n')
    app = FwtuiApp(bundled, state_file=state)
    async with app.run_test(size=SIZE):
        await started.wait()


async def test_quitting_as_help_opens_ends_cleanly(bundled, tmp_path, monkeypatch):
    started = _quit_as_it_starts(monkeypatch, HelpScreen)
    app = FwtuiApp(bundled, state_file=tmp_path / "s.toml")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.action_help()  # not pilot.press: that waits until the screen has mounted
        await started.wait()


async def test_help_text_has_the_focus_so_keys_scroll_it(bundled, tmp_path):
    app = FwtuiApp(bundled, state_file=tmp_path / "s.toml")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert app.screen.focused is app.screen.query_one("#help")


async def test_the_panes_tab_strip_has_the_shutdown_tolerant_validator(bundled):
    from textual.widgets.tabbed_content import ContentTabs

    from fwtui.widgets.panes import Panes

    app = FwtuiApp(bundled)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: any(strip.active for strip in app.screen.query(ContentTabs)), what="the panes' tab strip active")
        strip = app.screen.query_one(Panes).query_one(ContentTabs)
        # Textual still builds its strip inside compose(), where Panes reaches it ...
        assert strip.validate_active.__func__.__name__ == "_validate_active_unless_closing"
        # ... and the strip still works as one while the app runs.
        assert strip.active == "--content-tab-details"
        with pytest.raises(ValueError, match="No Tab"):
            strip.validate_active("--content-tab-nowhere")


@pytest.fixture
def tuned(monkeypatch):
    """fwtui's tuning on (conftest turns it off), and the collector as it was afterwards."""
    import gc

    monkeypatch.delenv("FWTUI_NO_TUNING", raising=False)
    frozen = gc.get_freeze_count()
    yield
    if gc.get_freeze_count() != frozen:
        gc.unfreeze()  # what this test froze goes back to the collector


async def test_the_heap_is_settled_once_the_panes_are_up(bundled, tmp_path, tuned):
    import gc

    before = gc.get_freeze_count()
    app = FwtuiApp(bundled, state_file=tmp_path / "s.toml")
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: bool(app.screen.query("#details-view")), what="the panes mounted")
        await pilot.pause()
        assert gc.get_freeze_count() > before  # the dataset, the list and the panes are out of the collector's walk


async def test_tuning_off_leaves_the_collector_alone(bundled, tmp_path, tuned, monkeypatch):
    import gc

    monkeypatch.setenv("FWTUI_NO_TUNING", "1")
    before = gc.get_freeze_count()
    app = FwtuiApp(bundled, state_file=tmp_path / "s.toml")
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: shows_its_state(app), what="the panes up")  # where tuning would have frozen the heap
        await pilot.pause()
    assert gc.get_freeze_count() == before


async def test_a_need_asked_again_after_a_reset_is_taken(bundled):
    """A control asks by setting its `asked`; the same ask after a reset (x) must reach the screen again."""
    app = FwtuiApp(bundled)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: shows_its_state(app), what="the explorer settling")
        screen = app.screen
        await pilot.press("r")
        await wait_until(pilot, lambda: shows_its_state(app), what="Decide settling")
        await pilot.press("n", "space")  # ORM: off -> nice to have
        await wait_until(pilot, lambda: screen.criteria.nice == ("orm",), what="ORM asked")
        await pilot.press("x")
        await wait_until(pilot, lambda: screen.criteria.is_empty(), what="the reset")
        await pilot.press("n", "space")  # the same ask as before the reset
        await wait_until(pilot, lambda: screen.criteria.nice == ("orm",), what="ORM asked again")
