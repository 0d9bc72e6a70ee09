"""The model states each field once: the schema and the builder are read off it and agree with it."""

# No `from __future__ import annotations`: Probe's annotations are read as objects, as model.py's are.

import datetime as dt
import tomllib
from pathlib import Path
from typing import Annotated, Any, NamedTuple, get_args, get_origin

import pytest

from fwtui import dataset, model, schema
from helpers import MINIMAL


def _nested(field: model.FileField) -> type | None:
    """The record type a field holds, alone or in a tuple."""
    kind = get_args(field.type)[0] if get_origin(field.type) is tuple else field.type
    return kind if hasattr(kind, "_fields") else None


def _tables() -> dict[type, dict[str, Any]]:
    """Every record type reached from Dataset, with its table in SCHEMA found along the file's keys."""
    tables: dict[type, dict[str, Any]] = {model.Dataset: schema.SCHEMA}
    pending = [model.Dataset]
    while pending:
        parent = pending.pop()
        for field in model.file_fields(parent):
            inner = _nested(field)
            if inner is not None and inner not in tables:
                node = tables[parent]["properties"][field.key]
                tables[inner] = node.get("items", node)
                pending.append(inner)
    return tables


def _record_types() -> list[type]:
    return list(_tables())


def _properties(record_type: type) -> dict[str, Any]:
    return _tables()[record_type]


@pytest.mark.parametrize("record_type", _record_types(), ids=lambda t: t.__name__)
def test_each_record_s_schema_table_has_exactly_the_model_s_fields(record_type):
    table = _properties(record_type)
    fields = [f for f in model.file_fields(record_type) if f.key != model.WHOLE_RECORD.name]
    assert list(table["properties"]) == [f.key for f in fields]
    assert table["required"] == [f.key for f in fields if f.required]
    assert table["additionalProperties"] is False
    # The model's other fields are filled by the builder (raw, inherited, quiet) or later (origin, measured), never read from the file.
    read = {f.name for f in model.file_fields(record_type)}
    assert set(record_type._fields) - read <= {"origin", "measured", "inherited", "quiet"}


def test_every_text_field_is_constrained():
    """A new string field states what it accepts: non-empty (and maybe one line, a URL, an id), or a closed set."""
    def strings(node: dict[str, Any], path: str) -> list[tuple[str, dict[str, Any]]]:
        found = [(path, node)] if node.get("type") == "string" else []
        for key, sub in node.get("properties", {}).items():
            found += strings(sub, f"{path}.{key}")
        for key in ("items", "additionalProperties"):
            if isinstance(node.get(key), dict):
                found += strings(node[key], f"{path}.{key}")
        return found

    loose = [path for path, node in strings(schema.SCHEMA, "") if not (node.get("minLength") == 1 or "enum" in node or node.get("format") == "date")]
    assert not loose, f"these accept any string, even an empty one: give them a constraint in model.py: {loose}"


def _plain(value: Any, like: Any) -> Any:
    """A model value back as the file held it, keeping only the keys the file had (`like`)."""
    if hasattr(value, "_fields"):
        out = {}
        for field in model.file_fields(type(value)):
            if field.key == model.WHOLE_RECORD.name:
                assert getattr(value, field.name) is like, "the whole record is kept as read"
            elif field.key in like:
                out[field.key] = _plain(getattr(value, field.name), like[field.key])
            else:
                assert getattr(value, field.name) == type(value)._field_defaults[field.name], \
                    f"{type(value).__name__}.{field.name} has a value the file did not give"
        return out
    if isinstance(value, dict) and isinstance(like, dict) and value.keys() == like.keys():  # a table of lists, such as extras
        return {key: _plain(item, like[key]) for key, item in value.items()}
    if isinstance(value, tuple):
        assert isinstance(like, list), "every list is built as a tuple"
        return [_plain(item, item_like) for item, item_like in zip(value, like, strict=True)]
    assert not isinstance(like, list), "a list in the file stayed a list in the model"
    return value


@pytest.mark.parametrize("path", [dataset.bundled_path(), MINIMAL], ids=["bundled", "minimal"])
def test_the_builder_reads_every_key_of_the_file_into_its_field(path):
    document = tomllib.loads(path.read_text(encoding="utf-8"))
    assert not dataset.check(document)
    built = dataset.build(document, origin=(Path("here"),))
    assert built.origin == (Path("here"),) and built.measured is None
    assert _plain(built._replace(frameworks=tuple(map(_own_cells, built.frameworks))), document) == document


def _own_cells(framework: model.Framework) -> model.Framework:
    """The framework without the cells it inherits from its base (rule R1): the ones its file gives."""
    def own(table: dict[str, str]) -> dict[str, str]:
        return {need: value for need, value in table.items() if need not in framework.inherited}

    return framework._replace(builtins=own(framework.builtins), builtin_packages=own(framework.builtin_packages),
                              builtin_notes=own(framework.builtin_notes), inherited={}, quiet={})


def test_the_bundled_dataset_uses_every_optional_table_the_builder_converts():
    """So the round trip above reaches each conversion: every record type occurs in the bundled file."""
    built = dataset.load(dataset.bundled_path(), overlay=None)
    seen: set[type] = set()

    def visit(value: Any) -> None:
        if hasattr(value, "_fields"):
            seen.add(type(value))
            for name in value._fields:
                visit(getattr(value, name))
        elif isinstance(value, tuple):
            for item in value:
                visit(item)

    visit(built)
    seen.add(model.Advisory)  # no latest release has one on the index; tests/test_health.py round-trips one
    assert set(_record_types()) <= seen, f"never built from the bundled file: {set(_record_types()) - seen}"


class Probe(NamedTuple):
    """A record type as a contributor would add one: a required line, an optional list, a renamed key, a date."""

    title: model.Line
    tags: tuple[model.Line, ...] = ()
    people: Annotated[tuple[model.NotableUser, ...], model.Key("person")] = ()
    day: dt.date | None = None


def test_a_new_field_is_stated_once_and_gets_a_schema_entry_a_check_and_a_conversion():
    table = schema._record(Probe)
    assert table["required"] == ["title"]
    assert list(table["properties"]) == ["title", "tags", "person", "day"]
    assert schema.validate({"title": "", "tags": "x", "person": [{"name": "A"}], "extra": 1}, table) == [
        "title: must not be empty",
        "tags: expected a list of strings, got \"x\"",
        "person[0].source: required field is missing",
        "extra: unknown field",
    ]
    built = dataset._reader(Probe)({"title": "T", "tags": ["a"], "person": [{"name": "A", "source": "seed"}], "day": dt.date(2024, 1, 2)})
    assert built == Probe("T", ("a",), (model.NotableUser("A", "seed"),), dt.date(2024, 1, 2))
    assert type(built.people[0]) is model.NotableUser
