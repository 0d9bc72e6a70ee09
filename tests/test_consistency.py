"""The bundled dataset's internal consistency: complete, sourced, dated, compilable."""

from __future__ import annotations

import datetime as dt

import pytest

from fwtui import matrix, schema, vocabulary

IDS = {
    "django", "flask", "fastapi", "litestar", "tornado", "falcon",
    "starlette", "sanic", "quart", "aiohttp", "pyramid", "bottle", "blacksheep", "robyn",
    "django-ninja", "drf", "emmett", "fasthtml", "apiflask", "masonite", "cherrypy", "connexion",
    "ravyn", "py4web", "microdot",
}
QUIET_SINCE = "2024-11"  # no release since then: quiet, and shown so (CherryPy)
SEED_USE_CASES = {"fullstack-admin", "learning", "legacy-wsgi", "prototype", "rest-api", "ml-serving", "max-throughput", "realtime"}
TODAY = dt.date.today()


def walk(value, path=""):
    if isinstance(value, dict):
        for key, item in value.items():
            yield from walk(item, f"{path}.{key}" if path else key)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from walk(item, f"{path}[{index}]")
    else:
        yield path, value


def test_the_frameworks(bundled):
    assert {f.id for f in bundled.frameworks} == IDS


def test_seed_use_cases_and_more(bundled):
    ids = {u.id for u in bundled.use_cases}
    assert SEED_USE_CASES <= ids and len(ids) > len(SEED_USE_CASES)


def test_use_cases_name_existing_frameworks(bundled):
    for use_case in bundled.use_cases:
        for pick in use_case.picks:
            assert bundled.framework(pick.framework)


@pytest.mark.parametrize("framework_id", sorted(IDS))
def test_framework_is_complete_and_sourced(bundled, framework_id):
    framework = bundled.framework(framework_id)
    required = schema.SCHEMA["properties"]["framework"]["items"]["required"]
    assert all(key in framework.raw for key in required)
    assert set(framework.builtins) == set(vocabulary.BUILTINS)
    groups = {source.group for source in framework.sources}
    assert groups == set(vocabulary.SOURCE_GROUPS), f"missing source groups: {set(vocabulary.SOURCE_GROUPS) - groups}"
    compile(framework.hello.code, framework.hello.file, "exec")
    assert framework.package and framework.hello.install and framework.hello.url.startswith("http://127.0.0.1:")
    assert framework.bench is not None and "{port}" in framework.bench.server
    assert "127.0.0.1" in framework.bench.server + framework.bench.code, "the measured server binds the loopback only"
    compile(framework.bench.code, "app.py", "exec")
    assert framework.first_release <= bundled.meta.as_of.year
    assert framework.latest_release <= bundled.meta.as_of.isoformat()


def test_no_empty_strings_and_no_future_dates(bundled, minimal):
    import tomllib

    from fwtui.dataset import bundled_path

    document = tomllib.loads(bundled_path().read_text(encoding="utf-8"))
    for path, value in walk(document):
        if isinstance(value, str):
            assert value.strip(), f"{path} is empty"
        if isinstance(value, dt.date):
            assert value <= TODAY, f"{path} is in the future: {value}"
            assert value <= bundled.meta.as_of, f"{path} is after the dataset's as_of date"


def test_every_comparison_row_renders_for_every_framework(bundled):
    for row in matrix.rows(bundled):
        for framework in bundled.frameworks:
            assert matrix.cell(bundled, framework, row).text.strip(), (row.id, framework.id)


def test_every_packaged_cell_names_its_package_in_its_note(bundled):
    for framework in bundled.frameworks:
        for name, level in framework.builtins.items():
            if level in vocabulary.PACKAGED_LEVELS:
                package = framework.builtin_packages[name]
                assert package.casefold() in framework.builtin_notes[name].casefold(), (framework.id, name)


def test_lineage_names_frameworks_of_the_dataset_without_cycles(bundled):
    ids = {f.id for f in bundled.frameworks}
    parents = {f.id: f.builds_on for f in bundled.frameworks}
    assert parents["fastapi"] == ("starlette",) and parents["drf"] == ("django",) and parents["apiflask"] == ("flask",)
    for framework_id in ids:
        seen, stack = set(), list(parents[framework_id])
        while stack:
            current = stack.pop()
            assert current in ids and current != framework_id, (framework_id, current)
            if current not in seen:
                seen.add(current)
                stack.extend(parents[current])


def test_a_quiet_framework_stays_with_its_last_release(bundled):
    quiet = [f.id for f in bundled.frameworks if f.latest_release < QUIET_SINCE]
    assert quiet == ["cherrypy"], quiet


def test_seed_opinions_are_attributed(bundled):
    litestar = bundled.framework("litestar")
    assert any(o.source == "seed" and "FastAPI" in o.text for o in litestar.opinions)


def test_criteria_cover_the_seeds_four_questions(bundled):
    ids = {c.id for c in bundled.criteria}
    assert {"use_case", "team", "async_comfort", "performance", "maintenance"} <= ids
