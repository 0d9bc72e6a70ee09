"""The help screen's key table is made from the bindings, so it follows them and the user's keymap."""

from __future__ import annotations

from textual.binding import Binding

from fwtui.screens.help import KEYS_MARK, help_text, key_table
from fwtui.screens.main import MainScreen


def test_every_screen_binding_is_in_the_table():
    table = key_table()
    for binding in MainScreen.BINDINGS:
        assert isinstance(binding, Binding)
        if binding.action.startswith("use_case"):
            continue
        assert (binding.tooltip or binding.description) in table, binding.id


def test_the_table_follows_the_keymap():
    assert "| `y` | Copy a Markdown summary" in key_table({"copy": "y"})
    assert "| `c` | Copy a Markdown summary" in key_table()


def test_help_text_holds_the_table_where_it_says():
    text = help_text("TABLE")
    assert KEYS_MARK not in text and "TABLE" in text
