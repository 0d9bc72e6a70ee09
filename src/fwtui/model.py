"""The dataset's types: immutable, typed records built from a validated document.

Each field is stated once, here: its name, its type, whether it is required
(it has no default), and its constraint (a JSON Schema fragment in
`Annotated`). schema.py derives the dataset's JSON Schema from these classes
and dataset.py builds them from a checked document by reading the same
annotations, so neither restates a field; tests/test_model.py holds them to it.

NamedTuples rather than frozen dataclasses: they are several times cheaper to
define, which shows in start-up time. Their dict defaults are never mutated.
Nothing here reads files or knows about Textual; dataset.py builds these.
"""

# No `from __future__ import annotations`: schema.py and dataset.py read these
# annotations as objects, and evaluating them here costs less than get_type_hints later.

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from types import UnionType
from typing import Annotated, Any, NamedTuple, get_args, get_origin

from fwtui.vocabulary import (
    ASYNC_MODELS,
    BUILTIN_LEVELS,
    BUILTINS,
    COMMUNITY_SIZES,
    CRITERIA,
    HORIZONS,
    INTERFACES,
    KINDS,
    LEARNING_CURVES,
    PRIORITIES,
    SERVERS,
    SOURCE_GROUPS,
    STATUSES,
    TEAMS,
    THROUGHPUTS,
    YES_NO,
)

# Constraints ----------------------------------------------------------------------------

ID_PATTERN = r"^[a-z0-9][a-z0-9_-]*$"
URL_PATTERN = r"^https?://\S+$"
MONTH_OR_DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}(-[0-9]{2})?$"
# A distribution name as the package index normalises it (PEP 508 names).
PACKAGE_PATTERN = r"^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?$"
PORT_PLACEHOLDER_PATTERN = r"\{port\}"
# A name, title, label, version or command: shown on one line, in a column or a
# border, where a tab or a line break would break the layout.
SINGLE_LINE_PATTERN = r"^[^\t\n\r]*$"


def text(**extra: Any) -> dict[str, Any]:
    """A non-empty string."""
    return {"type": "string", "minLength": 1, **extra}


def line(**extra: Any) -> dict[str, Any]:
    """A non-empty string on one line."""
    return text(pattern=SINGLE_LINE_PATTERN, **extra)


def one_of(values: tuple[str, ...]) -> dict[str, Any]:
    return {"type": "string", "enum": list(values)}


def table(properties: dict[str, Any], required: tuple[str, ...] = (), **extra: Any) -> dict[str, Any]:
    """A table with exactly these keys: for the dict fields whose keys come from the vocabulary."""
    return {"type": "object", "properties": properties, "required": list(required), "additionalProperties": False, **extra}


def weights(keys: tuple[str, ...]) -> dict[str, Any]:
    number = {"type": "number", "minimum": 0, "maximum": 1}
    return table({key: number for key in keys}, required=keys)


class Key(NamedTuple):
    """Where a field is in the dataset file, when that is not the key of its own name."""

    name: str


NOT_IN_FILE = Key("")  # set after building (the dataset's origin, its measurements): not in the schema
WHOLE_RECORD = Key(".")  # the record as read, for the commands that show or write it back

Text = Annotated[str, text()]
Line = Annotated[str, line()]
Url = Annotated[str, text(pattern=URL_PATTERN)]
Id = Annotated[str, text(pattern=ID_PATTERN)]
PackageName = Annotated[str, text(pattern=PACKAGE_PATTERN)]
SourceRef = Annotated[str, line(description="An http(s) URL, or the id of a [[meta.sources]] entry such as 'seed'.")]
Share = Annotated[float, {"minimum": 0, "maximum": 1}]


class FileField(NamedTuple):
    """One field as the dataset file holds it; see `file_fields`."""

    key: str  # its key in the file
    name: str  # its name in the model
    type: Any  # its type, without Annotated and without `| None`
    constraint: dict[str, Any]  # the JSON Schema fragments of its Annotated, merged
    required: bool


