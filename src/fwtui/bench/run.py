"""`fwtui bench`: order the rounds, gather the results, print them.

One run: make (or reuse) each framework's environment, then for each round
start every framework's server in turn, check it answers the JSON hello,
warm it up, load it, stop it. Rounds are interleaved across frameworks, and
each round starts one framework further along, so drift on the machine (a
neighbour's job, a warm CPU) falls on all alike. Server and generator are
pinned to different cores where the OS allows. `--smoke` instead sends one
request to each framework's hello sample and bench app and checks the answer.

Only 127.0.0.1 is ever loaded, every load is bounded in time, and every
server's process group is ended before the next starts, on Ctrl+C as well.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import shutil
import statistics
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple
from urllib.parse import urlsplit

from fwtui.bench import envs, lifeline, load, servers
from fwtui.text import escape

if TYPE_CHECKING:
    import argparse

    from fwtui.model import Dataset, Framework

EXPECTED = {"message": "Hello, World!"}
READY_WITHIN = 60.0  # a fresh environment compiles its modules on the first start


class Options(NamedTuple):
    duration: float = 5.0
    rounds: int = 3
    connections: int = 64
    warmup: float = 1.0
    generator: str = "auto"
    ready_within: float = READY_WITHIN


class Failure(Exception):
    """A framework could not be measured or checked; the message says why.

    The message quotes outside text (a server's output, an installer's error,
    an answer's body, a recipe's command), so it is escaped once, here: every
    place that prints or exports it then shows `\\x1b`, never an escape
    sequence the terminal would act on.
    """

    def __init__(self, message: str) -> None:
        super().__init__(escape(message))


class Pinning(NamedTuple):
    server: frozenset[int] | None
    generator: frozenset[int] | None

    def describe(self) -> str:
        if self.server is None or self.generator is None:
            return "not pinned (fewer than 2 cores, or the OS does not allow it)"
        return f"server pinned to CPU {_cores(self.server)}, generator to CPU {_cores(self.generator)}"


def _cores(cores: frozenset[int]) -> str:
    return ",".join(str(core) for core in sorted(cores))


def pinning() -> Pinning:
    """Server on the first core this process may use, generator on the others, when there are two or more."""
    if not hasattr(os, "sched_getaffinity") or not hasattr(os, "sched_setaffinity"):
        return Pinning(None, None)
    cores = sorted(os.sched_getaffinity(0))
    if len(cores) < 2:
        return Pinning(None, None)
    return Pinning(frozenset(cores[:1]), frozenset(cores[1:]))


class Measured(NamedTuple):
    """One framework's outcome: its rounds, or why it has none."""

    id: str
    name: str
    rounds: tuple[load.LoadResult, ...] = ()
    versions: dict[str, str] = {}
    server: str = ""
    generator: str = ""
    python: str = ""
    error: str = ""

    def rps(self) -> list[float]:
        return [r.requests_per_second for r in self.rounds]

    def record(self) -> dict[str, Any]:
        """The JSON record: numbers and null, never display text."""
        rps = self.rps()
        ok = bool(rps) and not self.error
        return {
            "id": self.id,
            "requests_per_second": {
                "median": round(statistics.median(rps), 1) if ok else None,
                "min": round(min(rps), 1) if ok else None,
                "max": round(max(rps), 1) if ok else None,
            },
            "latency_ms": {
                "p50": round(statistics.median(r.p50_ms for r in self.rounds), 3) if ok else None,
                "p99": round(statistics.median(r.p99_ms for r in self.rounds), 3) if ok else None,
            },
            "errors": sum(r.errors for r in self.rounds),
            "rounds": len(self.rounds),
            "versions": self.versions,
            "server": self.server,
            "generator": self.generator,
            "python": self.python,
            "error": self.error or None,
        }


class Checked(NamedTuple):
    """One smoke check: a framework's hello sample or bench app, and what was wrong with it."""

    id: str
    part: str  # "hello" or "bench"
    error: str = ""


# Checking an answer ------------------------------------------------------------


def answer_problem(answer: servers.Answer) -> str:
    """'' when the answer is the JSON hello, else what it was instead."""
    if answer.status != 200:
        return f"answered HTTP {answer.status} instead of 200"
    try:
        body = json.loads(answer.body)
    except ValueError:
        return f"answered {answer.body[:60]!r}, which is not JSON"
    if body != EXPECTED:
        return f"answered {json.dumps(body)[:80]} instead of {json.dumps(EXPECTED)}"
    return ""


