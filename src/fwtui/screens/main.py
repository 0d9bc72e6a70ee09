"""The main screen: the framework list beside the active pane, and the state they share.

Widgets post messages up (a mark, a highlight, new criteria, a spec choice);
this screen keeps the shared state, ranks, and pushes results down. A pane's
widget (and its module) is only created when the pane is first shown, so the
first screen does not pay for the others.
"""

from __future__ import annotations

from dataclasses import replace
from functools import partial
from itertools import islice
from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.events import Resize
from textual.message import Message
from textual.reactive import var
from textual.screen import Screen
from textual.timer import Timer
from textual.widget import AwaitMount, Widget
from textual.widgets import Footer, Header, Static

from fwtui import criteria as criteria_forms
from fwtui.decide import NO_RANKING, Criteria, Ranking, rank, what_would_change
from fwtui.model import Dataset, Framework
from fwtui.state import DEFAULT_MARKED, PANES, State, state_dir
from fwtui.widgets import focus_now
from fwtui.widgets.framework_list import FrameworkList

if TYPE_CHECKING:  # the panes' modules are imported when a pane is first shown
    from collections.abc import Callable

    from textual.widgets import TabbedContent

    from fwtui.widgets.compare import CompareTable
    from fwtui.widgets.decision import DecisionPanel
    from fwtui.widgets.details import FrameworkDetails
    from fwtui.widgets.explainer import Explainer

MIN_WIDTH, MIN_HEIGHT = 60, 15
FOOTER_PALETTE_WIDTH = 80  # the footer shows the palette's key from this width
DETAILS_DELAY = 0.06
PANE_KEYS = Binding.Group("Panes")
PANE_TITLES = {"details": "Details", "compare": "Compare", "explainer": "WSGI / ASGI", "decide": "Decide"}
PANE_FOCUS = {"details": "#details-view", "compare": "#compare-table", "explainer": "#explainer-view", "decide": "#use-cases"}  # a pane key's target


