"""The comparison matrix: one line per cell, every built-in a glyph row, data for JSON, fits the screen."""

from __future__ import annotations

import json
from typing import cast

import pytest
from rich.cells import cell_len
from textual.widgets import DataTable

from fwtui import matrix, vocabulary
from fwtui.app import FwtuiApp
from fwtui.cli import main
from fwtui.widgets.compare import CompareTable, column_widths, fit
from helpers import MINIMAL, shows_its_state, wait_until


def test_every_built_in_has_a_row_after_the_facts(minimal):
    rows = matrix.rows(minimal)
    built_ins = [row for row in rows if row.group == matrix.BUILTINS]
    assert [row.field for row in built_ins] == [f"builtins.{name}" for name in vocabulary.BUILTINS]
    groups = [row.group for row in rows]
    assert groups == sorted(groups, key=lambda g: g != matrix.FACTS), "facts first, then built-ins"


def test_a_glyph_cell_names_its_package_and_level(minimal):
    row = next(r for r in matrix.rows(minimal) if r.field == "builtins.orm")
    gamma = matrix.cell(minimal, minimal.framework("gamma"), row)
    assert gamma.level == "extension" and gamma.text.startswith(vocabulary.LEVEL_GLYPHS["extension"])
    assert "gamma-orm" in gamma.text and "community extension" in gamma.full
    beta = matrix.cell(minimal, minimal.framework("beta"), row)
    assert beta.text == vocabulary.LEVEL_GLYPHS["no"]


def test_cells_are_one_line_and_whole(bundled):
    """The grid wraps and cuts to its columns; the cell itself (for the copy and the CLI) is whole."""
    frameworks = bundled.frameworks[:8]
    for row, cells in matrix.matrix(bundled, frameworks):
        for framework, cell in zip(frameworks, cells, strict=True):
            assert "\n" not in cell.text, (row.id, cell.text)
            if row.field == "servers":
                assert cell.text == ", ".join(framework.servers)


def test_only_differences_keeps_rows_where_any_cell_differs(bundled):
    fastapi, starlette = bundled.framework("fastapi"), bundled.framework("starlette")

    def datum(framework, field):  # what a row shows, read from the record itself
        if field.startswith("builtins."):
            need = field.split(".", 1)[1]
            return framework.builtins[need], framework.builtin_packages.get(need)
        value = framework.raw
        for key in field.split("."):
            value = value.get(key) if isinstance(value, dict) else None
        return value

    fields = [row.field for row in matrix.rows(bundled)]
    differing = {field for field in fields if datum(fastapi, field) != datum(starlette, field)}
    assert 0 < len(differing) < len(fields), "two close relatives agree on some rows and differ on others"
    shown = matrix.matrix(bundled, [fastapi, starlette], only_differences=True)
    assert {row.field for row, _ in shown} == differing


def test_builds_on_names_the_base_as_the_dataset_does(bundled):
    row = next(r for r in matrix.rows(bundled) if r.field == "builds_on")
    fastapi = bundled.framework("fastapi")
    assert fastapi.builds_on == ("starlette",)
    cell = matrix.cell(bundled, fastapi, row)
    assert cell.text == bundled.framework("starlette").name and cell.full.endswith(bundled.framework("starlette").name)
    assert cell.value == ["starlette"], "JSON and TOML keep the id"
    # A base the dataset lacks (an overlay may name one) shows as written.
    without = bundled._replace(frameworks=tuple(f for f in bundled.frameworks if f.id != "starlette"))
    assert matrix.cell(without, fastapi, row).text == "starlette"
    assert matrix.cell(bundled, bundled.framework("flask"), row).text == "—"


def test_compare_json_is_data_not_display_text(capsys):
    assert main(["--data", str(MINIMAL), "compare", "alpha", "gamma", "--format", "json"]) == 0
    records = json.loads(capsys.readouterr().out)["framework"]
    alpha, gamma = records
    assert alpha["interfaces"] == ["wsgi", "asgi"]
    assert alpha["builtins"]["orm"] == "built-in" and gamma["builtins"]["orm"] == "extension"
    assert gamma["builtin_packages"] == {"orm": "gamma-orm"}
    assert isinstance(alpha["first_release"], int)


