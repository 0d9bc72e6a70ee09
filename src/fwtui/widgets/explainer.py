"""The WSGI / ASGI explainer: both specs side by side, a request drawn through
server and app, the concurrency model, and which servers and frameworks speak
which. Choosing a spec posts `SpecChosen`, and the screen lights up its
frameworks in the list.
"""

from __future__ import annotations

import textwrap

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widgets import RadioButton, RadioSet, Static

from fwtui.model import Dataset, Spec

BOX_WIDTH = 34

# How each model interleaves requests: a picture, not data.
CONCURRENCY = {
    "wsgi": [
        ("worker 1 ", "A████████ D████"),
        ("worker 2 ", "B██████ E██████"),
        ("worker 3 ", "C███████████  "),
    ],
    "asgi": [
        ("event loop ", "A▏B▏C▏A▏D▏B▏E▏C▏A"),
        ("           ", "each await hands"),
        ("           ", "the loop onwards"),
    ],
}


def flow_drawing(steps: tuple[str, ...], width: int = BOX_WIDTH) -> Text:
    """Each step of a request as a box, joined by arrows."""
    inner = width - 4
    text = Text()
    for index, step in enumerate(steps):
        lines = textwrap.wrap(step, inner) or [""]
        text.append("┌" + "─" * (width - 2) + "┐\n", style="cyan")
        for line in lines:
            text.append("│ ", style="cyan")
            text.append(f"{line:<{inner}}")
            text.append(" │\n", style="cyan")
        if index < len(steps) - 1:
            half = (width - 2) // 2
            text.append("└" + "─" * half + "┬" + "─" * (width - 3 - half) + "┘\n", style="cyan")
            text.append(" " * (half + 1) + "▼\n", style="bold cyan")
        else:
            text.append("└" + "─" * (width - 2) + "┘", style="cyan")
    return text


def spec_column(spec: Spec) -> Group:
    parts: list[RenderableType] = [
        Text(f"{spec.name}: {spec.full_name}", style="bold"),
        Text(" · ".join(p for p in (spec.defined_in, str(spec.first_published or "")) if p), style="dim"),
        Text(""),
        Text(spec.summary),
        Text(""),
        Text("Application signature", style="bold underline"),
        Text(f"  {spec.app_signature}", style="green"),
        Text(""),
        Text("A request, step by step", style="bold underline"),
        flow_drawing(spec.request_flow),
        Text(""),
        Text("Concurrency", style="bold underline"),
        Text(spec.concurrency),
    ]
    drawing = Text()
    for label, lane in CONCURRENCY.get(spec.id, []):
        drawing.append(label, style="dim")
        drawing.append(lane + "\n", style="magenta")
    parts.append(drawing)
    if spec.protocols:
        parts.append(Text("Covers: " + ", ".join(spec.protocols), style="italic"))
    for title, items in (("Strengths", spec.strengths), ("Limits", spec.limits)):
        if items:
            parts.append(Text(title, style="bold underline"))
            parts.extend(Text(f"  • {item}") for item in items)
    parts.append(Text(f"Source: {spec.source} (checked {spec.checked.isoformat()})", style="dim"))
    return Group(*parts)


def servers_table(dataset: Dataset) -> Table:
    table = Table(title=Text("Servers", style="bold"), expand=True, title_justify="left")
    for column in ("Server", "WSGI", "ASGI", "Notes"):
        table.add_column(Text(column))
    explainer = dataset.explainer
    for server in explainer.servers if explainer else ():
        table.add_row(
            Text(server.name, style="bold"),
            Text("✓" if "wsgi" in server.speaks else "·"),
            Text("✓" if "asgi" in server.speaks else "·"),
            Text(server.note),
        )
    return table


def frameworks_table(dataset: Dataset) -> Table:
    table = Table(title=Text("Frameworks", style="bold"), expand=True, title_justify="left")
    for column in ("Framework", "WSGI", "ASGI", "Own server", "Typical servers"):
        table.add_column(Text(column))
    for framework in dataset.frameworks:
        table.add_row(
            Text(framework.name, style="bold"),
            *(Text("✓" if i in framework.interfaces else "·") for i in ("wsgi", "asgi", "own-server")),
            Text(", ".join(framework.servers)),
        )
    return table


class Explainer(VerticalScroll):
    SCOPED_CSS = False  # rules by id, and by the screen's -narrow class; parsed when this module is first used
    DEFAULT_CSS = """
        #explainer-view { height: 1fr; }
        #explainer-view .intro { margin-bottom: 1; }
        #spec-bar { height: auto; margin-bottom: 1; }
        #spec-label { width: auto; padding: 1 1 0 0; }
        #spec-choice { layout: horizontal; width: auto; height: auto; }
        #spec-choice RadioButton { width: auto; margin-right: 1; }
        MainScreen.-narrow #spec-bar { layout: vertical; }
        MainScreen.-narrow #spec-label { padding: 0; }
        MainScreen.-narrow #spec-choice { layout: vertical; }
        #specs { height: auto; }
        #specs .spec { width: 1fr; padding-right: 2; }
        #explainer-view .table { margin-top: 1; }
        #explainer-view .terms { margin-top: 1; }
    """

    class SpecChosen(Message):
        def __init__(self, spec: str) -> None:
            self.spec = spec
            super().__init__()

    def __init__(self, dataset: Dataset, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.dataset = dataset

    def compose(self) -> ComposeResult:
        explainer = self.dataset.explainer
        if explainer is None:
            yield Static(Text("This dataset has no [explainer] section."))
            return
        yield Static(Text(explainer.intro), classes="intro")
        with Horizontal(id="spec-bar"):
            yield Static(Text("Light up in the list:"), id="spec-label")
            with RadioSet(id="spec-choice"):
                yield RadioButton("nothing", value=True, id="spec-none")
                for spec in explainer.specs:
                    yield RadioButton(spec.name, id=f"spec-{spec.id}")
        with Horizontal(id="specs"):
            for spec in explainer.specs:
                yield Static(spec_column(spec), classes="spec")
        yield Static(servers_table(self.dataset), classes="table")
        yield Static(frameworks_table(self.dataset), classes="table")
        if explainer.terms:
            terms = [Text("Terms", style="bold underline")]
            for term in explainer.terms:
                terms += [Text(term.term, style="bold"), Text(term.text), Text(f"Source: {term.source}", style="dim"), Text("")]
            yield Static(Group(*terms), classes="terms")

    @on(RadioSet.Changed, "#spec-choice")
    def _spec_changed(self, event: RadioSet.Changed) -> None:
        event.stop()
        spec = (event.pressed.id or "").removeprefix("spec-")
        self.post_message(self.SpecChosen("" if spec == "none" else spec))
