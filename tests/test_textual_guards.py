"""Guards on the parts of Textual that fwtui relies on beyond its documented API.

Each test holds one reach into Textual's internals (listed, with why, in
docs/textual-internals.md) and fails when Textual removes it or changes its
shape. scripts/check_textual_latest.sh runs this file against Textual's newest
release. The behaviour built on each reach is tested elsewhere (named in the
docs); these tests say which assumption broke, and need only Textual and fwtui.
"""

from __future__ import annotations

import inspect

import pytest
from rich.text import Text
from textual.app import App, ComposeResult
from textual.cache import LRUCache
from textual.reactive import Reactive, reactive
from textual.scrollbar import ScrollBar, ScrollBarRender
from textual.widget import Widget
from textual.widgets import Footer, Input, OptionList, TabbedContent, TabPane
from textual.widgets.option_list import Option
from textual.widgets.tabbed_content import ContentTabs

from fwtui.widgets.framework_list import FilterBox
from fwtui.widgets.lines import KeptScrollBar, RenderableView


def parameters(function: object) -> list[str]:
    return list(inspect.signature(function).parameters)  # type: ignore[arg-type]


# fwtui.widgets.lines: KeptLinesView.vertical_scrollbar and KeptScrollBar ---------------------


def test_widget_makes_its_vertical_scrollbar_lazily_in_a_private_slot():
    """KeptLinesView replaces `Widget.vertical_scrollbar`, the property that makes the bar on first
    use into `_vertical_scrollbar` and starts it with `App._start_widget(parent, widget)`."""
    assert isinstance(inspect.getattr_static(Widget, "vertical_scrollbar"), property)
    assert Widget()._vertical_scrollbar is None
    assert parameters(App._start_widget) == ["self", "parent", "widget"]
    source = inspect.getsource(Widget.vertical_scrollbar.fget)  # type: ignore[attr-defined]
    assert "self._vertical_scrollbar" in source and "_start_widget(self," in source


class Lines(RenderableView):
    def renderable(self) -> Text:
        return Text("\n".join(f"line {n}" for n in range(30)))


class OneView(App[None]):
    def compose(self) -> ComposeResult:
        yield Lines()


async def test_a_kept_view_gets_a_started_kept_scrollbar():
    app = OneView()
    async with app.run_test(size=(40, 10)) as pilot:
        view = app.query_one(Lines)
        bar = view.vertical_scrollbar
        await pilot.pause()
        assert isinstance(bar, KeptScrollBar) and bar.parent is view and bar.is_attached
        assert view.vertical_scrollbar is bar  # made once
        # KeptScrollBar keys its drawings on everything ScrollBar.render hands over.
        drawn = bar.render()
        assert isinstance(drawn, ScrollBarRender)
        assert set(vars(drawn)) == {"virtual_size", "window_size", "position", "thickness", "vertical", "style"}


def test_scrollbar_render_keeps_its_state_in_instance_attributes():
    """A ScrollBarRender's whole state is its constructor's arguments, kept as attributes
    (no __slots__, nothing read from elsewhere while drawing)."""
    assert not hasattr(ScrollBarRender, "__slots__")
    assert parameters(ScrollBarRender.__init__) == ["self", "virtual_size", "window_size", "position", "thickness", "vertical", "style"]
    assert callable(ScrollBar.notify_style_update)


# fwtui.widgets.lines.set_virtual_height and FilterBox: the virtual_size reactive ------------


def test_virtual_size_is_a_reactive_that_asks_for_a_layout():
    """set_virtual_height sets `Widget.virtual_size` without a layout (set_reactive) and FilterBox
    redeclares it with layout=False: both exist because Widget declares it with layout=True.
    Reactive keeps that flag in `_layout`."""
    declared = Widget.__dict__["virtual_size"]
    assert isinstance(declared, Reactive) and declared._layout is True
    assert isinstance(ScrollBar.__dict__["window_virtual_size"], Reactive)
    own = FilterBox.__dict__["virtual_size"]
    assert isinstance(own, Reactive) and own._layout is False


class OneFilterBox(App[None]):
    def compose(self) -> ComposeResult:
        yield FilterBox(id="box")


async def test_input_records_its_text_width_through_virtual_size():
    """Input writes its text's width to `virtual_size` when its value changes: through
    FilterBox's redeclared reactive, so the write never lays the screen out."""
    app = OneFilterBox()
    async with app.run_test(size=(40, 5)) as pilot:
        box = app.query_one(FilterBox)
        box.focus()
        await pilot.press(*"django")
        await pilot.pause()
        assert box.value == "django"
        assert box.virtual_size.width == box.content_width


# fwtui.widgets.decision.redraw_prompt: one option's prompt, one option's cached lines --------


def test_option_sets_its_prompt_in_a_private_method():
    option = Option("before", id="x")
    option._set_prompt("after")
    assert option.prompt == "after"
    assert parameters(Option._set_prompt) == ["self", "prompt"]


class OneOptionList(App[None]):
    def compose(self) -> ComposeResult:
        yield OptionList(*(Option(Text(f"need {n}"), id=f"n{n}") for n in range(5)))


