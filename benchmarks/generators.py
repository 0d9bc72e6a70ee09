"""The built-in load generator against wrk, side by side on the same running server.

    python benchmarks/generators.py                  # flask, fastapi, aiohttp, emmett: 5 rounds of 2 s slices
    python benchmarks/generators.py flask sanic --rounds 8 --duration 3

Each round starts every framework's bench recipe once (the order turning one
framework further each round) and loads that one server four times in ABBA
order, built-in and wrk (B W W B, then W B B W in the next round), so drift
within the round falls on both alike. Every slice gets the same connections,
warm-up and duration, and the same core (`fwtui bench`'s pinning: server on
the first core, generator on the others, so wrk runs one thread per generator
core). A round's ratio is the built-in's requests per second over wrk's, each
the mean of its two slices; "wrk / wrk" is wrk's two slices of the same round
against each other, the noise floor: how far a generator falls below itself
on this machine in the same few seconds. Exits 1 when a ratio fell below
--target.

The frameworks' environments are the ones `fwtui bench` makes (reused from
its cache folder, made when missing). Only 127.0.0.1 is loaded, and each
server's process group is ended before the next starts.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import sys
import tempfile
from pathlib import Path
from typing import NamedTuple

from fwtui import dataset
from fwtui.bench import envs, load, report, run, servers
from fwtui.model import Framework

DEFAULT = ("flask", "fastapi", "aiohttp", "emmett")


class Round(NamedTuple):
    framework: str
    server: str
    number: int
    builtin: tuple[load.LoadResult, load.LoadResult]
    wrk: tuple[load.LoadResult, load.LoadResult]

    @property
    def builtin_rps(self) -> float:
        return statistics.mean(r.requests_per_second for r in self.builtin)

    @property
    def wrk_rps(self) -> float:
        return statistics.mean(r.requests_per_second for r in self.wrk)

    @property
    def ratio(self) -> float:
        return self.builtin_rps / max(self.wrk_rps, 1e-9)

    @property
    def wrk_vs_wrk(self) -> float:
        """The lower of wrk's two slices over the higher."""
        low, high = sorted(r.requests_per_second for r in self.wrk)
        return low / max(high, 1e-9)


def _environment(framework: Framework) -> envs.Environment:
    assert framework.bench is not None
    python = envs.find_python(framework.min_python)
    if python is None:
        raise SystemExit(f"{framework.id} needs Python >= {framework.min_python}; none found")
    return envs.ensure(framework.bench.packages, python[0])


def _round(framework: Framework, env: envs.Environment, folder: Path, wrk: load.Generator, number: int,
           options: argparse.Namespace, pins: run.Pinning) -> Round:
    assert framework.bench is not None
    builtin = load.find_generator("builtin")
    order = (builtin, wrk, wrk, builtin) if number % 2 else (wrk, builtin, builtin, wrk)
    port = servers.free_port()
    results: dict[str, list[load.LoadResult]] = {"builtin": [], "wrk": []}
    with servers.serve(framework.bench.server, folder, port=port, bin_dir=env.bin_dir, ready_within=60, cores=pins.server):
        try:
            run.check("127.0.0.1", port)
        except run.Failure as failure:
            raise SystemExit(f"{framework.id}: {failure}") from None
        for generator in order:
            result = generator.run(f"http://127.0.0.1:{port}/", options.connections, options.duration, options.warmup, cores=pins.generator)
            results["builtin" if generator is builtin else "wrk"].append(result)
    b, w = results["builtin"], results["wrk"]
    return Round(framework.id, report.short_server(framework.bench.server), number, (b[0], b[1]), (w[0], w[1]))


