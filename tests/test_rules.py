"""The dataset's rules (docs/dataset.md, "What makes a built-in cell"), each held to a failing example.

A bad example is the minimal test dataset with an overlay written in tmp_path
that breaks one rule; the bundled dataset is held to every rule as it ships.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest
import tomli_w

from fwtui import cli, dataset, summary, vocabulary
from helpers import MINIMAL


def rank(level: str) -> int:
    """A level's place, best first: built-in 0 ... no 3."""
    return vocabulary.BUILTIN_LEVELS.index(level)


def minimal_document() -> dict[str, Any]:
    return tomllib.loads(MINIMAL.read_text(encoding="utf-8"))


def write(path: Path, document: dict[str, Any]) -> Path:
    path.write_text(tomli_w.dumps(document), encoding="utf-8")
    return path


def child_of(base: str, framework_id: str = "delta", **fields: Any) -> dict[str, Any]:
    """A whole new framework record built on `base`, copied from gamma's, giving only the cells in `fields`."""
    record = next(f for f in minimal_document()["framework"] if f["id"] == "gamma")
    record = {**record, "id": framework_id, "name": framework_id.capitalize(), "package": framework_id, "builds_on": [base]}
    record["builtins"] = fields.pop("builtins", {})
    record["builtin_packages"] = fields.pop("builtin_packages", {})
    record["builtin_notes"] = fields.pop("builtin_notes", {})
    return {**record, **fields}


# R1 Lineage ---------------------------------------------------------------------


def test_every_child_is_at_least_its_base_unless_its_own_cell_says_why(bundled):
    edges = [(child, base) for child in bundled.frameworks for base in child.builds_on]
    assert edges, "the bundled dataset has builds_on edges"
    for child, base_id in edges:
        base = bundled.framework(base_id)
        for need in vocabulary.BUILTINS:
            if rank(child.level(need)) <= rank(base.level(need)):
                continue
            own = need not in child.inherited
            assert own and child.builtin_notes.get(need), (
                f"{child.id}.{need} is {child.level(need)}, below {base_id}'s {base.level(need)}, with no reason in builtin_notes")


def test_an_omitted_cell_is_the_bases_with_its_package_and_note(tmp_path):
    document = minimal_document()
    document["framework"].append(child_of("alpha", builtins={"orm": "no"}, builtin_notes={"orm": "Delta drops Alpha's ORM."}))
    data = dataset.build(document)
    delta = data.framework("delta")
    assert delta.level("orm") == "no" and "orm" not in delta.inherited
    assert delta.level("websockets") == "first-party"
    assert delta.builtin_packages["websockets"] == "alpha-sockets"
    assert delta.builtin_notes["websockets"] == "Through alpha-sockets, made by the Alpha team."
    assert delta.inherited["websockets"] == "alpha"
    assert set(delta.inherited) == set(vocabulary.BUILTINS) - {"orm"}
    assert list(delta.builtins) == list(vocabulary.BUILTINS)


def test_cells_pass_down_a_chain_whatever_the_order_of_records():
    document = minimal_document()
    grandchild = child_of("delta", "epsilon", builtins={"cli": "built-in"})
    document["framework"].insert(0, grandchild)  # before its base: bases are resolved first all the same
    document["framework"].append(child_of("alpha", builtins={"orm": "no"}, builtin_notes={"orm": "None."}))
    epsilon = dataset.build(document).framework("epsilon")
    assert epsilon.level("orm") == "no"  # delta's own cell
    assert epsilon.level("websockets") == "first-party"  # alpha's, through delta
    assert epsilon.inherited["orm"] == "delta"
    assert epsilon.inherited["websockets"] == "alpha"  # named after the framework whose record states it
    assert "cli" not in epsilon.inherited


def test_an_overlay_child_of_a_bundled_base_inherits(tmp_path):
    overlay = write(tmp_path / "overlay.toml", {"framework": [child_of("django", "my-django-api", builtins={"openapi": "built-in"})]})
    data = dataset.load(dataset.bundled_path(), overlay)
    mine, django = data.framework("my-django-api"), data.framework("django")
    for need in vocabulary.BUILTINS:
        if need != "openapi":
            assert mine.level(need) == django.level(need), need
    assert mine.inherited["orm"] == "django"


def test_a_framework_without_a_base_must_give_every_cell(tmp_path):
    document = minimal_document()
    del document["framework"][1]["builtins"]["orm"]
    problems = dataset.check(document)
    assert any("framework[1].builtins: lacks orm" in problem for problem in problems), problems


def test_displays_say_where_an_inherited_cell_comes_from(bundled, capsys):
    drf = bundled.framework("drf")
    assert drf.inherited.get("orm") == "django"
    assert summary.level_words(bundled, drf, "orm") == "built in (via Django)"
    assert summary.level_words(bundled, drf, "auth") == "built in"
    assert "ORM (via Django)" in summary.framework_markdown(bundled, drf)
    from fwtui import matrix

    row = next(row for row in matrix.rows(bundled) if row.field == "builtins.orm")
    assert "(via Django)" in matrix.cell(bundled, drf, row).full
    assert matrix.record(bundled, drf)["inherited"]["orm"] == "django"
    assert cli.main(["show", "drf", "--format", "json"]) == 0
    import json

    shown = json.loads(capsys.readouterr().out)["framework"][0]
    assert shown["builtins"]["orm"] == "built-in" and shown["inherited"]["orm"] == "django"


def test_details_pane_says_via_the_base(bundled):
    from rich.console import Console

    from fwtui.widgets.details import builtins_table

    console = Console(width=200, record=True)
    console.print(builtins_table(bundled, bundled.framework("django-ninja")))
    assert "built in (via Django)" in console.export_text()


@pytest.mark.parametrize("child", ["drf", "django-ninja"])
def test_django_children_do_not_restate_djangos_cells(child):
    """Their file gives only their own cells: Django's ORM, admin and the rest are inherited."""
    raw = next(f for f in tomllib.loads(dataset.bundled_path().read_text(encoding="utf-8"))["framework"] if f["id"] == child)
    assert not {"orm", "migrations", "admin", "sessions", "cli"} & set(raw["builtins"])
