"""The decision panel: use case, needs and questions on the left, the ranking on the right.

The screen owns the criteria. A control here never changes them itself: it
sets its own `asked` reactive to the criteria it asks for; the panel watches
its controls' and sets its own `asked`, which the screen watches. The screen
takes the criteria and pushes them and the ranking back down (`show_criteria`,
`ranking`), as it does for a change from anywhere else (a number key, reset, a
restored state).

Watchers rather than a message: a watcher runs within the key's own handling,
so the control's echo and the re-ranked list reach the terminal in one frame;
a message reaches the screen a frame later, which took the criteria toggle
over its target (docs/performance.md, "One frame per key").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.padding import Padding
from rich.segment import Segment
from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.geometry import Region
from textual.reactive import var
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from fwtui import vocabulary
from fwtui.decide import NO_RANKING, Criteria, Ranked, Ranking, Reason
from fwtui.model import Dataset
from fwtui.summary import close_call_text, what_if_text
from fwtui.text import cut, fit
from fwtui.vocabulary import builtin_label
from fwtui.widgets import focus_now
from fwtui.widgets.framework_list import FilterBox, matches, words_of
from fwtui.widgets.lines import RenderableView

NO_USE_CASE = "-"
SHOWN_PLACES = 30
EXPLAINED_PLACES = 5  # places shown with their reasons; the rest one line each
NAME_WIDTH = 12
LISTED_NAMES = 60  # names in the empty view, A to Z; a longer dataset says how many more
REASON_LIMIT = 2_000  # a reason quotes the dataset's prose; a huge one is cut with a visible mark
STACK_BELOW = 70  # pane width under which criteria and ranking are stacked, not side by side
SLIM_BELOW = 80  # pane width under which the criteria column is narrower

# The questions, each cycled through its answers with space, enter or the arrows.
QUESTIONS: tuple[tuple[str, str, tuple[str, ...]], ...] = tuple(
    (key, vocabulary.QUESTION_SHORT_LABELS[key], vocabulary.ANSWERS[key]) for key in vocabulary.QUESTIONS
)
STRICT = "strict"
NEED_MARKS = {None: ("·", "dim"), "nice": ("nice", "cyan"), "must": ("MUST", "bold yellow")}


def _asked() -> var[Criteria | None]:
    """What a control (or the panel) last asked for: set on every ask, even one equal to the last,
    since the screen's criteria may have changed in between (a reset)."""
    return var(None, init=False, always_update=True)


def _place_head(place: int, entry: Ranked, width: int) -> Text:
    """One line: place, name, a bar as wide as the room allows, score."""
    bar = max(3, min(10, width - NAME_WIDTH - 8))
    head = Text(no_wrap=True, overflow="ellipsis")
    head.append(f"{place:>2} ", style="dim")
    head.append(fit(entry.framework.name, NAME_WIDTH, ellipsis=True), style="bold dim" if entry.excluded else "bold")
    if entry.excluded:
        head.append(" excluded", style="red")
    elif entry.score is not None:
        filled = round(entry.score * bar / 100)
        head.append(" " + "█" * filled + "░" * (bar - filled), style="green")
        head.append(f" {entry.score:>3}", style="bold")
    return head


def _indented(text: Text) -> Padding:
    return Padding(text, (0, 0, 0, 6))  # wrapped lines stay under the reason's first word


# How much of a place the ranking shows: every reason wrapped, every reason on one line, or
# only the first reason, on one line.
FULL, ONE_LINE, FIRST_REASON = 0, 1, 2
LEADERS = 3  # the places that must show, each with its first reason, in the view's height
# The details tried in turn, for the first place and for the others: the first place keeps its
# reasons whole the longest, since it is the answer.
DETAILS = ((FULL, FULL), (FULL, ONE_LINE), (ONE_LINE, ONE_LINE), (FIRST_REASON, FIRST_REASON))


