"""What a new user meets in the first hour: a filter that answers, readable Compare cells,
compact CLI tables, and the small slips of issue #27."""

from __future__ import annotations

from fwtui.app import FwtuiApp
from fwtui.widgets.framework_list import FrameworkRows, matches, narrows, parse, search_words

SIZE = (120, 40)


def _matching(dataset, query: str) -> set[str]:
    return {f.id for f in dataset.frameworks if matches(search_words(f), parse(query))}


def _levels(dataset, need: str, levels: tuple[str, ...]) -> set[str]:
    return {f.id for f in dataset.frameworks if f.level(need) in levels}


def test_a_built_in_word_lists_built_in_and_first_party_by_default(bundled):
    both = _levels(bundled, "websockets", ("built-in", "first-party")) & _levels(bundled, "orm", ("built-in", "first-party"))
    assert _matching(bundled, "websocket orm") == both
    assert _matching(bundled, "orm") == _levels(bundled, "orm", ("built-in", "first-party"))
    assert _levels(bundled, "orm", ("extension",)) - _matching(bundled, "orm")  # an extension-only ORM is left out


def test_bang_asks_for_built_in_only_and_plus_lets_extensions_in(bundled):
    assert _matching(bundled, "orm!") == _levels(bundled, "orm", ("built-in",))
    assert _matching(bundled, "orm+") == _levels(bundled, "orm", ("built-in", "first-party", "extension"))
    assert _matching(bundled, "ws! orm!") == _levels(bundled, "orm", ("built-in",)) & _levels(bundled, "websockets", ("built-in",))


def test_a_word_that_names_no_built_in_matches_names_and_ignores_its_ending(bundled):
    assert "flask" in _matching(bundled, "flask") and _matching(bundled, "flask!") == _matching(bundled, "flask")
    # "orm" in Django's tagline does not make a framework without an ORM match.
    assert not any(bundled.framework(i).level("orm") == "no" for i in _matching(bundled, "orm+"))


def test_plus_never_counts_as_narrowing_the_query_before_it():
    assert narrows(("or",), ("orm",)) and narrows(("orm",), ("orm!",))
    assert not narrows(("orm",), ("orm+",))


async def test_rows_show_the_level_of_each_built_in_asked(bundled):
    app = FwtuiApp(bundled)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash", *"ws orm")
        await pilot.pause()
        rows = app.screen.query_one(FrameworkRows)
        lines = [rows.render_line(y).text for y in range(len(rows.rows))]
        django = next(line for line in lines if "Django " in line)
        assert "ws◐" in django and "orm✓" in django
