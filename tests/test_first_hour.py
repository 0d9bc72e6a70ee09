"""What a new user meets in the first hour: a filter that answers, readable Compare cells,
compact CLI tables, and the small slips of issue #27."""

from __future__ import annotations

import pytest
from rich.cells import cell_len
from textual.widgets import DataTable, Static

from fwtui import matrix, summary
from fwtui.app import FwtuiApp
from fwtui.cli import main
from fwtui.state import State
from fwtui.widgets.compare import MAX_COLUMN_WIDTH, SEPARATOR, CompareTable, wrap
from fwtui.widgets.framework_list import FrameworkRows, ListHeading, matches, narrows, parse, search_words
from helpers import open_decide, shows_its_state, wait_until

SIZE = (120, 40)


def _matching(dataset, query: str) -> set[str]:
    return {f.id for f in dataset.frameworks if matches(search_words(f), parse(query))}


def _levels(dataset, need: str, levels: tuple[str, ...]) -> set[str]:
    return {f.id for f in dataset.frameworks if f.level(need) in levels}


def test_a_built_in_word_lists_built_in_and_first_party_by_default(bundled):
    both = _levels(bundled, "websockets", ("built-in", "first-party")) & _levels(bundled, "orm", ("built-in", "first-party"))
    assert _matching(bundled, "websocket orm") == both
    assert _matching(bundled, "orm") == _levels(bundled, "orm", ("built-in", "first-party"))
    assert _levels(bundled, "orm", ("extension",)) - _matching(bundled, "orm")  # an extension-only ORM is left out


def test_bang_asks_for_built_in_only_and_plus_lets_extensions_in(bundled):
    assert _matching(bundled, "orm!") == _levels(bundled, "orm", ("built-in",))
    assert _matching(bundled, "orm+") == _levels(bundled, "orm", ("built-in", "first-party", "extension"))
    assert _matching(bundled, "ws! orm!") == _levels(bundled, "orm", ("built-in",)) & _levels(bundled, "websockets", ("built-in",))


def test_a_word_that_names_no_built_in_matches_names_and_ignores_its_ending(bundled):
    assert "flask" in _matching(bundled, "flask") and _matching(bundled, "flask!") == _matching(bundled, "flask")
    # "orm" in Django's tagline does not make a framework without an ORM match.
    assert not any(bundled.framework(i).level("orm") == "no" for i in _matching(bundled, "orm+"))


def test_plus_never_counts_as_narrowing_the_query_before_it():
    assert narrows(("or",), ("orm",)) and narrows(("orm",), ("orm!",))
    assert not narrows(("orm",), ("orm+",))


async def test_rows_show_the_level_of_each_built_in_asked(bundled):
    app = FwtuiApp(bundled)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash", *"ws orm")
        await pilot.pause()
        rows = app.screen.query_one(FrameworkRows)
        lines = [rows.render_line(y).text for y in range(len(rows.rows))]
        heading = app.screen.query_one(ListHeading).text().splitlines()[1]
        django = next(line for line in lines if "Django " in line)
        # Each glyph under its built-in's name in the heading: WebSockets first-party, the ORM built in.
        assert django[heading.index(" ws") + 1] == "◐" and django[heading.index(" orm") + 1] == "✓"
        assert all(cell_len(line.rstrip()) <= 29 for line in lines)  # the narrow list's width


# Compare --------------------------------------------------------------------

SIX = ("django", "flask", "fastapi", "litestar", "tornado", "falcon")


def test_a_cell_wraps_to_two_lines_before_it_is_cut():
    assert wrap("very large", 8) == (["very", "large"], False)
    assert wrap("WSGI/ASGI", 8) == (["WSGI/", "ASGI"], False)
    lines, cut = wrap("gunicorn, uwsgi, mod_wsgi, daphne, hypercorn, uvicorn", 14)
    assert cut and len(lines) == 2 and lines[0] == "gunicorn" and lines[1].endswith("…")
    assert all(len(line) <= 14 for line in lines)


def test_a_word_longer_than_a_line_is_cut_never_split():
    assert wrap("Starlette", 8) == (["Starlet…"], True)
    assert wrap("Starlette, Django", 8) == (["Starlet…", "Django"], True)
    lines, cut = wrap("● flask_sqlalchemy", 8)
    assert cut and lines == ["●", "flask_s…"]