def _check(host: str, port: int, path: str = "/") -> None:
    try:
        answer = servers.request(host, port, path)
    except OSError as error:
        raise Failure(f"no answer from {host}:{port}{path}: {error}") from None
    except Exception as error:  # http.client's errors for a malformed answer
        raise Failure(f"unreadable answer from {host}:{port}{path}: {type(error).__name__}") from None
    problem = answer_problem(answer)
    if problem:
        raise Failure(problem)


def write_app(folder: Path, name: str, code: str) -> None:
    """Write a sample's file (hello.file may sit in subfolders) inside folder, never outside it."""
    target = (folder / name).resolve()
    if not name or Path(name).is_absolute() or not target.is_relative_to(folder.resolve()):
        raise Failure(f"the file name {name!r} would be written outside the sample's folder")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(code, encoding="utf-8")
    except OSError as error:
        raise Failure(f"could not write {name}: {error.strerror or error}") from None


# Environments ------------------------------------------------------------------


def _python_for(framework: Framework) -> tuple[str, str]:
    found = envs.find_python(framework.min_python)
    if found is None:
        raise Failure(
            f"needs Python >= {framework.min_python}; this is {platform.python_version()} and no python3.N on PATH is new enough"
        )
    return found


def _environment(framework: Framework, requirements: Sequence[str], root: Path | None) -> envs.Environment:
    python, _ = _python_for(framework)
    try:
        return envs.ensure(requirements, python, root=root)
    except envs.EnvError as error:
        raise Failure(f"could not install {', '.join(requirements)}: {error}") from None


# Progress ----------------------------------------------------------------------


class _Progress:
    """A Rich progress bar on stderr in a terminal, plain lines on stderr otherwise."""

    def __init__(self, total: int, enabled: bool) -> None:
        self.total = total
        self.done = 0
        self.bar: Any = None
        if enabled and sys.stderr.isatty():
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            self.bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                                console=Console(stderr=True), transient=True)
            self.task = self.bar.add_task("", total=total)
        self.enabled = enabled

    def __enter__(self) -> _Progress:
        if self.bar is not None:
            self.bar.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()

    def show(self, text: str) -> None:
        if self.bar is not None:
            self.bar.update(self.task, description=text)
        elif self.enabled:
            print(f"fwtui bench: [{self.done}/{self.total}] {text}", file=sys.stderr, flush=True)

    def advance(self) -> None:
        self.done += 1
        if self.bar is not None:
            self.bar.advance(self.task)

    def say(self, text: str) -> None:
        if self.bar is not None:
            self.bar.console.print(text, markup=False, highlight=False)
        elif self.enabled:
            print(f"fwtui bench: {text}", file=sys.stderr, flush=True)


# Measuring ---------------------------------------------------------------------


def measure(
    frameworks: Sequence[Framework],
    options: Options,
    *,
    env_root: Path | None = None,
    progress: bool = True,
    environment: Callable[[Framework], envs.Environment] | None = None,
) -> tuple[list[Measured], load.Generator, Pinning]:
    """Measure every framework's bench recipe in interleaved rounds; one Measured per framework, in order.

    environment, when given, replaces making the isolated environment (tests use it).
    """
    generator = load.find_generator(options.generator)
    pins = pinning()
    outcomes: dict[str, Measured] = {f.id: Measured(f.id, f.name, generator=generator.name) for f in frameworks}
    ready: list[tuple[Framework, envs.Environment, Path]] = []
    work = Path(tempfile.mkdtemp(prefix="fwtui-bench-"))
    try:
        with lifeline.interrupting_signals(), lifeline.watched(work) as run_mark, \
                _Progress(len(frameworks) * (1 + options.rounds), progress) as bar:
            for framework in frameworks:
                bar.show(f"environment for {framework.id}")
                try:
                    if framework.bench is None:
                        raise Failure("has no [framework.bench] recipe in the dataset")
                    env = environment(framework) if environment else _environment(framework, framework.bench.packages, env_root)
                    folder = work / framework.id
                    write_app(folder, "app.py", framework.bench.code)
                    ready.append((framework, env, folder))
                    outcomes[framework.id] = outcomes[framework.id]._replace(
                        versions=env.versions_of(framework.bench.packages), server=framework.bench.server, python=env.python_version)
                except Failure as failure:
                    outcomes[framework.id] = outcomes[framework.id]._replace(error=str(failure))
                    bar.say(f"{framework.id}: {failure}")
                    bar.advance()
                    bar.total -= options.rounds
                    if bar.bar is not None:
                        bar.bar.update(bar.task, total=bar.total)
                    continue
                bar.advance()
            for round_number in range(options.rounds):
                shift = round_number % len(ready) if ready else 0
                for framework, env, folder in ready[shift:] + ready[:shift]:
                    outcome = outcomes[framework.id]
                    if outcome.error:
                        bar.advance()
                        continue
                    bar.show(f"round {round_number + 1}/{options.rounds}: {framework.id}")
                    try:
                        result = _one_round(framework, env, folder, generator, pins, options, run_mark)
                        outcomes[framework.id] = outcome._replace(rounds=(*outcome.rounds, result))
                    except Failure as failure:
                        outcomes[framework.id] = outcome._replace(error=f"round {round_number + 1}: {failure}")
                        bar.say(f"{framework.id}: {failure}")
                    bar.advance()
    finally:
        with lifeline.deferred_signals():
            shutil.rmtree(work, ignore_errors=True)
    return [outcomes[f.id] for f in frameworks], generator, pins


