"""The dataset's JSON Schema: the single statement of what a dataset may hold.

`fwtui schema` prints it, editors use the copy in schema/, and dataset.py checks
documents against it with the small validator in this module. Cross-record
rules (duplicate ids, references between records) live in dataset.py.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from fwtui.text import escape
from fwtui.vocabulary import (
    ASYNC_MODELS,
    BUILTIN_LEVELS,
    BUILTINS,
    COMMUNITY_SIZES,
    CRITERIA,
    HORIZONS,
    INTERFACES,
    KINDS,
    LEARNING_CURVES,
    PRIORITIES,
    SERVERS,
    SOURCE_GROUPS,
    TEAMS,
    THROUGHPUTS,
    YES_NO,
)

ID_PATTERN = r"^[a-z0-9][a-z0-9_-]*$"
URL_PATTERN = r"^https?://\S+$"
MONTH_OR_DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}(-[0-9]{2})?$"
# A distribution name as the package index normalises it (PEP 508 names).
PACKAGE_PATTERN = r"^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?$"
PORT_PLACEHOLDER_PATTERN = r"\{port\}"
# A name, title, label, version or command: shown on one line, in a column or a
# border, where a tab or a line break would break the layout.
SINGLE_LINE_PATTERN = r"^[^\t\n\r]*$"


def _str(**extra: Any) -> dict[str, Any]:
    return {"type": "string", "minLength": 1, **extra}


def _line(**extra: Any) -> dict[str, Any]:
    return _str(pattern=SINGLE_LINE_PATTERN, **extra)


def _enum(values: tuple[str, ...]) -> dict[str, Any]:
    return {"type": "string", "enum": list(values)}


def _strings(**extra: Any) -> dict[str, Any]:
    return {"type": "array", "items": _str(), **extra}


def _lines(**extra: Any) -> dict[str, Any]:
    return {"type": "array", "items": _line(), **extra}


def _table(properties: dict[str, Any], required: tuple[str, ...] = (), **extra: Any) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": properties,
        "required": list(required),
        "additionalProperties": False,
        **extra,
    }


def _weights(keys: tuple[str, ...]) -> dict[str, Any]:
    number = {"type": "number", "minimum": 0, "maximum": 1}
    return _table({key: number for key in keys}, required=keys)


_DATE = {"type": "string", "format": "date"}
_URL = _str(pattern=URL_PATTERN)
_ID = _str(pattern=ID_PATTERN)
_SOURCE_REF = _line(description="An http(s) URL, or the id of a [[meta.sources]] entry such as 'seed'.")

_FRAMEWORK = _table(
    {
        "id": _ID,
        "package": _str(pattern=PACKAGE_PATTERN, description="Its distribution name on the Python Package Index."),
        "builds_on": {
            "type": "array",
            "items": _ID,
            "uniqueItems": True,
            "description": "Ids of frameworks in the dataset that this one is built on (FastAPI on Starlette).",
        },
        "name": _line(),
        "tagline": _line(),
        "description": _str(),
        "kind": _enum(KINDS),
        "interfaces": {"type": "array", "items": _enum(INTERFACES), "minItems": 1, "uniqueItems": True},
        "first_release": {
            "type": "integer",
            "minimum": 1990,
            "maximum": 2100,
            "description": "Year of the first public release: the first version published for others to use "
            "(an announced or tagged release, or the first package upload, whichever came first).",
        },
        "license": _line(),
        "latest_version": _line(),
        "latest_release": _str(pattern=MONTH_OR_DATE_PATTERN),
        "min_python": _str(pattern=r"^[0-9]+\.[0-9]+$"),
        "homepage": _URL,
        "repository": _URL,
        "docs": _URL,
        "learning_curve": _enum(LEARNING_CURVES),
        "async_model": _enum(ASYNC_MODELS),
        "async_note": _str(),
        "type_hint_driven": {"type": "boolean"},
        "throughput": _enum(THROUGHPUTS),
        "performance_note": _str(),
        "servers": {"type": "array", "items": _enum(SERVERS), "minItems": 1, "uniqueItems": True},
        "community": _enum(COMMUNITY_SIZES),
        "best_for": _strings(minItems=1),
        "avoid_when": _strings(minItems=1),
        "tags": _lines(),
        "builtins": _table({key: _enum(BUILTIN_LEVELS) for key in BUILTINS}, required=BUILTINS),
        "builtin_packages": _table(
            {key: _str(pattern=PACKAGE_PATTERN) for key in BUILTINS},
            description="For each first-party or extension cell: the distribution that provides it.",
        ),
        "builtin_notes": _table({key: _str() for key in BUILTINS}),
        "stars": _table(
            {"count": {"type": "integer", "minimum": 0}, "read_on": _DATE, "source": _SOURCE_REF},
            required=("count", "read_on", "source"),
        ),
        "notable_users": {
            "type": "array",
            "items": _table({"name": _line(), "source": _SOURCE_REF}, required=("name", "source")),
        },
        "opinions": {
            "type": "array",
            "items": _table({"text": _str(), "source": _SOURCE_REF}, required=("text", "source")),
        },
        "hello": _table(
            {
                "install": _lines(minItems=1, description="The pip requirements the sample needs, exactly."),
                "code": _str(),
                "file": _line(),
                "run": _line(),
                "url": _URL,
            },
            required=("code", "file", "run"),
        ),
        "bench": _table(
            {
                "packages": _lines(minItems=1, description="The pip requirements of the measured app and its server."),
                "code": _str(description="Written to app.py; GET / answers JSON {\"message\": \"Hello, World!\"}."),
                "server": _str(
                    pattern=PORT_PLACEHOLDER_PATTERN,
                    description="Command that serves app.py on 127.0.0.1:{port} with one worker process.",
                ),
            },
            required=("packages", "code", "server"),
        ),
        "sources": {
            "type": "array",
            "minItems": 1,
            "items": _table(
                {"group": _enum(SOURCE_GROUPS), "url": _URL, "checked": _DATE, "note": _str()},
                required=("group", "url", "checked"),
            ),
        },
    },
    required=(
        "id", "name", "tagline", "description", "kind", "interfaces", "first_release", "license",
        "latest_version", "latest_release", "min_python", "homepage", "repository", "docs",
        "learning_curve", "async_model", "async_note", "type_hint_driven", "throughput",
        "performance_note", "servers", "community", "best_for", "avoid_when", "builtins",
        "hello", "sources",
    ),
)

_USE_CASE = _table(
    {
        "id": _ID,
        "title": _line(),
        "description": _str(),
        "source": _SOURCE_REF,
        "wants": {"type": "array", "items": _enum(BUILTINS), "uniqueItems": True},
        "picks": {
            "type": "array",
            "minItems": 1,
            "items": _table(
                {"framework": _ID, "fit": {"type": "integer", "minimum": 0, "maximum": 100}, "why": _str()},
                required=("framework", "fit", "why"),
            ),
        },
    },
    required=("id", "title", "description", "picks"),
)

_COMPARISON = _table(
    {
        "id": _ID,
        "label": _line(),
        "field": _line(description="Dotted path of the framework field the row shows, e.g. 'kind' or 'stars.count'."),
        "text": {
            "type": "object",
            "description": "Per-framework text that replaces the field's value in this row (framework id -> text).",
            "additionalProperties": _str(),
        },
        "source": _SOURCE_REF,
    },
    required=("id", "label", "field"),
)

_CRITERION = _table(
    {
        "id": _enum(CRITERIA),
        "title": _line(),
        "description": _str(),
        "source": _SOURCE_REF,
        "options": {"type": "object", "additionalProperties": _line()},
    },
    required=("id", "title", "description"),
)

_WEIGHTED = ("use_case", "wants", "need", "team", "async_comfort", "performance", "maintenance")

_DECISION = _table(
    {
        "first_party_factor": {"type": "number", "minimum": 0, "maximum": 1},
        "extension_factor": {"type": "number", "minimum": 0, "maximum": 1},
        "weights": _table(
            {
                key: {"type": "number", "minimum": 0}
                for key in _WEIGHTED
            },
            required=_WEIGHTED,
        ),
        "team": _table({team: _weights(LEARNING_CURVES) for team in TEAMS}, required=TEAMS),
        "async_comfort": _table(
            {answer: _weights((*ASYNC_MODELS, "type_hint_driven")) for answer in YES_NO}, required=YES_NO
        ),
        "performance": _table({p: _weights(THROUGHPUTS) for p in PRIORITIES}, required=PRIORITIES),
        "maintenance": _table(
            {"long": _weights(COMMUNITY_SIZES), "short": _weights(LEARNING_CURVES)}, required=HORIZONS
        ),
    },
    required=("first_party_factor", "extension_factor", "weights", "team", "async_comfort", "performance", "maintenance"),
)

_EXPLAINER = _table(
    {
        "intro": _str(),
        "spec": {
            "type": "array",
            "minItems": 1,
            "items": _table(
                {
                    "id": _enum(("wsgi", "asgi")),
                    "name": _line(),
                    "full_name": _line(),
                    "defined_in": _line(),
                    "first_published": {"type": "integer"},
                    "summary": _str(),
                    "app_signature": _str(),
                    "concurrency": _str(),
                    "request_flow": _strings(minItems=2),
                    "protocols": _strings(),
                    "strengths": _strings(),
                    "limits": _strings(),
                    "source": _URL,
                    "checked": _DATE,
                },
                required=("id", "name", "full_name", "summary", "app_signature", "concurrency", "request_flow", "source", "checked"),
            ),
        },
        "server": {
            "type": "array",
            "items": _table(
                {
                    "id": _ID,
                    "name": _line(),
                    "speaks": {"type": "array", "items": _enum(("wsgi", "asgi")), "minItems": 1, "uniqueItems": True},
                    "note": _str(),
                    "homepage": _URL,
                    "latest_version": _line(),
                    "source": _URL,
                    "checked": _DATE,
                },
                required=("id", "name", "speaks", "source", "checked"),
            ),
        },
        "term": {
            "type": "array",
            "items": _table(
                {"term": _line(), "text": _str(), "source": _URL, "checked": _DATE},
                required=("term", "text", "source", "checked"),
            ),
        },
    },
    required=("intro", "spec"),
)

_META = _table(
    {
        "schema_version": {"type": "integer", "minimum": 1},
        "title": _line(),
        "version": _line(),
        "as_of": _DATE,
        "sources": {
            "type": "array",
            "items": _table(
                {"id": _ID, "title": _line(), "author": _line(), "url": _URL, "note": _str(), "checked": _DATE},
                required=("id", "title", "checked"),
            ),
        },
    },
    required=("schema_version", "title", "version", "as_of"),
)

SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://github.com/fwtui/fwtui/schema/frameworks.schema.json",
    "title": "fwtui dataset",
    "description": "Python backend frameworks, their comparison rows, use cases and decision rules.",
    **_table(
        {
            "meta": _META,
            "framework": {"type": "array", "items": _FRAMEWORK},
            "comparison": {"type": "array", "items": _COMPARISON},
            "use_case": {"type": "array", "items": _USE_CASE},
            "criterion": {"type": "array", "items": _CRITERION},
            "decision": _DECISION,
            "explainer": _EXPLAINER,
        },
        required=("meta", "framework", "decision"),
    ),
}

# An overlay may add or override any part, so nothing in it is required except ids.
FRAMEWORK_FIELDS: tuple[str, ...] = tuple(_FRAMEWORK["properties"])


# Terminal control characters: C0 (except tab and newline), DEL, C1, and the
# bidirectional overrides/isolates that can reorder what a terminal shows.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


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


def _expected(schema: dict[str, Any]) -> str:
    kind = schema.get("type")
    if "enum" in schema:
        return "one of " + ", ".join(f'"{v}"' for v in schema["enum"])
    if kind == "array":
        item = schema.get("items", {})
        inner = {"string": "strings", "object": "tables", "integer": "integers"}.get(item.get("type", ""), "values")
        return f"a list of {inner}"
    if schema.get("format") == "date":
        return "a date (YYYY-MM-DD, unquoted)"
    return {
        "string": "a string",
        "integer": "an integer",
        "number": "a number",
        "boolean": "true or false",
        "object": "a table",
    }.get(kind or "", "a value")


def _type_ok(schema: dict[str, Any], value: Any) -> bool:
    kind = schema.get("type")
    if schema.get("format") == "date":
        return isinstance(value, dt.date) and not isinstance(value, dt.datetime)
    if kind == "string":
        return isinstance(value, str)
    if kind == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if kind == "boolean":
        return isinstance(value, bool)
    if kind == "object":
        return isinstance(value, dict)
    if kind == "array":
        return isinstance(value, list)
    return True


def join_path(path: str, key: str | int) -> str:
    """A field's path for a message; a key comes from the input, so its control characters are escaped."""
    if isinstance(key, int):
        return f"{path}[{key}]"
    key = escape(key)
    return f"{path}.{key}" if path else key