def test_the_copy_and_the_cli_give_every_server(bundled):
    django = bundled.framework("django")
    text = summary.compare_markdown(bundled, [django, bundled.framework("flask")])
    assert ", ".join(django.servers) in text and "+4" not in text


def test_one_hidden_row_is_a_row(bundled):
    import itertools

    bundled = bundled._replace(frameworks=tuple(f._replace(health=None) for f in bundled.frameworks))  # its rows are mostly equal
    marked = next(list(some) for count in (2, 3) for some in itertools.combinations(bundled.frameworks, count)
                  if sum(not matrix.differs(cells) for _, cells in matrix.matrix(bundled, some)) == 1)
    assert "1 equal row hidden" in summary.compare_markdown(bundled, marked, True)


async def _compare(bundled, monkeypatch, tmp_path, size, marked=SIX):
    monkeypatch.setenv("FWTUI_STATE_DIR", str(tmp_path))
    app = FwtuiApp(bundled)
    app.state = State(marked=marked, pane="compare")
    return app


async def _settled(app, pilot) -> CompareTable:
    def filled() -> bool:  # the panes mount after the first paint
        tables = app.screen.query("#compare-table")
        return bool(tables and tables.first().row_count)

    await wait_until(pilot, filled, what="the comparison filled")
    return app.screen.query_one(CompareTable)


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
async def test_cut_columns_point_to_f_and_f_takes_the_hint_away(bundled, monkeypatch, tmp_path, size):
    app = await _compare(bundled, monkeypatch, tmp_path, size)
    async with app.run_test(size=size) as pilot:
        table = await _settled(app, pilot)
        assert "f: wider cells" in str(table.query_one("#compare-note", Static).render())
        await pilot.press("f")
        await _settled(app, pilot)
        await wait_until(pilot, lambda: "f: wider cells" not in str(table.query_one("#compare-note", Static).render()), what="the hint gone")
        assert "f: wider cells" not in str(table.query_one("#compare-note", Static).render())


@pytest.mark.parametrize(("size", "marked"), [((80, 24), SIX[:3]), ((120, 40), SIX)])
async def test_a_group_heading_gives_its_date_whole_under_its_label(bundled, monkeypatch, tmp_path, size, marked):
    app = await _compare(bundled, monkeypatch, tmp_path, size, marked)
    async with app.run_test(size=size) as pilot:
        table = await _settled(app, pilot)
        grid = table.query_one("#compare-table", DataTable)
        label, *cells = grid.get_row(f"{SEPARATOR}-{matrix.HEALTH}")
        read_on = bundled.framework("django").health.read_on.isoformat()
        assert label.plain.splitlines() == ["From index", read_on]
        assert all(not cell.plain for cell in cells), "a date under a framework's name would read as that framework's"


@pytest.mark.parametrize(("size", "marked"), [((80, 24), SIX[:3]), ((100, 30), SIX), ((120, 40), SIX)])
async def test_row_labels_wrap_whole_words_instead_of_being_cut(bundled, monkeypatch, tmp_path, size, marked):
    app = await _compare(bundled, monkeypatch, tmp_path, size, marked)
    async with app.run_test(size=size) as pilot:
        table = await _settled(app, pilot)
        grid = table.query_one("#compare-table", DataTable)
        label_width = grid.ordered_columns[0].width
        rows = [row for row, _ in matrix.matrix(bundled, [bundled.framework(i) for i in marked])]
        labels = [grid.get_row_at(index)[0].plain for index in range(grid.row_count)]
        labels = [label for label in labels if label.split("\n")[0] not in {"Facts", "Built-ins", "From index", "Measured"}]
        assert len(labels) == len(rows)
        for row, label in zip(rows, labels, strict=True):
            if max(len(word) for word in row.label.split()) <= label_width:
                assert " ".join(label.splitlines()).replace("- ", "-") == row.label, (label, label_width)
            assert all(len(line) <= label_width for line in label.splitlines())


