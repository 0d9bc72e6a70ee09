"""Everything the dataset says about one framework, with its hello-world highlighted.

All text is built as Rich Text objects, never markup strings, so brackets in
the data show as typed. Pygments is imported only when a sample is shown.
"""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.style import Style
from rich.table import Table
from rich.text import Text

from fwtui import clock
from fwtui.cells import quiet_words, via
from fwtui.model import Dataset, Framework
from fwtui.summary import facts
from fwtui.text import shorten
from fwtui.vocabulary import BUILTINS, LEVEL_GLYPHS, LEVEL_LABELS, LEVEL_STYLES, builtin_label
from fwtui.widgets.lines import RenderableView

STALE_AFTER_DAYS = 180


def heading(text: str) -> Text:
    return Text(text, style="bold underline")


def facts_table(dataset: Dataset, framework: Framework) -> Table:
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold", no_wrap=True)
    table.add_column()
    for label, value in facts(dataset, framework):
        table.add_row(Text(label), Text(value))
    return table


def builtins_table(dataset: Dataset, framework: Framework) -> Table:
    table = Table.grid(padding=(0, 1))
    table.add_column(no_wrap=True)
    table.add_column()
    for need in BUILTINS:
        level = framework.level(need)
        label = Text(f"{LEVEL_GLYPHS[level]} {builtin_label(need)}", style=LEVEL_STYLES[level])
        note = framework.builtin_notes.get(need, "")
        package = framework.builtin_packages.get(need)
        base, quiet = via(dataset, framework, need), quiet_words(framework, need)
        extra = f"{LEVEL_LABELS[level]}{f' {package}' if package else ''}{base}{quiet}" if package or base or quiet else ""
        table.add_row(label, Text(" — ".join(p for p in (extra, note) if p), style="dim"))
    return table


def legend() -> Text:
    text = Text()
    for level, glyph in LEVEL_GLYPHS.items():
        text.append(glyph, style=LEVEL_STYLES[level])
        text.append(f" {LEVEL_LABELS[level]}  ", style="dim")
    return text


def _quoted(requirement: str) -> str:
    """A requirement as a shell takes it: extras' brackets quoted."""
    return f"'{requirement}'" if any(c in requirement for c in "[]<>=!~ ") else requirement


def bullet_list(items: tuple[str, ...]) -> Text:
    return Text("\n").join(Text(f"  • {item}") for item in items)


def link(label: str, url: str) -> Text:
    text = Text(f"  {label}: ")
    text.append(url, style=Style(link=url, underline=True, color="cyan"))
    return text


def framework_body(dataset: Dataset, framework: Framework, code: RenderableType | None) -> Group:
    parts: list[RenderableType] = [
        Text(framework.name, style="bold"),
        Text(framework.tagline, style="italic"),
        Text(""),
        Text(framework.description),
        Text(""),
        facts_table(dataset, framework),
        Text(""),
        heading("Built-ins"),
        legend(),
        builtins_table(dataset, framework),
        Text(""),
        heading("Best for"),
        bullet_list(framework.best_for),
        heading("Avoid when"),
        bullet_list(framework.avoid_when),
    ]
    if framework.notable_users:
        parts += [heading("Notable users")]
        parts += [Text(f"  • {u.text} — source: {dataset.source_label(u.source)}") for u in framework.notable_users]
    if framework.opinions:
        parts += [heading("Opinions (attributed)")]
        parts += [Text(f"  “{o.text}” — {dataset.source_label(o.source)}", style="italic") for o in framework.opinions]
    parts += [Text(""), heading(f"Hello, world ({framework.hello.file})")]
    parts.append(code if code is not None else Text(framework.hello.code.strip("\n")))
    if framework.hello.install:
        parts.append(Text("$ pip install " + " ".join(_quoted(r) for r in framework.hello.install), style="bold"))
    parts += [Text(f"$ {framework.hello.run}", style="bold")]
    if framework.hello.url:
        parts.append(Text(f"  then open {framework.hello.url}", style="dim"))
    parts.append(Text(""))
    parts += [heading("Links"), link("Homepage", framework.homepage), link("Repository", framework.repository), link("Docs", framework.docs)]
    parts += [Text(""), heading("Sources"), Text(f"  Facts older than {STALE_AFTER_DAYS} days are marked ⚠; fwtui refresh updates releases.", style="dim")]
    for source in framework.sources:
        line = link(source.group, source.url)
        age = (clock.today() - source.checked).days
        stale = age > STALE_AFTER_DAYS
        line.append(f"  (checked {source.checked.isoformat()}" + (f", {age} days ago ⚠" if stale else "") + ")",
                    style="bold yellow" if stale else "dim")
        if source.note:
            line.append(f" — {source.note}", style="dim")
        parts.append(line)
    return Group(*parts)


def highlighted_code(framework: Framework) -> RenderableType:
    from rich.syntax import Syntax

    return Syntax(framework.hello.code.strip("\n"), "python", theme="ansi_dark", background_color="default", word_wrap=True)


class FrameworkDetails(RenderableView):
    """A scrollable record of the framework the list highlights, drawn as lines.

    The hello-world sample sits below the fold; it is syntax-highlighted (and
    Pygments imported) only once someone scrolls or focuses the record.
    """

    SCOPED_CSS = False  # rules by id, as written; parsed when this module is first used
    DEFAULT_CSS = """
        #details-view { height: 1fr; }
    """

    def __init__(self, dataset: Dataset, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.dataset = dataset
        self.framework: Framework | None = None
        self._highlighted: Framework | None = None

    def renderable(self) -> RenderableType:
        framework = self.framework
        if framework is None:
            return Text("Highlight a framework in the list to see its record.")
        highlighted = framework is self._highlighted
        framework = shorten(framework)  # a huge text is cut, with a note, before it is wrapped and drawn
        code = highlighted_code(framework) if highlighted else None
        return framework_body(self.dataset, framework, code)

    def show(self, framework: Framework) -> None:
        if framework is self.framework:
            return
        self.framework = framework
        self.scroll_home(animate=False)
        self.content_changed()
        if self.has_focus:
            self.call_after_refresh(self._highlight)

    def watch_scroll_y(self, old: float, new: float) -> None:
        super().watch_scroll_y(old, new)
        if new > 0:
            self._highlight()

    def on_focus(self) -> None:
        self._highlight()

    def _highlight(self) -> None:
        framework = self.framework
        if framework is not None and framework is not self._highlighted:
            self._highlighted = framework
            self.content_changed()
