"""How a bench run is shown: tables per workload, the facts table, JSON and Markdown, the machine.

Figures read as ranges: each throughput is the median of the rounds with
their min-max, two frameworks whose ranges overlap are named as not
distinguishable on this machine, and each figure is also given as a share of
its baseline (raw ASGI or raw WSGI) measured in the same run. Every export
carries the machine it was measured on. Display text is made here only;
JSON carries numbers, lists and null. Nothing here measures.
"""

from __future__ import annotations

import json
import platform
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from fwtui import clock
from fwtui.bench import baselines, envs, facts, load
from fwtui.text import escape

if TYPE_CHECKING:
    from fwtui.bench.run import Measured, Options, Pinning

SERVER_DISTRIBUTIONS = ("gunicorn", "uvicorn", "hypercorn", "granian", "waitress", "daphne")
_SHOWN_ALIKE = 3  # names listed in "not distinguishable from" before "+N more"


def machine(generator: load.Generator, outcomes: Sequence[Measured]) -> dict[str, Any]:
    """The fingerprint saved and printed with every run: CPU, cores, OS, Python, servers' versions, load generator, date."""
    from fwtui.bench import saved

    servers: dict[str, set[str]] = {}
    pythons = {o.python for o in outcomes if o.python}
    for outcome in outcomes:
        for name, version in outcome.versions.items():
            if envs.normal_name(name) in SERVER_DISTRIBUTIONS:
                servers.setdefault(envs.normal_name(name), set()).add(version)
    here = saved.this_machine(generator.name)
    return {
        "cpu": here.cpu,
        "cores": here.cores,
        "os": here.os,
        "python": sorted(pythons) or [platform.python_version()],
        "servers": {name: ", ".join(sorted(found)) for name, found in sorted(servers.items())},
        "generator": generator.name,
        "date": clock.today().isoformat(),
    }


def describe_machine(found: dict[str, Any]) -> str:
    servers = ", ".join(f"{name} {version}" for name, version in found["servers"].items())
    return escape(f"measured on this machine on {found['date']}: {found['cpu']}, {found['cores']} cores, {found['os']}, "
                  f"Python {', '.join(found['python'])}" + (f", {servers}" if servers else "") + f", load from {found['generator']}")


def method(generator: load.Generator, pins: Pinning, options: Options) -> str:
    return (f"{options.rounds} round(s) of {options.duration:g} s after {options.warmup:g} s warm-up per workload, "
            f"{options.connections} connections, generator {generator.name}, {pins.describe()}, one worker, 127.0.0.1")


# Reading the results against each other -------------------------------------------


def compared(outcomes: Sequence[Measured]) -> list[dict[str, Any]]:
    """Each outcome's JSON record with `share_of_baseline` and `not_distinguishable_from` (ids) added."""
    spreads = {(o.id, o.workload): o.spread() for o in outcomes}
    records = []
    for outcome in outcomes:
        record = outcome.record()
        mine = spreads[outcome.id, outcome.workload]
        base = spreads.get((outcome.baseline, outcome.workload)) if outcome.baseline else None
        record["share_of_baseline"] = round(mine.median / base.median, 3) if mine and base and base.median > 0 else None
        record["not_distinguishable_from"] = [
            other.id for other in outcomes
            if other.workload == outcome.workload and other.id != outcome.id and mine
            and (theirs := spreads[other.id, other.workload]) is not None and mine.overlaps(theirs)
        ]
        records.append(record)
    return records


def document(outcomes: Sequence[Measured], found_machine: dict[str, Any], options: Options, pins: Pinning) -> dict[str, Any]:
    """The JSON document of a run: the machine, how it was measured, one result per framework and workload."""
    return {
        "machine": found_machine,
        "method": {"rounds": options.rounds, "duration_s": options.duration, "warmup_s": options.warmup,
                   "connections": options.connections, "workloads": list(options.workloads), **pins.record()},
        "results": compared(outcomes),
    }


# Tables ------------------------------------------------------------------------------


THROUGHPUT = ["Framework", "req/s (median)", "min-max", "of baseline", "p50 ms", "p99 ms", "errors", "not distinguishable from"]
FACTS = ["Framework", "distributions", "MB on disk", "import ms", "cold start ms", "RSS idle MB", "RSS load MB", "server", "versions"]


