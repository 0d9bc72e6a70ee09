"""What the TUI remembers between runs, in a small TOML file in the user's state dir.

Reads never raise: a missing, corrupt, foreign or newer file gives the
defaults and a message to show once; only a regular file of at most
STATE_MAX_BYTES is read (a FIFO or a device in its place cannot hang fwtui).
A file fwtui cannot take (damaged, too large, written by a newer fwtui) is
never overwritten: it is renamed aside (state.toml.<time>.bak) and the message
says where; if it cannot be moved, nothing is saved over it.
Writes are atomic (temp file in the same folder, then rename), so a crash
mid-write leaves the old file whole. Two fwtui windows share the file: each
save re-reads it and keeps what the other saved meanwhile (`merge`).
"""

from __future__ import annotations

import os
import time
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from fwtui import files, vocabulary
from fwtui.files import write_atomic
from fwtui.text import escape, find_control

ENV_STATE_DIR = "FWTUI_STATE_DIR"
STATE_VERSION = 1
PANES = ("details", "compare", "explainer", "decide")
DEFAULT_MARKED = ("django", "flask", "fastapi")
STATE_MAX_BYTES = 1024 * 1024  # a state file is a few hundred bytes


@dataclass(frozen=True, slots=True)
class State:
    marked: tuple[str, ...] = DEFAULT_MARKED
    pane: str = "details"
    theme: str = "textual-dark"
    use_case: str = ""
    needs: tuple[str, ...] = ()
    nice: tuple[str, ...] = ()
    strict: bool = False
    interface: str = ""
    team: str = ""
    async_comfort: str = ""
    performance: str = ""
    maintenance: str = ""
    know: tuple[str, ...] = ()
    hide_excluded: bool = False
    only_differences: bool = False
    wide: bool = False
    highlighted: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def to_toml(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("extra")
        data["marked"] = list(self.marked)
        data["needs"] = list(self.needs)
        data["nice"] = list(self.nice)
        data["know"] = list(self.know)
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
    **{question: ("", *vocabulary.ANSWERS[question]) for question in vocabulary.QUESTIONS},
}


def load_state(path: Path | None = None) -> tuple[State, str | None]:
    """The saved state (or defaults) and, if something was wrong, a message for the user.

    A file that cannot be taken is moved aside first, so a later save cannot overwrite it.
    """
    path = path or state_path()
    state, problem = read_state(path)
    if problem is None:
        return state, None
    return state, f"{problem} {_keep_aside(path)}"


def read_state(path: Path) -> tuple[State, str | None]:
    """The state in `path` (defaults if there is none) and, if it cannot be taken, why; the file is left as it is."""
    shown = escape(str(path))
    try:
        raw = files.read_capped(path, STATE_MAX_BYTES)
    except FileNotFoundError:
        return State(), None
    except OSError as error:
        return State(), f"Could not read saved state {shown}: {escape(str(error.strerror or error))}."
    import tomllib  # only when there is saved state: a first start does not wait for the parser

    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        return State(), f"Saved state {shown} is damaged ({escape(str(error))})."
    except RecursionError:
        return State(), f"Saved state {shown} is damaged (nested too deeply)."
    if not data:
        return State(), None
    version = data.get("version")
    if not isinstance(version, int) or version > STATE_VERSION:
        return State(), f"Saved state {shown} is from a newer or unknown fwtui version."
    if find_control(data):
        return State(), f"Saved state {shown} holds terminal control characters."
    return _from_dict(data), None


def _keep_aside(path: Path) -> str:
    """Rename the file at `path` to a name of its own beside it; what to tell the user."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    for attempt in range(100):
        aside = path.with_name(f"{path.name}.{stamp}{f'-{attempt}' if attempt else ''}.bak")
        if os.path.lexists(aside):
            continue
        try:
            os.rename(path, aside)
        except OSError as error:
            return f"It could not be moved aside ({escape(str(error.strerror or error))}), so fwtui will not save over it."
        return f"It was kept as {escape(aside.name)}; starting fresh."
    return "It could not be moved aside, so fwtui will not save over it."
def _from_dict(data: dict[str, Any]) -> State:
    """Keep every field that has the right type and a known value; drop the rest."""
    defaults = State()
    values: dict[str, Any] = {}
    for name in ("pane", "theme", "use_case", "interface", "team", "async_comfort", "performance", "maintenance", "highlighted"):
        value = data.get(name)
        if isinstance(value, str) and (name not in _CHOICES or value in _CHOICES[name]):
            values[name] = value
    for name in ("marked", "needs", "nice", "know"):
        value = data.get(name)
        if isinstance(value, list) and all(isinstance(item, str) for item in value):
            values[name] = tuple(dict.fromkeys(value))
    for name in ("needs", "nice"):
        if name in values:
            values[name] = tuple(n for n in values[name] if n in vocabulary.BUILTINS)
    for name in ("hide_excluded", "only_differences", "strict", "wide"):
        if isinstance(data.get(name), bool):
            values[name] = data[name]
    return replace(defaults, **values)


def save_state(state: State, path: Path | None = None) -> str | None:
    """Write atomically; on failure return a message (the app keeps running)."""
    import tomli_w

    path = path or state_path()
    _, problem = read_state(path)
    if problem is not None:
        return f"{problem} It was not overwritten."
    try:
        write_atomic(path, tomli_w.dumps(state.to_toml()))
    except OSError as error:
        return f"Could not save state to {escape(str(path))}: {error.strerror or error}."
    return None


_SETS = ("marked", "needs", "nice", "know")  # merged item by item; a name that is not a field is skipped


def merge(base: State, ours: State, theirs: State) -> State:
    """`theirs` (what the file holds now) with the changes made here since `base` applied to it.

    Another fwtui may have saved since this one last did. A field changed
    here takes our value, any other keeps theirs; marks and needs are sets:
    ours added are added, ours removed are removed, theirs stay.
    """
    if theirs == base:
        return ours
    values: dict[str, Any] = {}
    for item in fields(State):
        name = item.name
        mine, before, other = getattr(ours, name), getattr(base, name), getattr(theirs, name)
        if name in _SETS:
            removed = set(before) - set(mine)
            values[name] = tuple(dict.fromkeys([i for i in other if i not in removed] + [i for i in mine if i not in before]))
        elif name != "extra":
            values[name] = mine if mine != before else other
    return replace(ours, **values)


def merge_saved(base: State, ours: State, written: State, path: Path | None = None) -> tuple[State, bool]:
    """What to save now, and whether another fwtui saved since this one read or wrote `written`.

    `base` is what this one showed when it last read or wrote the file, `ours`
    what it shows now: their difference is applied to what the file holds.
    """
    theirs, problem = read_state(path or state_path())
    if problem is not None:
        return ours, False
    return merge(base, ours, theirs), theirs != written
