"""The framework list: a live filter box over a virtualised list with badges and marks.

The rows are drawn with Textual's line API, so only the visible lines are
rendered: filtering or re-ranking 10,000 frameworks costs a list comprehension,
not 10,000 widgets. The list owns the filter text and posts `Highlighted` and
`MarkToggled`; the screen owns what is marked, the ranking and the spec
highlight, and pushes them down.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import NamedTuple

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.cache import LRUCache
from textual.containers import Vertical
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import Reactive, var
from textual.strip import Strip
from textual.widgets import Input, Static

from fwtui.decide import Ranking
from fwtui.model import Framework
from fwtui.text import fit
from fwtui.vocabulary import BUILTIN_SHORT_LABELS, BUILTINS, KIND_BADGES, LEVEL_GLYPHS, LEVEL_STYLES, builtin_label
from fwtui.widgets import focus_now
from fwtui.widgets.lines import KeptLinesView, set_virtual_height

INTERFACE_BADGES = {"wsgi": "W", "asgi": "A", "own-server": "S"}
_WORD = re.compile(r"[a-z0-9]+")
_TERM = re.compile(r"[a-z0-9]+[!+]?")  # a word, perhaps asking for built-in only (!) or extensions too (+)
SHOWN_MEMORY = 64  # filtered row lists kept for queries typed before

# The words that name a built-in (its key, its label, its short label): a query word that starts
# one of them asks for the built-in, judged by its level, not by where else the word appears.
FEATURE_WORDS: dict[str, tuple[str, ...]] = {
    # A label of two words ("request validation") gives none: its words are too general.
    need: tuple(dict.fromkeys(_WORD.findall(" ".join(
        (need.replace("_", " "), BUILTIN_SHORT_LABELS[need], "" if " " in builtin_label(need) else builtin_label(need))).lower())))
    for need in BUILTINS
}
_FEATURE_VOCABULARY = frozenset(word for words in FEATURE_WORDS.values() for word in words)


class SearchWords(NamedTuple):
    """What a filter can match, each word after a NUL so that "does a word start with X" is one
    substring search: `plain` with the built-ins a plain word accepts, `strict` the built-in ones
    alone, `loose` with every built-in a framework can have; `features` and `all_features` the
    built-ins of `plain` and `loose` without the other words, for a word that names a built-in
    whole ("ws" asks for WebSockets, not for WSGI)."""

    plain: str
    strict: str
    loose: str
    features: str
    all_features: str


# Which of the SearchWords a word with this ending looks in: one that starts a built-in's name
# (perhaps still being typed), and one that is a built-in's name whole.
_FIELDS = {"": 0, "!": 1, "+": 2}
_WHOLE_FIELDS = {"": 3, "!": 1, "+": 4}


class Term(NamedTuple):
    """One word of the filter: its letters, its ending (`!`, `+` or none) and the built-ins it names."""

    stem: str
    ending: str
    features: tuple[str, ...]


def parse(value: str) -> tuple[str, ...]:
    """The query words of what was typed, in lower case, each with its `!` or `+`."""
    return tuple(_TERM.findall(value.lower()))


def term(word: str) -> Term:
    stem, ending = (word[:-1], word[-1]) if word[-1] in "!+" else (word, "")
    return Term(stem, ending, tuple(need for need, words in FEATURE_WORDS.items() if any(w.startswith(stem) for w in words)))


def search_words(framework: Framework) -> SearchWords:
    """The words of a framework (name, tagline, kind, tags, interfaces) and of its built-ins by level.

    A word naming a built-in is left out of the plain words: "orm" in a tagline or a
    tag does not stand in for the framework's ORM level.
    """
    parts = [framework.id, framework.name, framework.tagline, framework.kind, " ".join(framework.tags)]
    parts += [i.replace("own-server", "own server") for i in framework.interfaces]
    plain = words_of(*parts, skip=_FEATURE_VOCABULARY)
    by_level = {level: words_of(*(" ".join(FEATURE_WORDS[need]) for need, got in framework.builtins.items() if got == level))
                for level in ("built-in", "first-party", "extension")}
    accepted = by_level["built-in"] + by_level["first-party"]
    return SearchWords(plain + accepted, by_level["built-in"], plain + accepted + by_level["extension"],
                       accepted, accepted + by_level["extension"])


def words_of(*texts: str, skip: frozenset[str] = frozenset()) -> str:
    """The words of `texts` in the form `matches` searches: each after a NUL, lower case, once."""
    found = dict.fromkeys(_WORD.findall(" ".join(texts).lower()))
    return "".join(f"\0{word}" for word in found if word not in skip)


def narrows(before: Sequence[str], after: Sequence[str]) -> bool:
    """Whether every framework `after` matches also matches `before`: the same words, the last one
    perhaps longer or ending in "!", perhaps more words after it (a "+" widens, so it never narrows)."""
    if not before or len(after) < len(before):
        return False
    last = len(before) - 1
    old, new = before[last], after[last]
    # "+" widens; so does a longer word after a built-in's whole name ("ws" asks for WebSockets,
    # "wsg" for any word starting so).
    widened = (new.endswith("+") and not old.endswith("+")) or (old.rstrip("!+") in _FEATURE_VOCABULARY and new.rstrip("!+") != old.rstrip("!+"))
    return tuple(after[:last]) == tuple(before[:last]) and new.startswith(old) and not widened


def needles(query: Sequence[str]) -> list[tuple[int, str]]:
    """For each query word, which of the SearchWords to look in and what to look for: the word
    after a NUL, i.e. at the start of a word. An ending only counts on a word naming a built-in."""
    found = []
    for word in query:
        stem, ending, features = term(word)
        fields = _WHOLE_FIELDS if stem in _FEATURE_VOCABULARY else _FIELDS
        found.append((fields[ending] if features else 0, f"\0{stem}"))
    return found


def matches(words: SearchWords | str, query: Sequence[str]) -> bool:
    """Every query word is the start of some word of the framework (of a built-in at a level it
    accepts); of plain `words_of` text (a use case's), the start of some word of it."""
    if isinstance(words, str):
        return all(f"\0{word.rstrip('!+')}" in words for word in query)
    return all(needle in words[field] for field, needle in needles(query))


def asked_features(query: Sequence[str]) -> tuple[str, ...]:
    """The built-ins the query words name, in the order asked, once each."""
    return tuple(dict.fromkeys(need for word in query for need in term(word).features))


MARK = (Segment("○ ", Style(dim=True)), Segment("● ", Style(bold=True, color="yellow")))
NAME_STYLES = (Style(bold=True), Style(bold=True, reverse=True))
KIND_STYLE, BADGE_STYLE = Style(italic=True, dim=True), Style(color="cyan")
SCORE_STYLE, EXCLUDED_STYLE, DIM = Style(color="green"), Style(color="red"), Style(dim=True)

# What the row's glyphs and badges mean, in lines that fit the narrow list (29 cells).
_LEGEND: tuple[tuple[tuple[str, Style], ...], ...] = (
    (("space ●", MARK[1].style or DIM), (" mark  ", DIM), ("W", BADGE_STYLE), (" WSGI  ", DIM), ("A", BADGE_STYLE), (" ASGI", DIM)),
    (("S", BADGE_STYLE), (" own server  ", DIM), ("full", KIND_STYLE), (" full-stack", DIM)),
    (("net", KIND_STYLE), (" async networking", DIM)),
)

# While the filter names a built-in: what its glyphs mean, and the stricter and looser forms.
_FEATURE_LEGEND: tuple[tuple[tuple[str, Style], ...], ...] = (
    ((LEVEL_GLYPHS["built-in"], Style.parse(LEVEL_STYLES["built-in"])), (" built in  ", DIM),
     (LEVEL_GLYPHS["first-party"], Style.parse(LEVEL_STYLES["first-party"])), (" first-party", DIM)),
    (("orm!", BADGE_STYLE), (" built in only", DIM)),
    (("orm+", BADGE_STYLE), (" with extensions ", DIM), (LEVEL_GLYPHS["extension"], Style.parse(LEVEL_STYLES["extension"]))),
)


def legend(features: bool = False) -> Text:
    """The glyphs of the rows; with `features`, of the built-ins the filter asks for."""
    return Text("\n").join(Text.assemble(*line) for line in (_FEATURE_LEGEND if features else _LEGEND))


def heading(ranked: bool, asked: Sequence[str] = ()) -> str:
    """The column headings, over the columns that row_segments draws; Score only once there are
    scores; while the filter asks for built-ins, their short names in place of Kind."""
    if asked:
        return f"   {'Framework':<12} " + (f"{'Score':>6}" if ranked else " " * 6) + "".join(f" {BUILTIN_SHORT_LABELS[n]}" for n in asked)
    return f"   {'Framework':<12} {'Kind':<5} " + (f"{'Score':>6}" if ranked else "")


def row_segments(
    framework: Framework, score: int | None, excluded: bool, marked: bool, lit: bool, asked: Sequence[str] = ()
) -> list[Segment]:
    """One list row: mark, name (reversed when it speaks the explained spec), kind, interfaces,
    the score or the cross of an exclusion (neither before anything is asked); while the filter
    asks for built-ins, how the framework provides each (a glyph under its name in the heading)
    in place of the kind, so that the row still fits the narrow list."""
    badges = "".join(INTERFACE_BADGES.get(i, "?") for i in framework.interfaces)
    segments = [
        Segment(" "),
        MARK[marked],
        # By terminal cells, not characters: a CJK name, an emoji or a combining mark keeps the columns in line.
        Segment(fit(framework.name, 12) + " ", NAME_STYLES[lit]),
    ]
    if not asked:
        segments.append(Segment(fit(KIND_BADGES.get(framework.kind, framework.kind), 5) + " ", KIND_STYLE))
    segments.append(Segment(f"{badges:<3}", BADGE_STYLE))
    if excluded:
        segments.append(Segment(" ✗ ", EXCLUDED_STYLE))
    elif score is not None:  # None as well when an interface, asked alone, filters without scoring
        segments.append(Segment(f"{score:>3}", SCORE_STYLE))
    elif asked:
        segments.append(Segment("   "))  # the glyphs stay under their names
    for need in asked:
        level = framework.level(need)
        segments += [Segment(" "), Segment(LEVEL_GLYPHS[level].ljust(len(BUILTIN_SHORT_LABELS[need])), Style.parse(LEVEL_STYLES[level]))]
    if excluded:
        return [Segment(text, (style or Style()) + DIM) for text, style, _ in segments]
    return segments


class FrameworkRows(KeptLinesView, can_focus=True):
    """One line per framework; only the lines on screen are ever rendered.

    A row is an index into `frameworks`, the dataset's, which the ranking's columns
    are indexed by too.
    """

    COMPONENT_CLASSES = {"framework-rows--cursor"}
    DEFAULT_CSS = """
    FrameworkRows { background: $surface; overflow-x: hidden; }
    FrameworkRows > .framework-rows--cursor { background: $block-cursor-blurred-background; }
    FrameworkRows:focus > .framework-rows--cursor {
        background: $block-cursor-background;
        color: $block-cursor-foreground;
    }
    """
    BINDINGS = [
        Binding("up", "move(-1)", "Up", show=False),
        Binding("down", "move(1)", "Down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("home", "jump(0)", "First", show=False),
        Binding("end", "jump(-1)", "Last", show=False),
        Binding("enter", "select", "Open", show=False),
    ]

    class Moved(Message):
        """The cursor is on another framework (or on none)."""

    class Chosen(Message):
        """Enter or a click on the framework under the cursor."""

    cursor: var[int] = var(0, init=False)

    def __init__(self, frameworks: tuple[Framework, ...], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.frameworks = frameworks
        self.rows: Sequence[int] = []
        self.ranking: Ranking | None = None  # None: nothing asked, no scores or crosses
        self.marked: frozenset[str] = frozenset()
        self.spec = ""
        self.asked: tuple[str, ...] = ()  # the built-ins the filter names, shown on every row
        # A framework's line by what it shows and whether the cursor is on it; kept
        # across filtering and re-ranking (a key only draws rows not seen before),
        # dropped when the width or the styles change.
        self._strips: LRUCache[tuple[str, bool, bool, int | None, bool, bool, tuple[str, ...]], Strip] = LRUCache(4096)
        self._styles: tuple[Style, Style] | None = None

    @property
    def current(self) -> Framework | None:
        return self.frameworks[self.rows[self.cursor]] if 0 <= self.cursor < len(self.rows) else None

    def show(
        self, rows: Sequence[int], ranking: Ranking | None, marked: frozenset[str], spec: str, asked: tuple[str, ...], keep: int | None
    ) -> None:
        """Replace the rows, keeping the cursor on framework `keep` if it is still listed."""
        before = self.current
        self.rows, self.ranking, self.marked, self.spec, self.asked = rows, ranking, marked, spec, asked
        set_virtual_height(self, len(rows))
        try:
            index = rows.index(keep) if keep is not None else 0
        except ValueError:
            index = 0
        if index == self.cursor and self.current is not before:  # the same place, another framework
            self._cursor_moved()
        self.cursor = index
        self.refresh()

    def render_line(self, y: int) -> Strip:
        index = self.scroll_offset.y + y
        if self._styles is None:
            base = self.rich_style
            self._styles = (base, base + self.get_component_rich_style("framework-rows--cursor"))
        under_cursor = index == self.cursor
        style = self._styles[under_cursor]
        if index >= len(self.rows):
            return Strip.blank(self.size.width, style)
        at = self.rows[index]
        framework, ranking = self.frameworks[at], self.ranking
        score = ranking.scores[at] if ranking is not None and ranking.scores is not None else None
        excluded = ranking is not None and ranking.excluded[at]
        marked, lit = framework.id in self.marked, bool(self.spec) and self.spec in framework.interfaces
        key = (framework.id, marked, lit, score, excluded, under_cursor, self.asked)
        strip = self._strips.get(key)
        if strip is None:
            segments = row_segments(framework, score, excluded, marked, lit, self.asked)
            strip = self._strips[key] = self._strip(segments, style)
        return strip

    def _strip(self, segments: list[Segment], style: Style) -> Strip:
        """The row at the view's width, built once (cell lengths counted here, not by Strip)."""
        width = self.size.width
        line = list(Segment.apply_style(segments, style))
        length = sum(cell_len(text) for text, _, _ in line)
        if length < width:
            # The room left is spaces in the last segment's style, not a segment of its own: a
            # space shows only its background, which every segment of a row shares, and a
            # segment fewer is one colour code fewer per row written to the terminal.
            text, last, _ = line[-1]
            line[-1] = Segment(text + " " * (width - length), last)
        strip = Strip(line, max(length, width))
        return strip.crop(0, width) if length > width else strip

    def notify_style_update(self) -> None:
        self._strips.clear()
        self._styles = None
        super().notify_style_update()

    def watch_cursor(self, old: int, new: int) -> None:
        top = self.scroll_offset.y
        self.scroll_to_region(Region(0, new, 1, 1), animate=False, force=True)
        if self.scroll_offset.y == top:
            # Only the two rows the cursor left and reached: refreshing the whole
            # view wrote every row on screen to the terminal again, about 7 KB for
            # a one-row move at 120 columns, where these two are about 0.5 KB.
            self.refresh_lines(old)
            self.refresh_lines(new)
        else:
            self.refresh()  # scrolled: every line on screen is another row
        self._cursor_moved()

    def _cursor_moved(self) -> None:
        self.post_message(self.Moved())

    def validate_cursor(self, value: int) -> int:
        return max(0, min(value, len(self.rows) - 1))

    def action_move(self, step: int) -> None:
        self.cursor += step

    def action_page(self, direction: int) -> None:
        self.cursor += direction * max(1, self.size.height - 1)

    def action_jump(self, index: int) -> None:
        self.cursor = index if index >= 0 else len(self.rows) - 1

    def action_select(self) -> None:
        if self.current is not None:
            self.post_message(self.Chosen())

    def on_click(self, event: events.Click) -> None:
        index = self.scroll_offset.y + event.y
        if 0 <= index < len(self.rows):
            self.cursor = index
            if event.chain > 1:
                self.post_message(self.Chosen())

    def on_resize(self) -> None:
        self._strips.clear()
        self._styles = None
        self.virtual_size = Size(0, len(self.rows))
        self.call_after_refresh(self._settle_scroll)

    def _settle_scroll(self) -> None:
        """After a resize, the least scroll that shows the cursor: the top of the ranking shows
        whenever the cursor is within the first screenful, never left under an old offset."""
        if self.cursor < self.size.height:
            self.scroll_to(y=0, animate=False, immediate=True)
        else:
            self.scroll_to_region(Region(0, self.cursor, 1, 1), animate=False, force=True, immediate=True)

class ListHeading(KeptLinesView):
    """The count line over the column headings, two lines drawn from kept strips.

    These were two Statics. A Static's update runs Textual's content pipeline again
    for its one line, and the count changes with every toggle and
    filter key; here a change makes two strips. A count wider than the list ends in
    an ellipsis, where the Static wrapped its last words out of sight.
    """

    COMPONENT_CLASSES = {"list-heading--count", "list-heading--columns"}
    DEFAULT_CSS = """
    ListHeading { height: 2; overflow: hidden hidden; }
    ListHeading > .list-heading--count { color: $text-muted; }
    ListHeading > .list-heading--columns { color: $text-muted; text-style: bold; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.count, self.scored = "", False
        self.asked: tuple[str, ...] = ()
        self._strips: list[Strip] | None = None
        self._styles: tuple[Style, Style, Style] | None = None  # worked out once, not per drawing

    def show(self, count: str, scored: bool, asked: tuple[str, ...] = ()) -> None:
        if (count, scored, asked) != (self.count, self.scored, self.asked):
            self.count, self.scored, self.asked = count, scored, asked
            self._strips = None
            self.refresh()

    def text(self) -> str:
        """The two lines as plain text (for tests)."""
        return "\n".join(self.render_line(y).text.rstrip() for y in range(2))

    def render_line(self, y: int) -> Strip:
        if self._strips is None:
            self._strips = self._draw()
        return self._strips[y] if y < len(self._strips) else Strip.blank(self.size.width, self.rich_style)

    def _draw(self) -> list[Strip]:
        if self._styles is None:
            base = self.rich_style
            count, columns = (self.get_component_rich_style(f"list-heading--{part}") for part in ("count", "columns"))
            self._styles = (base, base + count, base + columns)
        width, (base, count_style, columns_style) = self.size.width, self._styles
        strips = []
        lines = ((self.count, count_style, 1), (heading(self.scored, self.asked), columns_style, 0))
        for words, style, margin in lines:  # margin: the count's padding, as the Static had
            # Cut (with "…") only when it does not fit; the room left is padded below in the base style.
            shown = fit(words, width - 2 * margin, ellipsis=True) if cell_len(words) > width - 2 * margin else words
            segments = [Segment(" " * margin, base)] if margin else []
            segments.append(Segment(shown, style))
            strips.append(Strip(segments).adjust_cell_length(width, base))
        return strips

    def notify_style_update(self) -> None:
        self._strips = self._styles = None
        super().notify_style_update()

    def on_resize(self) -> None:
        self._strips = None


class FilterBox(Input):
    """The filter box: an Input whose typing never asks for a layout of the screen.

    Input records the width of its text as its virtual size (so it can scroll
    sideways), and Widget declares that reactive with layout=True: every key
    would lay out the whole screen again and redraw all of it. This box has a
    fixed size, so its virtual size only matters for scrolling, which reads the
    value directly.
    """

    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)

    def check_consume_key(self, key: str, character: str | None) -> bool:
        """`?` is left to the app's help binding: no filter word has one."""
        return character != "?" and super().check_consume_key(key, character)


class ListFilter(FilterBox):
    """The list's filter box. Its keys are shown in the footer while it has the focus, where the
    footer would show help alone: Textual leaves out every letter key the box takes."""

    BINDINGS = [Binding("escape", "leave", "Clear", id="list.clear"), Binding("enter", "submit", "To the list")]  # the list's keymap id

    class Left(Message):
        """Escape in the box: the list clears the filter and takes the focus."""

    def action_leave(self) -> None:
        self.post_message(self.Left())


class FrameworkList(Vertical):
    """Filter box, count line, the rows, and a legend."""

    BINDINGS = [
        Binding("space", "toggle_mark", "Mark", show=False, id="list.mark"),
        Binding("down", "cursor(1)", "Down", show=False),
        Binding("up", "cursor(-1)", "Up", show=False),
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

    class Opened(Message):
        """Enter or a double click on a framework: show its record."""

    marked: var[frozenset[str]] = var(frozenset(), init=False)
    ranking: var[Ranking | None] = var(None, init=False)  # None: nothing asked
    hide_excluded: var[bool] = var(False, init=False)
    spec: var[str] = var("", init=False)

    def __init__(self, frameworks: Sequence[Framework], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.frameworks = tuple(frameworks)  # the dataset's, in its order: a ranking's indices are into these
        self._index = {f.id: index for index, f in enumerate(self.frameworks)}
        self._words = [search_words(f) for f in self.frameworks]
        self._fields: list[list[str]] = [[] for _ in SearchWords._fields]  # each field as one list over the frameworks
        for words in self._words:
            for field, text in zip(self._fields, words, strict=True):
                field.append(text)
        self._query: tuple[str, ...] = ()
        self._narrowed_from: tuple[str, ...] = ()  # the query before the last key
        self._shown: dict[tuple[tuple[str, ...], bool], Sequence[int]] = {}
        self._composed = False
        self._rows: FrameworkRows | None = None
        self._heading = ListHeading(id="list-heading")
        self._last_highlight: str | None = None
        self._legend_features = False

    def compose(self) -> ComposeResult:
        # The placeholder fits the narrow list's box (25 cells); longer ones wrap out of sight.
        yield ListFilter(placeholder="/ filter: name, orm, orm!", id="filter")
        yield self._heading
        yield FrameworkRows(self.frameworks, id="frameworks")
        yield Static(legend(), id="list-legend")

    def on_mount(self) -> None:
        self._composed = True
        # Watched, not messaged: the list is filtered while the key is handled,
        # so the echo of the key and the new rows reach the screen in one frame.
        self.watch(self.query_one("#filter", Input), "value", self._filter_changed, init=False)
        self.refresh_options()

    @property
    def rows(self) -> FrameworkRows:
        if self._rows is None:
            self._rows = self.query_one("#frameworks", FrameworkRows)
        return self._rows

    @property
    def highlighted_id(self) -> str | None:
        current = self.rows.current if self._composed else None
        return current.id if current else None

    def visible_ids(self) -> list[str]:
        return [self.frameworks[index].id for index in self.rows.rows]

    def highlight(self, framework_id: str) -> None:
        rows, index = self.rows, self._index.get(framework_id)
        if index is not None and index in rows.rows:  # a hidden or filtered-out framework leaves the cursor
            rows.cursor = rows.rows.index(index)

    def _filter_changed(self, value: str) -> None:
        query = parse(value)
        if query != self._query:
            self._narrowed_from, self._query = self._query, query
            self.refresh_options()

    @on(Input.Changed, "#filter")
    def _stop_changed(self, event: Input.Changed) -> None:
        event.stop()

    @on(Input.Submitted, "#filter")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        focus_now(self.rows)

    @on(ListFilter.Left)
    def _filter_left(self, event: ListFilter.Left) -> None:
        event.stop()
        self.action_clear_filter()

    @on(FrameworkRows.Moved)
    def _moved(self, event: FrameworkRows.Moved) -> None:
        event.stop()
        current = self.highlighted_id
        if current and current != self._last_highlight:
            self._last_highlight = current
            self.post_message(self.Highlighted(current))

    @on(FrameworkRows.Chosen)
    def _chosen(self, event: FrameworkRows.Chosen) -> None:
        event.stop()
        if self.highlighted_id:
            self.post_message(self.Opened())

    def action_toggle_mark(self) -> None:
        if self.highlighted_id:
            self.post_message(self.MarkToggled(self.highlighted_id))

    def action_cursor(self, step: int) -> None:
        self.rows.action_move(step)

    def action_clear_filter(self) -> None:
        box = self.query_one("#filter", Input)
        if box.value:
            box.value = ""
        focus_now(self.rows)

    def focus_filter(self) -> None:
        focus_now(self.query_one("#filter", Input))

    def watch_marked(self) -> None:
        self.refresh_options()

    def watch_ranking(self) -> None:
        self._shown.clear()
        self.refresh_options()

    def watch_hide_excluded(self) -> None:
        self.refresh_options()

    def watch_spec(self) -> None:
        self.refresh_options()

    def _shown_rows(self) -> Sequence[int]:
        """The rows the filter and the hidden exclusions leave, in ranking order.

        Runs on every key, so: a query typed before is looked up (backspacing
        costs nothing); a query that only narrows the last one (a longer last
        word, or one more word) searches the last one's rows, not every
        framework. The rows of a query depend on the ranking and on hiding
        exclusions, so a new ranking empties the memory and hiding is in its key.
        """
        query, hide = self._query, self.hide_excluded
        shown = self._shown.get((query, hide))
        if shown is not None:
            return shown
        previous = self._shown.get((self._narrowed_from, hide)) if narrows(self._narrowed_from, query) else None
        if previous is not None:
            candidates = previous
        elif self.ranking is not None:
            excluded = self.ranking.excluded
            candidates = [i for i in self.ranking.order if not excluded[i]] if hide else self.ranking.order
        else:
            candidates = list(range(len(self.frameworks)))
        # matches(), unrolled: the words are looked up once per row, without a call per framework.
        looked_for = [(self._fields[field], needle) for field, needle in needles(query)]
        if len(looked_for) == 1:  # the common case, without a generator per framework
            words, needle = looked_for[0]
            shown = [i for i in candidates if needle in words[i]]
        elif looked_for:
            shown = [i for i in candidates if all(needle in words[i] for words, needle in looked_for)]
        else:
            shown = candidates
        if len(self._shown) >= SHOWN_MEMORY:
            self._shown.clear()
        self._shown[(query, hide)] = shown
        return shown

    def refresh_options(self) -> None:
        """Recompute the shown rows: ranking order, filter, hidden exclusions."""
        if not self._composed:
            return
        shown = self._shown_rows()
        rows = self.rows
        current = rows.current
        keep = current.id if current else self._last_highlight
        asked = asked_features(self._query)
        rows.show(shown, self.ranking, self.marked, self.spec, asked, self._index.get(keep) if keep else None)
        if bool(asked) != self._legend_features:  # a Static's update is dear: only when the legend's kind changes
            self._legend_features = bool(asked)
            self.query_one("#list-legend", Static).update(legend(self._legend_features))
        hidden = len(self.frameworks) - len(shown)
        count = f"{len(shown)} of {len(self.frameworks)}" + (f" · {hidden} hidden" if hidden else "")
        count += f" · {len(self.marked)} marked"
        self._heading.show(count, self.ranking is not None and self.ranking.scored, asked)
