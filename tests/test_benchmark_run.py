"""benchmarks/run.py runs as documented: `--quick --only load` with the default sizes."""

from __future__ import annotations

import importlib.util
import subprocess
import sys

import pytest

from helpers import ROOT


@pytest.mark.slow  # writes and loads a 1,000-framework dataset (9 MB of TOML) six times
def test_the_load_benchmark_runs_with_its_default_sizes(bundled, tmp_path):
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "run.py"), "--quick", "--only", "load"],
                          capture_output=True, text=True, timeout=600, cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    count = len(bundled.frameworks)
    for size in (f"{count} frameworks", "1,000 frameworks"):
        for start in ("cold", "warm"):
            assert f"load + validate: {size}, {start}" in done.stdout, done.stdout
    assert "10,000" not in done.stdout  # --quick leaves the largest out
    assert "Traceback" not in done.stderr


def test_a_size_below_the_bundled_dataset_is_refused_with_a_message(bundled, tmp_path):
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "run.py"), "--only", "load", "--sizes", "3"],
                          capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert done.returncode == 2
    assert f"at least {len(bundled.frameworks)}" in done.stderr and "Traceback" not in done.stderr


def test_the_largest_default_size_is_one_fwtui_reads(bundled, tmp_path):
    # The full run's 10,000 frameworks must stay under fwtui's file limit; they came to 111 MB once
    # the recipes had three workloads. Measured from the copies: 100 of them, scaled to 9,975.
    spec = importlib.util.spec_from_file_location("benchmarks_run", ROOT / "benchmarks" / "run.py")
    assert spec is not None and spec.loader is not None
    run = sys.modules[spec.name] = importlib.util.module_from_spec(spec)  # its dataclasses look themselves up there
    spec.loader.exec_module(run)
    from fwtui import files

    count = len(bundled.frameworks)
    alone = run.generate(count, tmp_path).stat().st_size
    (tmp_path / "more").mkdir()
    more = run.generate(count + 100, tmp_path / "more").stat().st_size
    assert alone + (more - alone) * (10_000 - count) / 100 < files.MAX_BYTES * 0.95