async def test_a_long_name_takes_a_second_header_line(bundled, monkeypatch, tmp_path):
    app = await _compare(bundled, monkeypatch, tmp_path, (80, 24), ("django-ninja", "drf", "flask"))
    async with app.run_test(size=(80, 24)) as pilot:
        table = await _settled(app, pilot)
        grid = table.query_one("#compare-table", DataTable)
        assert grid.header_height == 2
        headers = [column.label.plain for column in grid.ordered_columns[1:]]
        assert headers[0] == "Django\nNinja" and headers[1].startswith("Django\nREST") and headers[2] == "Flask"
        await pilot.resize_terminal(60, 15)  # a short pane keeps its rows for the matrix: names on one line
        await pilot.pause(0.2)
        assert grid.header_height == 1 and grid.ordered_columns[1].label.plain.endswith("…")


async def test_no_f_hint_when_the_columns_are_already_at_their_widest(bundled, monkeypatch, tmp_path):
    app = await _compare(bundled, monkeypatch, tmp_path, (120, 40), SIX[:2])
    async with app.run_test(size=(120, 40)) as pilot:
        table = await _settled(app, pilot)
        grid = table.query_one("#compare-table", DataTable)
        assert [column.width for column in grid.ordered_columns[1:]] == [MAX_COLUMN_WIDTH] * 2
        assert any(str(grid.get_row_at(index)[1]).endswith("…") for index in range(grid.row_count)), "a cell is cut"
        note = str(table.query_one("#compare-note", Static).render())
        assert "f: wider cells" not in note and "arrows: a cell in full below" in note


@pytest.mark.parametrize(("size", "only_differences"), [((80, 24), False), ((80, 24), True), ((60, 15), False)])
async def test_the_notes_first_line_fits_the_pane(bundled, monkeypatch, tmp_path, size, only_differences):
    monkeypatch.setenv("FWTUI_STATE_DIR", str(tmp_path))
    app = FwtuiApp(bundled)
    app.state = State(marked=SIX[:3], pane="compare", only_differences=only_differences)
    async with app.run_test(size=size) as pilot:
        table = await _settled(app, pilot)
        note = table.query_one("#compare-note", Static)
        first = str(note.render()).split("\n")[0]
        assert "f: wider cells" in first and len(first) <= note.size.width, first
        if size == (80, 24):
            assert ("hidden" in first) == only_differences


async def test_at_60x15_the_matrix_shows_a_row(bundled, monkeypatch, tmp_path):
    app = await _compare(bundled, monkeypatch, tmp_path, (60, 15))
    async with app.run_test(size=(60, 15)) as pilot:
        table = await _settled(app, pilot)
        grid = table.query_one("#compare-table", DataTable)
        header = 1
        assert grid.scrollable_content_region.height > header + 1, grid.scrollable_content_region


async def test_the_strip_gives_every_server(bundled, monkeypatch, tmp_path):
    app = await _compare(bundled, monkeypatch, tmp_path, (120, 40))
    async with app.run_test(size=(120, 40)) as pilot:
        table = await _settled(app, pilot)
        rows = [row for row, _ in matrix.matrix(bundled, [bundled.framework(i) for i in SIX])]
        servers = next(i for i, row in enumerate(rows) if row.field == "servers")
        table.query_one("#compare-table", DataTable).move_cursor(row=servers, column=1)
        await pilot.pause()
        assert ", ".join(bundled.framework("django").servers) in table.cursor_text()


# The footer --------------------------------------------------------------------


@pytest.mark.parametrize("pane", ["details", "compare", "explainer", "decide"])
@pytest.mark.parametrize("columns", [80, 70])
async def test_the_footer_shows_every_key_of_the_pane(bundled, monkeypatch, tmp_path, pane, columns):
    # From 80 columns with the palette's key, below that without it (Ctrl+P still opens it; help says so).
    monkeypatch.setenv("FWTUI_STATE_DIR", str(tmp_path))
    app = FwtuiApp(bundled)
    app.state = State(pane=pane)
    async with app.run_test(size=(columns, 24)) as pilot:

        def footer_and_expected() -> tuple[str, list[str]]:
            footer = app.screen._compositor.render_strips()[-1].text
            bindings = [binding for _, binding, _, _ in app.screen.active_bindings.values() if binding.show]
            groups = {binding.group for binding in bindings if binding.group is not None}
            expected = [f"{app.get_key_display(b)} {b.description}" for b in bindings if b.group is None]
            expected += [" ".join(app.get_key_display(b) for b in bindings if b.group is group) + f" {group.description}" for group in groups]
            return footer, expected

        def every_key_shown() -> bool:
            footer, expected = footer_and_expected()
            shown = " " + footer.split("^p palette")[0]  # keys past the room scroll under the docked palette key
            return len(expected) >= 6 and all(f" {words} " in shown for words in expected)

        await wait_until(pilot, lambda: shows_its_state(app), what="the explorer settling")
        await wait_until(pilot, every_key_shown, what=f"every key of {pane} in the footer")
        footer, _ = footer_and_expected()
        assert ("^p palette" in footer) == (columns >= 80), footer


