"""A new user's first minute: the CLI's names and messages, overlays, and the first screen.

Names are taken as people type them (any case, the framework's name, hyphens
or underscores); a mistyped overlay id gets one did-you-mean line instead of a
page of missing fields; a broken overlay in the config folder does not stop
the explorer; the list explains its columns and `?` opens help from the filter.
"""

from __future__ import annotations

import html
import json
import re
import tomllib
from pathlib import Path

import pytest
from rich.cells import cell_len

from fwtui import dataset
from fwtui.app import FwtuiApp
from fwtui.cli import _parser, main
from fwtui.widgets.framework_list import FilterBox, FrameworkList, ListHeading, heading, legend
from helpers import MINIMAL, wait_until

NARROW_LIST_TEXT = 29  # the narrow list (32 columns) less its border and padding


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def screen_text(app: FwtuiApp) -> str:
    """What the screen shows, as plain text (from Textual's SVG screenshot)."""
    return html.unescape(re.sub(r"<[^>]+>", "", app.export_screenshot())).replace("\xa0", " ")


# The CLI: names as people type them ------------------------------------------------


def test_show_takes_any_case_and_the_framework_name(capsys, tmp_path):
    for name in ("ALPHA", "Alpha", " alpha "):
        code, out, _ = run(capsys, "--data", str(MINIMAL), "show", name, "--format", "json")
        assert code == 0 and json.loads(out)["framework"][0]["id"] == "alpha"
    overlay = write(tmp_path / "o.toml", '[[framework]]\nid = "beta"\nname = "Beta REST Kit"\n')
    code, out, _ = run(capsys, "--data", str(MINIMAL), "--overlay", str(overlay), "show", "beta rest  kit", "--format", "json")
    assert code == 0 and json.loads(out)["framework"][0]["name"] == "Beta REST Kit"


def test_unknown_framework_gets_a_did_you_mean(capsys):
    code, _, err = run(capsys, "--data", str(MINIMAL), "show", "Alpah")
    assert code == 2 and 'unknown framework "Alpah". Did you mean "alpha"?' in err


def test_a_mistyped_command_or_choice_gets_a_did_you_mean(capsys):
    def usage_error(*args: str) -> str:
        with pytest.raises(SystemExit) as exit:  # argparse's own usage errors end the process with 2
            main(list(args))
        assert exit.value.code == 2
        return capsys.readouterr().err

    for typed, meant in ((["lst"], "list"), (["list", "--format", "tabel"], "table"), (["recomend"], "recommend")):
        assert f'Did you mean "{meant}"?' in usage_error(*typed)
    err = usage_error("nosuch")
    assert "invalid choice" in err and "Did you mean" not in err  # nothing close: the choices alone
    with pytest.raises(SystemExit):  # Python 3.12.8 and later leave the choices unquoted in this message
        _parser().error("argument COMMAND: invalid choice: 'lst' (choose from list, show, compare)")
    assert 'Did you mean "list"?' in capsys.readouterr().err


def test_compare_counts_one_framework_once_however_spelled(capsys):
    code, _, err = run(capsys, "--data", str(MINIMAL), "compare", "alpha", "ALPHA")
    assert code == 2 and "at least two" in err


def test_need_gets_a_did_you_mean_and_any_spelling(capsys):
    code, _, err = run(capsys, "--data", str(MINIMAL), "recommend", "--need", "websocket")
    assert code == 2 and 'unknown need "websocket". Did you mean "websockets"?' in err
    assert "background_tasks" in err  # the valid names follow
    results = []
    for spelling in ("background_tasks", "background-tasks", "Background Tasks"):
        code, out, _ = run(capsys, "--data", str(MINIMAL), "recommend", "--need", spelling, "--format", "json")
        assert code == 0
        results.append(json.loads(out)["ranking"])
    assert results[0] == results[1] == results[2]
    code, out, _ = run(capsys, "--data", str(MINIMAL), "recommend", "--need", "OpenAPI docs", "--format", "json")
    assert code == 0 and json.loads(out)["ranking"]


