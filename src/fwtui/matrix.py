"""The comparison matrix: which rows Compare shows and what each cell says.

The one place comparison rows are built, for the Compare pane, `fwtui compare`
(table, Markdown, JSON, TOML) and the copied summary. Fact rows come from the
dataset's [[comparison]] table; then one glyph row per built-in, in the
vocabulary's order. Each cell has a one-line text for the grid, its full
text and source for the strip under it, and the plain value for JSON.
No Textual import.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any, NamedTuple

from fwtui import vocabulary
from fwtui.cells import base_name, quiet_words, via
from fwtui.model import Dataset, Framework, Source
from fwtui.vocabulary import LABELS, LEVEL_GLYPHS, LEVEL_LABELS, QUIET_GLYPH, QUIET_LABEL, builtin_label

__all__ = ["LEVEL_GLYPHS", "LEVEL_LABELS"]


FACTS, BUILTINS = "facts", "built-ins"
MEASURED = "measured"  # the req/s row's id and field, and the group of the rows measured by `fwtui bench`
HEALTH = "health"  # the group of the rows read from the package index by `fwtui refresh`
# The rows of measured figures and health facts: (id, label, field). A field `measured.X` is read from the
# dataset's Measurement, a field `health.X` from the framework's [framework.health] table.
_MEASURED_ROWS = (
    (MEASURED, "Req/s (json)", MEASURED),
    ("measured-share", "Of baseline", "measured.baseline_share"),
    ("measured-import", "Import", "measured.import_ms"),
    ("measured-cold-start", "Cold start", "measured.cold_start_ms"),
    ("measured-rss", "Memory", "measured.rss_mb"),
    ("measured-footprint", "Installed", "measured.footprint"),
)
_HEALTH_ROWS = (
    ("health-advisories", "Advisories", "health.advisories"),
    ("health-releases", "Releases/yr", "health.releases_12_months"),
    ("health-last-release", "Release age", "health.last_release"),
    ("health-free-threaded", "No-GIL wheel", "health.wheel_free_threaded"),
)

# Where a row's full words live when the grid shows a short value, and which
# source group of the framework's record vouches for it.
_DETAIL_FIELD = {"async_model": "async_note", "throughput": "performance_note", "status": "status_source"}
_SOURCE_GROUP = {
    "first_release": "overview",
    "kind": "overview",
    "builds_on": "overview",
    "package": "release",
    "latest_version": "release",
    "latest_release": "release",
    "status": "release",
    "license": "release",
    "min_python": "release",
    "community": "community",
    "stars": "community",
    "servers": "servers",
}
_SHORT = {
    "kind": vocabulary.KIND_BADGES,  # as the list shows them
    "async_model": {"native": "native", "optional": "optional", "none": "none"},
}


# The facts every compare record carries (JSON and TOML), whatever rows the dataset shows.
RECORD_FIELDS = (
    "package", "kind", "interfaces", "builds_on", "first_release", "latest_version", "latest_release", "license",
    "min_python", "learning_curve", "async_model", "type_hint_driven", "throughput", "community", "stars", "servers", "status",
    "health",
)


class Row(NamedTuple):
    id: str
    label: str
    field: str
    group: str
    source: str = ""


class Cell(NamedTuple):
    text: str  # the value in a few words, whole: the grid wraps and cuts it to its columns
    full: str  # everything the cell stands for, for the strip under the grid
    value: Any  # the plain datum, for JSON and TOML
    source: Source | None = None
    level: str | None = None  # a built-in row's level


def rows(dataset: Dataset) -> tuple[Row, ...]:
    """Fact rows from the dataset, then every built-in as a glyph row."""
    facts = tuple(
        Row(row.id, row.label, row.field, FACTS, row.source)
        for row in dataset.comparison
        if not row.field.startswith("builtins")
    )
    if dataset.measured is not None:  # fwtui bench --save ran here: the measured figures beside the claims
        facts += tuple(Row(row_id, label, field, MEASURED) for row_id, label, field in _MEASURED_ROWS
                       if field == MEASURED or getattr(dataset.measured, field.split(".")[1]))
    if any(framework.health is not None for framework in dataset.frameworks):
        facts += tuple(Row(row_id, label, field, HEALTH) for row_id, label, field in _HEALTH_ROWS)
    return facts + tuple(Row(f"builtin-{name}", builtin_label(name)[0].upper() + builtin_label(name)[1:], f"builtins.{name}", BUILTINS)
                         for name in vocabulary.BUILTINS)


def _index_days(dataset: Dataset) -> list[date]:
    """The days the package index was read on for the health facts, earliest first."""
    return sorted({f.health.read_on for f in dataset.frameworks if f.health is not None})


def group_title(dataset: Dataset, group: str) -> str:
    """The heading over a group of rows: where its figures come from, and when."""
    if group == MEASURED and dataset.measured is not None:
        return f"Measured on this machine on {dataset.measured.date.isoformat()}"
    if group == HEALTH:
        days = _index_days(dataset)
        return "From the index on " + (days[-1].isoformat() if len(days) == 1 else f"{days[0].isoformat()} to {days[-1].isoformat()}")
    return "Built-ins" if group == BUILTINS else "Facts"


def group_heading(dataset: Dataset, group: str) -> list[str]:
    """The heading of a group in a narrow grid's first column: a short label, then its date, each line at most
    12 cells (a range of dates on two lines). The strip under the grid, and `provenance` elsewhere, give the
    whole title."""
    if group == MEASURED and dataset.measured is not None:
        return ["Measured", dataset.measured.date.isoformat()]
    if group == HEALTH:
        days = _index_days(dataset)
        return ["From index", days[0].isoformat()] if len(days) == 1 else ["From index", f"{days[0].isoformat()}–", days[-1].isoformat()]
    return [group_title(dataset, group)]


def provenance(dataset: Dataset, grid: Sequence[tuple[Row, Sequence[Cell]]]) -> list[str]:
    """Where the measured and health rows of a grid come from, one line each, for the views without group headings."""
    groups = dict.fromkeys(row.group for row, _ in grid)
    lines = []
    if MEASURED in groups and dataset.measured is not None:
        lines.append(f"{group_title(dataset, MEASURED)} ({dataset.measured.machine}): the rows from Req/s (json) to Installed.")
    if HEALTH in groups:
        lines.append(f"{group_title(dataset, HEALTH)}: the rows from Advisories to No-GIL wheel (one for the free-threaded build).")
    return lines


def field_value(framework: Framework, path: str) -> Any:
    value: Any = framework.raw
    for part in path.split("."):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value


def _feature_source(framework: Framework, name: str, package: str) -> Source | None:
    """The features source that speaks of this built-in (by its package, name or label), else the first one."""
    features = [s for s in framework.sources if s.group == "features"]
    names = [w.casefold() for w in (name.replace("_", " "), name.replace("_", "-"), name, builtin_label(name))]
    package = package.casefold()

    def relevance(source: Source) -> int:
        url, note = source.url.casefold(), source.note.casefold()
        return (4 * bool(package and package in url) + 2 * any(w in url for w in names)
                + 2 * bool(package and package in note) + any(w in note for w in names))

    best = max(features, key=relevance, default=None)  # the first of the most relevant
    return best


def _source(framework: Framework, group: str) -> Source | None:
    return next((s for s in framework.sources if s.group == group), None)


def short_text(path: str, value: Any) -> str:
    """A value as one short line."""
    name = path.split(".")[-1]
    if value is None or value == []:
        return "—"
    if name in _SHORT and isinstance(value, str):
        return _SHORT[name].get(value, value)
    if name == "interfaces" and isinstance(value, list):
        return "/".join("own" if v == "own-server" else LABELS["interfaces"].get(v, str(v)) for v in value)
    if name == "stars" and isinstance(value, dict):
        count = value.get("count")
        return _thousands(count) if isinstance(count, int) else "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, str) and name in ("learning_curve", "community", "throughput"):
        return value.replace("-", " ")
    return str(value)


def _thousands(count: int) -> str:
    return f"{count / 1000:.1f}k" if count >= 1000 else str(count)


def cell(dataset: Dataset, framework: Framework, row: Row) -> Cell:
    if row.group == BUILTINS:
        name = row.field.split(".", 1)[1]
        level = framework.level(name)
        package = framework.builtin_packages.get(name, "")
        note = framework.builtin_notes.get(name, "")
        quiet = QUIET_GLYPH if name in framework.quiet else ""
        text = LEVEL_GLYPHS[level] + quiet + (f" {package}" if package else "")
        full = (f"{row.label}: {LEVEL_LABELS[level]}" + (f" ({package})" if package else "") + via(dataset, framework, name)
                + quiet_words(framework, name) + (f". {note}" if note else ""))
        return Cell(text, full, level, _feature_source(framework, name, package), level)
    if row.group == MEASURED:
        return _measured_cell(dataset, framework) if row.field == MEASURED else _measured_figure(dataset, framework, row)
    if row.group == HEALTH:
        return health_cell(framework, row.field.split(".", 1)[1])
    value = field_value(framework, row.field)
    comparison = next((c for c in dataset.comparison if c.id == row.id), None)
    override = comparison.text.get(framework.id) if comparison else None
    if row.field == "builds_on":  # names, as every other row shows; the value keeps the ids
        names = [base_name(dataset, str(base)) for base in value] if isinstance(value, list) else []
        text = short_text(row.field, names)
        full = override or f"{row.label}: " + (", ".join(names) if names else "nothing else in this dataset")
    else:
        text = short_text(row.field, value)
        full = override or _full_text(framework, row, value)
    return Cell(text, full, value, _source(framework, _SOURCE_GROUP.get(row.field.split(".")[0], "features")))


def _measured_cell(dataset: Dataset, framework: Framework) -> Cell:
    measured = dataset.measured
    rps = measured.requests_per_second.get(framework.id) if measured is not None else None
    if measured is None or rps is None:
        return Cell("—", "Measured req/s: not measured on this machine (fwtui bench --save measures it).", None)
    place, count = measured.place(framework.id)
    p99 = measured.p99_ms.get(framework.id)
    low, high = measured.rps_range.get(framework.id, (rps, rps))
    full = (f"Measured req/s: {rps:,.0f} median ({low:,.0f}-{high:,.0f} over the rounds), p99 latency {p99:.1f} ms, "
            f"{place} of {count} measured, on this machine on {measured.date.isoformat()} ({measured.machine}); "
            "a JSON hello, one worker, loopback.")
    text = _thousands(round(rps)) + (f" ({_thousands(round(low))}-{_thousands(round(high))})" if high > low else "")
    return Cell(text, full, rps)


def _measured_figure(dataset: Dataset, framework: Framework, row: Row) -> Cell:
    """A footprint, start-up, memory or share-of-baseline cell from the saved run."""
    measured = dataset.measured
    assert measured is not None
    name = row.field.split(".", 1)[1]
    value = getattr(measured, name).get(framework.id)
    when = f"on this machine on {measured.date.isoformat()}"
    if value is None:
        return Cell("—", f"{row.label}: not measured {when} (fwtui bench --save measures it).", None)
    if name == "baseline_share":
        share, baseline = value
        text = f"{share:.0%} of {baseline_words(baseline)}"
        return Cell(text, f"Throughput {text} (the json workload's median req/s over the baseline's, same run), measured {when}.", share)
    if name == "rss_mb":
        idle, load = value
        text = "/".join("—" if mb is None else f"{mb:.0f}" for mb in value) + " MB"
        return Cell(text, f"Resident memory (RSS): {_mb(idle)} idle, {_mb(load)} under load, measured {when}.", {"idle": idle, "under_load": load})
    if name == "footprint":
        count, disk = value
        return Cell(f"{count} dists, {disk:.0f} MB", f"Installed for its bench recipe: {count} distributions, {disk:.1f} MB on disk, "
                    f"measured {when}.", {"distributions": count, "disk_mb": disk})
    words = {"import_ms": "Import time (median, less a bare interpreter's start)",
             "cold_start_ms": "Cold start (median, process start to the first answer)"}[name]
    return Cell(f"{value:.0f} ms", f"{words}: {value:.0f} ms, measured {when}.", value)


def _mb(value: float | None) -> str:
    return "not measured" if value is None else f"{value:.1f} MB"


def baseline_words(baseline: str) -> str:
    """`raw-asgi` as a reader says it: raw ASGI."""
    return f"raw {baseline.removeprefix('raw-').upper()}"


def health_cell(framework: Framework, name: str) -> Cell:
    """A health fact as Compare shows it. The last release's age is counted to the day the index was read,
    which the group's heading names, so the figure does not drift from its date."""
    health = framework.health
    if health is None:
        return Cell("—", f"{framework.name}: no health facts from the index (fwtui refresh reads them).", None)
    read = f"from the index on {health.read_on.isoformat()}"
    if name == "advisories":
        ids = [advisory.id for advisory in health.advisories]
        if not ids:
            return Cell("none", f"Known advisories on {health.version}: none, {read}.", [])
        listed = "; ".join(advisory.id + (f" ({', '.join(advisory.aliases)})" if advisory.aliases else "")
                           + (f", fixed in {', '.join(advisory.fixed_in)}" if advisory.fixed_in else ", no fix released")
                           for advisory in health.advisories)
        return Cell(f"{len(ids)}: {', '.join(ids)}", f"Known advisories on {health.version}: {listed}; {read}.", ids)
    if name == "releases_12_months":
        count = health.releases_12_months
        return Cell(str(count), f"Releases in the 12 months before {health.read_on.isoformat()}: {count} "
                    f"({health.yanked_releases} yanked in all), {read}.", count)
    if name == "last_release":
        days = (health.read_on - health.last_release).days
        return Cell(f"{days} days", f"Release age: the last release: {health.last_release.isoformat()}, {days} days before the index was read "
                    f"on {health.read_on.isoformat()}.", health.last_release.isoformat())
    free, gil = health.wheel_free_threaded, health.wheel_for_newest
    return Cell("yes" if free else "no", f"Wheels for CPython {health.newest_cpython}: {'yes' if gil else 'no'}; for its "
                f"free-threaded build: {'yes' if free else 'no'} (pure Python wheels count for both), {read}.", free)