def _number(value: float | None, digits: int = 0) -> str:
    return "" if value is None else f"{value:,.{digits}f}"


def _range(spread: dict[str, Any], digits: int = 0) -> str:
    if spread["median"] is None:
        return ""
    return f"{_number(spread['median'], digits)} ({_number(spread['min'], digits)}-{_number(spread['max'], digits)})"


def throughput_rows(records: Sequence[dict[str, Any]], names: dict[str, str], workload: str) -> list[list[str]]:
    """One workload's rows, fastest first; a failed framework last, its reason printed apart."""
    mine = [r for r in records if r["workload"] == workload]
    ranked = sorted(mine, key=lambda r: -(r["requests_per_second"]["median"] or -1))
    rows = []
    for record in ranked:
        name = names[record["id"]]
        if record["error"] is not None or record["skipped"] is not None:
            rows.append([name, "failed" if record["error"] is not None else "not measured", "", "", "", "", "", "(why: below)"])
            continue
        rps, latency = record["requests_per_second"], record["latency_ms"]
        share = record["share_of_baseline"]
        if record["id"] in baselines.IDS:
            of_baseline = "baseline"
        else:
            of_baseline = f"{share:.0%} of {record['baseline']}" if share is not None else ""
        alike = [names[i] for i in record["not_distinguishable_from"]]
        shown = ", ".join(alike[:_SHOWN_ALIKE]) + (f" +{len(alike) - _SHOWN_ALIKE} more" if len(alike) > _SHOWN_ALIKE else "")
        rows.append([
            name, _number(rps["median"]), f"{_number(rps['min'])}-{_number(rps['max'])}", of_baseline,
            f"{latency['p50']:.1f}", f"{latency['p99']:.1f}", str(record["errors"]), shown,
        ])
    return rows


def facts_rows(outcomes: Sequence[Measured], names: dict[str, str]) -> list[list[str]]:
    """One row per framework: footprint, import time, cold start over every round of every workload, memory of its first workload."""
    rows = []
    for subject_id in dict.fromkeys(o.id for o in outcomes):
        mine = [o for o in outcomes if o.id == subject_id]
        first = next((o for o in mine if o.rounds), mine[0])
        cold = facts.Spread.of([ms for o in mine for ms in o.cold_start_ms])
        record = first.record()
        footprint = first.footprint
        rows.append([
            names[subject_id],
            str(footprint.distributions) if footprint else "",
            _number(footprint.disk_mb, 1) if footprint else "",
            _range(first.import_ms.record() if first.import_ms else {"median": None}),
            _range(cold.record() if cold else {"median": None}),
            _number(record["rss_mb"]["idle"], 1),
            _number(record["rss_mb"]["under_load"], 1),
            short_server(first.server),
            _versions(first.versions),
        ])
    return rows


def _versions(versions: dict[str, str]) -> str:
    """As the installed distributions' own metadata names them: outside text, so escaped."""
    return escape(", ".join(f"{name} {version}" for name, version in versions.items()))


def short_server(command: str) -> str:
    """The server as a table shows it: its program (gunicorn, uvicorn, ...), or the script for a framework's own server."""
    words = escape(command).split()
    if not words:
        return ""
    return " ".join(words[:2]) if words[0].startswith("python") and len(words) > 1 else words[0]


