"""Isolated environments for the measured apps, made once and reused.

An environment is keyed by a hash of its requirements and its Python, and
lives under fwtui's cache folder (`bench-envs/<key>`). It is made with uv when
uv is on PATH or importable (the `fwtui[bench]` extra), else with venv + pip,
and a marker file written last records the installed versions: a folder
without the marker is a failed or interrupted attempt and is made again.
Nothing here starts servers.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from fwtui.files import write_atomic

if TYPE_CHECKING:
    from packaging.version import Version

ENV_FOLDER = "bench-envs"
MARKER = "fwtui-env.json"
INSTALL_TIMEOUT = 900.0
_VERSIONS = "import importlib.metadata as m, json; print(json.dumps({d.metadata['Name']: d.version for d in m.distributions() if d.metadata['Name']}))"
_PYTHON_VERSION = "import sys; print('.'.join(map(str, sys.version_info[:3])))"


class EnvError(Exception):
    """An environment could not be made; the message says why."""


class Environment(NamedTuple):
    path: Path
    bin_dir: Path
    python_version: str
    versions: dict[str, str]  # every installed distribution, by its name as published
    reused: bool

    def versions_of(self, requirements: Sequence[str]) -> dict[str, str]:
        """The installed versions of the distributions the requirements name (extras and pins stripped)."""
        installed = {normal_name(name): (name, version) for name, version in self.versions.items()}
        found: dict[str, str] = {}
        for requirement in requirements:
            hit = installed.get(normal_name(requirement_name(requirement)))
            if hit:
                found[hit[0]] = hit[1]
        return found


def requirement_name(requirement: str) -> str:
    match = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", requirement)
    return match.group(1) if match else requirement.strip()


def normal_name(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


@functools.cache
def python_version(python: str) -> str | None:
    """The x.y.z version of an interpreter, or None when it does not run (a pyenv shim with nothing behind it)."""
    try:
        done = subprocess.run([python, "-c", _PYTHON_VERSION], capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.TimeoutExpired):
        return None
    version = done.stdout.strip()
    return version if done.returncode == 0 and re.fullmatch(r"\d+\.\d+\.\d+", version) else None


def release(version: str) -> Version:
    """An interpreter's x.y or x.y.z as a comparable version."""
    from packaging.version import Version

    return Version(version)


def find_python(min_python: str) -> tuple[str, str] | None:
    """An interpreter at least min_python, (path, version), or None.

    This one if it is new enough, else a python3.N on PATH, else one that pyenv
    installed: nothing is downloaded.
    """
    wanted = release(min_python) if min_python else release("0")
    candidates = [sys.executable] + [path for minor in range(11, 16) if (path := shutil.which(f"python3.{minor}"))]
    pyenv = Path(os.environ.get("PYENV_ROOT") or Path.home() / ".pyenv") / "versions"
    if pyenv.is_dir():
        found = [folder / "bin" / "python3" for folder in pyenv.iterdir() if re.fullmatch(r"\d+\.\d+\.\d+", folder.name)]
        candidates += [str(path) for path in sorted(found, key=lambda p: release(p.parent.parent.name)) if path.exists()]
    for candidate in candidates:
        version = python_version(candidate)
        if version and release(version) >= wanted:
            return candidate, version
    return None


def uv_program() -> str | None:
    """uv's executable: on PATH, or installed as the `uv` package beside fwtui."""
    found = shutil.which("uv")
    if found:
        return found
    try:
        from uv import find_uv_bin  # type: ignore[import-not-found, unused-ignore]
    except ImportError:
        return None
    try:
        return str(find_uv_bin())
    except FileNotFoundError:
        return None


def env_key(requirements: Sequence[str], python_version: str) -> str:
    """Same requirements (in any order) and same Python version: same environment."""
    text = json.dumps({"requirements": sorted(r.strip() for r in requirements), "python": python_version, "platform": sys.platform})
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def default_root() -> Path:
    from fwtui.dataset import cache_dir

    return cache_dir() / ENV_FOLDER


def ensure(requirements: Sequence[str], python: str = sys.executable, *, root: Path | None = None, timeout: float = INSTALL_TIMEOUT) -> Environment:
    """The environment with exactly these requirements on this Python: reused if made before, else made now."""
    version = python_version(python)
    if version is None:
        raise EnvError(f"{python} does not run")
    path = (root or default_root()) / env_key(requirements, version)
    bin_dir = path / ("Scripts" if os.name == "nt" else "bin")
    marker = path / MARKER
    try:
        recorded = json.loads(marker.read_text(encoding="utf-8"))
        if isinstance(recorded.get("versions"), dict) and (bin_dir / "python").exists():
            return Environment(path, bin_dir, version, dict(recorded["versions"]), reused=True)
    except (OSError, ValueError, AttributeError):
        pass
    shutil.rmtree(path, ignore_errors=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    uv = uv_program()
    try:
        if uv:
            _run([uv, "venv", "--quiet", "--python", python, str(path)], timeout)
            if requirements:
                _run([uv, "pip", "install", "--quiet", "--python", str(bin_dir / "python"), *requirements], timeout)
        else:
            _run([python, "-m", "venv", *([] if requirements else ["--without-pip"]), str(path)], timeout)
            if requirements:
                _run([str(bin_dir / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", *requirements], timeout)
        versions = json.loads(_run([str(bin_dir / "python"), "-c", _VERSIONS], 60))
    except BaseException:
        shutil.rmtree(path, ignore_errors=True)  # no half-made environment is ever reused
        raise
    record = {
        "requirements": list(requirements),
        "python": version,
        "installer": "uv" if uv else "pip",
        "made": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "versions": versions,
    }
    write_atomic(marker, json.dumps(record, indent=2))
    return Environment(path, bin_dir, version, versions, reused=False)


def _run(command: list[str], timeout: float) -> str:
    try:
        # subprocess.run kills the installer if this is interrupted.
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        raise EnvError(f"`{' '.join(command[:4])} ...` took longer than {timeout:g} s") from None
    except OSError as error:
        raise EnvError(f"could not run {command[0]}: {error.strerror or error}") from None
    if done.returncode != 0:
        lines = [line.strip() for line in (done.stderr or done.stdout).splitlines() if line.strip()]
        raise EnvError(f"`{' '.join(command[:3])} ...` failed: {' | '.join(lines[-4:]) or f'exit code {done.returncode}'}")
    return done.stdout