def _full_text(framework: Framework, row: Row, value: Any) -> str:
    name = row.field.split(".")[-1]
    detail = _DETAIL_FIELD.get(name)
    if detail:
        words = getattr(framework, detail)
        return f"{row.label}: {short_text(row.field, value)}" + (f". {words}" if words else "")
    if name == "kind" and isinstance(value, str):
        return f"{row.label}: {LABELS['kind'].get(value, value)}"
    if name == "stars" and isinstance(value, dict) and "count" in value:
        return f"{row.label}: {value['count']:,} (read {value.get('read_on')})"
    if name == "latest_version":
        return f"{row.label}: {value} (released {framework.latest_release})"
    return f"{row.label}: {short_text(row.field, value)}"


def _measured_record(dataset: Dataset, framework: Framework) -> dict[str, Any]:
    """Every figure measured for the framework, with when and where; the names of `fwtui bench --format json`."""
    measured = dataset.measured
    assert measured is not None
    fid = framework.id
    low, high = measured.rps_range.get(fid, (None, None))
    share, baseline = measured.baseline_share.get(fid, (None, None))
    idle, load = measured.rss_mb.get(fid, (None, None))
    count, disk = measured.footprint.get(fid, (None, None))
    return {
        "date": measured.date.isoformat(), "machine": measured.machine, "workload": "json",
        "requests_per_second": {"median": measured.requests_per_second[fid], "min": low, "max": high},
        "share_of_baseline": share, "baseline": baseline,
        "import_ms": measured.import_ms.get(fid), "cold_start_ms": measured.cold_start_ms.get(fid),
        "rss_mb": {"idle": idle, "under_load": load}, "footprint": {"distributions": count, "disk_mb": disk},
    }


