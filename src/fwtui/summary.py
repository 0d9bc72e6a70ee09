"""Text renderings shared by the CLI, the clipboard and the TUI.

Plain records (for JSON / TOML output), the text of a comparison cell, and the
Markdown summaries that `c` copies. No Textual import.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from fwtui import criteria as criteria_forms
from fwtui.cells import base_name, quiet_words, via
from fwtui.decide import Criteria, Ranked, WhatIf, close_call
from fwtui.model import Dataset, Framework, Measurement
from fwtui.vocabulary import BUILTIN_LEVELS, LABELS, LEVEL_LABELS, QUESTION_LABELS, QUESTIONS, builtin_label

LIST_FIELDS = (
    "id", "name", "kind", "interfaces", "tagline", "latest_version", "latest_release",
    "license", "first_release", "min_python", "learning_curve", "async_model", "community", "status",
)


def plain(value: Any) -> Any:
    """A value with dates turned into ISO strings, for JSON."""
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def without_nulls(value: Any) -> Any:
    """A value for TOML, which has no null: a key whose value is unknown is left out."""
    if isinstance(value, dict):
        return {key: without_nulls(item) for key, item in value.items() if item is not None}
    if isinstance(value, (list, tuple)):
        return [without_nulls(item) for item in value if item is not None]
    return value


def list_record(framework: Framework) -> dict[str, Any]:
    return {key: framework.raw[key] for key in LIST_FIELDS if key in framework.raw}


def render_value(path: str, value: Any) -> str:
    if value is None:
        return "—"
    name = path.split(".")[-1]
    if name == "builtins" and isinstance(value, dict):
        return builtins_text(value)
    if name in LABELS and isinstance(value, str):
        return LABELS[name].get(value, value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}" if name == "count" else str(value)
    if isinstance(value, list):
        mapping = LABELS.get(name, {})
        return ", ".join(mapping.get(item, str(item)) if isinstance(item, str) else str(item) for item in value)
    if isinstance(value, dict):
        if name == "stars" and "count" in value:
            return f"{value['count']:,} (read {plain(value.get('read_on'))})"
        return ", ".join(f"{key}: {render_value(key, item)}" for key, item in value.items())
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str) and name in ("learning_curve", "community", "throughput", "async_model"):
        return value.replace("-", " ").capitalize()
    return str(value)


def level_words(dataset: Dataset, framework: Framework, need: str) -> str:
    """How a framework provides a built-in, in words: 'built in', 'built in (via Django)',
    'first-party package, quiet since 2023-10'."""
    return LEVEL_LABELS[framework.level(need)] + via(dataset, framework, need) + quiet_words(framework, need)


def builtins_text(builtins: dict[str, str], vias: dict[str, str] | None = None) -> str:
    """The built-ins by level on one line; `vias` adds " (via Django)" to the inherited ones."""
    vias = vias or {}
    by_level = {level: [builtin_label(k) + vias.get(k, "") for k, v in builtins.items() if v == level] for level in BUILTIN_LEVELS}
    text = ", ".join(by_level["built-in"]) or "none"
    for level in ("first-party", "extension"):
        if by_level[level]:
            text += f"; {LEVEL_LABELS[level]}: " + ", ".join(by_level[level])
    return text


def framework_builtins_text(dataset: Dataset, framework: Framework) -> str:
    """The built-ins by level, each inherited one with its base and each quiet one with its last release."""
    marks = {need: via(dataset, framework, need) + (f" (quiet since {framework.quiet[need]})" if need in framework.quiet else "")
             for need in (*framework.inherited, *framework.quiet)}
    return builtins_text(framework.builtins, marks)


# Markdown --------------------------------------------------------------------


def md_cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def md_table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    lines = ["| " + " | ".join(md_cell(h) for h in header) + " |", "|" + "---|" * len(header)]
    lines.extend("| " + " | ".join(md_cell(c) for c in row) + " |" for row in rows)
    return "\n".join(lines)


def footer(dataset: Dataset) -> str:
    lines = [f"_Data: {dataset.meta.title}, version {dataset.meta.version}, as of {dataset.meta.as_of.isoformat()}._"]
    for source in dataset.meta.sources:
        lines.append(f"- Source: {dataset.source_label(source.id)}, checked {source.checked.isoformat()}")
    return "\n".join(lines)


def list_markdown(dataset: Dataset, frameworks: Sequence[Framework]) -> str:
    table = md_table(
        ("Framework", "Kind", "Interfaces", "Latest", "Tagline"),
        (
            (f.name, LABELS["kind"][f.kind], render_value("interfaces", list(f.interfaces)), f.latest_version, f.tagline)
            for f in frameworks
        ),
    )
    return f"# Python backend frameworks\n\n{table}\n\n{footer(dataset)}\n"


def compare_markdown(dataset: Dataset, frameworks: Sequence[Framework], only_differences: bool = False) -> str:
    from fwtui import matrix

    grid = matrix.matrix(dataset, frameworks, only_differences)
    table = md_table(("", *(f.name for f in frameworks)), ([row.label, *(c.text for c in cells)] for row, cells in grid))
    title = " vs ".join(f.name for f in frameworks)
    hidden = len(matrix.rows(dataset)) - len(grid)
    note = f"\n\n_Only rows where they differ ({hidden} equal {'row' if hidden == 1 else 'rows'} hidden)._" if only_differences else ""
    sources = "".join(f"\n\n{line}" for line in matrix.provenance(dataset, grid))
    return f"# {title}\n\n{table}\n\nBuilt-ins: {matrix.LEGEND}{sources}{note}\n\n{footer(dataset)}\n"


def facts(dataset: Dataset, f: Framework) -> list[tuple[str, str]]:
    """A framework's key facts as (label, text), for the details pane and the copied record."""
    measured = dataset.measured
    rows = [
        ("Kind", LABELS["kind"][f.kind]),
        ("Interfaces", render_value("interfaces", list(f.interfaces))),
    ]
    if f.package:
        rows.append(("Package", f.package))
    if f.builds_on:
        rows.append(("Builds on", ", ".join(base_name(dataset, base) for base in f.builds_on)))
    if f.status:
        rows.append(("Status", f"{f.status.capitalize()}: {f.status_source}" if f.status_source else f.status.capitalize()))
    rows += [
        ("First release", str(f.first_release)),
        ("Latest", f"{f.latest_version} ({f.latest_release})"),
        ("License", f.license),
        ("Python", f">= {f.min_python}"),
        ("Learning curve", render_value("learning_curve", f.learning_curve)),
        ("Async", f.async_note),
        ("Type hints", "drive validation and docs" if f.type_hint_driven else "optional"),
        ("Performance", f"{f.throughput.capitalize()} throughput, as claimed: {f.performance_note}"),
        ("Servers", ", ".join(f.servers)),
        ("Community", render_value("community", f.community)),
    ]
    if measured is not None and f.id in measured.requests_per_second:
        rows += measured_facts(f, measured)
    if f.health is not None:
        rows.append(("Health", health_text(f)))
    if f.stars:
        rows.append(("GitHub stars", f"{f.stars.count:,} (read {f.stars.read_on.isoformat()})"))
    return rows