# The command line ------------------------------------------------------------


def _run(capsys, monkeypatch, *args: str, columns: int = 80) -> str:
    monkeypatch.setenv("COLUMNS", str(columns))
    assert main(list(args)) == 0
    return capsys.readouterr().out


def test_list_at_80_columns_is_one_line_per_framework(capsys, monkeypatch, bundled):
    lines = _run(capsys, monkeypatch, "list").splitlines()
    assert all(cell_len(line) <= 80 for line in lines)
    for framework in bundled.frameworks:
        assert sum(1 for line in lines if line.startswith(f"{framework.id} ")) == 1
    assert len(lines) <= len(bundled.frameworks) + 4  # a header, a legend of two lines


def test_show_is_sections_without_python_reprs(capsys, monkeypatch, bundled):
    out = _run(capsys, monkeypatch, "show", "fastapi", columns=100)
    assert "{'" not in out and "['" not in out
    for heading in ("Facts", "Built-ins", "Best for", "Notable users", "Hello world", "Benchmark recipe", "Sources"):
        assert f"\n{heading}" in out
    fastapi = bundled.framework("fastapi")
    note = fastapi.builtin_notes["orm"]
    orm_line = next(i for i, line in enumerate(out.splitlines()) if line.strip().startswith("◐  ORM"))
    assert out.splitlines()[orm_line + 1].split()[:2] == note.split()[:2]  # the note on its own line, under its level
    assert "pip install " + " ".join(fastapi.bench.packages) in out


def test_compare_ends_with_the_glyph_legend(capsys, monkeypatch):
    out = _run(capsys, monkeypatch, "compare", "django", "flask", columns=120)
    assert out.rstrip().splitlines()[-1].startswith("Built-ins: ✓ built in")


# Small slips -------------------------------------------------------------------


async def test_enter_in_the_list_opens_details_and_leaves_the_marks(bundled):
    app = FwtuiApp(bundled)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: shows_its_state(app), what="the explorer settling")
        await pilot.press("t", "escape", "down", "enter")
        await wait_until(pilot, lambda: app.screen.active_pane == "details" and shows_its_state(app), what="Details open")
        screen = app.screen
        assert screen.active_pane == "details"
        assert screen.marked == ("django", "flask", "fastapi")
        assert screen.framework_list.highlighted_id == "flask" and app.focused is screen.query_one("#details-view")


async def test_m_says_which_marks_it_replaced(bundled):
    app = FwtuiApp(bundled)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r", "6")  # ML serving
        await wait_until(pilot, lambda: app.screen.criteria.use_case is not None and shows_its_state(app), what="the use case ranked")
        app.screen.action_mark_top()
        await pilot.pause()
        told = [n.message for n in app._notifications][-1]
        replaced = [bundled.framework(i).name for i in ("django", "flask", "fastapi") if i not in app.screen.marked]
        assert replaced and "replace your marks on " + ", ".join(replaced) in told


async def test_the_restart_notice_names_the_marks_and_only_differences(bundled):
    app = FwtuiApp(bundled)
    app.state = State(marked=("litestar", "falcon"), only_differences=True)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: "Litestar, Falcon" in " ".join(n.message for n in app._notifications), what="the restart notice")
        told = " ".join(n.message for n in app._notifications)
        assert "Litestar, Falcon" in told and "only the rows that differ" in told