def differs(cells: Sequence[Cell]) -> bool:
    """A row differs when not all its cells say the same."""
    return len({repr(c.value) if c.level is None else c.text for c in cells}) > 1


def matrix(dataset: Dataset, frameworks: Sequence[Framework], only_differences: bool = False) -> list[tuple[Row, list[Cell]]]:
    """Every row with its cells for the given frameworks; with `only_differences`, the rows that differ."""
    result = []
    for row in rows(dataset):
        cells = [cell(dataset, f, row) for f in frameworks]
        if only_differences and len(frameworks) > 1 and not differs(cells):
            continue
        result.append((row, cells))
    return result


LEGEND = "  ".join([*(f"{glyph} {LEVEL_LABELS[level]}" for level, glyph in LEVEL_GLYPHS.items()), f"{QUIET_GLYPH} {QUIET_LABEL}"])


def record(dataset: Dataset, framework: Framework) -> dict[str, Any]:
    """One framework's column as data: the raw values of the fact rows, the built-in levels by name."""
    result: dict[str, Any] = {"id": framework.id, "name": framework.name}
    fields = dict.fromkeys((*RECORD_FIELDS, *(row.field.split(".")[0] for row in rows(dataset) if row.group == FACTS and row.field != MEASURED)))
    for name in fields:
        result[name] = field_value(framework, name)
    if dataset.measured is not None:
        result["measured_requests_per_second"] = dataset.measured.requests_per_second.get(framework.id)
        result["measured"] = _measured_record(dataset, framework) if framework.id in dataset.measured.requests_per_second else None
    result["builtins"] = {name: framework.level(name) for name in vocabulary.BUILTINS}
    result["builtin_packages"] = dict(framework.builtin_packages)
    result["inherited"] = dict(framework.inherited)
    result["quiet"] = dict(framework.quiet)
    return result
