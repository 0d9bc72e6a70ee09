"""The decision panel: use case and criteria controls on the left, the ranking on the right.

Every control change sets `criteria` (the full Criteria), which the screen
watches: a watcher runs while the key is being handled, so the control's echo,
the re-ranked list and its count reach the terminal in one frame. The screen
pushes the ranking back through `ranking`, once the list's frame has been written.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from functools import partial
from typing import Self

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.cache import LRUCache
from textual.containers import Horizontal, VerticalScroll
from textual.reactive import var
from textual.strip import Strip
from textual.widgets import Input, Label, OptionList, Select, SelectionList
from textual.widgets.option_list import Option
from textual.widgets.selection_list import Selection

from fwtui import vocabulary
from fwtui.decide import Criteria, Ranked
from fwtui.model import Dataset
from fwtui.vocabulary import builtin_label
from fwtui.widgets.lines import RenderableView

NO_USE_CASE = "-"

CHOICE_CONTROLS = (
    ("interface", "Server interface", ("wsgi", "asgi")),
    ("team", "Team experience", vocabulary.TEAMS),
    ("async_comfort", "At ease with async and type hints", vocabulary.YES_NO),
    ("performance", "Performance priority", vocabulary.PRIORITIES),
    ("maintenance", "Maintenance horizon", vocabulary.HORIZONS),
)


SHOWN_PLACES = 30


def ranking_view(ranking: tuple[Ranked, ...], hide_excluded: bool) -> Group:
    """The top places with their reasons; the list on the left holds the full order."""
    parts: list[RenderableType] = []
    place = 0
    hidden = sum(1 for entry in ranking if entry.excluded) if hide_excluded else 0
    for entry in ranking:
        if entry.excluded and hide_excluded:
            continue
        place += 1
        if place > SHOWN_PLACES:
            rest = len(ranking) - hidden - SHOWN_PLACES
            parts.append(Text(f"\n…and {rest} more, in order in the list on the left.", style="dim italic"))
            break
        head = Text()
        head.append(f"{place:>2}. ", style="dim")
        head.append(f"{entry.framework.name:<12}", style="bold dim" if entry.excluded else "bold")
        if entry.excluded:
            head.append(" excluded", style="bold red")
        else:
            filled = round(entry.score / 10)
            head.append(" " + "█" * filled + "░" * (10 - filled), style="green")
            head.append(f" {entry.score:>3}")
        parts.append(head)
        reasons = [("✗", reason, "red") for reason in entry.exclusions]
        reasons += [("+", reason, "dim" if entry.excluded else "green") for reason in entry.reasons_for]
        reasons += [("−", reason, "dim" if entry.excluded else "yellow") for reason in entry.reasons_against]
        for mark, reason, style in reasons:
            # Padding keeps wrapped lines of a reason under its first word.
            parts.append(Padding(Text(f"{mark} {reason}", style=style), (0, 0, 0, 5)))
    if hidden:
        parts.append(Text(f"\n{hidden} excluded framework(s) hidden (h to show)", style="dim italic"))
    return Group(*parts)


class RankingView(RenderableView):
    """The ranking with its reasons; a new ranking renders the shown places once."""

    def __init__(self, ranking: tuple[Ranked, ...], hide_excluded: bool, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.ranking, self.hide_excluded = ranking, hide_excluded

    def show(self, ranking: tuple[Ranked, ...], hide_excluded: bool) -> None:
        self.ranking, self.hide_excluded = ranking, hide_excluded
        self.content_changed()

    def renderable(self) -> RenderableType:
        return ranking_view(self.ranking, self.hide_excluded)


class NeedsList(SelectionList[str]):
    """The must-have built-ins; a toggle (space or click) changes the criteria at once.

    A toggle redraws the whole list, and SelectionList builds each line anew
    (its checkbox styles included); the lines are kept by what they show, so
    a toggle draws one new line, not nine.
    """

    def __init__(self, *selections: Selection[str], on_toggle: Callable[[list[str]], None], id: str | None = None) -> None:
        super().__init__(*selections, id=id)
        self._on_toggle = on_toggle
        self._drawn_lines: LRUCache[tuple[object, ...], Strip] = LRUCache(256)

    def render_line(self, y: int) -> Strip:
        index = self.scroll_offset.y + y
        selected = index < self.option_count and self.get_option_at_index(index).value in self.selected
        key = (index, selected, index == self.highlighted, self.has_focus, self.size.width)
        line = self._drawn_lines.get(key)
        if line is None:
            line = self._drawn_lines[key] = super().render_line(y)
        return line

    def notify_style_update(self) -> None:
        self._drawn_lines.clear()
        super().notify_style_update()

    def on_resize(self) -> None:
        self._drawn_lines.clear()

    def on_mouse_move(self) -> None:
        self._drawn_lines.clear()  # the line under the mouse is drawn highlighted

    def on_leave(self) -> None:
        self._drawn_lines.clear()

    def toggle(self, selection: Selection[str] | str) -> Self:
        super().toggle(selection)
        self._on_toggle(self.selected)
        return self

    def action_select(self) -> None:
        # Space and clicks toggle here, not through an OptionSelected message to self.
        if self.highlighted is not None:
            self.toggle(self.get_option_at_index(self.highlighted))


class DecisionPanel(Horizontal):
    SCOPED_CSS = False  # rules by id, and by the screen's -narrow class; parsed when this module is first used
    DEFAULT_CSS = """
        #decide-view { height: 1fr; }
        #criteria { width: 40; height: 100%; padding-right: 1; }
        #criteria Label { margin-top: 1; text-style: bold; }
        #use-cases { height: auto; max-height: 11; }
        #needs { height: auto; max-height: 9; }
        #ranking-scroll { width: 1fr; height: 100%; }

        MainScreen.-narrow #decide-view { layout: vertical; }
        MainScreen.-narrow #criteria { width: 100%; height: 1fr; }
        MainScreen.-narrow #ranking-scroll { height: 1fr; }
    """

    criteria: var[Criteria] = var(Criteria(), init=False)
    ranking: var[tuple[Ranked, ...]] = var((), init=False)
    hide_excluded: var[bool] = var(False, init=False)

    def __init__(
        self,
        dataset: Dataset,
        criteria: Criteria,
        ranking: tuple[Ranked, ...],
        hide_excluded: bool,
        *,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.dataset = dataset
        self.set_reactive(DecisionPanel.criteria, criteria)
        self.set_reactive(DecisionPanel.ranking, ranking)
        self.set_reactive(DecisionPanel.hide_excluded, hide_excluded)
        self._use_case_query = ""

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="criteria"):
            yield Label(self._title("use_case", "What you are building") + " (1-9, 0 clears)", markup=False)
            yield Input(placeholder="type to filter use cases", id="use-case-filter")
            yield OptionList(*self._use_case_options(), id="use-cases")
            yield Label(self._title("need", "Must-have built-ins") + " (space toggles)", markup=False)
            yield NeedsList(
                *(Selection(builtin_label(n), n, n in self.criteria.needs) for n in vocabulary.BUILTINS),
                on_toggle=self._needs_changed, id="needs",
            )
            for key, title, values in CHOICE_CONTROLS:
                yield Label(self._title(key, title), markup=False)
                options = [(self._option_label(key, v), v) for v in values]
                current = getattr(self.criteria, key) or Select.NULL
                yield Select(options, prompt="any", value=current, id=f"choice-{key}")
        yield RankingView(self.ranking, self.hide_excluded, id="ranking-scroll")

    def _title(self, key: str, fallback: str) -> str:
        criterion = self.dataset.criterion(key)
        return criterion.title if criterion else fallback

    def _option_label(self, key: str, value: str) -> str:
        criterion = self.dataset.criterion(key)
        text = criterion.options.get(value) if criterion else None
        return f"{value}: {text}" if text else value

    def _use_case_options(self) -> list[Option]:
        options = [Option(Text("0  any use case"), id=NO_USE_CASE)]
        query = self._use_case_query.lower()
        for number, use_case in enumerate(self.dataset.use_cases, start=1):
            if query and query not in use_case.title.lower() and query not in use_case.id:
                continue
            key = str(number) if number < 10 else " "
            options.append(Option(Text(f"{key}  {use_case.title}"), id=use_case.id))
        return options

    def on_mount(self) -> None:
        self._sync_use_case_highlight()
        self.watch(self.query_one("#use-cases", OptionList), "highlighted", self._use_case_highlighted, init=False)
        for key, _, _ in CHOICE_CONTROLS:
            self.watch(self.query_one(f"#choice-{key}", Select), "value", partial(self._choice_changed, key), init=False)
        self.watch_ranking()

    def _sync_use_case_highlight(self) -> None:
        options = self.query_one("#use-cases", OptionList)
        target = self.criteria.use_case or NO_USE_CASE
        for index in range(options.option_count):
            if options.get_option_at_index(index).id == target:
                options.highlighted = index
                return

    def watch_ranking(self) -> None:
        if self.is_mounted:
            self.query_one(RankingView).show(self.ranking, self.hide_excluded)

    def watch_hide_excluded(self) -> None:
        self.watch_ranking()

    def _change(self, **changes: object) -> None:
        self.criteria = replace(self.criteria, **changes)  # type: ignore[arg-type]

    def show_criteria(self, criteria: Criteria) -> None:
        """Follow a change made outside the panel (number keys on the screen)."""
        self.set_reactive(DecisionPanel.criteria, criteria)
        if self.is_mounted:
            self._sync_use_case_highlight()

    @on(Input.Changed, "#use-case-filter")
    def _filter_use_cases(self, event: Input.Changed) -> None:
        event.stop()
        self._use_case_query = event.value
        options = self.query_one("#use-cases", OptionList)
        options.set_options(self._use_case_options())
        if event.value and options.option_count > 1:
            options.highlighted = 1  # typing picks the first match, live
        else:
            self._sync_use_case_highlight()

    @on(Input.Submitted, "#use-case-filter")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.query_one("#use-cases", OptionList).focus()

    @on(OptionList.OptionSelected, "#use-cases")
    def _use_case_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()  # highlighting already chose it

    def _use_case_highlighted(self, index: int | None) -> None:
        options = self.query_one("#use-cases", OptionList)
        if index is None or not 0 <= index < options.option_count:
            return
        chosen = options.get_option_at_index(index).id
        self._change(use_case=None if chosen == NO_USE_CASE else chosen)

    def _needs_changed(self, selected: list[str]) -> None:
        self._change(needs=tuple(n for n in vocabulary.BUILTINS if n in selected))

    @on(SelectionList.SelectedChanged, "#needs")
    def _needs_selected(self, event: SelectionList.SelectedChanged) -> None:
        event.stop()  # a toggle has already been applied; this catches select() and friends
        self._needs_changed(event.selection_list.selected)

    def _choice_changed(self, key: str, value: object) -> None:
        self._change(**{key: None if value is Select.NULL else str(value)})

    def reset(self, criteria: Criteria) -> None:
        """Show `criteria` in every control (used by 'clear criteria')."""
        self.set_reactive(DecisionPanel.criteria, criteria)
        if not self.is_mounted:
            return
        self.query_one("#needs", SelectionList).deselect_all()
        for key, _, _ in CHOICE_CONTROLS:
            self.query_one(f"#choice-{key}", Select).clear()
        self._sync_use_case_highlight()
