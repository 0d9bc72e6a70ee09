"""Text as a terminal shows it: widths in cells, quoted input made visible, long text cut.

A column is as wide as the terminal cells its text takes, not as its number
of characters: a CJK character or an emoji takes two cells, a combining mark
none. `fit` and `pad` lay text out by cells (Rich's own cell measure, so a
column lines up with what Rich and Textual draw).

A message that quotes input (an unknown field name, an unknown id, a path)
shows control characters as escapes (`\\x1b`, `\\u202e`), never as raw bytes
the terminal would act on: `escape` and `quote` do that; `describe`,
`join_path`, `find_control` and `close_matches` word what is wrong with input
(for the schema's validator, the loose files such as state and config, and the
package index's answers), so that none of those needs the schema. `cut`
shortens a text too long to draw at once and says so. Nothing here imports Textual.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, TypeVar

from rich.cells import cell_len, set_cell_size

T = TypeVar("T")

# What a terminal acts on instead of showing: C0 (tab and newline among them),
# DEL, C1, the bidirectional overrides and isolates, and the line and paragraph
# separators.
_TERMINAL_CONTROLS = [*range(0x00, 0x20), *range(0x7F, 0xA0), 0x2028, 0x2029, *range(0x202A, 0x202F), *range(0x2066, 0x206A)]


def controls(allowed: str = "") -> re.Pattern[str]:
    """A pattern that finds one terminal control character, but those in `allowed`."""
    codes = [code for code in _TERMINAL_CONTROLS if chr(code) not in allowed]
    runs: list[list[int]] = []  # consecutive codes as [first, last]: ranges compile faster than single codes, on every start
    for code in codes:
        if runs and code == runs[-1][1] + 1:
            runs[-1][1] = code
        else:
            runs.append([code, code])
    return re.compile("[" + "".join(f"\\u{first:04x}" + (f"-\\u{last:04x}" if last > first else "") for first, last in runs) + "]")


_CONTROL = controls()
_CONTROL_BUT_NEWLINE = controls("\n")  # in a message of several lines, its own newlines stay


def _escaped(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def escape(text: str, keep_newlines: bool = False) -> str:
    """`text` with every control character written as a visible escape (ESC as `\\x1b`)."""
    return (_CONTROL_BUT_NEWLINE if keep_newlines else _CONTROL).sub(_escaped, text)


def quote(value: str, limit: int = 60) -> str:
    """A value quoted for a message: escaped, cut to `limit` characters, in double quotes."""
    if len(value) > limit:
        value = value[: limit - 3] + "..."
    return '"' + escape(value).replace('"', '\\"') + '"'


def describe(value: Any) -> str:
    """A short rendering of a value for an error message."""
    if isinstance(value, str):
        text = value if len(value) <= 40 else value[:37] + "..."
        return '"' + text.encode("unicode_escape").decode("ascii").replace('"', '\\"') + '"'
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dt.datetime):
        return f"the date-time {value.isoformat()}"
    if isinstance(value, dt.date):
        return f"the date {value.isoformat()}"
    return repr(value)


def join_path(path: str, key: str | int) -> str:
    """A field's path for a message; a key comes from the input, so its control characters are escaped."""
    if isinstance(key, int):
        return f"{path}[{key}]"
    key = escape(key)
    return f"{path}.{key}" if path else key


# Text in the data may hold tabs and newlines, and no other terminal control character.
CONTROL_IN_DATA = controls("\t\n")


def find_control(value: Any, path: str = "") -> list[str]:
    """Control characters anywhere in a loose structure (files that skip the schema, like state; network answers)."""
    if isinstance(value, str):
        bad = CONTROL_IN_DATA.search(value)
        return [f"{path or '(top level)'}: contains the control character U+{ord(bad.group()):04X}"] if bad else []
    if isinstance(value, dict):
        return [p for key, item in value.items() for p in find_control(item, join_path(path, str(key)))] + [
            p for key in value if isinstance(key, str) for p in find_control(key, join_path(path, "<key>"))
        ]
    if isinstance(value, list):
        return [p for index, item in enumerate(value) for p in find_control(item, join_path(path, index))]
    return []


def close_matches(word: str, choices: list[str], n: int = 1) -> list[str]:
    """difflib's suggestions for a did-you-mean, imported only when there is something to suggest."""
    import difflib

    return difflib.get_close_matches(word, choices, n=n)


def fit(text: str, width: int, ellipsis: bool = False) -> str:
    """`text` cut or padded with spaces to exactly `width` terminal cells (a wide character is
    never split); with `ellipsis`, a cut text ends in "…"."""
    width = max(width, 0)
    if len(text) > width * 4 + 1:  # a long text: cut by characters first, the cell measure then works on little
        text = text[: width * 4 + 1]
    if ellipsis and width and cell_len(text) > width:
        return set_cell_size(text, width - 1) + "…"
    return set_cell_size(text, width)


def pad(text: str, width: int) -> str:
    """`text` padded with spaces to at least `width` terminal cells (never cut)."""
    return text + " " * max(width - cell_len(text), 0)


# Drawing a text means wrapping it, and a description of megabytes froze the app
# for many seconds; 20,000 characters wrap at once (docs/robustness.md).
TEXT_LIMIT = 20_000


def cut(text: str, limit: int = TEXT_LIMIT) -> str:
    """`text`, or its first `limit` characters and a note of how many more there are."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]} … [{len(text) - limit:,} more characters not shown; `fwtui show` prints them all]"


def shorten(value: T, limit: int = TEXT_LIMIT) -> T:
    """`value` (a text, or a record of the model: NamedTuples, tuples, dicts) with every text cut.

    The same object comes back when nothing was too long. A record's `raw`
    (the document it was built from) is left as it is.
    """
    result: Any = value
    if isinstance(value, str):
        result = cut(value, limit)
    elif isinstance(value, tuple) and hasattr(value, "_fields"):
        record: Any = value
        changes = {name: shorten(getattr(record, name), limit) for name in record._fields if name != "raw"}
        changed = {name: item for name, item in changes.items() if item is not getattr(record, name)}
        result = record._replace(**changed) if changed else record
    elif isinstance(value, tuple):
        items = tuple(shorten(item, limit) for item in value)
        result = items if any(a is not b for a, b in zip(items, value)) else value
    elif isinstance(value, dict):
        table = {key: shorten(item, limit) for key, item in value.items()}
        result = table if any(table[key] is not item for key, item in value.items()) else value
    return result