async def test_after_a_resize_the_top_of_the_list_shows(bundled):
    app = FwtuiApp(bundled)
    async with app.run_test(size=(100, 15)) as pilot:
        await pilot.press("end", "home")
        rows = app.screen.query_one(FrameworkRows)
        rows.scroll_to(y=5, animate=False, immediate=True)  # an offset left over, the cursor on row 0
        await pilot.resize_terminal(100, 30)
        await wait_until(pilot, lambda: rows.scroll_offset.y == 0, what="the list back at its top")
        assert rows.cursor == 0 and rows.scroll_offset.y == 0


def test_paths_lists_refresh_bench_and_the_bench_environments(capsys, monkeypatch):
    out = _run(capsys, monkeypatch, "paths")
    assert "refresh.toml" in out and "bench.toml" in out and "bench-envs" in out


@pytest.mark.parametrize(("args", "hint"), [(("show", "django-rest"), '"drf"'), (("recommend", "--use-case", "ml"), '"ml-serving"')])
def test_did_you_mean_by_the_start_of_a_name(capsys, args, hint):
    assert main(list(args)) == 2
    assert f"Did you mean {hint}?" in capsys.readouterr().err


def test_refresh_puts_changes_first_and_folds_the_notes(bundled):
    import datetime as dt

    from fwtui import refresh

    change = refresh.Change("flask", "latest_version", "3.1.3", "3.2.0", "https://pypi.org/project/flask/")
    notes = [refresh.Change(f, "archived", None, True, "https://github.com/", "the repository is archived") for f in ("bottle", "cherrypy")]
    report = refresh.Report((notes[0], change, notes[1]), (), ("flask",), {}, 1.0, "http://127.0.0.1", dt.date(2026, 11, 25))
    table = refresh.rows(report)
    assert table[0][:2] == ["flask", "latest_version"] and len(table) == 2
    assert table[1][0] == "2 not written" and "bottle" in table[1][4] and "cherrypy" in table[1][4]


# Decide -------------------------------------------------------------------------


def test_the_ranking_gives_up_detail_before_it_gives_up_the_first_three_places(bundled):
    from fwtui.decide import Criteria, rank
    from fwtui.widgets.decision import DETAILS, fitting_detail

    ranking = rank(bundled, Criteria(use_case="rest-api", needs=("orm",)))
    assert fitting_detail(bundled, ranking, False, 60, 0) == DETAILS[0]  # no height known: everything
    assert fitting_detail(bundled, ranking, False, 60, 400) == DETAILS[0]
    assert fitting_detail(bundled, ranking, False, 60, 4) == DETAILS[-1]  # the first reason alone
    details = [fitting_detail(bundled, ranking, False, 60, height) for height in range(4, 60)]
    assert [DETAILS.index(d) for d in details] == sorted((DETAILS.index(d) for d in details), reverse=True)


@pytest.mark.parametrize(("key", "target"), [("n", "needs"), ("a", "questions"), ("k", "knows")])
async def test_keys_reach_needs_questions_and_team_knows(bundled, key, target):
    app = FwtuiApp(bundled)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_decide(app, pilot)
        await pilot.press("escape", key)  # from the list, too
        await pilot.pause()
        assert app.focused is not None and app.focused.id == target


async def test_tab_goes_from_the_use_cases_to_the_needs(bundled):
    app = FwtuiApp(bundled)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_decide(app, pilot)
        app.screen.query_one("#use-cases").focus()
        await pilot.press("tab")
        assert app.focused is not None and app.focused.id == "needs"


# Keys typed ahead ------------------------------------------------------------------


def type_ahead(app, *keys: str) -> None:
    """Queue keys as a fast typist's terminal does: all of them before the app handles the first."""
    from textual import events

    characters = {"slash": "/", "space": " "}  # as a terminal's keys come: with their character
    for key in keys:
        app.post_message(events.Key(key, key if len(key) == 1 else characters.get(key)))


@pytest.mark.parametrize(("key", "target"), [("n", "needs"), ("a", "questions"), ("k", "knows")])
async def test_a_key_typed_right_after_n_a_or_k_goes_where_that_key_sent_the_focus(bundled, key, target):
    """k then Down, typed faster than a frame: the Down moves in the team's list, not to another use case."""
    from fwtui.decide import Criteria

    app = FwtuiApp(bundled)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_decide(app, pilot)
        app.screen.criteria = Criteria(use_case="rest-api")
        app.screen.query_one("#use-cases").focus()
        await pilot.pause()
        assert app.focused is not None and app.focused.id == "use-cases"
        type_ahead(app, key, "down")
        await pilot.pause()
        await pilot.pause()
        assert app.focused is not None and app.focused.id == target
        assert app.screen.criteria.use_case == "rest-api"


