"""Command palette providers over the data: "Show FastAPI", "Compare Django and Flask", "Use case: ML serving".

Each provider is its own class; the App lists them in COMMANDS through a
function, so this module loads when the palette first opens, not at start.
The commands act through the main screen's own API (its marks, criteria and
panes), as the keys do.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from functools import partial
from typing import TYPE_CHECKING

from rich.text import Text
from textual.command import DiscoveryHit, Hit, Hits, Provider

from fwtui.model import Framework

if TYPE_CHECKING:
    from fwtui.screens.main import MainScreen

_COMPARE = re.compile(r"^\s*(compare|comp|cmp|vs)\b\s*(?P<rest>.*)$", re.IGNORECASE)
_SEPARATORS = re.compile(r"\s*(?:,|\band\b|\bvs\.?\b|\bwith\b|&|\+)\s*|\s+", re.IGNORECASE)


class DataCommands(Provider):
    """Frameworks and use cases of the dataset in use."""

    @property
    def main(self) -> MainScreen | None:
        from fwtui.screens.main import MainScreen

        screen = self.app.screen_stack[0] if self.app.screen_stack else None
        return screen if isinstance(screen, MainScreen) else None

    async def discover(self) -> Hits:
        main = self.main
        if main is None:
            return
        for use_case in main.dataset.use_cases:
            yield DiscoveryHit(f"Use case: {use_case.title}", partial(choose_use_case, main, use_case.id), help=use_case.description)

    async def search(self, query: str) -> Hits:
        main = self.main
        if main is None:
            return
        matcher = self.matcher(query)
        for hit in compare_hits(main, query):
            yield hit
        for framework in main.dataset.frameworks:
            text = f"Show {framework.name}"
            if score := matcher.match(text):
                yield Hit(score, matcher.highlight(text), partial(show_framework, main, framework.id), text=text, help=framework.tagline)
        for use_case in main.dataset.use_cases:
            text = f"Use case: {use_case.title}"
            if score := matcher.match(text):
                yield Hit(score, matcher.highlight(text), partial(choose_use_case, main, use_case.id), text=text, help=use_case.description)


def compare_hits(main: MainScreen, query: str) -> Iterator[Hit]:
    """"compare django flask", "Compare Django and Flask": the frameworks named, side by side.

    With one framework named, it is offered beside each marked one.
    """
    found = _COMPARE.match(query)
    if not found:
        return
    named = frameworks_named(main.dataset.frameworks, found.group("rest"))
    if len(named) == 1:
        choices = [[named[0], main.dataset.framework(i)] for i in main.marked if i != named[0].id]
    else:
        choices = [named] if len(named) >= 2 else []
    for frameworks in choices:
        text = "Compare " + " and ".join(f.name for f in frameworks)
        yield Hit(1.0, Text(text), partial(compare, main, tuple(f.id for f in frameworks)), text=text,
                  help="Mark these frameworks and show them side by side")


def frameworks_named(frameworks: tuple[Framework, ...] | list[Framework], words: str) -> list[Framework]:
    """The frameworks that the words name, in order: an id or name, or the start of one (`fast` is FastAPI)."""
    chosen: list[Framework] = []
    for word in (w.casefold() for w in _SEPARATORS.split(words) if w and w.strip()):
        exact = [f for f in frameworks if word in (f.id.casefold(), f.name.casefold())]
        starts = [f for f in frameworks if f.name.casefold().startswith(word) or f.id.casefold().startswith(word)]
        for framework in (exact or starts)[:1]:
            if framework not in chosen:
                chosen.append(framework)
    return chosen


async def show_framework(main: MainScreen, framework_id: str) -> None:
    """The Details pane on one framework; a filter that hides it is cleared first."""
    framework_list = main.framework_list
    if framework_id not in framework_list.visible_ids():
        framework_list.action_clear_filter()
    framework_list.highlight(framework_id)
    await main.action_pane("details")


async def compare(main: MainScreen, framework_ids: tuple[str, ...]) -> None:
    main.marked = framework_ids
    await main.action_pane("compare")


async def choose_use_case(main: MainScreen, use_case_id: str) -> None:
    main.criteria = replace(main.criteria, use_case=use_case_id)
    await main.action_pane("decide")