def file_fields(record_type: type) -> Iterator[FileField]:
    """The fields of a record type that the file holds, in order; also the `WHOLE_RECORD` one, with key "."."""
    defaults = getattr(record_type, "_field_defaults", {})
    for name, annotation in record_type.__annotations__.items():
        key, constraint = name, {}
        if get_origin(annotation) is Annotated:
            annotation, *extras = get_args(annotation)
            for extra in extras:
                if isinstance(extra, Key):
                    key = extra.name
                else:
                    constraint.update(extra)
        if isinstance(annotation, UnionType):  # `X | None`: None is the default, never in the file
            annotation = next(arg for arg in get_args(annotation) if arg is not type(None))
        if key:
            yield FileField(key, name, annotation, constraint, name not in defaults)


# Records --------------------------------------------------------------------------------


class Source(NamedTuple):
    group: Annotated[str, one_of(SOURCE_GROUPS)]
    url: Url
    checked: dt.date
    note: Text = ""


class NotableUser(NamedTuple):
    """Someone known to use the framework, and where that is said."""

    text: Annotated[Line, Key("name")]
    source: SourceRef


class Opinion(NamedTuple):
    """An opinion on the framework, and whose it is."""

    text: Text
    source: SourceRef


class Stars(NamedTuple):
    count: Annotated[int, {"minimum": 0}]  # type: ignore[assignment]  # the dataset's field name; shadows tuple.count, which nothing here calls
    read_on: dt.date
    source: SourceRef


class Advisory(NamedTuple):
    """A known vulnerability the package index lists for a release."""

    id: Annotated[Line, {"maxLength": 64, "description": "The advisory's id, e.g. PYSEC-2024-1 or GHSA-xxxx-xxxx-xxxx."}]
    aliases: Annotated[tuple[Annotated[Line, {"maxLength": 64}], ...], {"description": "Other ids of it (CVE-...)."}] = ()
    fixed_in: Annotated[tuple[Annotated[Line, {"maxLength": 64}], ...], {"description": "Versions that fix it."}] = ()


class Health(NamedTuple):
    """What the package index says about the framework's package, read by `fwtui refresh` on `read_on`."""

    read_on: dt.date
    source: Url
    version: Annotated[Line, {"description": "The release the advisories are listed for (the index's latest)."}]
    last_release: Annotated[dt.date, {"description": "The day of its newest release that is not yanked."}]
    releases_12_months: Annotated[int, {"minimum": 0, "description": "Releases (not yanked) in the 12 months before read_on."}]
    yanked_releases: Annotated[int, {"minimum": 0, "description": "Releases whose every file is yanked."}]
    newest_cpython: Annotated[str, text(pattern=r"^3\.[0-9]+$", description="The newest CPython the wheel facts are about.")]
    wheel_for_newest: Annotated[bool, {"description": "A wheel installs on it: pure Python, or built for it (cpXY, abi3)."}]
    wheel_free_threaded: Annotated[bool, {"description": "A wheel installs on its free-threaded build: pure Python, or cpXYt."}]
    advisories: Annotated[tuple[Advisory, ...], {"description": "Known advisories on `version`; empty when there are none."}] = ()


class HelloWorld(NamedTuple):
    """The smallest app, as a newcomer would write and start it."""

    code: Text
    file: Line
    run: Line
    install: Annotated[tuple[Line, ...], {"minItems": 1, "description": "The pip requirements the sample needs, exactly."}] = ()
    url: Url = ""


class BenchRecipe(NamedTuple):
    """How to serve the framework for a measurement: one worker, 127.0.0.1, one app per workload."""

    packages: Annotated[tuple[Line, ...], {"minItems": 1, "description": "The pip requirements of the measured app and its server."}]
    code: Annotated[Text, {"description": "The json workload, written to app.py; GET / answers JSON {\"message\": \"Hello, World!\"}."}]
    server: Annotated[Text, {"pattern": PORT_PLACEHOLDER_PATTERN,
                             "description": "Command that serves app.py on 127.0.0.1:{port} with one worker process."}]
    plaintext: Annotated[str, text(description="The plaintext workload, written to app.py; GET / answers text/plain `Hello, World!`.")] = ""
    params: Annotated[str, text(description="The params workload, written to app.py; POST /items/{id}?q=... with a JSON body "
                                            "{name, price}: validated (a 4xx when not) and echoed as JSON {id, q, name, price}.")] = ""
    unsupported: Annotated[dict[str, str], table(
        {"plaintext": text(), "params": text()},
        description="For a workload the framework cannot do as asked: why (its code is then left out).",
    )] = {}


