"""The criteria survive every shape they take: the saved state, and the command line that reproduces them."""

from __future__ import annotations

import shlex

from hypothesis import given
from hypothesis import strategies as st

from fwtui import criteria as criteria_forms
from fwtui import vocabulary
from fwtui.cli import _parser
from fwtui.dataset import build, read_toml
from fwtui.decide import Criteria
from fwtui.state import State
from helpers import MINIMAL

DATA = build(read_toml(MINIMAL))


def unique(values: tuple[str, ...]) -> st.SearchStrategy[tuple[str, ...]]:
    return st.lists(st.sampled_from(values), unique=True).map(tuple)


def answer(values: tuple[str, ...]) -> st.SearchStrategy[str | None]:
    return st.none() | st.sampled_from(values)


@st.composite
def any_criteria(draw: st.DrawFn) -> Criteria:
    needs = draw(unique(vocabulary.BUILTINS))
    return Criteria(
        use_case=draw(answer(tuple(u.id for u in DATA.use_cases))),
        needs=needs,
        nice=tuple(n for n in draw(unique(vocabulary.BUILTINS)) if n not in needs),
        strict=draw(st.booleans()),
        interface=draw(answer(("wsgi", "asgi"))),
        team=draw(answer(vocabulary.TEAMS)),
        async_comfort=draw(answer(vocabulary.YES_NO)),
        performance=draw(answer(vocabulary.PRIORITIES)),
        maintenance=draw(answer(vocabulary.HORIZONS)),
        know=draw(unique(tuple(f.id for f in DATA.frameworks))),
    )


@given(any_criteria())
def test_criteria_survive_the_saved_state(criteria: Criteria) -> None:
    assert criteria_forms.from_state(criteria_forms.into_state(State(), criteria), DATA) == criteria


@given(any_criteria())
def test_criteria_survive_the_command_that_reproduces_them(criteria: Criteria) -> None:
    words = shlex.split(criteria_forms.command(criteria))
    assert words[:2] == ["fwtui", "recommend"]
    args = _parser().parse_args(words[1:])
    again = criteria_forms.from_options(args.use_case, args.need, args.want, args.strict, args.interface, args.team,
                                        args.async_comfort, args.perf, args.maintenance, args.know)
    assert again == criteria


def test_a_saved_state_loses_what_the_dataset_no_longer_has() -> None:
    state = State(use_case="gone", know=(DATA.frameworks[0].id, "gone"), needs=("orm",), nice=("orm", "admin"))
    criteria = criteria_forms.from_state(state, DATA)
    assert criteria.use_case is None and criteria.know == (DATA.frameworks[0].id,) and criteria.nice == ("admin",)


def test_a_need_also_wanted_is_a_need_once() -> None:
    criteria = criteria_forms.from_options(None, ["orm", "orm"], ["orm", "admin"], False, None, None, None, None, None, [])
    assert criteria.needs == ("orm",) and criteria.nice == ("admin",)