async def test_letters_typed_right_after_the_slash_go_into_the_filter(bundled):
    """/dj typed in one go filters for "dj"; the d must not open Details."""
    app = FwtuiApp(bundled)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: shows_its_state(app), what="the list shown")
        type_ahead(app, "slash", "d", "j")
        await pilot.pause()
        await pilot.pause()
        assert app.screen.query_one("#filter").value == "dj"


async def test_down_typed_right_after_enter_in_the_filter_moves_in_the_list(bundled):
    app = FwtuiApp(bundled)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: shows_its_state(app), what="the list shown")
        await pilot.press("slash", "f", "l")
        type_ahead(app, "enter", "down")
        await pilot.pause()
        await pilot.pause()
        assert app.focused is app.screen.framework_list.rows
        assert app.screen.query_one("#filter").value == "fl"


@pytest.mark.parametrize(("key", "pane", "target"), [("t", "compare", "compare-table"), ("r", "decide", "use-cases"), ("w", "explainer", "explainer-view")])
async def test_a_key_typed_right_after_a_pane_key_goes_to_that_pane(bundled, key, pane, target):
    app = FwtuiApp(bundled)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: shows_its_state(app), what="the list shown")
        first = app.screen.framework_list.highlighted_id
        type_ahead(app, key, "down")
        await wait_until(pilot, lambda: app.screen.active_pane == pane, what=f"{pane} shown")
        await pilot.pause()
        assert app.focused is not None and app.focused.id == target
        assert app.screen.framework_list.highlighted_id == first  # the Down went to the pane, not the list


async def test_letters_typed_right_after_ctrl_p_go_into_the_palette(bundled):
    """ctrl+p then "fl" in one go: the letters search the palette; the f must not widen the list."""
    app = FwtuiApp(bundled)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: shows_its_state(app), what="the list shown")
        wide = app.screen.wide
        type_ahead(app, "ctrl+p", "f", "l")
        await wait_until(pilot, lambda: getattr(app.focused, "value", None) == "fl", what="the palette's box holds fl")
        assert app.screen.id == "--command-palette"
        assert app.screen_stack[0].wide == wide


@pytest.mark.parametrize("target", ["needs", "knows", "questions"])
async def test_arrows_and_space_read_in_one_go_act_in_the_order_typed(bundled, target):
    """Down, down, down, space in one read: the fourth line changes, not the first (space is a
    priority binding, run as it arrives; the arrows must not come after it)."""
    app = FwtuiApp(bundled)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_decide(app, pilot)
        options = app.screen.query_one(f"#{target}")
        options.focus()
        options.highlighted = 0
        await pilot.pause()
        before = app.screen.criteria
        type_ahead(app, "down", "down", "down", "space")
        await wait_until(pilot, lambda: app.screen.criteria != before, what="the criteria changed")
        assert options.highlighted == 3
        after = app.screen.criteria
        fourth = options.get_option_at_index(3).id
        changed = {"needs": (after.needs + after.nice, fourth), "knows": (after.know, fourth)}
        if target in changed:
            values, wanted = changed[target]
            assert wanted in values, (values, wanted)
        else:
            question = fourth
            assert getattr(after, question) != getattr(before, question), question


@pytest.mark.parametrize(("keys", "target"), [("r", "use-cases"), ("t", "compare-table"), ("rk", "knows"), ("rn", "needs")])
async def test_a_pane_key_pressed_before_the_panes_are_up_puts_the_focus_in_that_pane(bundled, keys, target):
    """r (then k) in the app's first instant, before the panes are mounted: the focus goes where the keys said."""
    app = FwtuiApp(bundled)
    async with app.run_test(size=(100, 30)) as pilot:
        assert not app.screen.query("#panes")  # the first moment the test has: the panes come after the first paint
        type_ahead(app, *keys)  # pressed one by one, each would wait for the app to settle, panes and all
        await wait_until(pilot, lambda: app.focused is not None and app.focused.id == target, what=f"the focus in {target}")
        focused = app.focused
        await wait_until(pilot, lambda: focused.region.y + focused.region.height <= app.size.height - 1, what=f"{target} on screen")