def test_use_case_accepts_underscores_for_hyphens(capsys, tmp_path):
    overlay = write(tmp_path / "o.toml", (
        '[[use_case]]\nid = "small-api"\ntitle = "Small API"\ndescription = "A small JSON API."\n'
        'picks = [{ framework = "alpha", fit = 90, why = "Small." }]\n'
    ))
    code, out, _ = run(capsys, "--data", str(MINIMAL), "--overlay", str(overlay), "recommend", "--use-case", "Small_API", "--format", "json")
    assert code == 0 and json.loads(out)["ranking"][0]["id"] == "alpha"
    code, _, err = run(capsys, "--data", str(MINIMAL), "--overlay", str(overlay), "recommend", "--use-case", "smal-api")
    assert code == 2 and 'Did you mean "small-api"?' in err


@pytest.mark.parametrize("fmt", ["json", "toml"])
def test_structured_output_says_which_dataset_and_lists_builtins(capsys, fmt):
    code, out, _ = run(capsys, "--data", str(MINIMAL), "list", "--format", fmt)
    assert code == 0
    document = json.loads(out) if fmt == "json" else tomllib.loads(out)
    assert list(document) == ["dataset", "framework"]
    meta = tomllib.loads(MINIMAL.read_text(encoding="utf-8"))["meta"]
    assert document["dataset"]["version"] == meta["version"]
    assert str(document["dataset"]["as_of"]) == meta["as_of"].isoformat()
    assert [r["id"] for r in document["framework"]] == ["alpha", "beta", "gamma"]
    assert document["framework"][0]["builtins"]["orm"] in ("built-in", "first-party", "extension", "no")
    code, out, _ = run(capsys, "--data", str(MINIMAL), "recommend", "--format", fmt)
    document = json.loads(out) if fmt == "json" else tomllib.loads(out)
    assert list(document) == ["dataset", "ranking"] and document["dataset"]["version"] == meta["version"]


# Overlays -------------------------------------------------------------------------


def test_mistyped_overlay_id_is_one_line_with_the_overlay_path(tmp_path):
    overlay = write(tmp_path / "overlay.toml", '[[framework]]\nid = "alpah"\ntagline = "Ours."\n')
    with pytest.raises(dataset.DatasetError) as caught:
        dataset.load(MINIMAL, overlay)
    assert caught.value.source == str(overlay)
    assert caught.value.problems == [
        "framework[0]: no framework `alpah`; did you mean `alpha`? (an overlay entry with a new id must be a whole record)"
    ]


def test_new_overlay_id_without_a_near_name_says_what_it_lacks(tmp_path):
    overlay = write(tmp_path / "overlay.toml", '[[framework]]\nid = "zzzzzz"\nname = "Z"\ntagline = "Ours."\n')
    with pytest.raises(dataset.DatasetError) as caught:
        dataset.load(MINIMAL, overlay)
    [problem] = caught.value.problems
    assert problem.startswith("framework[0]: no framework `zzzzzz` (an overlay entry with a new id must be a whole record; this one lacks ")
    assert "name" not in problem.split("lacks")[1].split(",")[0]  # what it has is not listed as lacking


def test_broken_overlay_in_the_config_folder(hermetic, capsys):
    config = hermetic / "config"
    config.mkdir()
    overlay = write(config / "overlay.toml", '[[framework]]\nid = "alpah"\ntagline = "Ours."\n')
    # The CLI's commands refuse it ...
    code, _, err = run(capsys, "--data", str(MINIMAL), "list")
    assert code == 2 and str(overlay) in err and "did you mean `alpha`?" in err
    # ... the explorer starts on the dataset alone and says why.
    data, notice = dataset.load_for_explorer(MINIMAL)
    assert [f.id for f in data.frameworks] == ["alpha", "beta", "gamma"]
    assert notice is not None and str(overlay) in notice and "did you mean `alpha`?" in notice
    # An overlay named on the command line is the user's request: it still refuses.
    with pytest.raises(dataset.DatasetError):
        dataset.load_for_explorer(MINIMAL, overlay)
    # A dataset that is itself broken is still an error, overlay or not.
    with pytest.raises(dataset.DatasetError):
        dataset.load_for_explorer(write(hermetic / "empty.toml", "[meta]\n"))


async def test_the_explorer_shows_the_overlay_notice(hermetic):
    data, notice = dataset.load_for_explorer(MINIMAL, None)
    assert notice is None
    app = FwtuiApp(data, notice="The overlay was not used.")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert [(n.title, n.message) for n in app._notifications] == [("Overlay", "The overlay was not used.")]