def test_compare_table_rows_match_the_matrix(capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    assert main(["--data", str(MINIMAL), "compare", "alpha", "gamma"]) == 0
    out = capsys.readouterr().out
    from fwtui import dataset

    data = dataset.load(MINIMAL, overlay=None)
    for row in matrix.rows(data):
        assert row.label in out


def test_copy_is_a_markdown_table_with_the_legend(minimal):
    from fwtui.summary import compare_markdown

    text = compare_markdown(minimal, [minimal.framework("alpha"), minimal.framework("gamma")])
    assert "| ORM |" in text and "gamma-orm" in text
    assert matrix.LEGEND in text


@pytest.mark.parametrize(("room", "count"), [(78, 6), (45, 3), (150, 8)])
def test_columns_fit_the_room(room, count):
    label, width = column_widths(room, count)
    assert label + 2 + count * (width + 2) <= room


def test_fit_cuts_by_cells_with_an_ellipsis():
    assert fit("Django REST framework", 10) == "Django RE…"
    assert cell_len(fit("日本語のフレームワーク", 7)) <= 7
    assert fit("short", 10) == "short"


@pytest.mark.parametrize(("size", "count"), [((120, 40), 6), ((80, 24), 3)])
async def test_marked_frameworks_fit_with_the_list_shown(bundled, tmp_path, monkeypatch, size, count):
    from fwtui.state import State

    monkeypatch.setenv("FWTUI_STATE_DIR", str(tmp_path))
    ids = [f.id for f in bundled.frameworks[:count]]
    app = FwtuiApp(bundled)
    app.state = State(marked=tuple(ids), pane="compare")
    async with app.run_test(size=size) as pilot:
        def laid_out() -> bool:  # the panes mount after the first paint
            # The table's own widget mounts a moment after the pane's: query, never query_one, until it is there.
            tables = app.screen.query("#compare-table")
            return bool(tables and cast(DataTable, tables.first()).columns)

        await wait_until(pilot, laid_out, what="the comparison laid out")
        table = app.screen.query_one(CompareTable)
        data_table = table.query_one("#compare-table")
        assert data_table.virtual_size.width <= data_table.scrollable_content_region.width + 1, "no sideways scrolling"
        assert len(data_table.columns) == count + 1


async def test_the_strip_shows_the_highlighted_cell_in_full(minimal, tmp_path, monkeypatch):
    from fwtui.state import State

    monkeypatch.setenv("FWTUI_STATE_DIR", str(tmp_path))
    app = FwtuiApp(minimal)
    app.state = State(marked=("alpha", "gamma"), pane="compare")
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: shows_its_state(app), what="the explorer settling")
        await pilot.press("t")
        await pilot.pause()
        table = app.screen.query_one(CompareTable)
        rows = [row for row, _ in matrix.matrix(minimal, [minimal.framework("alpha"), minimal.framework("gamma")])]
        orm = next(i for i, row in enumerate(rows) if row.field == "builtins.orm") + 1  # the separator row above the built-ins
        data_table = table.query_one("#compare-table")
        data_table.move_cursor(row=orm, column=2)
        await pilot.pause()
        assert "Gamma" in table.cursor_text() and "gamma-orm" in table.cursor_text()


async def test_huge_prose_is_cut_in_the_ranking_and_the_strip(tmp_path, monkeypatch):
    import tomllib

    import tomli_w

    from fwtui import dataset
    from fwtui.state import State
    from fwtui.widgets.decision import RankingView

    document = tomllib.loads(MINIMAL.read_text(encoding="utf-8"))
    document["use_case"][0]["picks"][0]["why"] = "y" * 1_000_000
    document["framework"][0]["builtin_notes"]["websockets"] = "alpha-sockets " + "z" * 1_000_000
    path = tmp_path / "huge.toml"
    path.write_text(tomli_w.dumps(document), encoding="utf-8")
    app = FwtuiApp(dataset.load(path, overlay=None))
    app.state = State(marked=("alpha", "beta"), pane="decide", use_case="api")
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: shows_its_state(app), what="Decide ranked")
        text = app.screen.query_one(RankingView).text()
        # Cut either way: to one line when the first three places would not fit whole, else with the mark.
        assert ("more characters not shown" in text or "yyyyyyyyyy…" in text) and len(text) < 100_000
        await pilot.press("t")
        await wait_until(pilot, lambda: any(cast(DataTable, grid).row_count for grid in app.screen.query("#compare-table")),
                         what="the comparison filled")
        table = app.screen.query_one(CompareTable)
        rows = [row for row, _ in matrix.matrix(app.dataset, [app.dataset.framework("alpha"), app.dataset.framework("beta")])]
        websockets = next(i for i, row in enumerate(rows) if row.field == "builtins.websockets") + 1
        table.query_one("#compare-table").move_cursor(row=websockets, column=1)
        await pilot.pause()
        assert "more characters not shown" in table.cursor_text()


def test_details_and_show_give_a_base_by_name(bundled, capsys):
    """Builds on reads as the other rows do, in Details, the copied record and `fwtui show`."""
    from fwtui import summary
    from fwtui.cli import main

    fastapi = bundled.framework("fastapi")
    assert ("Builds on", "Starlette") in summary.facts(bundled, fastapi)
    assert "- **Builds on:** Starlette" in summary.framework_markdown(bundled, fastapi)
    assert main(["show", "drf"]) == 0
    assert "Django" in next(line for line in capsys.readouterr().out.splitlines() if "Builds on" in line)
