"""benchmarks/run.py runs as documented: `--quick --only load` with the default sizes."""

from __future__ import annotations

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
