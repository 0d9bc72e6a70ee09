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

import tomllib
from collections.abc import Callable, Collection, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any, NamedTuple

from fwtui import schema
from fwtui.dataset import config_dir
from fwtui.state import PANES

CONFIG_NAME = "config.toml"
KEYS = ("theme", "start_pane", "keymap")
CONFIG_LIMIT = 1_000_000  # a settings file, not a dataset: a FIFO or a huge file is refused, not read
MODIFIERS = ("ctrl", "shift", "alt", "meta", "super", "hyper")


class Config(NamedTuple):
    """The settings read. A NamedTuple, not a dataclass: this is made on every start,
    and building a frozen dataclass cost 0.8 ms of it, a NamedTuple 0.1 ms."""

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

    try:
        raw = read_capped(path, CONFIG_LIMIT)
    except FileNotFoundError:
        return Config(path=path)
    except NotReadable as error:
        return Config(path=path, problems=(f"{path}: {error}; using the defaults.",))
    except OSError as error:
        return Config(path=path, problems=(f"{path}: could not read it ({error.strerror or error}); using the defaults.",))
    try:
        document = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        return Config(path=path, problems=(f"{path}: not valid TOML ({error}); using the defaults.",))
    return parse(document, path)


def parse(document: Mapping[str, Any], path: Path | None = None) -> Config:
    where = f"{path}: " if path else ""
    problems = []
    for key in document:
        if key not in KEYS:
            problems.append(f"{where}unknown setting {key!r} ignored{_did_you_mean(key, KEYS)}")
    if control := schema.find_control(dict(document)):
        return Config(path=path, problems=(f"{where}{control[0]}; using the defaults.",))
    theme = _text(document, "theme", where, problems)
    start_pane = _text(document, "start_pane", where, problems)
    if start_pane and start_pane not in PANES:
        problems.append(f"{where}start_pane {start_pane!r} is not one of {', '.join(PANES)}{_did_you_mean(start_pane, PANES)}")
        start_pane = ""
    keymap: dict[str, str] = {}
    raw_keymap = document.get("keymap", {})
    if not isinstance(raw_keymap, dict):
        problems.append(f"{where}[keymap] must be a table of binding id = keys")
    else:
        for binding_id, keys in raw_keymap.items():
            if isinstance(keys, str) and keys.strip():
                keymap[binding_id] = keys
            else:
                problems.append(f"{where}keymap.{binding_id} must be a non-empty string of keys, e.g. \"ctrl+q\"")
    return Config(theme=theme, start_pane=start_pane, keymap=keymap, path=path, problems=tuple(problems))


def _text(document: Mapping[str, Any], key: str, where: str, problems: list[str]) -> str:
    value = document.get(key, "")
    if isinstance(value, str):
        return value
    problems.append(f"{where}{key} must be a string")
    return ""


def _did_you_mean(name: str, known: Collection[str]) -> str:
    match = schema.close_matches(name, list(known), n=1)
    return f' (did you mean "{match[0]}"?)' if match else ""


def theme_problem(theme: str, available: Collection[str], source: str = "theme") -> str | None:
    """None if `theme` is one of the `available` themes, else what to tell the user."""
    if theme in available:
        return None
    return f"unknown {source} {theme!r}{_did_you_mean(theme, available) or '; known: ' + ', '.join(sorted(available))}"


def check_keymap(
    keymap: Mapping[str, str], binding_ids: Collection[str], is_key: Callable[[str], bool], where: str = ""
) -> tuple[dict[str, str], list[str]]:
    """The entries of `keymap` that name a known binding and valid keys, and a problem for each other one."""
    valid: dict[str, str] = {}
    problems = []
    for binding_id, keys in keymap.items():
        if binding_id not in binding_ids:
            problems.append(f"{where}keymap: unknown binding id {binding_id!r}{_did_you_mean(binding_id, binding_ids)}")
            continue
        bad = [key for key in keys.split(",") if not _is_combination(key.strip(), is_key)]
        if bad:
            problems.append(f"{where}keymap.{binding_id}: {', '.join(repr(k) for k in bad)} is not a key Textual knows")
            continue
        valid[binding_id] = ",".join(key.strip() for key in keys.split(","))
    return valid, problems


def _is_combination(combination: str, is_key: Callable[[str], bool]) -> bool:
    """`ctrl+shift+x`: known modifiers, then one key (`plus` for the + key, as Textual names it)."""
    *modifiers, key = combination.split("+")
    return bool(key) and all(m in MODIFIERS for m in modifiers) and is_key(key)