def _one_round(framework: Framework, env: envs.Environment, folder: Path, generator: load.Generator, pins: Pinning, options: Options,
               run_mark: str) -> load.LoadResult:
    assert framework.bench is not None
    port = servers.free_port()
    try:
        with servers.serve(framework.bench.server, folder, port=port, bin_dir=env.bin_dir, ready_within=options.ready_within,
                           cores=pins.server, run_mark=run_mark):
            _check("127.0.0.1", port)
            return generator.run(f"http://127.0.0.1:{port}/", options.connections, options.duration, options.warmup, cores=pins.generator)
    except (servers.ServerError, load.LoadError) as error:
        raise Failure(str(error)) from None


# Smoke -------------------------------------------------------------------------


def smoke(
    frameworks: Sequence[Framework],
    *,
    env_root: Path | None = None,
    progress: bool = True,
    ready_within: float = READY_WITHIN,
) -> list[Checked]:
    """One request to each framework's hello sample and bench app; a Checked for each, in order."""
    checked: list[Checked] = []
    work = Path(tempfile.mkdtemp(prefix="fwtui-smoke-"))
    try:
        with lifeline.interrupting_signals(), lifeline.watched(work) as run_mark, _Progress(2 * len(frameworks), progress) as bar:
            for framework in frameworks:
                for part, attempt in (("hello", _smoke_hello), ("bench", _smoke_bench)):
                    bar.show(f"{part} of {framework.id}")
                    folder = work / f"{framework.id}-{part}"
                    folder.mkdir()
                    try:
                        attempt(framework, folder, env_root, ready_within, run_mark)
                        checked.append(Checked(framework.id, part))
                    except Failure as failure:
                        checked.append(Checked(framework.id, part, str(failure)))
                        bar.say(f"{framework.id} {part}: {failure}")
                    bar.advance()
    finally:
        with lifeline.deferred_signals():
            shutil.rmtree(work, ignore_errors=True)
    return checked


def _smoke_hello(framework: Framework, folder: Path, env_root: Path | None, ready_within: float, run_mark: str) -> None:
    hello = framework.hello
    if not hello.url:
        raise Failure("hello has no url to request")
    if not hello.install:
        raise Failure("hello has no install list")
    url = urlsplit(hello.url)
    host, port, path = url.hostname or "", url.port or 80, url.path or "/"
    if host not in ("127.0.0.1", "localhost"):
        raise Failure(f"hello.url {hello.url} is not on this machine; only 127.0.0.1 is requested")
    host = "127.0.0.1"
    if servers.port_in_use(port):
        raise Failure(f"port {port} (from hello.url) is already in use by another program")
    env = _environment(framework, hello.install, env_root)
    write_app(folder, hello.file, hello.code)
    try:
        with servers.serve(hello.run, folder, port=port, bin_dir=env.bin_dir, path=path, ready_within=ready_within, run_mark=run_mark):
            _check(host, port, path)
    except servers.ServerError as error:
        raise Failure(str(error)) from None


def _smoke_bench(framework: Framework, folder: Path, env_root: Path | None, ready_within: float, run_mark: str) -> None:
    if framework.bench is None:
        raise Failure("has no [framework.bench] recipe in the dataset")
    env = _environment(framework, framework.bench.packages, env_root)
    write_app(folder, "app.py", framework.bench.code)
    port = servers.free_port()
    try:
        with servers.serve(framework.bench.server, folder, port=port, bin_dir=env.bin_dir, ready_within=ready_within, run_mark=run_mark):
            _check("127.0.0.1", port)
    except servers.ServerError as error:
        raise Failure(str(error)) from None


# The command -------------------------------------------------------------------