def measured_facts(f: Framework, measured: Measurement) -> list[tuple[str, str]]:
    """The figures `fwtui bench --save` measured for a framework, as (label, text)."""
    from fwtui.matrix import baseline_words

    place, count = measured.place(f.id)
    rps = measured.requests_per_second[f.id]
    low, high = measured.rps_range.get(f.id, (rps, rps))
    share = measured.baseline_share.get(f.id)
    text = (f"{rps:,.0f} requests/s median ({low:,.0f}-{high:,.0f}), p99 {measured.p99_ms.get(f.id, 0):.1f} ms "
            f"({place} of {count})" + (f", {share[0]:.0%} of {baseline_words(share[1])}" if share else "")
            + f", on this machine on {measured.date.isoformat()}: {measured.machine}")
    rows = [("Measured", text)]
    parts = []
    if f.id in measured.footprint:
        distributions, disk = measured.footprint[f.id]
        parts.append(f"{distributions} distributions, {disk:.1f} MB on disk")
    if f.id in measured.import_ms:
        parts.append(f"import {measured.import_ms[f.id]:.0f} ms")
    if f.id in measured.cold_start_ms:
        parts.append(f"cold start {measured.cold_start_ms[f.id]:.0f} ms")
    if f.id in measured.rss_mb:
        idle, load = measured.rss_mb[f.id]
        parts.append("RSS " + ", ".join(f"{mb:.1f} MB {when}" for mb, when in ((idle, "idle"), (load, "under load")) if mb is not None))
    if parts:
        rows.append(("Footprint", "; ".join(parts) + f" (measured on this machine on {measured.date.isoformat()})"))
    return rows


