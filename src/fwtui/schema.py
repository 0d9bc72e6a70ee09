"""The dataset's JSON Schema, derived from the model, and the validator that checks documents against it.

model.py states each field once (name, type, required or not, constraint);
`SCHEMA` is read off those classes. `fwtui schema` prints it, editors use the
copy in schema/, and dataset.py checks documents against it with the small
validator in this module, which reports every problem with its path.
Cross-record rules (duplicate ids, references between records) live in dataset.py.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, get_args, get_origin

from fwtui import model
from fwtui.model import (
    ID_PATTERN,
    MONTH_OR_DATE_PATTERN,
    PACKAGE_PATTERN,
    PORT_PLACEHOLDER_PATTERN,
    SINGLE_LINE_PATTERN,
    URL_PATTERN,
)
from fwtui.text import CONTROL_IN_DATA, close_matches, describe, join_path

_TYPES: dict[Any, dict[str, Any]] = {
    str: {"type": "string"},
    int: {"type": "integer"},
    float: {"type": "number"},
    bool: {"type": "boolean"},
    dt.date: {"type": "string", "format": "date"},
}


def _schema_of(kind: Any) -> dict[str, Any]:
    """The JSON Schema of a model type: a record, a tuple of items, a dict of values, or a scalar."""
    if hasattr(kind, "_fields"):
        return _record(kind)
    origin = get_origin(kind)
    if origin is tuple:
        return {"type": "array", "items": _field_schema(get_args(kind)[0])}
    if origin is dict:
        return {"type": "object", "additionalProperties": _field_schema(get_args(kind)[1])}
    return dict(_TYPES[kind])


def _field_schema(annotation: Any) -> dict[str, Any]:
    """An item's or a value's schema: its type's, with the constraint of its Annotated on top."""
    constraint: dict[str, Any] = {}
    if get_origin(annotation) is Annotated:
        annotation, *extras = get_args(annotation)
        for extra in extras:
            constraint.update(extra)
    return {**_schema_of(annotation), **constraint}


def _record(record_type: type) -> dict[str, Any]:
    """A record type's table: the fields the file holds, required when the model gives no default."""
    fields = [field for field in model.file_fields(record_type) if field.key != model.WHOLE_RECORD.name]
    return {
        "type": "object",
        "properties": {field.key: {**_schema_of(field.type), **field.constraint} for field in fields},
        "required": [field.key for field in fields if field.required],
        "additionalProperties": False,
    }


SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://github.com/fwtui/fwtui/schema/frameworks.schema.json",
    "title": "fwtui dataset",
    "description": "Python backend frameworks, their comparison rows, use cases and decision rules.",
    **_record(model.Dataset),
}

# An overlay may add or override any part, so nothing in it is required except ids.
FRAMEWORK_FIELDS: tuple[str, ...] = tuple(SCHEMA["properties"]["framework"]["items"]["properties"])


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
        bad = CONTROL_IN_DATA.search(value)
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
