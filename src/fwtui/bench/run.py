"""`fwtui bench`: order the rounds, gather the results.

One run: make (or reuse) each framework's environment and read its
footprint and import time there, then for each round, each workload and
each framework in turn (the baselines among them): start its server (timing
the cold start), check it gives the workload's answer, read its memory idle,
warm it up, load it (reading its memory under load), stop it. Rounds are
interleaved across frameworks, and each round starts one framework further
along, so drift on the machine (a neighbour's job, a warm CPU) falls on all
alike. Server and generator are pinned to different cores where the OS
allows. `--smoke` instead sends one request to each framework's hello
sample and bench apps and checks the answer. command.py has report.py show
the results.

Only 127.0.0.1 is ever loaded, every load is bounded in time, and every
server's processes are ended before the next starts, whatever ends fwtui
(lifeline.py).
"""

from __future__ import annotations

import functools
import os
import platform
import shutil
import statistics
import sys
import tempfile
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple
from urllib.parse import urlsplit

from fwtui.bench import baselines, envs, facts, lifeline, load, servers, workloads
from fwtui.text import escape

if TYPE_CHECKING:
    from fwtui.model import BenchRecipe, Framework

READY_WITHIN = 60.0  # a fresh environment compiles its modules on the first start


class Options(NamedTuple):
    duration: float = 3.0
    rounds: int = 3
    connections: int = 64
    warmup: float = 0.5
    generator: str = "auto"
    ready_within: float = READY_WITHIN
    workloads: tuple[str, ...] = workloads.NAMES
    baselines: bool = True
    import_runs: int = facts.IMPORT_RUNS

    def quick(self) -> Options:
        """What --quick measures: one short round of each workload, fewer import runs."""
        return self._replace(duration=1.0, rounds=1, warmup=0.25, import_runs=3)


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

    def record(self) -> dict[str, list[int] | None]:
        return {"server_cpus": sorted(self.server) if self.server else None, "generator_cpus": sorted(self.generator) if self.generator else None}

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


class Subject(NamedTuple):
    """What is measured: a framework's recipe, or a baseline's."""

    id: str
    name: str
    recipe: BenchRecipe | None
    min_python: str = ""
    baseline: str = ""  # the baseline id its figures read against; "" for a baseline itself

    @classmethod
    def of(cls, framework: Framework) -> Subject:
        recipe = framework.bench
        return cls(framework.id, framework.name, recipe, framework.min_python, baselines.baseline_for(recipe.server) if recipe else "")


def subjects(frameworks: Sequence[Framework], with_baselines: bool) -> list[Subject]:
    found = [Subject.of(f) for f in frameworks]
    if with_baselines:
        found += [Subject(b.id, b.name, b.recipe) for b in baselines.BASELINES]
    return found


class Measured(NamedTuple):
    """One framework's outcome on one workload: its rounds and facts, or why it has none."""

    id: str
    name: str
    workload: str = "json"
    rounds: tuple[load.LoadResult, ...] = ()
    versions: dict[str, str] = {}
    server: str = ""
    generator: str = ""
    python: str = ""
    error: str = ""
    skipped: str = ""  # why the recipe has no app for this workload: not measured, and not a failure
    baseline: str = ""
    footprint: facts.Footprint | None = None
    import_ms: facts.Spread | None = None
    cold_start_ms: tuple[float, ...] = ()  # one a round
    rss_idle_mb: tuple[float, ...] = ()
    rss_load_mb: tuple[float, ...] = ()

    def rps(self) -> list[float]:
        return [r.requests_per_second for r in self.rounds]

    def spread(self) -> facts.Spread | None:
        """Requests per second over the rounds; None when there are none or it failed."""
        return facts.Spread.of(self.rps()) if not (self.error or self.skipped) else None

    def record(self) -> dict[str, Any]:
        """The JSON record: numbers and null, never display text."""
        rps = self.spread()
        ok = rps is not None
        cold = facts.Spread.of(self.cold_start_ms)
        return {
            "id": self.id,
            "workload": self.workload,
            "requests_per_second": rps.record() if rps else {"median": None, "min": None, "max": None},
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
            "skipped": self.skipped or None,
            "footprint": {"distributions": self.footprint.distributions if self.footprint else None,
                          "disk_mb": round(self.footprint.disk_mb, 1) if self.footprint else None},
            "import_ms": self.import_ms.record() if self.import_ms else {"median": None, "min": None, "max": None},
            "cold_start_ms": cold.record() if cold else {"median": None, "min": None, "max": None},
            "rss_mb": {"idle": round(statistics.median(self.rss_idle_mb), 1) if self.rss_idle_mb else None,
                       "under_load": round(statistics.median(self.rss_load_mb), 1) if self.rss_load_mb else None},
            "baseline": self.baseline or None,
        }