def health_text(f: Framework) -> str:
    """The [framework.health] facts in one sentence, dated."""
    health = f.health
    assert health is not None
    count = len(health.advisories)
    advisories = (f"{count} known {'advisory' if count == 1 else 'advisories'} on {health.version}: " + ", ".join(a.id for a in health.advisories)
                  if health.advisories else f"no known advisories on {health.version}")
    wheels = ("wheels for CPython " + health.newest_cpython
              + (" and its free-threaded build" if health.wheel_free_threaded else ", none for its free-threaded build")
              if health.wheel_for_newest else f"no wheel for CPython {health.newest_cpython}"
              + (" (one for its free-threaded build)" if health.wheel_free_threaded else ""))
    return (f"{advisories[:1].upper()}{advisories[1:]}; {health.releases_12_months} releases in 12 months, the last on "
            f"{health.last_release.isoformat()}; {health.yanked_releases} yanked; {wheels} (from the index on {health.read_on.isoformat()})")


def framework_markdown(dataset: Dataset, f: Framework) -> str:
    lines = [f"# {f.name}", "", f"_{f.tagline}_", "", f.description, ""]
    lines += [f"- **{k}:** {v}" for k, v in [*facts(dataset, f), ("Built-ins", framework_builtins_text(dataset, f))]]
    lines += ["", "**Best for:** " + "; ".join(f.best_for), "", "**Avoid when:** " + "; ".join(f.avoid_when)]
    if f.notable_users:
        users = "; ".join(f"{u.text} (source: {dataset.source_label(u.source)})" for u in f.notable_users)
        lines += ["", f"**Notable users:** {users}"]
    for opinion in f.opinions:
        lines += ["", f"> {opinion.text} (opinion of: {dataset.source_label(opinion.source)})"]
    lines += ["", f"```python\n{f.hello.code.strip()}\n```", f"Run: `{f.hello.run}`", "", "**Links:**"]
    lines += [f"- Homepage: {f.homepage}", f"- Repository: {f.repository}", f"- Docs: {f.docs}", "", "**Sources:**"]
    lines += [f"- {s.group}: {s.url} (checked {s.checked.isoformat()})" + (f" — {s.note}" if s.note else "") for s in f.sources]
    return "\n".join(lines) + f"\n\n{footer(dataset)}\n"


def criteria_lines(dataset: Dataset, criteria: Criteria) -> list[str]:
    lines = []
    if criteria.use_case:
        lines.append(f"Use case: {dataset.use_case(criteria.use_case).title}")
    if criteria.needs:
        how = "built in or first-party" if criteria.strict else "built in, first-party or a community extension"
        lines.append("Must have: " + ", ".join(builtin_label(n) for n in criteria.needs) + f" ({how})")
    if criteria.nice:
        lines.append("Nice to have: " + ", ".join(builtin_label(n) for n in criteria.nice))
    for key in QUESTIONS:
        label = QUESTION_LABELS[key][0].upper() + QUESTION_LABELS[key][1:]
        value = getattr(criteria, key)
        if value:
            lines.append(f"{label}: {value}")
    if criteria.know:
        lines.append("Team knows: " + ", ".join(dataset.framework(k).name for k in criteria.know))
    return lines or ["No criteria chosen, so no scores: pick a use case or needs."]


def score_text(entry: Ranked) -> str:
    if entry.excluded:
        return "excluded"
    return "—" if entry.score is None else str(entry.score)


