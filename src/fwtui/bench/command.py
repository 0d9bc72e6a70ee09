"""The `fwtui bench` command: a request in, the run measured (run.py), shown (report.py) and kept (saved.py)."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from fwtui import clock
from fwtui.bench import baselines, load, report, saved
from fwtui.bench.run import Checked, Measured, Options, measure, smoke
from fwtui.model import Framework
from fwtui.text import escape


@dataclass(frozen=True)
class Request:
    """What `fwtui bench` is asked: which frameworks, how to measure, and what to do with the results."""

    frameworks: tuple[Framework, ...]
    options: Options = Options()
    format: str = "table"  # table, json or markdown
    smoke: bool = False  # one request to each hello sample and bench app instead of load
    chart: bool = False  # draw the last saved run; measure nothing
    save: bool = False


def command(request: Request, print_table: Callable[[list[str], list[list[str]]], None]) -> int:
    """`fwtui bench`: 0 all measured (or checked), 1 some failed (named on stderr); progress goes to stderr."""
    if request.chart:
        return _chart()
    frameworks = list(request.frameworks)
    options = request.options
    try:
        if request.smoke:
            return _report_smoke(smoke(frameworks), request.format)
        try:
            outcomes, generator, pins = measure(frameworks, options)
        except load.LoadError as error:
            print(f"fwtui: {escape(str(error))}", file=sys.stderr)
            return 2
    except KeyboardInterrupt:
        print("fwtui bench: interrupted; every server started was stopped", file=sys.stderr)
        return 130
    machine = report.machine(generator, outcomes)
    report.show(outcomes, machine, options, pins, report.method(generator, pins, options), request.format, print_table)
    saved_ok = _save(outcomes, generator, report.document(outcomes, machine, options, pins)) if request.save else True
    for outcome in outcomes:
        if outcome.skipped:
            print(f"fwtui bench: {outcome.id} {outcome.workload} not measured: {outcome.skipped}", file=sys.stderr)
    failed = [o for o in outcomes if o.error]
    for outcome in failed:
        print(f"fwtui bench: {outcome.id} {outcome.workload} failed: {outcome.error}", file=sys.stderr)
    return 1 if failed or not saved_ok else 0


def _chart() -> int:
    """`fwtui bench --chart`: the last saved run drawn in the terminal; 1 when there is none to draw."""
    document = saved.load_run()
    lines = report.chart(document) if document is not None else []
    if not any(line.startswith("  ") for line in lines):
        print(f"fwtui bench: no saved run to draw in {escape(str(saved.run_path()))}; `fwtui bench --save` keeps one", file=sys.stderr)
        return 1
    print("\n".join(lines))
    return 0


def _save(outcomes: Sequence[Measured], generator: load.Generator, document: dict[str, Any]) -> bool:
    """Keep the run: its whole document for --chart, and the json workload's results of the frameworks (not the
    baselines) for the TUI; False (the reason on stderr) when they could not be written."""
    today = clock.today()
    results = []
    for outcome in outcomes:
        record = outcome.record()
        if record["requests_per_second"]["median"] is None or outcome.workload != "json" or outcome.id in baselines.IDS:
            continue
        results.append(saved.SavedResult(
            outcome.id, today, record["requests_per_second"]["median"], record["requests_per_second"]["min"],
            record["requests_per_second"]["max"], record["latency_ms"]["p50"], record["latency_ms"]["p99"],
            record["errors"], record["rounds"], outcome.generator, outcome.server, outcome.versions, outcome.python,
        ))
    if not results:
        print("fwtui bench: nothing measured, nothing saved", file=sys.stderr)
        return True  # the failures are named, and make the exit code 1, on their own
    path = saved.results_path()
    try:
        saved.save_results(saved.this_machine(generator.name), results, path)
        path = saved.run_path()
        saved.save_run(document, path)
    except OSError as error:
        print(f"fwtui bench: could not save the results to {escape(str(path))}: {escape(error.strerror or str(error))}", file=sys.stderr)
        return False
    print(f"fwtui bench: saved {len(results)} result(s) to {escape(str(saved.results_path()))} and the run to {escape(str(path))}",
          file=sys.stderr)
    return True


def _report_smoke(checked: Sequence[Checked], fmt: str) -> int:
    if fmt == "json":
        print(json.dumps([{"id": c.id, "part": c.part, "ok": not c.error, "error": c.error or None} for c in checked], indent=2))
    else:
        for check in checked:
            print(f"{'ok  ' if not check.error else 'FAIL'} {check.id} {check.part}" + (f": {check.error}" if check.error else ""))
    failed = [c for c in checked if c.error]
    if failed:
        print(f"fwtui bench --smoke: {len(failed)} of {len(checked)} failed: " + ", ".join(f"{c.id} {c.part}" for c in failed), file=sys.stderr)
        return 1
    return 0