def _lines(text: str, room: int) -> int:
    return max(1, -(-len(text) // max(room, 1)))


def fitting_detail(dataset: Dataset, ranking: Ranking, hide_excluded: bool, width: int, height: int) -> tuple[int, int]:
    """The most detail (for the first place, for the others) with which the first three places fit
    in `height` lines (all of it when no height is known). Counted from the texts' lengths, not by
    rendering them: a re-rank renders once."""
    if height <= 0:
        return DETAILS[0]
    shown = [entry for entry in ranking if not (entry.excluded and hide_excluded)][:LEADERS]
    close = close_call_text(ranking)
    for details in DETAILS[:-1]:
        need = 0
        for place, entry in enumerate(shown, start=1):
            detail = details[place > 1]
            reasons = entry.reasons if place <= EXPLAINED_PLACES and not entry.excluded else ()
            need += 1 + sum(_lines(r.text, width - 8) if detail == FULL else 1 for r in reasons)
            texts = [*entry.exclusions, *(what_if_text(dataset, place, entry.framework.name, w) for w in entry.what_if)]
            if place == min(2, len(ranking)) and close:
                texts.append(close)
            need += sum(_lines(t, width - 3) if detail == FULL else 1 for t in texts)
        if need <= height:
            return details
    return DETAILS[-1]


def ranking_view(
    dataset: Dataset, criteria: Criteria, ranking: Ranking, hide_excluded: bool, width: int = 60, height: int = 0
) -> Group:
    """The places best first: the first few with every reason (their points add up to the score),
    what would change the answer under the first two, the rest one line each. When the first three
    places would not fit in `height`, each reason takes one line, then only the first one shows."""
    if criteria.is_empty():
        return empty_view(ranking)
    details = fitting_detail(dataset, ranking, hide_excluded, width, height)
    parts: list[RenderableType] = []
    hidden = ranking.excluded_count() if hide_excluded else 0
    close = close_call_text(ranking)
    place = 0
    for entry in ranking:
        if entry.excluded and hide_excluded:
            continue
        place += 1
        if place > SHOWN_PLACES:
            rest = len(ranking) - hidden - SHOWN_PLACES
            parts.append(Text(f"…and {rest} more, in order in the list on the left.", style="dim italic"))
            break
        parts.append(_place_head(place, entry, width))
        detail = details[place > 1]
        one_line = detail != FULL
        for exclusion in entry.exclusions:
            parts.append(_indented(_line(Text(f"✗ {cut(exclusion, REASON_LIMIT)}", style="red"), one_line)))
        if place <= EXPLAINED_PLACES and not entry.excluded and entry.reasons:
            reasons = entry.reasons[:1] if detail == FIRST_REASON else entry.reasons
            parts.append(Reasons(reasons, one_line, more=len(entry.reasons) - len(reasons)))
        parts.extend(_what_if(dataset, place, entry, one_line))
        if place == min(2, len(ranking)) and close:
            parts.append(Padding(_line(Text(f"≈ {close}", style="bold yellow"), one_line), (0, 0, 0, 3)))
    if hidden:
        parts.append(Text(f"{hidden} excluded framework(s) hidden (h shows them)", style="dim italic"))
    return Group(*parts)


def _line(text: Text, one_line: bool) -> Text:
    """`text`, kept to one line (cut with "…") when the view is short of room."""
    if one_line:
        text.no_wrap, text.overflow = True, "ellipsis"
    return text


class Reasons:
    """A place's reasons: the points right-aligned in a column, each text wrapped beside them
    (or cut to one line, with how many reasons are left out, when the view is short of room).

    What a two-column `Table.grid` indented by 3 drew, line for line (compared at
    25 to 100 columns), except that a word longer than the room is folded onto
    the next line rather than cut: a long package name stays whole. Measuring
    five tables took most of a re-rank's time (docs/performance.md).
    """

    def __init__(self, reasons: Sequence[Reason], one_line: bool = False, more: int = 0) -> None:
        self.reasons, self.one_line, self.more = reasons, one_line, more

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        points = [f"{reason.points:+d}" for reason in self.reasons]
        column = max(map(len, points))
        texts = [Text(cut(reason.text, REASON_LIMIT), style="" if reason.good else "dim") for reason in self.reasons]
        # As wide as the longest reason, up to the room left: the table's second column.
        room = min(max(1, options.max_width - 3 - column - 1), max(text.cell_len for text in texts))
        if self.more:
            texts[-1].append(f" (+{self.more} more: f or c)", style="dim")
        for mark, reason, text in zip(points, self.reasons, texts):
            if self.one_line:
                line = text.copy()
                line.truncate(room, overflow="ellipsis")
                lines: Sequence[Text] = [line]
            else:
                lines = list(text.wrap(console, room, overflow="fold"))
            for index, line in enumerate(lines):
                if index == 0:
                    yield Segment("   ")
                    yield Segment(mark.rjust(column), console.get_style("bold green" if reason.good else "bold yellow"))
                    yield Segment(" ")
                else:
                    yield Segment(" " * (3 + column + 1))
                line.pad_right(room - line.cell_len)
                yield from Segment.apply_style(line.render(console), console.get_style(line.style))
                yield Segment.line()


def _what_if(dataset: Dataset, place: int, entry: Ranked, one_line: bool = False) -> list[RenderableType]:
    """What would change the answer, under the place it concerns."""
    return [Padding(_line(Text(what_if_text(dataset, place, entry.framework.name, what), style="cyan"), one_line), (0, 0, 0, 3))
            for what in entry.what_if]


def empty_view(ranking: Ranking) -> Group:
    names = sorted((framework.name for framework in ranking.frameworks), key=str.casefold)
    shown = ", ".join(names[:LISTED_NAMES])
    if len(names) > LISTED_NAMES:  # a long dataset: the list on the left has every one
        shown += f" and {len(names) - LISTED_NAMES} more"
    return Group(
        Text("Nothing asked yet, so nothing is scored.", style="bold"),
        Text(""),
        Text("Pick what you are building (1-9, or the arrows in the list on the left), mark needs "
             "(space: nice to have, again: must), answer a question, or mark the frameworks your team "
             "knows. The ranking follows at once, each place with the reasons for its points."),
        Text(""),
        Text(f"The {len(names)} frameworks, A to Z:", style="dim"),
        Text(shown, style="dim"),
    )


class RankingView(RenderableView):
    """The ranking with its reasons; a new ranking renders the shown places once."""

    def __init__(self, dataset: Dataset, criteria: Criteria, ranking: Ranking, hide_excluded: bool,
                 *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.dataset = dataset
        self.criteria, self.ranking, self.hide_excluded = criteria, ranking, hide_excluded

    def show(self, criteria: Criteria, ranking: Ranking, hide_excluded: bool) -> None:
        self.criteria, self.ranking, self.hide_excluded = criteria, ranking, hide_excluded
        self.content_changed()

    def renderable(self) -> RenderableType:
        height = self.scrollable_content_region.height
        return ranking_view(self.dataset, self.criteria, self.ranking, self.hide_excluded, self._width, height)


def redraw_prompt(options: OptionList, option_id: str, prompt: Text) -> None:
    """`OptionList.replace_option_prompt` for a one-line prompt, drawing only that option again.

    Textual 8.2.8's `replace_option_prompt` empties the rendering cache of every
    option and measures them all again (`OptionList._clear_caches`): a need's
    toggle drew all 15 needs anew, a large part of a criteria toggle's frame. A
    prompt that stays one line needs none of that, so this sets the prompt
    (`Option._set_prompt`), drops only that option's renderings from
    `OptionList._option_render_cache` (keyed by the option first) and redraws
    its line.
    tests/test_views.py compares the list with one drawn from scratch after
    every toggle, so a change in Textual under this fails a test.
    """
    index = options.get_option_index(option_id)
    option = options.get_option_at_index(index)
    option._set_prompt(prompt)
    cache = options._option_render_cache
    for key in [key for key in cache.keys() if key[0] is option]:
        cache.discard(key)
    # One line per option (no dividers, nothing wraps): the option's line is its index.
    options.refresh(Region(0, index - options.scroll_offset.y, options.size.width, 1))


def in_arrival_order(*bindings: Binding) -> list[BindingType]:
    """A Decide list's keys, its own and OptionList's, each bound twice: as a priority binding and
    as an ordinary one (docs/performance.md, "Priority bindings for the criteria").

    A priority binding runs as the key arrives, an ordinary one once the key has travelled to the
    focused list and back up: were only space priority, "down down down space" read in one go
    would change the line the arrows were leaving. The ordinary twin takes a key handed to another
    widget before the focus got here (k, then down or space at once), which Textual looks up
    along the focus as it is when the key comes back up. A keymap moves both twins, as they share
    an id; Textual calls that a clash (`App.handle_bindings_clash`, which fwtui leaves as it is).
    """
    own = [
        Binding("down", "cursor_down", show=False), Binding("up", "cursor_up", show=False),
        Binding("home", "first", show=False), Binding("end", "last", show=False),
        Binding("pagedown", "page_down", show=False), Binding("pageup", "page_up", show=False),
        Binding("enter", "select", show=False),
    ]
    return [replace(binding, priority=priority) for binding in (*bindings, *own) for priority in (True, False)]


class NeedsList(OptionList):
    """The 15 built-ins, each off, nice to have or a must; space cycles, the screen decides."""

    # Priority: the app runs it as the key arrives, before the key is handed to this list and
    # passed up through the six containers above it. Only while this list has the focus, as
    # any binding of a widget.
    BINDINGS = in_arrival_order(Binding("space", "cycle", "Need: off / nice / must", show=False, id="decide.need_cycle"))
    asked = _asked()

    def __init__(self, criteria: Criteria, *, id: str | None = None) -> None:
        self._criteria = criteria
        super().__init__(*self._need_options(), id=id)

    def _need_options(self) -> list[Option]:
        return [Option(self._prompt(name), id=name) for name in vocabulary.BUILTINS]

    def _prompt(self, name: str) -> Text:
        state = self._criteria.need_state(name)
        mark, style = NEED_MARKS[state]
        line = Text(no_wrap=True, overflow="ellipsis")
        line.append(f"{mark:>4} ", style=style)
        label = builtin_label(name)
        line.append(label[0].upper() + label[1:], style="bold" if state else "")
        return line

    def on_mount(self) -> None:
        self.highlighted = 0  # space works at once, on the first built-in

    def show_criteria(self, criteria: Criteria) -> None:
        changed = [n for n in vocabulary.BUILTINS if criteria.need_state(n) != self._criteria.need_state(n)]
        self._criteria = criteria
        for name in changed:
            redraw_prompt(self, name, self._prompt(name))

    def action_cycle(self) -> None:
        if self.highlighted is not None:
            name = self.get_option_at_index(self.highlighted).id or ""
            self.asked = self._criteria.cycle_need(name)

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()  # enter and clicks cycle too
        self.action_cycle()


class QuestionsList(OptionList):
    """One line per question with its answer; space, enter or right picks the next answer, left the one before."""

    BINDINGS = in_arrival_order(  # as the needs' space (see NeedsList)
        Binding("space,right", "cycle(1)", "Next answer", show=False, id="decide.answer_next"),
        Binding("left", "cycle(-1)", "Previous answer", show=False, id="decide.answer_previous"),
    )
    asked = _asked()

    def __init__(self, dataset: Dataset, criteria: Criteria, *, id: str | None = None) -> None:
        self.dataset = dataset
        self._criteria = criteria
        super().__init__(*self._question_options(), id=id)

    def _answers(self, key: str) -> tuple[str | None, ...]:
        if key == STRICT:
            return (None, "yes")
        return (None, *next(values for k, _, values in QUESTIONS if k == key))

    def _current(self, key: str) -> str | None:
        if key == STRICT:
            return "yes" if self._criteria.strict else None
        value = getattr(self._criteria, key)
        return value if isinstance(value, str) else None

    def _prompt(self, key: str, title: str) -> Text:
        value = self._current(key)
        line = Text(no_wrap=True, overflow="ellipsis")
        line.append(f"{title:<15}", style="bold" if value else "")
        unset = "off" if key == STRICT else "any"
        line.append(("on" if key == STRICT else value) if value else unset, style="bold cyan" if value else "dim")
        return line

    def _question_options(self) -> list[Option]:
        options = [Option(self._prompt(key, title), id=key) for key, title, _ in QUESTIONS]
        options.append(Option(self._prompt(STRICT, "Strict musts"), id=STRICT))
        return options

    def on_mount(self) -> None:
        self.highlighted = 0

    def show_criteria(self, criteria: Criteria) -> None:
        """Redraw only the questions whose answer changed (a change of criteria comes with every key here)."""
        before = {key: self._current(key) for key, _, _ in (*QUESTIONS, (STRICT, "", ()))}
        self._criteria = criteria
        for key, title, _ in (*QUESTIONS, (STRICT, "Strict musts", ())):
            if self._current(key) != before[key]:
                self.replace_option_prompt(key, self._prompt(key, title))

    def action_cycle(self, step: int) -> None:
        if self.highlighted is None:
            return
        key = self.get_option_at_index(self.highlighted).id or ""
        answers = self._answers(key)
        following = answers[(answers.index(self._current(key)) + step) % len(answers)]
        if key == STRICT:
            self.asked = replace(self._criteria, strict=following is not None)
        else:
            self.asked = self._criteria.with_answer(key, following)

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_cycle(1)


class KnowsList(OptionList):
    """The frameworks A to Z, each known to the team or not; space toggles, the screen decides."""

    BINDINGS = in_arrival_order(Binding("space", "toggle_known", "Team knows: yes / no", show=False, id="decide.know_toggle"))  # see NeedsList
    asked = _asked()

    def __init__(self, dataset: Dataset, criteria: Criteria, *, id: str | None = None) -> None:
        self._criteria = criteria
        self._names = {f.id: f.name for f in dataset.frameworks}
        ordered = sorted(dataset.frameworks, key=lambda f: (f.name.casefold(), f.id))
        super().__init__(*(Option(self._prompt(f.id), id=f.id) for f in ordered), id=id)

    def _prompt(self, framework_id: str) -> Text:
        known = framework_id in self._criteria.know
        line = Text(no_wrap=True, overflow="ellipsis")
        line.append("knows " if known else "    · ", style="cyan" if known else "dim")
        line.append(self._names[framework_id], style="bold" if known else "")
        return line

    def on_mount(self) -> None:
        self.highlighted = 0

    def show_criteria(self, criteria: Criteria) -> None:
        changed = set(criteria.know) ^ set(self._criteria.know)
        self._criteria = criteria
        for framework_id in changed:
            if framework_id in self._names:
                redraw_prompt(self, framework_id, self._prompt(framework_id))

    def action_toggle_known(self) -> None:
        if self.highlighted is not None:
            self.asked = self._criteria.toggle_known(self.get_option_at_index(self.highlighted).id or "")

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_toggle_known()


class UseCaseFilter(FilterBox):
    """The use cases' filter box; its Enter is shown in the footer, as the list's filter shows its keys."""

    BINDINGS = [Binding("enter", "submit", "To the use cases")]


class UseCaseList(OptionList):
    """The use cases, one chosen. Its titles wrap, so the chosen one's line depends on the width."""

    def on_resize(self) -> None:
        # OptionList scrolls to its highlight when the highlight changes, not when it is laid out
        # again: a use case chosen before the list had its width (a restored one, or r then 6) was
        # left out of view, and the stacked layout at 80x24 re-lays it out after mounting. After the
        # refresh: the scroll is held to the list's height, which the new width's line count sets then.
        self.call_after_refresh(self.scroll_to_highlight)


def _use_case_prompt(key: str, title: str) -> Table:
    """A use case's key and title; a title that wraps goes on under its first word, not under the key."""
    prompt = Table.grid()
    prompt.add_column(width=3, no_wrap=True)
    prompt.add_column(ratio=1)
    prompt.add_row(key, Text(title))
    return prompt


class DecisionPanel(Horizontal):
    SCOPED_CSS = False  # rules by id, and by the screen's -narrow class; parsed when this module is first used
    DEFAULT_CSS = """
        #decide-view { height: 1fr; }
        #criteria { width: 34; height: 100%; padding-right: 1; }
        DecisionPanel.-slim #criteria { width: 27; }
        #criteria Label { margin-top: 1; text-style: bold; width: 100%; }
        #criteria Label.first { margin-top: 0; }
        #criteria .hint { color: $text-muted; margin-top: 0; text-style: none; }
        #use-case-filter { margin: 0; border: none; height: 1; padding: 0 1; background: $boost; }
        #criteria OptionList { border: none; padding: 0; height: auto; background: transparent; text-wrap: nowrap; text-overflow: ellipsis; }
        /* Where the focus is, always visible: a tinted list or box and its highlighted row. */
        #criteria OptionList:focus { background: $accent 20%; }
        #use-case-filter:focus { background: $accent 35%; }
        #ranking-scroll:focus { background-tint: $foreground 4%; }
        #criteria #use-cases { max-height: 12; text-wrap: wrap; }  /* a use case's title whole, on two lines if need be */
        #knows { max-height: 8; }
        #question-help { color: $text-muted; height: auto; margin-top: 1; }
        #ranking-scroll { width: 1fr; height: 100%; }

        #criteria-what, #criteria-how { height: auto; }
        #criteria-how .needs-title { margin-top: 1; }

        DecisionPanel.-stacked { layout: vertical; }
        DecisionPanel.-stacked #criteria { width: 100%; height: 1fr; layout: horizontal; overflow-y: hidden; }
        DecisionPanel.-stacked #criteria-what { width: 1fr; height: 100%; padding-right: 1; }
        /* A rule between the two columns: their headings and hints would otherwise read as one line. */
        DecisionPanel.-stacked #criteria-how { width: 1fr; height: 100%; border-left: vkey $panel; padding-left: 1; }
        DecisionPanel.-stacked #criteria-how .needs-title { margin-top: 0; }
        DecisionPanel.-stacked #use-cases { max-height: 100%; height: 1fr; }
        DecisionPanel.-stacked #ranking-scroll { height: 1fr; border-top: hkey $panel; }
        MainScreen.-short #use-cases, MainScreen.-short #knows { max-height: 6; }
    """

    ranking: var[Ranking] = var(NO_RANKING, init=False)
    hide_excluded: var[bool] = var(False, init=False)
    asked = _asked()  # what any control here last asked for; the screen watches it

    def __init__(
        self,
        dataset: Dataset,
        criteria: Criteria,
        ranking: Ranking,
        hide_excluded: bool,
        *,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.dataset = dataset
        self.criteria = criteria  # a copy of the screen's, pushed down by show_criteria
        self.set_reactive(DecisionPanel.ranking, ranking)
        self.set_reactive(DecisionPanel.hide_excluded, hide_excluded)
        self._use_case_query = ""
        self._filling = False  # set while the filter refills the list: a refill chooses nothing

    def compose(self) -> ComposeResult:
        # Side by side with the ranking, one column; stacked over it, two: what you are building
        # beside the needs and questions, so that both show without scrolling the other away.
        with VerticalScroll(id="criteria"):
            with Vertical(id="criteria-what"):
                yield Label(self._title("use_case", "What you are building"), markup=False, classes="first")
                yield Label("1-9 pick, 0 clears", classes="hint", markup=False)
                yield UseCaseFilter(placeholder="filter use cases", id="use-case-filter")
                yield UseCaseList(*self._use_case_options(), id="use-cases")
            # Not a stop of its own for Tab: from the use cases, Tab goes on to the needs.
            with VerticalScroll(id="criteria-how", can_focus=False):
                yield Label(self._title("need", "Built-ins you need") + " (n)", markup=False, classes="needs-title")
                yield Label("space: off → nice → MUST", classes="hint", markup=False)
                yield NeedsList(self.criteria, id="needs")
                yield Label("Questions (a)", markup=False)
                yield Label("space or → next answer, ← back", classes="hint", markup=False)
                yield QuestionsList(self.dataset, self.criteria, id="questions")
                yield Static(id="question-help", markup=False)
                yield Label("Team knows (k)", markup=False)
                yield Label("space: knows / not", classes="hint", markup=False)
                yield KnowsList(self.dataset, self.criteria, id="knows")
        yield RankingView(self.dataset, self.criteria, self.ranking, self.hide_excluded, id="ranking-scroll")

    def _title(self, key: str, fallback: str) -> str:
        criterion = self.dataset.criterion(key)
        return criterion.title if criterion else fallback

    def _use_case_options(self) -> list[Option]:
        options = [Option(_use_case_prompt("0", "any use case"), id=NO_USE_CASE)]
        query = self._use_case_query.casefold().split()
        for number, use_case in enumerate(self.dataset.use_cases, start=1):
            if query and not matches(words_of(use_case.title, use_case.id, use_case.description), query):
                continue
            key = str(number) if number < 10 else " "
            options.append(Option(_use_case_prompt(key, use_case.title), id=use_case.id))
        return options

    def on_resize(self) -> None:
        self.set_class(self.size.width < STACK_BELOW, "-stacked")
        # Beside the list at 100 columns the ranking needs the room more than the criteria's labels.
        self.set_class(self.size.width < SLIM_BELOW, "-slim")

    def on_mount(self) -> None:
        if not self.app.is_running:
            # Quit while this panel mounted: Textual 8.2.8 still sends Mount, but the
            # children were never mounted (see fwtui.widgets.panes).
            return
        self._sync_use_case_highlight()
        self.watch(self.query_one("#use-cases", OptionList), "highlighted", self._use_case_highlighted, init=False)
        for control in (self.query_one(NeedsList), self.query_one(QuestionsList), self.query_one(KnowsList)):
            self.watch(control, "asked", self._control_asked, init=False)
        self.watch_ranking()

    def _control_asked(self, criteria: Criteria | None) -> None:
        if criteria is not None:
            self.asked = criteria

    def _sync_use_case_highlight(self) -> None:
        options = self.query_one("#use-cases", OptionList)
        target = self.criteria.use_case or NO_USE_CASE
        for index in range(options.option_count):
            if options.get_option_at_index(index).id == target:
                options.highlighted = index
                return

    def watch_ranking(self) -> None:
        if self.is_mounted:
            self.query_one(RankingView).show(self.criteria, self.ranking, self.hide_excluded)

    def watch_hide_excluded(self) -> None:
        self.watch_ranking()

    def show_criteria(self, criteria: Criteria) -> None:
        """Show the screen's criteria in every control (after any change, from here or elsewhere)."""
        self.criteria = criteria
        if not self.is_mounted:
            return
        self.query_one(NeedsList).show_criteria(criteria)
        self.query_one(KnowsList).show_criteria(criteria)
        questions = self.query_one(QuestionsList)
        questions.show_criteria(criteria)
        if questions.highlighted is not None and questions.has_focus:
            self._describe_question(questions.get_option_at_index(questions.highlighted).id or "")
        self._sync_use_case_highlight()

    def clear_use_case_filter(self) -> None:
        self.query_one("#use-case-filter", Input).value = ""

    @on(Input.Changed, "#use-case-filter")
    def _filter_use_cases(self, event: Input.Changed) -> None:
        """Typing narrows the list; it does not choose (enter or the arrows do)."""
        event.stop()
        self._use_case_query = event.value
        options = self.query_one("#use-cases", OptionList)
        self._filling = True
        try:
            options.set_options(self._use_case_options())
            self._sync_use_case_highlight()
        finally:
            self._filling = False

    @on(Input.Submitted, "#use-case-filter")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        options = self.query_one("#use-cases", OptionList)
        if options.option_count > 1 and self._use_case_query:
            options.highlighted = 1  # enter takes the first match
        focus_now(options)

    @on(OptionList.OptionHighlighted, "#questions")
    def _question_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        """Under the questions: what the highlighted one means, in the dataset's words."""
        event.stop()
        self._describe_question(event.option.id or "")

    def _describe_question(self, key: str) -> None:
        if key == STRICT:
            text = ("Strict musts: a must-have counts only when built in or from the framework's own project, "
                    "not through a community extension.")
        else:
            criterion = self.dataset.criterion(key)
            text = f"{criterion.title}: {criterion.description}" if criterion else ""
            current = getattr(self.criteria, key, None)
            if criterion and isinstance(current, str) and current in criterion.options:
                text += f" Now: {criterion.options[current]}."
        self.query_one("#question-help", Static).update(text)

    @on(OptionList.OptionSelected, "#use-cases")
    def _use_case_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()  # highlighting already chose it

    def _use_case_highlighted(self, index: int | None) -> None:
        options = self.query_one("#use-cases", OptionList)
        if self._filling or index is None or not 0 <= index < options.option_count:
            return
        chosen = options.get_option_at_index(index).id
        use_case = None if chosen == NO_USE_CASE else chosen
        if use_case != self.criteria.use_case:
            self.asked = replace(self.criteria, use_case=use_case)
