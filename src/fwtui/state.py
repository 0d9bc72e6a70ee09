"""What the TUI remembers between runs, in a small TOML file in the user's state dir.

Reads never raise: a missing, corrupt, foreign or newer file gives the
defaults and a message to show once. Writes are atomic (temp file in the same
folder, then rename), so a crash mid-write leaves the old file whole.
"""

from __future__ import annotations

import os
import tempfile
import tomllib
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from fwtui import schema, vocabulary

ENV_STATE_DIR = "FWTUI_STATE_DIR"
STATE_VERSION = 1
PANES = ("details", "compare", "explainer", "decide")
DEFAULT_MARKED = ("django", "flask", "fastapi")


@dataclass(frozen=True, slots=True)
class State:
    marked: tuple[str, ...] = DEFAULT_MARKED
    pane: str = "details"
    theme: str = "textual-dark"
    use_case: str = ""
    needs: tuple[str, ...] = ()
    interface: str = ""
    team: str = ""
    async_comfort: str = ""
    performance: str = ""
    maintenance: str = ""
    hide_excluded: bool = False
    only_differences: bool = False
    highlighted: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def to_toml(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("extra")
        data["marked"] = list(self.marked)
        data["needs"] = list(self.needs)
        return {"version": STATE_VERSION, **data}


def state_dir() -> Path:
    override = os.environ.get(ENV_STATE_DIR)
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_state_dir("fwtui", appauthor=False))


def state_path() -> Path:
    return state_dir() / "state.toml"


_CHOICES: dict[str, tuple[str, ...]] = {
    "pane": PANES,
    "interface": ("", "wsgi", "asgi"),
    "team": ("", *vocabulary.TEAMS),
    "async_comfort": ("", *vocabulary.YES_NO),
    "performance": ("", *vocabulary.PRIORITIES),
    "maintenance": ("", *vocabulary.HORIZONS),
}


def load_state(path: Path | None = None) -> tuple[State, str | None]:
    """The saved state (or defaults) and, if something was wrong, a message for the user."""
    path = path or state_path()
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return State(), None
    except OSError as error:
        return State(), f"Could not read saved state {path}: {error.strerror or error}. Starting fresh."
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        return State(), f"Saved state {path} is damaged ({error}). Starting fresh; it will be rewritten."
    if not data:
        return State(), None
    version = data.get("version")
    if not isinstance(version, int) or version > STATE_VERSION:
        return State(), f"Saved state {path} is from a newer or unknown fwtui version. Starting fresh."
    if schema.find_control(data):
        return State(), f"Saved state {path} holds terminal control characters. Starting fresh."
    return _from_dict(data), None


def _from_dict(data: dict[str, Any]) -> State:
    """Keep every field that has the right type and a known value; drop the rest."""
    defaults = State()
    values: dict[str, Any] = {}
    for name in ("pane", "theme", "use_case", "interface", "team", "async_comfort", "performance", "maintenance", "highlighted"):
        value = data.get(name)
        if isinstance(value, str) and (name not in _CHOICES or value in _CHOICES[name]):
            values[name] = value
    for name in ("marked", "needs"):
        value = data.get(name)
        if isinstance(value, list) and all(isinstance(item, str) for item in value):
            values[name] = tuple(dict.fromkeys(value))
    if "needs" in values:
        values["needs"] = tuple(n for n in values["needs"] if n in vocabulary.BUILTINS)
    for name in ("hide_excluded", "only_differences"):
        if isinstance(data.get(name), bool):
            values[name] = data[name]
    return replace(defaults, **values)


def save_state(state: State, path: Path | None = None) -> str | None:
    """Write atomically; on failure return a message (the app keeps running)."""
    import tomli_w

    path = path or state_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        text = tomli_w.dumps(state.to_toml())
        handle, temp = tempfile.mkstemp(prefix=".state-", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as file:
                file.write(text)
                file.flush()
                os.fsync(file.fileno())
            os.replace(temp, path)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
    except OSError as error:
        return f"Could not save state to {path}: {error.strerror or error}."
    return None