class Checked(NamedTuple):
    """One smoke check: a framework's hello sample or one of its bench apps, and what was wrong with it."""

    id: str
    part: str  # "hello", "bench" (the json app), "bench plaintext", "bench params"
    error: str = ""


# Checking an answer ------------------------------------------------------------


def check(host: str, port: int, workload: workloads.Workload = workloads.JSON) -> None:
    """Raise Failure unless the app on host:port gives the workload's answer (and refuses a body that does not validate)."""
    _check_one(host, port, workload)
    if workload.name == "params":
        answer = _ask(host, port, workloads.PARAMS_INVALID)
        if not 400 <= answer.status < 500:
            raise Failure(f"answered HTTP {answer.status} to a body that does not validate (price \"cheap\"), instead of a 4xx")


def _ask(host: str, port: int, workload: workloads.Workload) -> servers.Answer:
    where = f"{host}:{port}{workload.path}"
    try:
        return servers.request(host, port, workload.path, method=workload.method, body=workload.body)
    except OSError as error:
        raise Failure(f"no answer from {where}: {error}") from None
    except Exception as error:  # http.client's errors for a malformed answer
        raise Failure(f"unreadable answer from {where}: {type(error).__name__}") from None


def _check_one(host: str, port: int, workload: workloads.Workload) -> None:
    answer = _ask(host, port, workload)
    problem = workload.answer_problem(answer.status, answer.content_type, answer.body)
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


def _python_for(subject: Subject) -> tuple[str, str]:
    found = envs.find_python(subject.min_python)
    if found is None:
        raise Failure(
            f"needs Python >= {subject.min_python}; this is {platform.python_version()} and no python3.N on PATH is new enough"
        )
    return found


