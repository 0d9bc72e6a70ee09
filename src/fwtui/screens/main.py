"""The main screen: the framework list beside the active pane, and the state they share.

Widgets post messages up (a mark, a highlight, new criteria, a spec choice);
this screen keeps the shared state, ranks, and pushes results down.
"""

from __future__ import annotations

from dataclasses import replace

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.events import Resize
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Footer, Header, Static, TabbedContent, TabPane

from fwtui import clipboard, summary
from fwtui.decide import Criteria, Ranked, rank
from fwtui.model import Dataset
from fwtui.state import PANES, State, state_dir
from fwtui.widgets.compare import CompareTable
from fwtui.widgets.decision import DecisionPanel
from fwtui.widgets.details import FrameworkDetails
from fwtui.widgets.explainer import Explainer
from fwtui.widgets.framework_list import FrameworkList

MIN_WIDTH, MIN_HEIGHT = 60, 15
PANE_TITLES = {"details": "Details", "compare": "Compare", "explainer": "WSGI / ASGI", "decide": "Decide"}


class MainScreen(Screen[None]):
    BINDINGS = [
        Binding("slash", "focus_filter", "Filter", id="filter"),
        Binding("d", "pane('details')", "Details", id="pane.details"),
        Binding("t", "pane('compare')", "Compare", id="pane.compare"),
        Binding("w", "pane('explainer')", "WSGI", id="pane.explainer"),
        Binding("r", "pane('decide')", "Decide", id="pane.decide"),
        Binding("c", "copy", "Copy", id="copy"),
        Binding("o", "toggle_differences", "Only differences", show=False, id="compare.only_differences"),
        Binding("h", "toggle_hide_excluded", "Hide excluded", show=False, id="decide.hide_excluded"),
        Binding("x", "clear_criteria", "Clear criteria", show=False, id="decide.clear"),
        Binding("l", "focus_list", "Focus list", show=False, id="list.focus"),
    ]

    marked: reactive[tuple[str, ...]] = reactive((), init=False)
    criteria: reactive[Criteria] = reactive(Criteria(), init=False)
    ranking: reactive[tuple[Ranked, ...]] = reactive((), init=False)
    hide_excluded: reactive[bool] = reactive(False, init=False)
    only_differences: reactive[bool] = reactive(False, init=False)

    def __init__(self, dataset: Dataset, state: State) -> None:
        super().__init__()
        self.dataset = dataset
        ids = {f.id for f in dataset.frameworks}
        self.set_reactive(MainScreen.marked, tuple(i for i in state.marked if i in ids))
        self.set_reactive(MainScreen.criteria, self._criteria_from(state))
        self.set_reactive(MainScreen.hide_excluded, state.hide_excluded)
        self.set_reactive(MainScreen.only_differences, state.only_differences)
        self.initial_pane = state.pane if state.pane in PANES else "details"
        self.initial_highlight = state.highlighted

    def _criteria_from(self, state: State) -> Criteria:
        use_cases = {u.id for u in self.dataset.use_cases}
        return Criteria(
            use_case=state.use_case if state.use_case in use_cases else None,
            needs=state.needs,
            interface=state.interface or None,
            team=state.team or None,
            async_comfort=state.async_comfort or None,
            performance=state.performance or None,
            maintenance=state.maintenance or None,
        )

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(Text(f"Terminal too small: fwtui needs at least {MIN_WIDTH}x{MIN_HEIGHT}. Enlarge the window, or press q to quit."), id="too-small")
        with Horizontal(id="main"):
            yield FrameworkList(self.dataset.frameworks, id="list")
            with TabbedContent(initial=self.initial_pane, id="panes"):
                with TabPane(PANE_TITLES["details"], id="details"):
                    yield FrameworkDetails(self.dataset, id="details-view")
                with TabPane(PANE_TITLES["compare"], id="compare"):
                    yield CompareTable(self.dataset, id="compare-view")
                with TabPane(PANE_TITLES["explainer"], id="explainer"):
                    yield Explainer(self.dataset, id="explainer-view")
                with TabPane(PANE_TITLES["decide"], id="decide"):
                    yield DecisionPanel(self.dataset, self.criteria, id="decide-view")
        yield Footer()

    def on_mount(self) -> None:
        self.app.sub_title = f"{len(self.dataset.frameworks)} frameworks · data as of {self.dataset.meta.as_of.isoformat()}"
        self._rerank()
        self._push_marked()
        framework_list = self.query_one(FrameworkList)
        framework_list.hide_excluded = self.hide_excluded
        self.query_one(CompareTable).only_differences = self.only_differences
        self.query_one(DecisionPanel).hide_excluded = self.hide_excluded
        if self.initial_highlight:
            framework_list.highlight(self.initial_highlight)
        self._show_highlighted()
        framework_list.option_list.focus()

    # State flowing down ----------------------------------------------------

    @property
    def active_pane(self) -> str:
        return self.query_one("#panes", TabbedContent).active or "details"

    def _rerank(self) -> None:
        self.ranking = tuple(rank(self.dataset, self.criteria))

    def watch_criteria(self) -> None:
        self._rerank()
        self.app.save_soon()

    def watch_ranking(self) -> None:
        self.query_one(FrameworkList).ranking = () if self.criteria.is_empty() else self.ranking
        self.query_one(DecisionPanel).ranking = self.ranking

    def watch_marked(self) -> None:
        self._push_marked()
        self.app.save_soon()

    def _push_marked(self) -> None:
        self.query_one(FrameworkList).marked = frozenset(self.marked)
        self.query_one(CompareTable).set_frameworks([self.dataset.framework(i) for i in self.marked])

    def watch_hide_excluded(self, value: bool) -> None:
        self.query_one(FrameworkList).hide_excluded = value
        self.query_one(DecisionPanel).hide_excluded = value
        self.app.save_soon()

    def watch_only_differences(self, value: bool) -> None:
        self.query_one(CompareTable).only_differences = value
        self.app.save_soon()

    def _show_highlighted(self) -> None:
        framework_id = self.query_one(FrameworkList).highlighted_id
        if framework_id:
            self.query_one(FrameworkDetails).show(self.dataset.framework(framework_id))

    # Messages coming up ------------------------------------------------------

    @on(FrameworkList.Highlighted)
    def _highlighted(self, event: FrameworkList.Highlighted) -> None:
        self.query_one(FrameworkDetails).show(self.dataset.framework(event.framework_id))
        self.app.save_soon()

    @on(FrameworkList.MarkToggled)
    def _mark_toggled(self, event: FrameworkList.MarkToggled) -> None:
        framework_id = event.framework_id
        if framework_id in self.marked:
            self.marked = tuple(i for i in self.marked if i != framework_id)
        else:
            self.marked = (*self.marked, framework_id)

    @on(DecisionPanel.CriteriaChanged)
    def _criteria_changed(self, event: DecisionPanel.CriteriaChanged) -> None:
        self.criteria = event.criteria

    @on(Explainer.SpecChosen)
    def _spec_chosen(self, event: Explainer.SpecChosen) -> None:
        self.query_one(FrameworkList).spec = event.spec

    @on(TabbedContent.TabActivated)
    def _tab_activated(self) -> None:
        self.app.save_soon()

    def on_resize(self, event: Resize) -> None:
        small = event.size.width < MIN_WIDTH or event.size.height < MIN_HEIGHT
        self.set_class(small, "-too-small")
        self.set_class(event.size.width < 100, "-narrow")

    # Actions -----------------------------------------------------------------

    def action_focus_filter(self) -> None:
        self.query_one(FrameworkList).focus_filter()

    def action_focus_list(self) -> None:
        self.query_one(FrameworkList).option_list.focus()

    def action_pane(self, pane: str) -> None:
        self.query_one("#panes", TabbedContent).active = pane
        target = {
            "details": "#details-view",
            "compare": "#compare-table",
            "explainer": "#explainer-view",
            "decide": "#use-cases",
        }[pane]
        self.query_one(target).focus()

    def action_toggle_differences(self) -> None:
        self.only_differences = not self.only_differences
        self.notify("Comparison: only rows that differ." if self.only_differences else "Comparison: all rows.", markup=False)

    def action_toggle_hide_excluded(self) -> None:
        self.hide_excluded = not self.hide_excluded
        self.notify("Excluded frameworks hidden." if self.hide_excluded else "Excluded frameworks shown, dimmed.", markup=False)

    def action_clear_criteria(self) -> None:
        self.criteria = Criteria()
        self.query_one(DecisionPanel).reset(self.criteria)

    def summary_text(self) -> str:
        """Markdown of what the active pane shows."""
        pane = self.active_pane
        if pane == "compare":
            frameworks = [self.dataset.framework(i) for i in self.marked]
            if not frameworks:
                return summary.list_markdown(self.dataset, self.dataset.frameworks)
            return summary.compare_markdown(self.dataset, frameworks, self.only_differences)
        if pane == "explainer":
            return summary.explainer_markdown(self.dataset)
        if pane == "decide":
            return summary.ranking_markdown(self.dataset, self.criteria, self.ranking)
        framework_id = self.query_one(FrameworkList).highlighted_id
        if framework_id is None:
            return summary.list_markdown(self.dataset, self.dataset.frameworks)
        return summary.framework_markdown(self.dataset, self.dataset.framework(framework_id))

    def action_copy(self) -> None:
        text = self.summary_text()
        fits = len(text.encode("utf-8")) <= clipboard.OSC52_LIMIT
        if fits:
            self.app.copy_to_clipboard(text)
        self._deliver(text, fits)

    @work(thread=True, exclusive=True, group="copy")
    def _deliver(self, text: str, osc52_sent: bool) -> None:
        result = clipboard.deliver(text, osc52_sent, state_dir() / "summaries")
        title = {"details": "Framework record", "compare": "Comparison", "explainer": "WSGI/ASGI", "decide": "Decision"}
        self.app.call_from_thread(
            self.notify, result.message(), title=f"{title.get(self.active_pane, 'Summary')} summary",
            severity=result.severity, markup=False, timeout=8,
        )

    def snapshot_state(self, state: State) -> State:
        """`state` updated with what this screen shows now."""
        c = self.criteria
        return replace(
            state,
            marked=self.marked,
            pane=self.active_pane,
            use_case=c.use_case or "",
            needs=c.needs,
            interface=c.interface or "",
            team=c.team or "",
            async_comfort=c.async_comfort or "",
            performance=c.performance or "",
            maintenance=c.maintenance or "",
            hide_excluded=self.hide_excluded,
            only_differences=self.only_differences,
            highlighted=self.query_one(FrameworkList).highlighted_id or "",
        )