def validate(value: Any, schema: dict[str, Any] = SCHEMA, path: str = "") -> list[str]:
    """Every way `value` breaks `schema`, as "path: message" strings."""
    return _walk(value, schema, (path,) if path else ())


def _render_path(parts: tuple[str | int, ...]) -> str:
    path = ""
    for part in parts:
        path = join_path(path, part)
    return path or "(top level)"


_PATTERNS: dict[str, re.Pattern[str]] = {}


def _walk(value: Any, schema: dict[str, Any], parts: tuple[str | int, ...]) -> list[str]:
    # The path is kept as parts and written out only for a problem: a valid
    # dataset (the usual case, on every start) builds no path strings at all.
    if not _type_ok(schema, value):
        return [f"{_render_path(parts)}: expected {_expected(schema)}, got {describe(value)}"]
    problems: list[str] = []
    if isinstance(value, str):
        bad = _CONTROL.search(value)
        if bad:
            code = f"U+{ord(bad.group()):04X}"
            return [f"{_render_path(parts)}: contains the control character {code}; terminal control codes are not allowed in text"]
        if "enum" in schema and value not in schema["enum"]:
            hint = close_matches(value, schema["enum"], n=1)
            extra = f' (did you mean "{hint[0]}"?)' if hint else ""
            problems.append(f"{_render_path(parts)}: expected {_expected(schema)}, got {describe(value)}{extra}")
        if len(value) < schema.get("minLength", 0):
            problems.append(f"{_render_path(parts)}: must not be empty")
        elif "pattern" in schema:
            pattern = _PATTERNS.get(schema["pattern"])
            if pattern is None:
                pattern = _PATTERNS[schema["pattern"]] = _compile(schema["pattern"])
            if not pattern.search(value):
                problems.append(f"{_render_path(parts)}: {describe(value)} does not look like {_pattern_name(schema['pattern'])}")
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        if "minimum" in schema and value < schema["minimum"]:
            problems.append(f"{_render_path(parts)}: must be at least {schema['minimum']}, got {value}")
        if "maximum" in schema and value > schema["maximum"]:
            problems.append(f"{_render_path(parts)}: must be at most {schema['maximum']}, got {value}")
    elif isinstance(value, list):
        if len(value) < schema.get("minItems", 0):
            problems.append(f"{_render_path(parts)}: must have at least {schema['minItems']} item(s)")
        if schema.get("uniqueItems") and len({repr(v) for v in value}) != len(value):
            problems.append(f"{_render_path(parts)}: has repeated items")
        items = schema.get("items", {})
        for index, item in enumerate(value):
            problems.extend(_walk(item, items, (*parts, index)))
    elif isinstance(value, dict):
        properties = schema.get("properties", {})
        for key in schema.get("required", ()):
            if key not in value:
                problems.append(f"{_render_path((*parts, key))}: required field is missing")
        extra = schema.get("additionalProperties", True)
        for key, item in value.items():
            if key in properties:
                problems.extend(_walk(item, properties[key], (*parts, key)))
            elif extra is False:
                hint = close_matches(key, list(properties), n=1)
                extra_text = f' (did you mean "{hint[0]}"?)' if hint else ""
                problems.append(f"{_render_path((*parts, key))}: unknown field{extra_text}")
            elif isinstance(extra, dict):
                problems.extend(_walk(item, extra, (*parts, key)))
    return problems


def _compile(pattern: str) -> re.Pattern[str]:
    """A schema pattern as JSON Schema reads it: a final `$` is the end of the text
    (Python's `$` also matches before a final newline, which would let "id\\n" pass)."""
    return re.compile(pattern[:-1] + r"\Z" if pattern.endswith("$") else pattern)


def _pattern_name(pattern: str) -> str:
    return {
        ID_PATTERN: "an id (lower-case letters, digits, '-' and '_')",
        URL_PATTERN: "an http(s) URL",
        MONTH_OR_DATE_PATTERN: "a YYYY-MM or YYYY-MM-DD string",
        PACKAGE_PATTERN: "a package name (letters, digits, '.', '_' and '-')",
        PORT_PLACEHOLDER_PATTERN: "a command with {port} in it",
        SINGLE_LINE_PATTERN: "a single line (no tabs or line breaks)",
    }.get(pattern, f"the pattern {pattern}")


def find_control(value: Any, path: str = "") -> list[str]:
    """Control characters anywhere in a loose structure (used for files that skip the schema, like state)."""
    if isinstance(value, str):
        bad = _CONTROL.search(value)
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