class Framework(NamedTuple):
    id: Id
    name: Line
    tagline: Line
    description: Text
    kind: Annotated[str, one_of(KINDS)]
    interfaces: Annotated[tuple[Annotated[str, one_of(INTERFACES)], ...], {"minItems": 1, "uniqueItems": True}]
    first_release: Annotated[int, {
        "minimum": 1990,
        "maximum": 2100,
        "description": "Year of the first public release: the first version published for others to use "
        "(an announced or tagged release, or the first package upload, whichever came first).",
    }]
    license: Line
    latest_version: Line
    latest_release: Annotated[str, text(pattern=MONTH_OR_DATE_PATTERN)]
    min_python: Annotated[str, text(pattern=r"^[0-9]+\.[0-9]+$")]
    homepage: Url
    repository: Url
    docs: Url
    learning_curve: Annotated[str, one_of(LEARNING_CURVES)]
    async_model: Annotated[str, one_of(ASYNC_MODELS)]
    async_note: Text
    type_hint_driven: bool
    throughput: Annotated[str, one_of(THROUGHPUTS)]
    performance_note: Text
    servers: Annotated[tuple[Annotated[str, one_of(SERVERS)], ...], {"minItems": 1, "uniqueItems": True}]
    community: Annotated[str, one_of(COMMUNITY_SIZES)]
    best_for: Annotated[tuple[Text, ...], {"minItems": 1}]
    avoid_when: Annotated[tuple[Text, ...], {"minItems": 1}]
    builtins: Annotated[dict[str, str], table(
        {key: one_of(BUILTIN_LEVELS) for key in BUILTINS},
        description="Every cell, except that a framework with builds_on may omit a cell to inherit its base's.",
    )]
    hello: HelloWorld
    sources: Annotated[tuple[Source, ...], {"minItems": 1}]
    package: Annotated[PackageName, {"description": "Its distribution name on the Python Package Index."}] = ""
    bench: BenchRecipe | None = None
    builds_on: Annotated[tuple[Id, ...], {
        "uniqueItems": True,
        "description": "Ids of frameworks in the dataset that this one is built on (FastAPI on Starlette).",
    }] = ()
    tags: tuple[Line, ...] = ()
    builtin_packages: Annotated[dict[str, str], table(
        {key: text(pattern=PACKAGE_PATTERN) for key in BUILTINS},
        description="For each first-party or extension cell, and a built-in one that an extra of the framework "
        "installs: the distribution that provides it.",
    )] = {}
    builtin_notes: Annotated[dict[str, str], table({key: text() for key in BUILTINS})] = {}
    stars: Stars | None = None
    health: Health | None = None
    notable_users: tuple[NotableUser, ...] = ()
    opinions: tuple[Opinion, ...] = ()
    extras: Annotated[dict[str, tuple[PackageName, ...]], {
        "description": "The framework's own extras and the distributions each installs (fastapi[standard] -> fastapi-cli), "
        "from the index's Requires-Dist; a cell provided by one of these is built in.",
    }] = {}
    status: Annotated[str, one_of(STATUSES)] = ""
    status_source: Annotated[Text, {
        "description": "How the status is known: the index's Development Status classifier, the docs, the release history.",
    }] = ""
    raw: Annotated[dict[str, Any], WHOLE_RECORD] = {}
    # Cells the file omits and the base provides (feature -> base id); dataset.build() fills them in.
    inherited: Annotated[dict[str, str], NOT_IN_FILE] = {}
    # Cells whose package has had no release for QUIET_AFTER_MONTHS (feature -> its last release, 'YYYY-MM').
    quiet: Annotated[dict[str, str], NOT_IN_FILE] = {}

    def level(self, need: str) -> str:
        """How the framework provides a built-in: 'built-in', 'first-party', 'extension' or 'no'."""
        return self.builtins.get(need, "no")

    def extra_of(self, package: str) -> str:
        """The framework's extra that installs `package` ('' when none does)."""
        wanted = normalized(package)
        return next((extra for extra, names in self.extras.items() if wanted in map(normalized, names)), "")


