"""Saved measurements: `bench.toml` in fwtui's state folder, read by the TUI.

Cheap to import (standard library only; tomli_w and the state module are
imported inside the functions that need them) and free of Textual. Reading
never raises: a missing, damaged or newer file reads as no results.

The file holds the machine it was measured on and one entry per framework,
each with its own date: saving a run of some frameworks replaces their
entries and keeps the others, unless the machine changed, which starts afresh.
Beside it, `bench-run.json` keeps the whole last saved run (every workload,
the baselines, the machine) as `fwtui bench --format json` prints it, for
`fwtui bench --chart`.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import tomllib
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from fwtui.model import Dataset, Measurement

FILE_NAME = "bench.toml"
RUN_FILE_NAME = "bench-run.json"
SAVED_VERSION = 1


class Machine(NamedTuple):
    cpu: str
    cores: int
    os: str
    python: str
    generator: str

    def describe(self) -> str:
        return f"{self.cpu}, {self.cores} cores, {self.os}, Python {self.python}, {self.generator}"

    def same_host(self, other: Machine) -> bool:
        """The same computer as far as it matters for comparing figures (the generator may differ)."""
        return (self.cpu, self.cores, self.os) == (other.cpu, other.cores, other.os)


class SavedResult(NamedTuple):
    id: str
    date: dt.date
    rps_median: float
    rps_min: float
    rps_max: float
    p50_ms: float
    p99_ms: float
    errors: int
    rounds: int
    generator: str
    server: str
    versions: dict[str, str]
    python: str = ""  # the interpreter the server ran on (a newer one when the framework needs it)


class SavedRun(NamedTuple):
    date: dt.date  # of the newest entry
    machine: Machine
    results: dict[str, SavedResult]  # by framework id

    def ranked(self) -> list[SavedResult]:
        """Fastest first, by median requests per second."""
        return sorted(self.results.values(), key=lambda r: -r.rps_median)


def results_path() -> Path:
    from fwtui.state import state_dir

    return state_dir() / FILE_NAME


def this_machine(generator: str) -> Machine:
    return Machine(cpu_model(), os.cpu_count() or 1, f"{platform.system()} {platform.release()}", platform.python_version(), generator)


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as info:
            for line in info:
                if line.lower().startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine() or "unknown CPU"


def load_results(path: Path | None = None) -> SavedRun | None:
    """The saved results, or None when there are none or the file cannot be trusted."""
    path = path or results_path()
    try:
        from fwtui.files import read_capped

        data = tomllib.loads(read_capped(path, 10_000_000).decode("utf-8"))
        if data.get("version") != SAVED_VERSION:
            return None
        machine = Machine(**{name: data["machine"][name] for name in Machine._fields})
        if not (all(isinstance(getattr(machine, n), str) for n in ("cpu", "os", "python", "generator")) and isinstance(machine.cores, int)):
            return None
        results = {}
        for entry in data.get("result", []):
            result = _result(entry)
            if result is not None:
                results[result.id] = result
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, KeyError, TypeError, AttributeError):
        return None
    if not results:
        return None
    return SavedRun(max(r.date for r in results.values()), machine, results)


def _result(entry: Any) -> SavedResult | None:
    try:
        values = {name: entry[name] for name in SavedResult._fields if name != "python"}
        values["python"] = entry.get("python", "")
        numbers = ("rps_median", "rps_min", "rps_max", "p50_ms", "p99_ms")
        for name in numbers:
            if isinstance(values[name], bool) or not isinstance(values[name], int | float):
                return None
            values[name] = float(values[name])
        ok = (
            isinstance(values["id"], str) and isinstance(values["date"], dt.date)
            and all(isinstance(values[n], int) and not isinstance(values[n], bool) for n in ("errors", "rounds"))
            and all(isinstance(values[n], str) for n in ("generator", "server", "python"))
            and isinstance(values["versions"], dict) and all(isinstance(v, str) for v in values["versions"].values())
        )
    except (KeyError, TypeError):
        return None
    if isinstance(values["date"], dt.datetime):
        values["date"] = values["date"].date()
    return SavedResult(**values) if ok else None


def save_results(machine: Machine, results: Iterable[SavedResult], path: Path | None = None) -> Path:
    """Merge results into the saved file (same machine) or start it afresh; atomic. Raises OSError."""
    import tomli_w

    path = path or results_path()
    kept: dict[str, SavedResult] = {}
    previous = load_results(path)
    if previous is not None and previous.machine.same_host(machine):
        kept.update(previous.results)
    kept.update((r.id, r) for r in results)
    document = {
        "version": SAVED_VERSION,
        "machine": machine._asdict(),
        "result": [r._asdict() for r in sorted(kept.values(), key=lambda r: r.id)],
    }
    from fwtui.files import write_atomic

    write_atomic(path, tomli_w.dumps(document))
    return path


def measurement(path: Path | None = None) -> Measurement | None:
    """The saved results as the engine and the panes read them, or None."""
    from fwtui.model import Measurement

    run = load_results(path)
    if run is None:
        return None
    found = Measurement(
        date=run.date,
        machine=run.machine.describe(),
        requests_per_second={r.id: r.rps_median for r in run.results.values()},
        p99_ms={r.id: r.p99_ms for r in run.results.values()},
        rps_range={r.id: (r.rps_min, r.rps_max) for r in run.results.values()},
    )
    document = load_run(None if path is None else path.with_name(RUN_FILE_NAME))
    return found if document is None else _with_run_facts(found, document)


def _number(value: Any) -> float | None:
    """A finite, non-negative number from the saved document, else None (the document is not trusted)."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value < 1e12:
        return None
    return float(value)


