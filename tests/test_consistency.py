"""The bundled dataset's internal consistency: complete, sourced, dated, compilable."""

from __future__ import annotations

import datetime as dt

import pytest

from fwtui import schema, vocabulary
from fwtui.summary import cell

IDS = {
    "django", "flask", "fastapi", "litestar", "tornado", "falcon",
    "starlette", "sanic", "quart", "aiohttp", "pyramid", "bottle", "blacksheep", "robyn",
}
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


def test_the_fourteen_frameworks(bundled):
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
    for row in bundled.comparison:
        for framework in bundled.frameworks:
            assert cell(framework, row).strip(), (row.id, framework.id)


def test_seed_opinions_are_attributed(bundled):
    litestar = bundled.framework("litestar")
    assert any(o.source == "seed" and "FastAPI" in o.text for o in litestar.opinions)


def test_criteria_cover_the_seeds_four_questions(bundled):
    ids = {c.id for c in bundled.criteria}
    assert {"use_case", "team", "async_comfort", "performance", "maintenance"} <= ids