def test_validate_checks_an_overlay_as_an_overlay(capsys, tmp_path):
    good = write(tmp_path / "good.toml", '[[framework]]\nid = "alpha"\ntagline = "Ours."\n')
    code, out, _ = run(capsys, "--data", str(MINIMAL), "validate", str(good))
    assert code == 0 and "valid (3 frameworks" in out and str(good) in out
    bad = write(tmp_path / "bad.toml", '[[framework]]\nid = "alpah"\ntagline = "Ours."\n')
    code, _, err = run(capsys, "--data", str(MINIMAL), "validate", str(bad))
    assert code == 2 and "did you mean `alpha`?" in err and "required field" not in err
    assert err.count("\n") == 2  # the head line and one problem
    code, out, _ = run(capsys, "--data", str(MINIMAL), "validate", str(bad), "--format", "json")
    assert code == 2 and json.loads(out)["source"] == str(bad)
    code, _, _ = run(capsys, "validate", str(MINIMAL))  # a whole dataset is still checked as one
    assert code == 0


# The first screen -----------------------------------------------------------------


def test_legend_lines_fit_the_narrow_list():
    lines = legend().plain.split("\n")
    assert all(cell_len(line) <= NARROW_LIST_TEXT for line in lines)
    text = " ".join(lines)
    for word in ("● mark", "W WSGI", "A ASGI", "S own server", "full full-stack", "net async networking"):
        assert word in text
    assert heading(True).endswith("Score") and "Score" not in heading(False)
    assert cell_len(heading(True)) <= NARROW_LIST_TEXT + 2  # rows have no padding


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_first_screen_shows_the_legend_whole_and_a_hint(minimal, tmp_path, size):
    app = FwtuiApp(minimal, state_file=tmp_path / "state.toml")
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        shown = screen_text(app)
        for line in legend().plain.split("\n"):
            assert line in shown
        assert "Framework    Kind" in shown
        assert "press r for a recommendation" in shown
        placeholder = app.screen.query_one("#filter", FilterBox).placeholder
        assert placeholder in shown  # not cut


async def test_the_legend_follows_what_the_filter_asks_for(minimal, tmp_path):
    app = FwtuiApp(minimal, state_file=tmp_path / "state.toml")
    rows_legend, features_legend = legend().plain.split("\n"), legend(features=True).plain.split("\n")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("slash", "o", "r", "m")
        await wait_until(pilot, lambda: all(line in screen_text(app) for line in features_legend), what="the legend of the built-ins")
        assert "net async networking" not in screen_text(app)
        await pilot.press("backspace", "backspace", "backspace")
        await wait_until(pilot, lambda: all(line in screen_text(app) for line in rows_legend), what="the legend of the rows")
        assert "orm! built in only" not in screen_text(app)


async def test_no_first_start_hint_once_state_was_saved(minimal, tmp_path):
    state = tmp_path / "state.toml"
    app = FwtuiApp(minimal, state_file=state)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("q")
    assert state.exists()
    app = FwtuiApp(minimal, state_file=state)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert "press r for a recommendation" not in screen_text(app)
        assert "3 frameworks · data as of" in screen_text(app)


async def test_score_heading_appears_with_scores(minimal, tmp_path):
    app = FwtuiApp(minimal, state_file=tmp_path / "state.toml")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        head = app.screen.query_one(ListHeading)
        assert "Score" not in head.text()
        await pilot.press("r", "1")
        await pilot.pause()
        assert app.screen.query_one(FrameworkList).ranking
        assert head.text().splitlines()[1].rstrip().endswith("Score")


async def test_question_mark_opens_help_from_the_filter_and_closes_it(minimal, tmp_path):
    from fwtui.screens.help import HelpScreen

    app = FwtuiApp(minimal, state_file=tmp_path / "state.toml")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("slash", "a", "question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert app.screen_stack[0].query_one("#filter", FilterBox).value == "a"  # `?` was not typed
        # The help screen's footer lists what works there, not the list's keys.
        footer_keys = {binding.id for _, binding, enabled, _ in app.screen.active_bindings.values() if binding.show and enabled}
        assert "help.close" in footer_keys and not {"pane.details", "pane.compare", "pane.explainer"} & footer_keys
        await pilot.press("question_mark")
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen)
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen)