def show(outcomes: Sequence[Measured], found_machine: dict[str, Any], options: Options, pins: Pinning, how: str, fmt: str,
         print_table: Callable[[list[str], list[list[str]]], None]) -> None:
    """Print a run: JSON, Markdown, or tables on stdout with the method and machine on stderr."""
    if fmt == "json":
        print(json.dumps(document(outcomes, found_machine, options, pins), indent=2, ensure_ascii=False))
        return
    records = compared(outcomes)
    names = {o.id: o.name for o in outcomes}
    measured_workloads = list(dict.fromkeys(o.workload for o in outcomes))
    sections = [(f"{w} workload: requests per second, {_WORKLOAD_WORDS[w]}", THROUGHPUT, throughput_rows(records, names, w))
                for w in measured_workloads]
    sections.append(("Footprint, start-up and memory (median, min-max over the rounds)", FACTS, facts_rows(outcomes, names)))
    footer = f"{how}; {describe_machine(found_machine)}. Overlapping min-max ranges: not distinguishable on this machine."
    if fmt == "markdown":
        for title, header, rows in sections:
            print(f"### {title}\n")
            print("| " + " | ".join(header) + " |")
            print("|" + "|".join(" --- " for _ in header) + "|")
            for row in rows:
                print("| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |")
            print()
        print(footer)
        return
    for title, header, rows in sections:
        print(title)
        print_table(header, rows)
    print(f"fwtui bench: {footer}", file=sys.stderr)


_WORKLOAD_WORDS = {
    "json": "GET / answering a JSON hello",
    "plaintext": "GET / answering a plain-text hello",
    "params": "POST /items/{id}?q= with a JSON body validated and echoed",
}


# The chart of a saved run ---------------------------------------------------------------


_BAR = 40  # cells from 0 to the workload's largest max


def chart(document: dict[str, Any]) -> list[str]:
    """A saved run drawn in the terminal: per workload, each result's req/s range (─) and median (●)
    on one scale from 0, the baselines' medians as columns (┆), then the figures.

    The document is a file on disk: a record that does not have a result's shape is left out.
    """
    lines = []
    results = [r for r in document.get("results", []) if _drawable(r)]
    for workload in dict.fromkeys(r["workload"] for r in results):
        mine = sorted((r for r in results if r["workload"] == workload), key=lambda r: -r["requests_per_second"]["median"])
        top = max(r["requests_per_second"]["max"] for r in mine) or 1.0
        column = {r["id"]: _cell(r["requests_per_second"]["median"], top) for r in mine if r["id"] in baselines.IDS}
        name_width = max(len(r["id"]) for r in mine)
        shown = ", ".join(f"{r['id']} {r['requests_per_second']['median']:,.0f}" for r in mine if r["id"] in baselines.IDS)
        lines.append(f"{escape(workload)} workload: requests per second, 0 to {top:,.0f} (● median, ─ min-max"
                     + (f", ┆ baselines' medians: {shown})" if shown else ")"))
        for record in mine:
            rps, latency = record["requests_per_second"], record["latency_ms"]
            cells = [" "] * (_BAR + 1)
            for at in column.values():
                cells[at] = "┆"
            for at in range(_cell(rps["min"], top), _cell(rps["max"], top) + 1):
                cells[at] = "─"
            cells[_cell(rps["median"], top)] = "●"
            share = record.get("share_of_baseline")
            read = f", {share:.0%} of {escape(str(record.get('baseline')))}" if isinstance(share, int | float) else ""
            figures = (f"{rps['median']:,.0f} ({rps['min']:,.0f}-{rps['max']:,.0f}){read}; "
                       f"p50 {_ms(latency.get('p50'))}, p99 {_ms(latency.get('p99'))}")
            lines.append(f"  {escape(record['id']).ljust(name_width)} │{''.join(cells)} {figures}")
        lines.append("")
    machine = document.get("machine", {})
    if isinstance(machine, dict) and {"date", "cpu", "cores", "os", "python", "servers", "generator"} <= set(machine):
        try:
            lines.append(describe_machine(machine))
        except (TypeError, AttributeError):
            pass
    return lines


def _drawable(record: Any) -> bool:
    try:
        rps = record["requests_per_second"]
        return (isinstance(record["id"], str) and isinstance(record["workload"], str) and isinstance(record["latency_ms"], dict)
                and all(isinstance(rps[k], int | float) and not isinstance(rps[k], bool) and rps[k] >= 0 for k in ("median", "min", "max"))
                and rps["min"] <= rps["median"] <= rps["max"])
    except (KeyError, TypeError):
        return False


def _cell(value: float, top: float) -> int:
    return max(0, min(_BAR, round(value / top * _BAR)))


def _ms(value: Any) -> str:
    return f"{value:.1f} ms" if isinstance(value, int | float) and not isinstance(value, bool) else "-"