def normalized(package: str) -> str:
    """A distribution name as the index compares names: any case, runs of '-', '_' and '.' alike."""
    return re.sub(r"[-_.]+", "-", package).lower()


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day `months` earlier (the month's last day when it has fewer days)."""
    month = day.year * 12 + day.month - 1 - months
    year, month = divmod(month, 12)
    for last in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month + 1, last)
        except ValueError:
            continue
    raise AssertionError("unreachable: every month has 28 days")


class Package(NamedTuple):
    """A distribution a cell names, with who makes it and when it last released (rules R3 and R4)."""

    name: Annotated[PackageName, {"description": "Its distribution name on the Python Package Index."}]
    made_by: Annotated[tuple[Id, ...], {
        "uniqueItems": True,
        "description": "Ids of the frameworks whose project or maintainers make it; empty for a third party.",
    }]
    evidence: Annotated[Text, {
        "description": "How the maker is known: the index's author or maintainer fields, the repository's organisation, "
        "the framework's docs calling it official.",
    }]
    last_release: Annotated[dt.date, {"description": "The date of its newest release on the index that is not yanked."}]
    checked: dt.date
    source: Url
    requires_python: Line = ""
    yanked: Annotated[bool, {"description": "Whether its newest release is yanked."}] = False


class Pick(NamedTuple):
    framework: Id
    fit: Annotated[int, {"minimum": 0, "maximum": 100}]
    why: Text


class UseCase(NamedTuple):
    id: Id
    title: Line
    description: Text
    picks: Annotated[tuple[Pick, ...], {"minItems": 1}]
    wants: Annotated[tuple[Annotated[str, one_of(BUILTINS)], ...], {"uniqueItems": True}] = ()
    source: SourceRef = ""
    common_needs: Annotated[tuple[Annotated[str, one_of(BUILTINS)], ...], {
        "uniqueItems": True,
        "description": "Needs often asked for this use case beyond its wants: what would change the answer suggests only these and the wants.",
    }] = ()

    def pick_for(self, framework_id: str) -> Pick | None:
        return next((pick for pick in self.picks if pick.framework == framework_id), None)


class ComparisonRow(NamedTuple):
    id: Id
    label: Line
    field: Annotated[Line, {"description": "Dotted path of the framework field the row shows, e.g. 'kind' or 'stars.count'."}]
    text: Annotated[dict[str, Text], {
        "description": "Per-framework text that replaces the field's value in this row (framework id -> text).",
    }] = {}
    source: SourceRef = ""


class Criterion(NamedTuple):
    id: Annotated[str, one_of(CRITERIA)]
    title: Line
    description: Text
    options: dict[str, Line] = {}
    source: SourceRef = ""


WEIGHTED = ("use_case", "wants", "need", "team", "async_comfort", "performance", "maintenance")
# Parts a dataset may leave out: a must then scores as a nice-to-have, and the others add nothing.
OPTIONAL_WEIGHTED = ("must", "know", "maturity")


class DecisionRules(NamedTuple):
    """Weights and tables the decision engine scores with; see decide.py and docs/scoring.md."""

    first_party_factor: Share
    extension_factor: Share
    weights: Annotated[dict[str, float], table({key: {"type": "number", "minimum": 0} for key in (*WEIGHTED, *OPTIONAL_WEIGHTED)},
                                               required=WEIGHTED)]
    team: Annotated[dict[str, dict[str, float]], table({team: weights(LEARNING_CURVES) for team in TEAMS}, required=TEAMS)]
    async_comfort: Annotated[dict[str, dict[str, float]],
                             table({answer: weights((*ASYNC_MODELS, "type_hint_driven")) for answer in YES_NO}, required=YES_NO)]
    performance: Annotated[dict[str, dict[str, float]], table({p: weights(THROUGHPUTS) for p in PRIORITIES}, required=PRIORITIES)]
    maintenance: Annotated[dict[str, dict[str, float]],
                           table({"long": weights(COMMUNITY_SIZES), "short": weights(LEARNING_CURVES)}, required=HORIZONS)]
    quiet_factor: Annotated[Share, {
        "description": "What a cell whose package is quiet (no release for 24 months) scores, as a share of its level's score; "
        "without it a quiet cell scores in full.",
    }] = 1.0
    family_factor: Annotated[Share, {"description": "What knowing a framework's base or child counts, as a share of knowing it."}] = 0.5