async def test_option_list_caches_renderings_keyed_by_the_option_first():
    app = OneOptionList()
    async with app.run_test(size=(30, 8)) as pilot:
        await pilot.pause()
        options = app.query_one(OptionList)
        cache = options._option_render_cache
        assert isinstance(cache, LRUCache)
        keys = list(cache.keys())
        assert keys and all(isinstance(key, tuple) and isinstance(key[0], Option) for key in keys)
        cache.discard(keys[0])  # the LRUCache calls redraw_prompt makes
        assert keys[0] not in cache.keys()


# fwtui.widgets.panes: the tab strip's validator, replaced on the instance --------------------


def test_tabs_validate_active_refuses_an_unknown_tab():
    assert parameters(ContentTabs.validate_active) == ["self", "active"]
    source = inspect.getsource(ContentTabs.validate_active)
    assert "raise ValueError" in source


class Validated(Widget):
    value = reactive("")


async def test_a_reactive_looks_its_validator_up_on_the_instance():
    """Panes gives the strip its own `validate_active` as an instance attribute."""
    widget = Validated()
    widget.validate_value = lambda value: value.upper()  # type: ignore[attr-defined]
    widget.value = "quiet"
    assert widget.value == "QUIET"


class Strips(TabbedContent):
    yielded: list[type] = []

    def compose(self) -> ComposeResult:
        for widget in super().compose():
            self.yielded.append(type(widget))
            yield widget


class Tabbed(App[None]):
    def compose(self) -> ComposeResult:
        with Strips(initial="b"):
            yield TabPane("A", id="a")
            yield TabPane("B", id="b")


async def test_tabbed_content_builds_its_strip_in_compose():
    """Panes finds the strip among what TabbedContent.compose yields, by its exact type."""
    app = Tabbed()
    async with app.run_test(size=(30, 8)):
        assert Strips.yielded.count(ContentTabs) == 1
        assert type(app.query_one(ContentTabs)) is ContentTabs


# fwtui.app.FwtuiApp.action_command_palette: the palette's id ----------------------------------


class WithPalette(App[None]):
    pass


async def test_the_command_palette_is_a_screen_with_a_fixed_id():
    app = WithPalette()
    async with app.run_test(size=(40, 10)) as pilot:
        app.action_command_palette()
        await pilot.pause()
        assert [screen.id for screen in app.screen_stack][-1] == "--command-palette"
        # App.children leaves system modal screens (the palette) out: fwtui looks at screen_stack.
        assert app.screen not in app.children


# fwtui/app.tcss: the compact footer's internal classes -----------------------------------------


class WithFooter(App[None]):
    BINDINGS = [("x", "bell", "Ring")]

    def compose(self) -> ComposeResult:
        yield Footer(compact=True)


async def test_the_compact_footer_marks_itself_and_the_palette_key_with_classes():
    """app.tcss styles `Footer.-compact FooterKey.-command-palette`."""
    app = WithFooter()
    async with app.run_test(size=(60, 5)) as pilot:
        await pilot.pause()
        footer = app.query_one(Footer)
        assert footer.has_class("-compact")
        assert len(footer.query("FooterKey.-command-palette")) == 1


# tests/snapshots/conftest.py: Input's cursor_blink ------------------------------------------------


def test_input_reads_cursor_blink_from_a_class_reactive():
    assert isinstance(Input.__dict__["cursor_blink"], Reactive)


# fwtui.app.is_key: Textual's key names -------------------------------------------------------------


def test_textual_names_keys_in_a_table_and_an_enum():
    from textual.keys import KEY_NAME_REPLACEMENTS, Keys

    from fwtui.app import is_key

    assert isinstance(KEY_NAME_REPLACEMENTS, dict) and KEY_NAME_REPLACEMENTS.get("solidus") == "slash"
    assert Keys.Escape.value == "escape"
    assert all(is_key(name) for name in ("slash", "escape", "f5", "question_mark", "x"))
    assert not is_key("no_such_key")


# fwtui.web: textual-serve's web driver, named for the app processes it starts ----------------


def test_the_web_driver_is_where_fwtui_names_it():
    pytest.importorskip("textual_serve")
    import importlib

    from fwtui.web import WEB_DRIVER

    module, name = WEB_DRIVER.split(":")
    assert inspect.isclass(getattr(importlib.import_module(module), name))


# fwtui.widgets.focus_now and FwtuiApp.on_key: keys typed ahead of a focus move ----------------


async def test_a_key_goes_to_the_widget_focused_when_the_app_reads_it():
    """Textual hands each key to the widget focused when the app reads it, and `Widget.focus()`
    moves the focus a turn later. fwtui moves it at once (`focus_now`) and sends a letter that
    reached the wrong widget on to the focused box (`FwtuiApp.on_key`). When this fails, Textual
    routes typed-ahead keys itself and both may go."""
    from textual import events
    from textual.binding import Binding

    class Plain(App[None]):
        BINDINGS = [Binding("slash", "to_box")]

        def compose(self) -> ComposeResult:
            yield OptionList("a", "b", id="list")
            yield Input(id="box")

        def action_to_box(self) -> None:
            self.query_one("#box").focus()

    app = Plain()
    async with app.run_test() as pilot:
        app.query_one("#list").focus()
        await pilot.pause()
        for key, character in (("slash", "/"), ("d", "d")):
            app.post_message(events.Key(key, character))
        await pilot.pause()
        await pilot.pause()
        assert app.focused is app.query_one("#box")
        assert app.query_one("#box", Input).value == ""  # the d went to the list and was lost