def command(
    data: Dataset, args: argparse.Namespace, find: Callable[[Dataset, str], Framework], print_table: Callable[[list[str], list[list[str]]], None]
) -> int:
    """`fwtui bench`: 0 all measured (or checked), 1 some failed (named on stderr); progress goes to stderr."""
    frameworks = [find(data, i) for i in dict.fromkeys(args.ids)] if args.ids else list(data.frameworks)
    try:
        if args.smoke:
            return _report_smoke(smoke(frameworks), args.format)
        options = Options(args.duration, args.rounds, args.connections, min(1.0, args.duration), args.generator)
        try:
            outcomes, generator, pins = measure(frameworks, options)
        except load.LoadError as error:
            print(f"fwtui: {escape(str(error))}", file=sys.stderr)
            return 2
    except KeyboardInterrupt:
        print("fwtui bench: interrupted; every server started was stopped", file=sys.stderr)
        return 130
    _report(outcomes, generator, pins, options, args.format, print_table)
    saved_ok = _save(outcomes, generator) if args.save else True
    failed = [o for o in outcomes if o.error]
    for outcome in failed:
        print(f"fwtui bench: {outcome.id} failed: {outcome.error}", file=sys.stderr)
    return 1 if failed or not saved_ok else 0


def _save(outcomes: Sequence[Measured], generator: load.Generator) -> bool:
    """Keep the measured results for the TUI; False (the reason on stderr) when they could not be written."""
    from fwtui.bench import saved

    today = dt.date.today()
    results = []
    for outcome in outcomes:
        record = outcome.record()
        if record["error"] is not None:
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
    except OSError as error:
        print(f"fwtui bench: could not save the results to {escape(str(path))}: {escape(error.strerror or str(error))}", file=sys.stderr)
        return False
    print(f"fwtui bench: saved {len(results)} result(s) to {escape(str(path))}", file=sys.stderr)
    return True


def _versions(versions: dict[str, str]) -> str:
    """As the installed distributions' own metadata names them: outside text, so escaped."""
    return escape(", ".join(f"{name} {version}" for name, version in versions.items()))


def short_server(command: str) -> str:
    """The server as a table shows it: its program (gunicorn, uvicorn, ...), or the script for a framework's own server."""
    words = escape(command).split()
    if not words:
        return ""
    return " ".join(words[:2]) if words[0].startswith("python") and len(words) > 1 else words[0]


def table_rows(outcomes: Sequence[Measured]) -> list[list[str]]:
    """Fastest first; a failed framework last, its reason printed apart."""
    rows = []
    ranked = sorted(outcomes, key=lambda o: -(o.record()["requests_per_second"]["median"] or -1))
    for outcome in ranked:
        record = outcome.record()
        if record["error"] is not None:
            rows.append([outcome.name, "failed", "", "", "", "", short_server(outcome.server), "(why: below)"])
            continue
        rps, latency = record["requests_per_second"], record["latency_ms"]
        rows.append([
            outcome.name, f"{rps['median']:,.0f}", f"{rps['min']:,.0f}-{rps['max']:,.0f}",
            f"{latency['p50']:.1f}", f"{latency['p99']:.1f}", str(record["errors"]), short_server(outcome.server), _versions(outcome.versions),
        ])
    return rows


HEADER = ["Framework", "req/s (median)", "min-max", "p50 ms", "p99 ms", "errors", "server", "versions"]


def _method(generator: load.Generator, pins: Pinning, options: Options) -> str:
    return (f"{options.rounds} round(s) of {options.duration:g} s after {options.warmup:g} s warm-up, {options.connections} connections, "
            f"generator {generator.name}, {pins.describe()}, one worker, 127.0.0.1, JSON hello")


def _report(outcomes: Sequence[Measured], generator: load.Generator, pins: Pinning, options: Options, fmt: str,
            print_table: Callable[[list[str], list[list[str]]], None]) -> None:
    if fmt == "json":
        print(json.dumps([o.record() for o in outcomes], indent=2, ensure_ascii=False))
        return
    rows = table_rows(outcomes)
    if fmt == "markdown":
        print("| " + " | ".join(HEADER) + " |")
        print("|" + "|".join(" --- " for _ in HEADER) + "|")
        for row in rows:
            print("| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |")
        print(f"\n{_method(generator, pins, options)}; {saved_machine(generator)}.")
        return
    print_table(HEADER, rows)
    print(f"fwtui bench: {_method(generator, pins, options)}", file=sys.stderr)


def saved_machine(generator: load.Generator) -> str:
    from fwtui.bench import saved

    return saved.this_machine(generator.name).describe()


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
