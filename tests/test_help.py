"""The help screen's key table is made from the bindings, so it follows them and the user's keymap."""

from __future__ import annotations

from textual.binding import Binding

from fwtui.app import FwtuiApp
from fwtui.screens.help import KEYS_MARK, help_text, key_table
from fwtui.screens.main import MainScreen

APP_BINDINGS = [b for b in FwtuiApp.BINDINGS if isinstance(b, Binding)]


def test_every_screen_binding_is_in_the_table():
    table = key_table(APP_BINDINGS)
    for binding in MainScreen.BINDINGS:
        assert isinstance(binding, Binding)
        if binding.action.startswith("use_case"):
            continue
        assert (binding.tooltip or binding.description) in table, binding.id
    assert "| `?`, `F1` | Help |" in table  # the app's own, passed in


def test_the_table_follows_the_keymap():
    assert "| `y` | Copy a Markdown summary" in key_table(APP_BINDINGS, {"copy": "y"})
    assert "| `c` | Copy a Markdown summary" in key_table(APP_BINDINGS)


def test_help_text_holds_the_table_where_it_says():
    text = help_text("TABLE")
    assert KEYS_MARK not in text and "TABLE" in text


def test_every_decide_list_key_with_an_id_is_in_the_table_once_and_no_bare_arrow_is():
    """The needs, questions and team lists: each of their own keys once (the team's space too);
    OptionList's arrows, bound again for the order keys arrive in, are not fwtui's to list."""
    from fwtui.widgets.decision import KnowsList, NeedsList, QuestionsList

    table = key_table(APP_BINDINGS)
    for widget in (NeedsList, QuestionsList, KnowsList):
        for binding in widget.BINDINGS:
            assert isinstance(binding, Binding)
            if binding.id:
                assert table.count(f"| {binding.tooltip or binding.description} |") == 1, binding.id
    assert "| `down` |" not in table and "cursor down" not in table