def _with_run_facts(found: Measurement, document: dict[str, Any]) -> Measurement:
    """The footprint, start-up, memory and share-of-baseline figures of the frameworks the saved run measured
    (its json workload), for those whose saved throughput came from that run."""
    share: dict[str, tuple[float, str]] = {}
    imports: dict[str, float] = {}
    cold: dict[str, float] = {}
    rss: dict[str, tuple[float | None, float | None]] = {}
    footprint: dict[str, tuple[int, float]] = {}
    for record in document["results"]:
        framework_id = record.get("id")
        if record.get("workload") != "json" or framework_id not in found.requests_per_second:
            continue
        rps = record.get("requests_per_second")
        if not isinstance(rps, dict) or _number(rps.get("median")) != found.requests_per_second[framework_id]:
            continue  # bench.toml holds a later measurement of it than this run
        baseline, of = record.get("baseline"), _number(record.get("share_of_baseline"))
        if of is not None and baseline in ("raw-asgi", "raw-wsgi"):
            share[framework_id] = (of, baseline)
        for key, into in (("import_ms", imports), ("cold_start_ms", cold)):
            median = _number(record[key].get("median")) if isinstance(record.get(key), dict) else None
            if median is not None:
                into[framework_id] = median
        memory = record.get("rss_mb")
        if isinstance(memory, dict) and (memory.get("idle"), memory.get("under_load")) != (None, None):
            rss[framework_id] = (_number(memory.get("idle")), _number(memory.get("under_load")))
        installed = record.get("footprint")
        if isinstance(installed, dict):
            count, disk = installed.get("distributions"), _number(installed.get("disk_mb"))
            if isinstance(count, int) and not isinstance(count, bool) and 0 <= count < 100_000 and disk is not None:
                footprint[framework_id] = (count, disk)
    return found._replace(baseline_share=share, import_ms=imports, cold_start_ms=cold, rss_mb=rss, footprint=footprint)


def with_measurements(data: Dataset) -> Dataset:
    """`data` with this machine's saved measurements attached, when there are any."""
    found = measurement()
    return data._replace(measured=found) if found is not None else data


def run_path() -> Path:
    from fwtui.state import state_dir

    return state_dir() / RUN_FILE_NAME


def save_run(document: dict[str, Any], path: Path | None = None) -> Path:
    """Keep a whole run's JSON document (atomic). Raises OSError."""
    import json

    from fwtui.files import write_atomic

    path = path or run_path()
    write_atomic(path, json.dumps(document, indent=2, ensure_ascii=False))
    return path


def load_run(path: Path | None = None) -> dict[str, Any] | None:
    """The last saved run's document, or None when there is none or it does not have a run's shape."""
    import json

    from fwtui.files import read_capped

    try:
        document = json.loads(read_capped(path or run_path(), 50_000_000).decode("utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    if not (isinstance(document, dict) and isinstance(document.get("machine"), dict) and isinstance(document.get("results"), list)
            and all(isinstance(r, dict) for r in document["results"])):
        return None
    return document