async def test_a_restored_pane_leaves_the_focus_in_the_list(bundled, tmp_path):
    from fwtui.state import State, save_state

    path = tmp_path / "state.toml"
    save_state(State(pane="decide"), path)
    app = FwtuiApp(bundled, state_file=path)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: app.screen.active_pane == "decide" and shows_its_state(app), what="Decide restored")
        assert app.focused is app.screen.framework_list.rows


# The filter box's footer ------------------------------------------------------------


def footer_text(app) -> str:
    return app.screen._compositor.render_strips()[-1].text


async def test_the_footer_in_the_filter_box_says_how_to_leave_it(bundled):
    """Textual leaves out every letter key the box takes, which left "? Help" alone."""
    app = FwtuiApp(bundled)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: shows_its_state(app), what="the list shown")
        await pilot.press("slash", "f", "l")
        await wait_until(pilot, lambda: "esc Clear" in footer_text(app) and "To the list" in footer_text(app), what="the box's keys")
        await pilot.press("enter")
        await wait_until(pilot, lambda: "Copy" in footer_text(app), what="the list's keys again")
        assert app.focused is app.screen.framework_list.rows and app.screen.query_one("#filter").value == "fl"
        assert "To the list" not in footer_text(app)
        await pilot.press("slash", "escape")
        await wait_until(pilot, lambda: app.screen.query_one("#filter").value == "", what="the filter cleared")
        assert app.focused is app.screen.framework_list.rows


async def test_a_keymap_for_clearing_the_filter_reaches_the_box_too(bundled, tmp_path):
    from fwtui.config import Config

    app = FwtuiApp(bundled, config=Config(path=tmp_path / "config.toml", keymap={"list.clear": "ctrl+u"}))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: shows_its_state(app), what="the list shown")
        await pilot.press("slash", "f", "l")
        await wait_until(pilot, lambda: "^u Clear" in footer_text(app), what="the remapped key in the footer")
        await pilot.press("ctrl+u")
        await wait_until(pilot, lambda: app.screen.query_one("#filter").value == "", what="the filter cleared by ctrl+u")
        assert app.focused is app.screen.framework_list.rows


async def test_escape_in_the_use_case_filter_goes_back_to_the_list(bundled):
    app = FwtuiApp(bundled)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_decide(app, pilot)
        app.screen.query_one("#use-case-filter").focus()
        await pilot.press("r", "e", "s", "t")
        await wait_until(pilot, lambda: "To the use cases" in footer_text(app), what="the use-case filter's keys")
        assert "Clear" not in footer_text(app)  # that is the framework filter's
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.focused is app.screen.framework_list.rows, what="the focus back in the list")


async def test_space_typed_right_after_k_marks_the_framework_the_arrows_reached(bundled):
    """r k down down space in one go, once the app is up: the third framework A to Z is known.
    Space, like the arrows, can reach the app before k has moved the focus to the team's list."""
    app = FwtuiApp(bundled)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: shows_its_state(app), what="the list shown")
        type_ahead(app, "r", "k", "down", "down", "space")
        third = sorted(bundled.frameworks, key=lambda f: (f.name.casefold(), f.id))[2].id
        await wait_until(pilot, lambda: app.screen.criteria.know == (third,), what=f"{third} known")


async def test_a_keymap_moves_both_ways_a_decide_list_key_is_bound(bundled, tmp_path):
    """The team's space, bound for arrival and for keys routed late, follows a keymap as one key."""
    from fwtui.config import Config

    app = FwtuiApp(bundled, config=Config(path=tmp_path / "config.toml", keymap={"decide.know_toggle": "t"}))
    async with app.run_test(size=(100, 30)) as pilot:
        await open_decide(app, pilot)
        await pilot.press("k", "space")
        await pilot.pause()
        assert app.screen.criteria.know == ()
        await pilot.press("t")
        await wait_until(pilot, lambda: len(app.screen.criteria.know) == 1, what="t marks a framework known")
        type_ahead(app, "escape", "k", "down", "t")  # t routed late, after k
        await wait_until(pilot, lambda: len(app.screen.criteria.know) == 2, what="a late t marks the next one")
