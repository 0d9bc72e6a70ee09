"""Measured facts beside the throughput: footprint, import time, resident memory.

- Footprint: the distributions a recipe installs (the installer's own, pip
  and setuptools, left out) and the megabytes their files take in the
  environment's site-packages.
- Import time: wall time of `python -c "import app"` (the recipe's json
  app: the framework's imports and the app's setup, no server) in fresh
  interpreters of the environment, minus the median of a bare `python -c
  pass` run alongside; median, min and max over the runs.
- Resident memory: VmRSS from /proc/<pid>/status, summed over every process
  of a server (its workers too).

Cold start (process start to the first 200) is timed by servers.serve.
Nothing here starts servers or generates load.
"""

from __future__ import annotations

import re
import statistics
import subprocess
import time
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

INSTALLER_DISTRIBUTIONS = ("pip", "setuptools", "wheel", "_distutils_hack", "distutils-precedence.pth")
IMPORT_RUNS = 5


class Spread(NamedTuple):
    median: float
    min: float
    max: float

    @classmethod
    def of(cls, values: Sequence[float]) -> Spread | None:
        return cls(statistics.median(values), min(values), max(values)) if values else None

    def record(self, digits: int = 1) -> dict[str, float]:
        return {"median": round(self.median, digits), "min": round(self.min, digits), "max": round(self.max, digits)}

    def overlaps(self, other: Spread) -> bool:
        return self.min <= other.max and other.min <= self.max


class Footprint(NamedTuple):
    distributions: int
    disk_mb: float


def footprint(env_path: Path, versions: dict[str, str]) -> Footprint:
    """What the environment holds beyond an empty one: distributions and MB of site-packages."""
    kept = [name for name in versions if name.lower() not in INSTALLER_DISTRIBUTIONS]
    total = 0
    for site in env_path.glob("lib*/python*/site-packages"):
        for entry in site.iterdir():
            if _belongs_to_installer(entry.name):
                continue
            total += _size(entry)
    return Footprint(len(kept), total / 1_000_000)


def _belongs_to_installer(name: str) -> bool:
    base = re.split(r"[-.]", name, maxsplit=1)[0].lower()
    return base in INSTALLER_DISTRIBUTIONS or name.lower() in INSTALLER_DISTRIBUTIONS


def _size(path: Path) -> int:
    try:
        if path.is_symlink() or path.is_file():
            return path.lstat().st_size
        return sum(p.lstat().st_size for p in path.rglob("*") if p.is_file() or p.is_symlink())
    except OSError:
        return 0


def import_ms(python: Path, module: str, runs: int = IMPORT_RUNS, env: dict[str, str] | None = None,
              cwd: Path | None = None) -> Spread | None:
    """Milliseconds to import module (from cwd) in a fresh interpreter, minus a bare interpreter's start; None if it
    does not import.

    Bare and importing runs alternate, so drift on the machine falls on both alike.
    """
    bare: list[float] = []
    loaded: list[float] = []
    for _ in range(runs):
        for code, into in (("pass", bare), (f"import {module}", loaded)):
            started = time.perf_counter()
            try:
                done = subprocess.run([str(python), "-c", code], capture_output=True, timeout=30, env=env, cwd=cwd,
                                      stdin=subprocess.DEVNULL)
            except (OSError, subprocess.TimeoutExpired):
                return None
            if done.returncode != 0:
                return None
            into.append((time.perf_counter() - started) * 1000)
    floor = statistics.median(bare)
    return Spread.of([max(0.0, t - floor) for t in loaded])


def rss_mb(pids: Sequence[int]) -> float | None:
    """Resident memory of these processes together, in MB (VmRSS from /proc); None where it cannot be read."""
    total = 0
    read_any = False
    for pid in pids:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        found = re.search(r"^VmRSS:\s+(\d+) kB", status, re.M)
        if found:
            total += int(found.group(1))
            read_any = True
    return total * 1024 / 1_000_000 if read_any else None
