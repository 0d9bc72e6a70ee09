"""The dataset's types: immutable, typed records built from a validated document.

NamedTuples rather than frozen dataclasses: they are several times cheaper to
define, which shows in start-up time. Their dict defaults are never mutated.
Nothing here reads files or knows about Textual; dataset.py builds these.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, NamedTuple


class Source(NamedTuple):
    group: str
    url: str
    checked: dt.date
    note: str = ""


class Attributed(NamedTuple):
    """A piece of text (a user's name, an opinion) and where it comes from."""

    text: str
    source: str


class Stars(NamedTuple):
    count: int  # type: ignore[assignment]  # the dataset's field name; shadows tuple.count, which nothing here calls
    read_on: dt.date
    source: str


class HelloWorld(NamedTuple):
    """The smallest app, as a newcomer would write and start it."""

    code: str
    file: str
    run: str
    install: tuple[str, ...] = ()
    url: str = ""


class BenchRecipe(NamedTuple):
    """How to serve the framework for a measurement: one worker, 127.0.0.1, a JSON hello."""

    packages: tuple[str, ...]
    code: str
    server: str


class Framework(NamedTuple):
    id: str
    name: str
    tagline: str
    description: str
    kind: str
    interfaces: tuple[str, ...]
    first_release: int
    license: str
    latest_version: str
    latest_release: str
    min_python: str
    homepage: str
    repository: str
    docs: str
    learning_curve: str
    async_model: str
    async_note: str
    type_hint_driven: bool
    throughput: str
    performance_note: str
    servers: tuple[str, ...]
    community: str
    best_for: tuple[str, ...]
    avoid_when: tuple[str, ...]
    builtins: dict[str, str]
    hello: HelloWorld
    sources: tuple[Source, ...]
    package: str = ""
    bench: BenchRecipe | None = None
    builds_on: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    builtin_packages: dict[str, str] = {}
    builtin_notes: dict[str, str] = {}
    stars: Stars | None = None
    notable_users: tuple[Attributed, ...] = ()
    opinions: tuple[Attributed, ...] = ()
    raw: dict[str, Any] = {}

    def level(self, need: str) -> str:
        """How the framework provides a built-in: 'built-in', 'first-party', 'extension' or 'no'."""
        return self.builtins.get(need, "no")


class Pick(NamedTuple):
    framework: str
    fit: int
    why: str


class UseCase(NamedTuple):
    id: str
    title: str
    description: str
    picks: tuple[Pick, ...]
    wants: tuple[str, ...] = ()
    source: str = ""

    def pick_for(self, framework_id: str) -> Pick | None:
        return next((pick for pick in self.picks if pick.framework == framework_id), None)


class ComparisonRow(NamedTuple):
    id: str
    label: str
    field: str
    text: dict[str, str] = {}
    source: str = ""


class Criterion(NamedTuple):
    id: str
    title: str
    description: str
    options: dict[str, str] = {}
    source: str = ""


class DecisionRules(NamedTuple):
    """Weights and tables the decision engine scores with; see decide.py and the README."""

    first_party_factor: float
    extension_factor: float
    weights: dict[str, float]
    team: dict[str, dict[str, float]]
    async_comfort: dict[str, dict[str, float]]
    performance: dict[str, dict[str, float]]
    maintenance: dict[str, dict[str, float]]


class Spec(NamedTuple):
    id: str
    name: str
    full_name: str
    summary: str
    app_signature: str
    concurrency: str
    request_flow: tuple[str, ...]
    source: str
    checked: dt.date
    defined_in: str = ""
    first_published: int | None = None
    protocols: tuple[str, ...] = ()
    strengths: tuple[str, ...] = ()
    limits: tuple[str, ...] = ()


class Server(NamedTuple):
    id: str
    name: str
    speaks: tuple[str, ...]
    source: str
    checked: dt.date
    note: str = ""
    homepage: str = ""
    latest_version: str = ""


class Term(NamedTuple):
    term: str
    text: str
    source: str
    checked: dt.date


class Explainer(NamedTuple):
    intro: str
    specs: tuple[Spec, ...]
    servers: tuple[Server, ...] = ()
    terms: tuple[Term, ...] = ()


class MetaSource(NamedTuple):
    id: str
    title: str
    checked: dt.date
    author: str = ""
    url: str = ""
    note: str = ""


class Meta(NamedTuple):
    schema_version: int
    title: str
    version: str
    as_of: dt.date
    sources: tuple[MetaSource, ...] = ()


class Measurement(NamedTuple):
    """Throughput measured by `fwtui bench` on this machine, attached to a dataset when saved results exist."""

    date: dt.date
    machine: str
    requests_per_second: dict[str, float]  # median over the rounds, by framework id
    p99_ms: dict[str, float]

    def place(self, framework_id: str) -> tuple[int, int]:
        """(place, of how many) by median requests per second, fastest first."""
        order = sorted(self.requests_per_second, key=lambda i: -self.requests_per_second[i])
        return order.index(framework_id) + 1, len(order)

    def share(self, framework_id: str) -> float | None:
        """Its throughput as a share of the fastest measured; None when it was not measured."""
        rps = self.requests_per_second.get(framework_id)
        best = max(self.requests_per_second.values(), default=0.0)
        return rps / best if rps is not None and best > 0 else None


class Dataset(NamedTuple):
    meta: Meta
    frameworks: tuple[Framework, ...]
    decision: DecisionRules
    comparison: tuple[ComparisonRow, ...] = ()
    use_cases: tuple[UseCase, ...] = ()
    criteria: tuple[Criterion, ...] = ()
    explainer: Explainer | None = None
    origin: str = ""
    measured: Measurement | None = None

    def framework(self, framework_id: str) -> Framework:
        for framework in self.frameworks:
            if framework.id == framework_id:
                return framework
        raise KeyError(framework_id)

    def use_case(self, use_case_id: str) -> UseCase:
        for use_case in self.use_cases:
            if use_case.id == use_case_id:
                return use_case
        raise KeyError(use_case_id)

    def criterion(self, criterion_id: str) -> Criterion | None:
        return next((c for c in self.criteria if c.id == criterion_id), None)

    def source_label(self, ref: str) -> str:
        """A source reference as a reader sees it: a URL as is, a meta source id as its title."""
        for source in self.meta.sources:
            if source.id == ref:
                return f"{source.title}" + (f" ({source.url})" if source.url else "")
        return ref
