"""config.toml: the user's settings for the explorer (theme, start pane, keymap).

Reading never fails: a missing file gives the defaults; a damaged one, an
unknown key or a bad value gives the defaults for that part and a problem to
show as a notice, and the app starts all the same. Whether a theme or a key
exists is Textual's to say, so the app checks those with the helpers here;
this module does not import Textual.

    theme = "nord"
    start_pane = "decide"      # details, compare, explainer or decide

    [keymap]                   # binding id = keys, comma-separated
    quit = "ctrl+q"
    "pane.decide" = "r,f5"
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any, NamedTuple

from fwtui.dataset import config_dir
from fwtui.state import PANES
from fwtui.text import close_matches, escape, find_control, quote

CONFIG_NAME = "config.toml"
KEYS = ("theme", "start_pane", "keymap")
CONFIG_LIMIT = 1_000_000  # a settings file, not a dataset: a FIFO or a huge file is refused, not read
MODIFIERS = ("ctrl", "shift", "alt", "meta", "super", "hyper")
# Names of ignored entries one warning quotes; the rest are counted. One warning per kind keeps
# a config of thousands of wrong entries from taking the explorer's start (a notice each did).
NAMES_SHOWN = 3


class Config(NamedTuple):
    """The settings read. A NamedTuple, not a dataclass: this is made on every start,
    where a NamedTuple costs an eighth of a frozen dataclass (docs/performance.md)."""

    theme: str = ""
    start_pane: str = ""
    keymap: Mapping[str, str] = MappingProxyType({})
    path: Path | None = None
    problems: tuple[str, ...] = ()


def config_path() -> Path:
    return config_dir() / CONFIG_NAME


def load(path: Path | None = None) -> Config:
    """The settings in `path` (default: config.toml in the config folder), with any problems found."""
    path = path or config_path()
    from fwtui.files import NotReadable, read_capped

    shown = escape(str(path))
    try:
        raw = read_capped(path, CONFIG_LIMIT)
    except FileNotFoundError:
        return Config(path=path)
    except NotReadable as error:
        return Config(path=path, problems=(f"{shown}: {escape(str(error))}; using the defaults.",))
    except OSError as error:
        return Config(path=path, problems=(f"{shown}: could not read it ({escape(str(error.strerror or error))}); using the defaults.",))
    import tomllib  # only when there is a config file: the first paint does not wait for the parser

    try:
        document = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        return Config(path=path, problems=(f"{shown}: not valid TOML ({escape(str(error))}); using the defaults.",))
    except RecursionError:
        return Config(path=path, problems=(f"{shown}: not valid TOML (nested too deeply); using the defaults.",))
    return parse(document, path)


def parse(document: Mapping[str, Any], path: Path | None = None) -> Config:
    where = f"{escape(str(path))}: " if path else ""
    problems = []
    unknown = [key for key in document if key not in KEYS]
    if unknown:
        problems.append(f"{where}{ignored('unknown setting', unknown, KEYS)}")
    if control := find_control(dict(document)):
        return Config(path=path, problems=(f"{where}{control[0]}; using the defaults.",))
    theme = _text(document, "theme", where, problems)
    start_pane = _text(document, "start_pane", where, problems)
    if start_pane and start_pane not in PANES:
        problems.append(f"{where}start_pane {quote(start_pane)} is not one of {', '.join(PANES)}{_did_you_mean(start_pane, PANES)}")
        start_pane = ""
    keymap: dict[str, str] = {}
    raw_keymap = document.get("keymap", {})
    if not isinstance(raw_keymap, dict):
        problems.append(f"{where}[keymap] must be a table of binding id = keys")
    else:
        for binding_id, keys in raw_keymap.items():
            if isinstance(keys, str) and keys.strip():
                keymap[binding_id] = keys
        empty = [binding_id for binding_id in raw_keymap if binding_id not in keymap]
        if empty:
            problems.append(f"{where}{_names(empty, 'keymap.')} must be a non-empty string of keys, e.g. \"ctrl+q\"")
    return Config(theme=theme, start_pane=start_pane, keymap=keymap, path=path, problems=tuple(problems))


def ignored(kind: str, names: list[str], known: Collection[str]) -> str:
    """One warning for every ignored name of a kind: "unknown setting "x" ignored", or a count and the first few."""
    if len(names) == 1:
        return f"{kind} {quote(names[0])} ignored{_did_you_mean(names[0], known)}"
    return f"{len(names):,} {kind}s ignored: {_names(names)}"


def _names(names: list[str], prefix: str = "") -> str:
    """The first NAMES_SHOWN names, quoted, and how many more."""
    shown = ", ".join(quote(prefix + name) for name in names[:NAMES_SHOWN])
    return shown + (f" and {len(names) - NAMES_SHOWN:,} more" if len(names) > NAMES_SHOWN else "")


def _text(document: Mapping[str, Any], key: str, where: str, problems: list[str]) -> str:
    value = document.get(key, "")
    if isinstance(value, str):
        return value
    problems.append(f"{where}{key} must be a string")
    return ""


def _did_you_mean(name: str, known: Collection[str]) -> str:
    match = close_matches(name, list(known), n=1)
    return f' (did you mean "{match[0]}"?)' if match else ""


def theme_problem(theme: str, available: Collection[str], source: str = "theme") -> str | None:
    """None if `theme` is one of the `available` themes, else what to tell the user."""
    if theme in available:
        return None
    return f"unknown {source} {quote(theme)}{_did_you_mean(theme, available) or '; known: ' + ', '.join(sorted(available))}"


def check_keymap(
    keymap: Mapping[str, str], binding_ids: Collection[str], is_key: Callable[[str], bool], where: str = ""
) -> tuple[dict[str, str], list[str]]:
    """The entries of `keymap` that name a known binding and valid keys, and the problems with the others
    (one for all the unknown binding ids, one per known binding given keys Textual does not know)."""
    valid: dict[str, str] = {}
    problems = []
    unknown = [binding_id for binding_id in keymap if binding_id not in binding_ids]
    if unknown:
        problems.append(f"{where}keymap: {ignored('unknown binding id', unknown, binding_ids)}")
    for binding_id, keys in keymap.items():
        if binding_id not in binding_ids:
            continue
        bad = [key for key in keys.split(",") if not _is_combination(key.strip(), is_key)]
        if bad:
            problems.append(f"{where}keymap.{binding_id}: {', '.join(quote(k) for k in bad[:NAMES_SHOWN])} is not a key Textual knows")
            continue
        valid[binding_id] = ",".join(key.strip() for key in keys.split(","))
    return valid, problems


def _is_combination(combination: str, is_key: Callable[[str], bool]) -> bool:
    """`ctrl+shift+x`: known modifiers, then one key (`plus` for the + key, as Textual names it)."""
    *modifiers, key = combination.split("+")
    return bool(key) and all(m in MODIFIERS for m in modifiers) and is_key(key)