def _table(rounds: list[Round], wrk: str) -> None:
    print(f"| Framework | server | round | built-in req/s | {wrk} req/s | built-in / wrk | wrk / wrk | errors (built-in, wrk) |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in sorted(rounds, key=lambda r: (r.framework, r.number)):
        errors = f"{sum(x.errors for x in r.builtin)}, {sum(x.errors for x in r.wrk)}"
        print(f"| {r.framework} | {r.server} | {r.number} | {r.builtin_rps:,.0f} | {r.wrk_rps:,.0f} | {r.ratio:.0%} | {r.wrk_vs_wrk:.0%} | {errors} |")
    print("\n| Framework | server | built-in / wrk: min | median | max | wrk / wrk: min |")
    print("| --- | --- | ---: | ---: | ---: | ---: |")
    for framework in dict.fromkeys(r.framework for r in rounds):
        mine = [r for r in rounds if r.framework == framework]
        ratios = [r.ratio for r in mine]
        print(f"| {framework} | {mine[0].server} | {min(ratios):.0%} | {statistics.median(ratios):.0%} | {max(ratios):.0%} | "
              f"{min(r.wrk_vs_wrk for r in mine):.0%} |")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("ids", nargs="*", default=list(DEFAULT), help=f"framework ids (default: {' '.join(DEFAULT)})")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--duration", type=float, default=2.0, help="seconds measured per slice (whole seconds for wrk; default 2)")
    parser.add_argument("--warmup", type=float, default=1.0, help="seconds of warm-up before each slice (default 1)")
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--target", type=float, default=0.85, help="lowest acceptable built-in / wrk ratio of a round (default 0.85)")
    parser.add_argument("--json", action="store_true", help="print the rounds as JSON instead of tables")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        print("wrk is not on PATH (apt-get install wrk)", file=sys.stderr)
        return 2
    wrk = load.find_generator("wrk")
    pins = run.pinning()
    data = dataset.load()
    frameworks = [data.framework(i) for i in dict.fromkeys(args.ids)]
    ready = [(f, _environment(f)) for f in frameworks if f.bench is not None]
    rounds: list[Round] = []
    work = Path(tempfile.mkdtemp(prefix="fwtui-generators-"))
    try:
        for number in range(1, args.rounds + 1):
            shift = (number - 1) % len(ready)
            for framework, env in ready[shift:] + ready[:shift]:
                assert framework.bench is not None
                folder = work / framework.id
                run.write_app(folder, "app.py", framework.bench.code)
                done = _round(framework, env, folder, wrk, number, args, pins)
                rounds.append(done)
                print(f"round {number}: {done.framework:<10} built-in {done.builtin_rps:>8,.0f}  {wrk.name} {done.wrk_rps:>8,.0f}  "
                      f"{done.ratio:5.0%}  (wrk / wrk {done.wrk_vs_wrk:.0%})", file=sys.stderr, flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if args.json:
        print(json.dumps([{"framework": r.framework, "server": r.server, "round": r.number, "builtin_rps": round(r.builtin_rps, 1),
                           "wrk_rps": round(r.wrk_rps, 1), "ratio": round(r.ratio, 3), "wrk_vs_wrk": round(r.wrk_vs_wrk, 3),
                           "builtin_errors": sum(x.errors for x in r.builtin), "wrk_errors": sum(x.errors for x in r.wrk)} for r in rounds], indent=2))
    else:
        cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
        print(f"{args.rounds} interleaved round(s) of ABBA slices, {args.duration:g} s each after {args.warmup:g} s warm-up, "
              f"{args.connections} connections, {wrk.name}, {pins.describe()}; {platform.machine()}, {cores} cores, "
              f"Python {platform.python_version()}\n")
        _table(rounds, wrk.name)
    worst = min(rounds, key=lambda r: r.ratio)
    print(f"\nworst built-in / wrk {worst.ratio:.0%} ({worst.framework}, round {worst.number}); "
          f"worst wrk / wrk {min(r.wrk_vs_wrk for r in rounds):.0%}; target {args.target:.0%}", file=sys.stderr)
    return 0 if worst.ratio >= args.target else 1


if __name__ == "__main__":
    sys.exit(main())