def close_call_text(ranking: Sequence[Ranked]) -> str | None:
    pair = close_call(ranking)
    if pair is None:
        return None
    first, second = pair
    gap = (first.score or 0) - (second.score or 0)
    if gap == 0:
        return f"A tie: {first.framework.name} and {second.framework.name} both score {first.score}."
    return f"A close call: {first.framework.name} {first.score}, {second.framework.name} {second.score} ({gap} point{'s' if gap != 1 else ''} apart)."


def what_if_text(dataset: Dataset, place: int, name: str, what: WhatIf) -> str:
    """One change that would change the answer, as said under its place: under the leader, who
    would lead instead; under another place, that this one would."""
    if place == 1:
        return f"⇄ {dataset.framework(what.first).name} would lead instead of {name} {what.change}."
    return f"⇄ {name} would lead {what.change}."


SHARED_PLACES = 5  # places a shared summary (the copy, the CLI table) holds unless asked for more


def ranking_markdown(dataset: Dataset, criteria: Criteria, ranking: Sequence[Ranked], top: int | None = SHARED_PLACES) -> str:
    """The recommendation to share: the criteria, the first `top` places (None or 0: all) with their
    reasons and what would change them, the excluded one line each, and the command that reproduces it."""
    lines = ["# Framework recommendation", "", *(f"- {line}" for line in criteria_lines(dataset, criteria)), ""]
    if criteria.is_empty() or not any(entry.score is not None for entry in ranking[:1]):
        lines.append("Nothing is ranked until something is asked.")
    else:
        included = [entry for entry in ranking if not entry.excluded]
        shown = included[:top] if top else included
        for place, entry in enumerate(shown, start=1):
            lines.append(f"{place}. **{entry.framework.name}** — {entry.score}/100")
            lines += [f"   - {r.points:+d} of {r.of}: {r.text}" for r in entry.reasons]
            lines += [f"   - {what_if_text(dataset, place, entry.framework.name, what)}" for what in entry.what_if]
            if place == 2 and (close := close_call_text(ranking)):
                lines.append(f"   - ≈ {close}")
        if len(included) > len(shown):
            lines.append(f"\n{len(included) - len(shown)} more ranked.")
        excluded = [entry for entry in ranking if entry.excluded]
        if excluded:
            lines += ["", f"## Excluded ({len(excluded)})", ""]
            lines += [f"- {entry.framework.name}: {'; '.join(entry.exclusions)}" for entry in excluded]
    lines += ["", "Reproduce with:", "", f"    {criteria_forms.command(criteria)}"]
    return "\n".join(lines) + f"\n\n{footer(dataset)}\n"


def explainer_markdown(dataset: Dataset) -> str:
    explainer = dataset.explainer
    if explainer is None:
        return f"# WSGI and ASGI\n\nThis dataset has no explainer.\n\n{footer(dataset)}\n"
    lines = ["# WSGI and ASGI", "", explainer.intro]
    for spec in explainer.specs:
        lines += ["", f"## {spec.name}: {spec.full_name}", "", spec.summary, "", f"- Signature: `{spec.app_signature}`"]
        lines += [f"- Concurrency: {spec.concurrency}", "- Request flow: " + " → ".join(spec.request_flow)]
        lines.append(f"- Source: {spec.source} (checked {spec.checked.isoformat()})")
    if explainer.servers:
        rows = [(s.name, "yes" if "wsgi" in s.speaks else "no", "yes" if "asgi" in s.speaks else "no", s.note) for s in explainer.servers]
        lines += ["", "## Servers", "", md_table(("Server", "WSGI", "ASGI", "Notes"), rows)]
    interfaces = [
        (f.name, *("yes" if i in f.interfaces else "no" for i in ("wsgi", "asgi", "own-server")))
        for f in dataset.frameworks
    ]
    lines += ["", "## Frameworks", "", md_table(("Framework", "WSGI", "ASGI", "Own server"), interfaces)]
    return "\n".join(lines) + f"\n\n{footer(dataset)}\n"