class Spec(NamedTuple):
    id: Annotated[str, one_of(("wsgi", "asgi"))]
    name: Line
    full_name: Line
    summary: Text
    app_signature: Text
    concurrency: Text
    request_flow: Annotated[tuple[Text, ...], {"minItems": 2}]
    source: Url
    checked: dt.date
    defined_in: Line = ""
    first_published: int | None = None
    protocols: tuple[Text, ...] = ()
    strengths: tuple[Text, ...] = ()
    limits: tuple[Text, ...] = ()


class Server(NamedTuple):
    id: Id
    name: Line
    speaks: Annotated[tuple[Annotated[str, one_of(("wsgi", "asgi"))], ...], {"minItems": 1, "uniqueItems": True}]
    source: Url
    checked: dt.date
    note: Text = ""
    homepage: Url = ""
    latest_version: Line = ""


class Term(NamedTuple):
    term: Line
    text: Text
    source: Url
    checked: dt.date


class Explainer(NamedTuple):
    intro: Text
    specs: Annotated[tuple[Spec, ...], Key("spec"), {"minItems": 1}]
    servers: Annotated[tuple[Server, ...], Key("server")] = ()
    terms: Annotated[tuple[Term, ...], Key("term")] = ()


class MetaSource(NamedTuple):
    id: Id
    title: Line
    checked: dt.date
    author: Line = ""
    url: Url = ""
    note: Text = ""


class Meta(NamedTuple):
    schema_version: Annotated[int, {"minimum": 1}]
    title: Line
    version: Line
    as_of: dt.date
    sources: tuple[MetaSource, ...] = ()


class Measurement(NamedTuple):
    """Throughput measured by `fwtui bench` on this machine, attached to a dataset when saved results exist."""

    date: dt.date
    machine: str
    requests_per_second: dict[str, float]  # median over the rounds, by framework id
    p99_ms: dict[str, float]
    # From the last saved run's document (bench-run.json), for the frameworks it measured; each by framework id.
    rps_range: dict[str, tuple[float, float]] = {}  # (min, max) over the rounds
    baseline_share: dict[str, tuple[float, str]] = {}  # (median as a share of its baseline's, the baseline's id)
    import_ms: dict[str, float] = {}  # median, less a bare interpreter's start
    cold_start_ms: dict[str, float] = {}  # median, process start to the first answer
    rss_mb: dict[str, tuple[float | None, float | None]] = {}  # (idle, under load)
    footprint: dict[str, tuple[int, float]] = {}  # (distributions installed, MB on disk)

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
    frameworks: Annotated[tuple[Framework, ...], Key("framework")]
    decision: DecisionRules
    comparison: tuple[ComparisonRow, ...] = ()
    use_cases: Annotated[tuple[UseCase, ...], Key("use_case")] = ()
    criteria: Annotated[tuple[Criterion, ...], Key("criterion")] = ()
    explainer: Explainer | None = None
    packages: Annotated[tuple[Package, ...], Key("package")] = ()
    origin: Annotated[tuple[Path, ...], NOT_IN_FILE] = ()  # the files read, in order: the dataset, refresh.toml, the overlay
    measured: Annotated[Measurement | None, NOT_IN_FILE] = None

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

    def package(self, name: str) -> Package | None:
        """The registry's entry for a distribution, by its name as the index compares names."""
        wanted = normalized(name)
        return next((p for p in self.packages if normalized(p.name) == wanted), None)

    def criterion(self, criterion_id: str) -> Criterion | None:
        return next((c for c in self.criteria if c.id == criterion_id), None)

    def source_label(self, ref: str) -> str:
        """A source reference as a reader sees it: a URL as is, a meta source id as its title."""
        for source in self.meta.sources:
            if source.id == ref:
                return f"{source.title}" + (f" ({source.url})" if source.url else "")
        return ref
