"""The framework list: a live filter box over an option list with badges and marks.

It owns the filter text and posts `Highlighted` and `MarkToggled`; the screen
owns what is marked, the ranking and the spec highlight, and pushes them down.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option, OptionDoesNotExist

from fwtui.decide import Ranked, builtin_label
from fwtui.model import Framework

KIND_BADGES = {"full-stack": "full", "micro": "micro", "api": "api", "async-networking": "net"}
INTERFACE_BADGES = {"wsgi": "W", "asgi": "A", "own-server": "S"}
_WORD = re.compile(r"[a-z0-9]+")


def search_words(framework: Framework) -> frozenset[str]:
    """Words a filter can match: name, tagline, kind, tags, interfaces and the built-ins it has."""
    parts = [framework.id, framework.name, framework.tagline, framework.kind, " ".join(framework.tags)]
    parts += [i.replace("own-server", "own server") for i in framework.interfaces]
    for need, level in framework.builtins.items():
        if level != "no":
            parts += [need.replace("_", " "), builtin_label(need)]
    return frozenset(_WORD.findall(" ".join(parts).lower()))


def matches(words: frozenset[str], query: Sequence[str]) -> bool:
    """Every query word is the start of some word of the framework."""
    return all(any(word.startswith(term) for word in words) for term in query)


class FrameworkList(Vertical):
    """Filter box, count line, and the list itself."""

    BINDINGS = [
        Binding("space", "toggle_mark", "Mark", show=False, id="list.mark"),
        Binding("down", "cursor('down')", "Down", show=False),
        Binding("up", "cursor('up')", "Up", show=False),
        Binding("escape", "clear_filter", "Clear filter", show=False, id="list.clear"),
    ]

    class Highlighted(Message):
        def __init__(self, framework_id: str) -> None:
            self.framework_id = framework_id
            super().__init__()

    class MarkToggled(Message):
        def __init__(self, framework_id: str) -> None:
            self.framework_id = framework_id
            super().__init__()

    marked: reactive[frozenset[str]] = reactive(frozenset(), init=False)
    ranking: reactive[tuple[Ranked, ...]] = reactive((), init=False)
    hide_excluded: reactive[bool] = reactive(False, init=False)
    spec: reactive[str] = reactive("", init=False)

    def __init__(self, frameworks: Sequence[Framework], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.frameworks = tuple(frameworks)
        self._words = {f.id: search_words(f) for f in self.frameworks}
        self._query: tuple[str, ...] = ()

    def compose(self) -> ComposeResult:
        yield Input(placeholder="/ filter: name, kind, orm, websocket…", id="filter")
        yield Static(id="list-count", markup=False)
        yield OptionList(id="frameworks")
        yield Static(Text("space ●  W WSGI  A ASGI  S own server", style="dim"), id="list-legend")

    def on_mount(self) -> None:
        self.refresh_options()

    @property
    def option_list(self) -> OptionList:
        return self.query_one("#frameworks", OptionList)

    @property
    def highlighted_id(self) -> str | None:
        option = self.option_list.highlighted_option
        return option.id if option else None

    def visible_ids(self) -> list[str]:
        options = self.option_list
        return [options.get_option_at_index(i).id or "" for i in range(options.option_count)]

    def highlight(self, framework_id: str) -> None:
        try:
            self.option_list.highlighted = self.option_list.get_option_index(framework_id)
        except OptionDoesNotExist:
            pass  # filtered out or gone: keep the current highlight

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._query = tuple(_WORD.findall(event.value.lower()))
        self.refresh_options()

    @on(Input.Submitted, "#filter")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.option_list.focus()

    @on(OptionList.OptionHighlighted, "#frameworks")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        if event.option.id:
            self.post_message(self.Highlighted(event.option.id))

    @on(OptionList.OptionSelected, "#frameworks")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.post_message(self.MarkToggled(event.option.id))

    def action_toggle_mark(self) -> None:
        if self.highlighted_id:
            self.post_message(self.MarkToggled(self.highlighted_id))

    def action_cursor(self, direction: str) -> None:
        options = self.option_list
        options.action_cursor_down() if direction == "down" else options.action_cursor_up()

    def action_clear_filter(self) -> None:
        box = self.query_one("#filter", Input)
        if box.value:
            box.value = ""
        self.option_list.focus()

    def focus_filter(self) -> None:
        self.query_one("#filter", Input).focus()

    def watch_marked(self) -> None:
        self.refresh_options()

    def watch_ranking(self) -> None:
        self.refresh_options()

    def watch_hide_excluded(self) -> None:
        self.refresh_options()

    def watch_spec(self) -> None:
        self.refresh_options()

    def refresh_options(self) -> None:
        """Rebuild the visible options, keeping the highlighted framework if it is still shown."""
        if not self.is_mounted:
            return
        keep = self.highlighted_id
        ordered = self._ordered()
        shown = [(f, entry) for f, entry in ordered if matches(self._words[f.id], self._query)]
        if self.hide_excluded:
            shown = [(f, entry) for f, entry in shown if not (entry and entry.excluded)]
        options = self.option_list
        options.set_options(self._option(f, entry) for f, entry in shown)
        hidden = len(self.frameworks) - len(shown)
        count = f"{len(shown)} of {len(self.frameworks)}" + (f" · {hidden} hidden" if hidden else "")
        count += f" · {len(self.marked)} marked"
        self.query_one("#list-count", Static).update(Text(count))
        if keep and any(f.id == keep for f, _ in shown):
            self.highlight(keep)
        elif shown:
            options.highlighted = 0

    def _ordered(self) -> Iterable[tuple[Framework, Ranked | None]]:
        if not self.ranking:
            return [(f, None) for f in self.frameworks]
        by_id = {f.id: f for f in self.frameworks}
        return [(by_id[r.framework.id], r) for r in self.ranking if r.framework.id in by_id]

    def _option(self, framework: Framework, entry: Ranked | None) -> Option:
        return Option(render_row(framework, entry, framework.id in self.marked, self.spec), id=framework.id)


def render_row(framework: Framework, entry: Ranked | None, marked: bool, spec: str) -> Text:
    lit = bool(spec) and spec in framework.interfaces
    row = Text(no_wrap=True, overflow="ellipsis")
    row.append("● " if marked else "○ ", style="bold yellow" if marked else "dim")
    row.append(f"{framework.name[:12]:<12} ", style="bold reverse" if lit else "bold")
    row.append(f"{KIND_BADGES.get(framework.kind, framework.kind):<5} ", style="italic dim")
    badges = "".join(INTERFACE_BADGES.get(i, "?") for i in framework.interfaces)
    row.append(f"{badges:<3}", style="cyan")
    if entry is not None:
        row.append(" ✗ " if entry.excluded else f"{entry.score:>3}", style="red" if entry.excluded else "green")
        if entry.excluded:
            row.stylize("dim")
    return row