def _environment(subject: Subject, requirements: Sequence[str], root: Path | None) -> envs.Environment:
    python, _ = _python_for(subject)
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
    frameworks: Sequence[Framework | Subject],
    options: Options,
    *,
    env_root: Path | None = None,
    progress: bool = True,
    environment: Callable[[Subject], envs.Environment] | None = None,
) -> tuple[list[Measured], load.Generator, Pinning]:
    """Measure every recipe on every workload in interleaved rounds; one Measured per subject and workload.

    The baselines are added after the frameworks when options.baselines.
    environment, when given, replaces making the isolated environment (tests use it).
    """
    generator = load.find_generator(options.generator)
    pins = pinning()
    chosen = [f if isinstance(f, Subject) else Subject.of(f) for f in frameworks]
    if options.baselines:
        chosen += [s for s in subjects([], True) if s.id not in {c.id for c in chosen}]
    outcomes: dict[tuple[str, str], Measured] = {
        (s.id, w): Measured(s.id, s.name, w, generator=generator.name, baseline=s.baseline) for s in chosen for w in options.workloads}
    ready: list[tuple[Subject, envs.Environment, Path]] = []
    work = Path(tempfile.mkdtemp(prefix="fwtui-bench-"))
    try:
        with lifeline.interrupting_signals(), lifeline.watched(work) as run_mark, \
                _Progress(len(chosen) * (1 + options.rounds * len(options.workloads)), progress) as bar:
            for subject in chosen:
                bar.show(f"environment for {subject.id}")
                try:
                    ready.append(_prepare(subject, options, work, env_root, environment, outcomes))
                except Failure as failure:
                    for workload in options.workloads:
                        outcomes[subject.id, workload] = outcomes[subject.id, workload]._replace(error=str(failure))
                    bar.say(f"{subject.id}: {failure}")
                bar.advance()
            for round_number in range(options.rounds):
                shift = round_number % len(ready) if ready else 0
                for workload in options.workloads:
                    for subject, env, folder in ready[shift:] + ready[:shift]:
                        outcome = outcomes[subject.id, workload]
                        if outcome.error or outcome.skipped:
                            bar.advance()
                            continue
                        bar.show(f"round {round_number + 1}/{options.rounds}: {subject.id} {workload}")
                        try:
                            outcomes[subject.id, workload] = _one_round(subject, workload, env, folder / workload, generator, pins, options,
                                                                        run_mark, outcome)
                        except Failure as failure:
                            outcomes[subject.id, workload] = outcome._replace(error=f"round {round_number + 1}: {failure}")
                            bar.say(f"{subject.id} {workload}: {failure}")
                        bar.advance()
    finally:
        with lifeline.deferred_signals():
            shutil.rmtree(work, ignore_errors=True)
    return [outcomes[s.id, w] for s in chosen for w in options.workloads], generator, pins


def _prepare(subject: Subject, options: Options, work: Path, env_root: Path | None,
             environment: Callable[[Subject], envs.Environment] | None,
             outcomes: dict[tuple[str, str], Measured]) -> tuple[Subject, envs.Environment, Path]:
    """The subject's environment and apps, its footprint and import time recorded in its outcomes."""
    recipe = subject.recipe
    if recipe is None:
        raise Failure("has no [framework.bench] recipe in the dataset")
    env = environment(subject) if environment else _environment(subject, recipe.packages, env_root)
    folder = work / subject.id
    footprint = facts.footprint(env.path, env.versions)
    for workload in workloads.NAMES:
        code = workloads.code_for(recipe, workload)
        if code:
            write_app(folder / workload, "app.py", code)
    # The json app's import: the framework's own imports and the app's setup, without a server.
    imported = facts.import_ms(env.bin_dir / "python", "app", options.import_runs, servers.program_env(env.bin_dir), folder / "json")
    for workload in options.workloads:
        outcomes[subject.id, workload] = outcomes[subject.id, workload]._replace(
            versions=env.versions_of(recipe.packages), server=recipe.server, python=env.python_version,
            footprint=footprint, import_ms=imported, skipped=escape(workloads.why_not(recipe, workload)))
    return subject, env, folder


def _one_round(subject: Subject, workload: str, env: envs.Environment, folder: Path, generator: load.Generator, pins: Pinning,
               options: Options, run_mark: str, outcome: Measured) -> Measured:
    """One start, check and load of the subject's app for the workload: the outcome with this round added."""
    assert subject.recipe is not None
    asked = workloads.WORKLOADS[workload]
    port = servers.free_port()
    try:
        with servers.serve(subject.recipe.server, folder, port=port, bin_dir=env.bin_dir, ready_within=options.ready_within,
                           cores=pins.server, run_mark=run_mark) as server:
            check("127.0.0.1", port, asked)
            idle = facts.rss_mb(server.processes())
            peak: list[float] = []
            sampler = _sample_rss(server, options.warmup, options.duration, peak)
            try:
                result = generator.run(f"http://127.0.0.1:{port}{asked.path}", options.connections, options.duration, options.warmup,
                                       cores=pins.generator, method=asked.method, body=asked.body)
            finally:
                sampler.set()
    except (servers.ServerError, load.LoadError) as error:
        raise Failure(str(error)) from None
    return outcome._replace(
        rounds=(*outcome.rounds, result),
        cold_start_ms=(*outcome.cold_start_ms, server.cold_start_ms),
        rss_idle_mb=(*outcome.rss_idle_mb, idle) if idle is not None else outcome.rss_idle_mb,
        rss_load_mb=(*outcome.rss_load_mb, max(peak)) if peak else outcome.rss_load_mb,
    )