class MainScreen(Screen[None]):
    class Changed(Message):
        """What the screen shows has changed: the app saves its state soon (`snapshot_state`)."""

    BINDINGS = [
        Binding("slash", "focus_filter", "Filter", show=False, id="filter", tooltip="Filter the list: a name, a kind or a feature (orm, websocket, asgi)"),
        # Short descriptions, and the pane keys as one group (in the tabs' order, each named in its tooltip):
        # every pane's keys fit a footer of 80 columns.
        Binding("d", "pane('details')", "Details", group=PANE_KEYS, id="pane.details", tooltip="Details: everything about the highlighted framework"),
        Binding("t", "pane('compare')", "Compare", group=PANE_KEYS, id="pane.compare", tooltip="Compare: the marked frameworks side by side"),
        Binding("w", "pane('explainer')", "WSGI", group=PANE_KEYS, id="pane.explainer", tooltip="WSGI / ASGI: the two server interfaces explained"),
        Binding("r", "pane('decide')", "Decide", group=PANE_KEYS, id="pane.decide", tooltip="Decide: rank the frameworks for what you are building"),
        Binding("c", "copy", "Copy", id="copy", tooltip="Copy a Markdown summary of the pane"),
        Binding("f", "toggle_wide", "Wide", id="wide", tooltip="Hide or show the list, so the pane gets the full width"),
        Binding("u", "unmark_all", "Unmark", id="compare.unmark_all", tooltip="Unmark every framework"),
        Binding("o", "toggle_differences", "Differences", id="compare.only_differences",
                tooltip="Show only the rows where the marked frameworks differ"),
        Binding("m", "mark_top", "Top 3", id="decide.mark_top", tooltip="Mark the top three of the ranking for Compare"),
        Binding("h", "toggle_hide_excluded", "Hide", id="decide.hide_excluded", tooltip="Hide or show excluded frameworks, here and in the list"),
        Binding("n", "focus_criteria('needs')", "Needs", show=False, id="decide.focus_needs", tooltip="Go to the built-ins you need"),
        Binding("a", "focus_criteria('questions')", "Questions", show=False, id="decide.focus_questions", tooltip="Go to the questions"),
        Binding("k", "focus_criteria('knows')", "Team knows", show=False, id="decide.focus_knows", tooltip="Go to the frameworks your team knows"),
        Binding("x", "clear_criteria", "Reset", id="decide.clear", tooltip="Reset Decide: criteria, needs, hidden exclusions, the use-case filter"),
        Binding("l,escape", "focus_list", "Back to the list", show=False, id="list.focus"),
        *(
            # Not in the footer: the panel says "1-9 pick, 0 clears" over the use cases.
            Binding(str(n), f"use_case({n})", "Use case", show=False, key_display="1-9" if n == 1 else None, id=f"decide.use_case_{n}")
            for n in range(10)
        ),
    ]
    # Keys that belong to one pane: shown in the footer, and active, only there.
    PANE_ACTIONS = {
        "toggle_differences": "compare",
        "unmark_all": "compare",
        "mark_top": "decide",
        "toggle_hide_excluded": "decide",
        "clear_criteria": "decide",
        "use_case": "decide",
        "focus_criteria": "decide",
    }

    marked: var[tuple[str, ...]] = var((), init=False)
    criteria: var[Criteria] = var(Criteria(), init=False)
    ranking: var[Ranking] = var(NO_RANKING, init=False)
    hide_excluded: var[bool] = var(False, init=False)
    only_differences: var[bool] = var(False, init=False)
    wide: var[bool] = var(False, init=False)

    def __init__(self, dataset: Dataset, state: State) -> None:
        super().__init__()
        self.dataset = dataset
        ids = {f.id for f in dataset.frameworks}
        self.set_reactive(MainScreen.marked, tuple(i for i in state.marked if i in ids))
        self.set_reactive(MainScreen.criteria, criteria_forms.from_state(state, dataset))
        self.set_reactive(MainScreen.hide_excluded, state.hide_excluded)
        self.set_reactive(MainScreen.only_differences, state.only_differences)
        self.set_reactive(MainScreen.wide, state.wide)
        self.initial_pane = state.pane if state.pane in PANES else "details"
        # A pane key, or n, a or k, pressed before the panes were mounted: where the focus goes once they are
        # (a pane restored from the last session leaves it in the list).
        self._focus_once_mounted: Callable[[], object] | None = None
        self._details_timer: Timer | None = None
        self._what_if_done = False
        self._pane_widgets: dict[str, Widget] = {}  # pane widgets once mounted, by selector
        self._framework_list = FrameworkList(dataset.frameworks, id="list")
        self.initial_highlight = state.highlighted
        self._marks_restored = state.marked != DEFAULT_MARKED  # marks of last time, not the first start's

    def compose(self) -> ComposeResult:
        # Few widgets before the first paint: the screen lays the list and the
        # panes side by side itself, and the too-small notice is made when needed.
        yield Header()
        yield self._framework_list
        yield Footer(compact=True)

    def _mount_panes(self) -> None:
        """Add the tabbed panes once the list is on screen: the first paint does not wait for them."""
        if not self.is_attached:  # quit (or a signal) came before the first screen settled
            return
        from textual.widgets import TabPane

        from fwtui import tuning
        from fwtui.widgets.panes import Panes

        tuning.release_collector()  # the first paint is done: what building the panes leaves behind is collected

        panes = Panes(initial=self.initial_pane, id="panes")
        for pane, title in PANE_TITLES.items():
            # What `with TabPane(...)` does inside compose().
            panes.compose_add_child(TabPane(title, *([self._make_pane(pane)] if pane == self.initial_pane else []), id=pane))
        mounting = self.mount(panes, after=self.framework_list)
        if self._focus_once_mounted is not None:
            self.call_later(self._focus_when_mounted, mounting, self._focus_once_mounted)
        self.call_after_refresh(self._show_highlighted)
        self.call_after_refresh(tuning.settle_heap)

    def _make_pane(self, pane: str) -> Widget:
        """The widget of a pane, built from the current state."""
        if pane == "compare":
            from fwtui.widgets.compare import CompareTable

            table = CompareTable(self.dataset, self._marked_frameworks(), self.only_differences, id="compare-view")
            table.wide = self.wide  # whether `f` would give its columns more room; watch_wide keeps it so
            return table
        if pane == "explainer":
            from fwtui.widgets.explainer import Explainer

            return Explainer(self.dataset, id="explainer-view")
        if pane == "decide":
            from fwtui.widgets.decision import DecisionPanel

            self._ensure_what_if()
            panel = DecisionPanel(self.dataset, self.criteria, self.ranking, self.hide_excluded, id="decide-view")
            self.watch(panel, "asked", self._criteria_asked, init=False)
            return panel
        from fwtui.widgets.details import FrameworkDetails

        return FrameworkDetails(self.dataset, id="details-view")

    def on_mount(self) -> None:
        self.app.sub_title = f"{len(self.dataset.frameworks)} frameworks · data as of {self.dataset.meta.as_of.isoformat()}"
        self._rerank()
        framework_list = self.framework_list
        framework_list.marked = frozenset(self.marked)
        framework_list.hide_excluded = self.hide_excluded
        if self.initial_highlight:
            framework_list.highlight(self.initial_highlight)
        focus_now(framework_list.rows)
        self.set_class(self.wide, "-wide")
        self.call_after_refresh(self._mount_panes)
        self._tell_what_was_restored()

    def _tell_what_was_restored(self) -> None:
        """What came back from last time, where it differs from a first start, and how to undo each."""
        restored = []
        if self._marks_restored:
            names = ", ".join(self.dataset.framework(i).name for i in self.marked) or "none"
            restored.append(f"marks: {names} (u unmarks all)")
        if self.only_differences:
            restored.append("Compare shows only the rows that differ (o shows all)")
        if not self.criteria.is_empty():
            from fwtui.summary import criteria_lines  # summary waits until the first screen has painted, unless needed here

            restored.append("; ".join(criteria_lines(self.dataset, self.criteria)) + " (x in Decide resets it)")
        if restored:
            self.notify("Restored from last time: " + ". ".join(restored) + ".", title="Restored", markup=False, timeout=8)

    # State flowing down ----------------------------------------------------

    @property
    def framework_list(self) -> FrameworkList:
        return self._framework_list  # kept from compose: a query walks the whole DOM, and this is read on every key

    @property
    def active_pane(self) -> str:
        panes = self.query("#panes")
        return (cast("TabbedContent", panes.first()).active or self.initial_pane) if panes else self.initial_pane

    def _rerank(self) -> None:
        # What would change the answer costs more than the ranking (it ranks again for each single
        # change): it is worked out after the list's frame, with the panel's reasons.
        self._what_if_done = False
        self.ranking = rank(self.dataset, self.criteria, what_if=False)

    def _ensure_what_if(self) -> None:
        """Replace the ranking with the same one carrying what would change it (the list's order is the
        same, so the list is not told again)."""
        if not self._what_if_done:
            self._what_if_done = True
            if not self.criteria.is_empty():
                self.set_reactive(MainScreen.ranking, what_would_change(self.dataset, self.criteria, self.ranking))

    def _criteria_asked(self, criteria: Criteria | None) -> None:
        """The decision panel asks for new criteria (its `asked`); the screen owns them and pushes them back down."""
        if criteria is not None:
            self.criteria = criteria

    def watch_criteria(self) -> None:
        self._rerank()
        if panel := self._decision_panel():
            panel.show_criteria(self.criteria)
        self.post_message(self.Changed())

    def _pane_widget(self, selector: str) -> Widget | None:
        """A pane's widget, or None while that pane has not been shown yet.

        Kept once found: a criteria key asks for the decision panel, and a query
        walks the whole screen."""
        widget = self._pane_widgets.get(selector)
        if widget is None or not widget.is_attached:
            found = self.query(selector)
            widget = found.first() if found else None
            if widget is not None:
                self._pane_widgets[selector] = widget
        return widget

    def _decision_panel(self) -> DecisionPanel | None:
        return cast("DecisionPanel | None", self._pane_widget("#decide-view"))

    def _compare_table(self) -> CompareTable | None:
        return cast("CompareTable | None", self._pane_widget("#compare-view"))

    def _details(self) -> FrameworkDetails | None:
        return cast("FrameworkDetails | None", self._pane_widget("#details-view"))

    def _marked_frameworks(self) -> list[Framework]:
        return [self.dataset.framework(i) for i in self.marked]

    def watch_ranking(self) -> None:
        self.framework_list.ranking = None if self.criteria.is_empty() else self.ranking
        # The list is redrawn in this frame; the panel's reasons (many lines) a moment
        # after it is drawn, so that rendering them does not hold up its writing out.
        self.call_after_refresh(self.set_timer, 0.002, self._push_ranking_to_panel)

    def _push_ranking_to_panel(self) -> None:
        if panel := self._decision_panel():
            self._ensure_what_if()
            panel.ranking = self.ranking

    def watch_marked(self) -> None:
        self.framework_list.marked = frozenset(self.marked)
        if table := self._compare_table():
            table.frameworks = tuple(self._marked_frameworks())
        self.post_message(self.Changed())

    def watch_hide_excluded(self, value: bool) -> None:
        self.framework_list.hide_excluded = value
        if panel := self._decision_panel():
            panel.hide_excluded = value
        self.post_message(self.Changed())

    def watch_only_differences(self, value: bool) -> None:
        if table := self._compare_table():
            table.only_differences = value
        self.post_message(self.Changed())

    def watch_wide(self, value: bool) -> None:
        self.set_class(value, "-wide")
        if table := self._compare_table():
            table.wide = value
        self.post_message(self.Changed())

    def _show_highlighted(self) -> None:
        framework_id = self.framework_list.highlighted_id
        details = self._details()
        if framework_id and details is not None:
            details.show(self.dataset.framework(framework_id))

    # Messages coming up ------------------------------------------------------

    @on(FrameworkList.Highlighted)
    def _highlighted(self) -> None:
        # The list moves at once; the record follows when the cursor rests, so
        # holding an arrow key or typing a filter never waits on a full redraw.
        if self._details_timer is not None:
            self._details_timer.stop()
        self._details_timer = self.set_timer(DETAILS_DELAY, self._show_highlighted)
        self.post_message(self.Changed())

    @on(FrameworkList.Opened)
    async def _opened(self) -> None:
        await self.action_pane("details")
        self._show_highlighted()

    @on(FrameworkList.MarkToggled)
    def _mark_toggled(self, event: FrameworkList.MarkToggled) -> None:
        framework_id = event.framework_id
        if framework_id in self.marked:
            self.marked = tuple(i for i in self.marked if i != framework_id)
        else:
            self.marked = (*self.marked, framework_id)

    # Handlers by name: the pane widgets' modules are imported only when needed.
    def on_explainer_spec_chosen(self, event: Explainer.SpecChosen) -> None:
        self.framework_list.spec = event.spec

    def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        self._ensure_pane(event.pane.id or "")
        self.refresh_bindings()  # the footer shows the keys of the pane now shown
        self.post_message(self.Changed())

    def _ensure_pane(self, pane_id: str) -> AwaitMount | None:
        """Mount a pane's widget the first time the pane is shown."""
        found = self.query(f"#{pane_id}")
        pane = found.first() if found else None
        if pane_id not in PANE_TITLES or pane is None or pane.children:
            return None
        mounting = pane.mount(self._make_pane(pane_id))
        if pane_id == "details":
            self.call_after_refresh(self._show_highlighted)
        return mounting

    def on_resize(self, event: Resize) -> None:
        small = event.size.width < MIN_WIDTH or event.size.height < MIN_HEIGHT
        if small and not self.query("#too-small"):
            notice = f"Terminal too small: fwtui needs at least {MIN_WIDTH}x{MIN_HEIGHT}. Enlarge the window, or press q to quit."
            self.mount(Static(Text(notice), id="too-small"), before=self.framework_list)
        self.set_class(small, "-too-small")
        self.set_class(event.size.width < 100, "-narrow")
        self.set_class(event.size.height < 30, "-short")
        # Under 80 columns the pane's own keys need the room of the palette's key (Ctrl+P still opens it, and help says so).
        self.query_one(Footer).show_command_palette = event.size.width >= FOOTER_PALETTE_WIDTH

    # Actions -----------------------------------------------------------------

    def action_focus_filter(self) -> None:
        self.framework_list.focus_filter()

    def action_focus_list(self) -> None:
        focus_now(self.framework_list.rows)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        pane = self.PANE_ACTIONS.get(action)
        if pane is not None:
            return self.active_pane == pane
        return True

    def action_focus_criteria(self, which: str) -> None:
        """n, a and k: the needs, the questions, what the team knows, wherever the focus was."""
        if panel := self._decision_panel():
            target = panel.query_one(f"#{which}")
            focus_now(target, scroll_visible=False)
            target.scroll_visible(animate=False)
        elif not self.query("#panes"):
            self._focus_once_mounted = partial(self.action_focus_criteria, which)

    def action_use_case(self, number: int) -> None:
        """1-9 choose the dataset's use cases in order; 0 clears the choice."""
        use_cases = self.dataset.use_cases
        if number > len(use_cases):
            self.notify(f"There are {len(use_cases)} use cases; the arrows reach every one.", markup=False)
            return
        self.criteria = replace(self.criteria, use_case=use_cases[number - 1].id if number else None)

    async def action_pane(self, pane: str) -> None:
        if not self.query("#panes"):
            # The panes are not mounted yet: they will open on this one, with the focus in it.
            self.initial_pane = pane
            self._focus_once_mounted = partial(self._focus_pane, pane)
            return
        mounting = self._ensure_pane(pane)
        if mounting is not None:
            await mounting
        cast("TabbedContent", self.query_one("#panes")).active = pane
        self._focus_pane(pane)

    def _focus_pane(self, pane: str) -> None:
        # Without scrolling to it: a pane opens at its top, where its first control is, and a scroll
        # worked out while a just-mounted pane is laid out would hide the controls' headings.
        focus_now(self.query_one(PANE_FOCUS[pane]), scroll_visible=False)

    async def _focus_when_mounted(self, mounting: AwaitMount, focus: Callable[[], object]) -> None:
        """A key that moves the focus, pressed before the panes were up: it is done once they are
        laid out. The decision panel's columns get their height a refresh after the panes do, and
        k scrolls the team's list into view, which needs it."""
        await mounting
        if self.is_attached:
            self.call_after_refresh(self.call_after_refresh, focus)

    def action_toggle_differences(self) -> None:
        if len(self.marked) < 2:
            self.notify("Only differences needs two or more marked frameworks: mark them with space in the list.", markup=False)
            return
        self.only_differences = not self.only_differences
        self.notify("Comparison: only rows that differ." if self.only_differences else "Comparison: all rows.", markup=False)

    async def action_toggle_wide(self) -> None:
        self.wide = not self.wide
        if self.wide and self.framework_list.has_focus_within:
            await self.action_pane(self.active_pane)  # the hidden list cannot keep the focus

    def action_unmark_all(self) -> None:
        self.marked = ()
        self.notify("All marks cleared: space marks frameworks in the list, m in Decide marks its top 3.", markup=False)

    def action_mark_top(self) -> None:
        top = [entry.framework.id for entry in islice((e for e in self.ranking if not e.excluded), 3)]
        if self.criteria.is_empty() or not top:
            self.notify("Nothing ranked yet: pick a use case or needs first.", markup=False)
            return
        before, self.marked = self.marked, tuple(top)
        names = ", ".join(self.dataset.framework(i).name for i in top)
        replaced = [self.dataset.framework(i).name for i in before if i not in top]
        told = f" They replace your marks on {', '.join(replaced)}." if replaced else ""
        self.notify(f"Marked for Compare: {names}.{told} t shows them.", markup=False)

    def action_toggle_hide_excluded(self) -> None:
        self.hide_excluded = not self.hide_excluded
        self.notify("Excluded frameworks hidden." if self.hide_excluded else "Excluded frameworks shown, dimmed.", markup=False)

    def action_clear_criteria(self) -> None:
        """Reset everything in Decide: criteria, needs, hidden exclusions and the use-case filter."""
        self.criteria = Criteria()
        self.hide_excluded = False
        if panel := self._decision_panel():
            panel.clear_use_case_filter()
        self.notify("Decide reset: nothing asked, nothing scored.", markup=False)

    def summary_text(self) -> str:
        """Markdown of what the active pane shows."""
        from fwtui import summary

        self._ensure_what_if()
        pane = self.active_pane
        if pane == "compare":
            frameworks = self._marked_frameworks()
            if not frameworks:
                return summary.list_markdown(self.dataset, self.dataset.frameworks)
            return summary.compare_markdown(self.dataset, frameworks, self.only_differences)
        if pane == "explainer":
            return summary.explainer_markdown(self.dataset)
        if pane == "decide":
            return summary.ranking_markdown(self.dataset, self.criteria, self.ranking)
        framework_id = self.framework_list.highlighted_id
        if framework_id is None:
            return summary.list_markdown(self.dataset, self.dataset.frameworks)
        return summary.framework_markdown(self.dataset, self.dataset.framework(framework_id))

    def action_copy(self) -> None:
        from fwtui import clipboard

        text = self.summary_text()
        fits = len(text.encode("utf-8")) <= clipboard.OSC52_LIMIT
        if fits:
            self.app.copy_to_clipboard(text)
        self._deliver(text, fits)

    @work(thread=True, exclusive=True, group="copy")
    def _deliver(self, text: str, osc52_sent: bool) -> None:
        from fwtui import clipboard

        if self.app.is_web:
            from fwtui.web import page_is_secure

            result = clipboard.deliver_in_browser(text, osc52_sent, page_is_secure(), self._offer_download)
        else:
            result = clipboard.deliver(text, osc52_sent, state_dir() / "summaries")
        title = {"details": "Framework record", "compare": "Comparison", "explainer": "WSGI/ASGI", "decide": "Decision"}
        self.app.call_from_thread(
            self.notify, result.message(), title=f"{title.get(self.active_pane, 'Summary')} summary",
            severity=result.severity, markup=False, timeout=8,
        )

    def _offer_download(self, text: str, name: str) -> None:
        """In a browser: Textual's deliver_text has the page download the summary (called from the copy thread)."""
        import io

        self.app.call_from_thread(self.app.deliver_text, io.StringIO(text), save_filename=name, mime_type="text/markdown")

    def snapshot_state(self, state: State) -> State:
        """`state` updated with what this screen shows now."""
        return replace(
            criteria_forms.into_state(state, self.criteria),
            marked=self.marked,
            pane=self.active_pane,
            hide_excluded=self.hide_excluded,
            only_differences=self.only_differences,
            wide=self.wide,
            highlighted=self.framework_list.highlighted_id or "",
        )