def _sample_rss(server: servers.Server, warmup: float, duration: float, into: list[float]) -> threading.Event:
    """Read the server's memory at a quarter, half and nine tenths of the measured window, into `into`; set the event to stop."""
    stop = threading.Event()

    def sample() -> None:
        waited = 0.0  # the generator's warm-up starts with this thread
        for share in (0.25, 0.5, 0.9):
            if stop.wait(warmup + duration * share - waited):
                return
            waited = warmup + duration * share
            found = facts.rss_mb(server.processes())
            if found is not None:
                into.append(found)

    threading.Thread(target=sample, daemon=True, name="fwtui-rss").start()
    return stop


# Smoke -------------------------------------------------------------------------


def smoke(
    frameworks: Sequence[Framework],
    *,
    env_root: Path | None = None,
    progress: bool = True,
    ready_within: float = READY_WITHIN,
) -> list[Checked]:
    """One request to each framework's hello sample and each of its bench apps; a Checked for each, in order."""
    checked: list[Checked] = []
    work = Path(tempfile.mkdtemp(prefix="fwtui-smoke-"))
    try:
        with lifeline.interrupting_signals(), lifeline.watched(work) as run_mark, _Progress(2 * len(frameworks), progress) as bar:
            for framework in frameworks:
                parts: list[tuple[str, Callable[[], None]]] = [
                    ("hello", functools.partial(_smoke_hello, framework, work / f"{framework.id}-hello", env_root, ready_within, run_mark))]
                recipe = framework.bench
                for workload in workloads.NAMES:
                    if recipe is not None and workload != "json" and not workloads.code_for(recipe, workload):
                        continue  # the json app is always checked; the others when the recipe has them
                    part = "bench" if workload == "json" else f"bench {workload}"
                    parts.append((part, functools.partial(_smoke_bench, Subject.of(framework), workload, work / f"{framework.id}-{workload}",
                                                          env_root, ready_within, run_mark)))
                bar.total += len(parts) - 2
                for part, attempt in parts:
                    bar.show(f"{part} of {framework.id}")
                    try:
                        attempt()
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
    env = _environment(Subject.of(framework), hello.install, env_root)
    folder.mkdir(parents=True, exist_ok=True)
    write_app(folder, hello.file, hello.code)
    try:
        with servers.serve(hello.run, folder, port=port, bin_dir=env.bin_dir, path=path, ready_within=ready_within, run_mark=run_mark):
            check(host, port, workloads.Workload("json", "GET", path))
    except servers.ServerError as error:
        raise Failure(str(error)) from None


def _smoke_bench(subject: Subject, workload: str, folder: Path, env_root: Path | None, ready_within: float, run_mark: str) -> None:
    recipe = subject.recipe
    if recipe is None:
        raise Failure("has no [framework.bench] recipe in the dataset")
    if not workloads.code_for(recipe, workload):
        raise Failure(workloads.why_not(recipe, workload))
    env = _environment(subject, recipe.packages, env_root)
    folder.mkdir(parents=True, exist_ok=True)
    write_app(folder, "app.py", workloads.code_for(recipe, workload))
    port = servers.free_port()
    try:
        with servers.serve(recipe.server, folder, port=port, bin_dir=env.bin_dir, ready_within=ready_within, run_mark=run_mark):
            check("127.0.0.1", port, workloads.WORKLOADS[workload])
    except servers.ServerError as error:
        raise Failure(str(error)) from None
