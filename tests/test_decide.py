"""The decision engine: seed agreement, scenarios, hard filters, monotonicity, determinism."""

from __future__ import annotations

import random
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fwtui import vocabulary
from fwtui.decide import Criteria, UnknownName, rank


def top(dataset, n=1, **criteria):
    return [r.framework.id for r in rank(dataset, Criteria(**criteria))[:n]]


def included(dataset, **criteria):
    return [r.framework.id for r in rank(dataset, Criteria(**criteria)) if not r.excluded]


SEED = [
    ("ml-serving", ["fastapi"]),
    ("rest-api", ["fastapi"]),
    ("realtime", ["tornado"]),
    ("max-throughput", ["litestar"]),
    ("fullstack-admin", ["django"]),
    ("prototype", ["flask"]),
]


@pytest.mark.parametrize(("use_case", "expected"), SEED)
def test_seed_pick_comes_first(bundled, use_case, expected):
    assert top(bundled, 1, use_case=use_case) == expected


@pytest.mark.parametrize("use_case", ["learning", "legacy-wsgi"])
def test_seed_pair_comes_first(bundled, use_case):
    assert set(top(bundled, 2, use_case=use_case)) == {"django", "flask"}


# (criteria, what must hold) — scenarios an experienced engineer would sign off.
SCENARIOS = [
    ({"needs": ("admin",)}, lambda r, inc: inc == ["django"]),
    ({"needs": ("orm", "migrations")}, lambda r, inc: set(inc) == {"django", "litestar"}),
    ({"needs": ("orm",), "use_case": "rest-api"}, lambda r, inc: inc[0] == "fastapi" and "flask" not in inc),
    ({"needs": ("openapi",)}, lambda r, inc: "flask" not in inc and "django" not in inc and "fastapi" in inc),
    ({"needs": ("websockets",)}, lambda r, inc: "flask" not in inc and "bottle" not in inc and "django" in inc),
    ({"interface": "wsgi"}, lambda r, inc: set(inc) == {"django", "flask", "falcon", "pyramid", "bottle"}),
    ({"interface": "asgi"}, lambda r, inc: "flask" not in inc and "tornado" not in inc and {"django", "falcon", "fastapi"} <= set(inc)),
    ({"interface": "wsgi", "needs": ("websockets",)}, lambda r, inc: set(inc) == {"django", "falcon"}),
    ({"use_case": "realtime", "interface": "wsgi"}, lambda r, inc: "tornado" not in inc and set(inc[:2]) == {"django", "falcon"}),
    ({"use_case": "rest-api", "team": "beginner", "async_comfort": "no"}, lambda r, inc: inc[0] in ("falcon", "flask", "django", "fastapi")),
    ({"team": "beginner", "async_comfort": "no"}, lambda r, inc: inc[0] in ("flask", "bottle") and inc.index("litestar") > inc.index("django")),
    ({"team": "senior", "async_comfort": "yes", "performance": "high"}, lambda r, inc: inc[0] in ("fastapi", "litestar", "blacksheep", "robyn", "starlette", "sanic")),
    ({"maintenance": "long"}, lambda r, inc: set(inc[:3]) == {"django", "flask", "fastapi"}),
    ({"maintenance": "short", "use_case": "prototype"}, lambda r, inc: inc[0] == "flask"),
    ({"use_case": "ml-serving", "async_comfort": "no"}, lambda r, inc: "flask" in inc[:3]),
    ({"use_case": "fullstack-admin", "needs": ("auth", "templating")}, lambda r, inc: inc[0] == "django" and "bottle" not in inc),
    ({"use_case": "realtime-orm"}, lambda r, inc: inc[0] == "django"),
    ({"use_case": "small-container"}, lambda r, inc: inc[0] == "falcon"),
    ({"needs": ("csrf", "sessions", "openapi")}, lambda r, inc: set(inc) == {"litestar", "blacksheep", "pyramid"} and inc[-1] == "pyramid"),
    ({"performance": "high", "interface": "wsgi"}, lambda r, inc: inc[0] == "falcon"),
    ({"needs": tuple(vocabulary.BUILTINS)}, lambda r, inc: inc == []),
    ({}, lambda r, inc: len(inc) == 14 and inc[0] in ("django", "flask", "fastapi")),
]


@pytest.mark.parametrize(("criteria", "check"), SCENARIOS, ids=[str(c) for c, _ in SCENARIOS])
def test_scenario(bundled, criteria, check):
    ranking = rank(bundled, Criteria(**criteria))
    inc = [r.framework.id for r in ranking if not r.excluded]
    assert check(ranking, inc), [(r.framework.id, r.score, r.excluded) for r in ranking]


def test_excluded_frameworks_say_why_and_score_zero(bundled):
    ranking = rank(bundled, Criteria(needs=("admin",), interface="asgi"))
    flask = next(r for r in ranking if r.framework.id == "flask")
    assert flask.excluded and flask.score == 0
    assert any("admin" in reason for reason in flask.exclusions)
    assert any("ASGI" in reason for reason in flask.exclusions)
    assert ranking[-1].excluded and not ranking[0].excluded


def test_first_party_scores_below_built_in(bundled):
    ranking = {r.framework.id: r for r in rank(bundled, Criteria(needs=("websockets",)))}
    # Django has WebSockets through Channels (first-party), Quart has them built in: same baseline share.
    assert ranking["django"].points - bundled.decision.weights["baseline"] * 1.0 < ranking["fastapi"].points - bundled.decision.weights["baseline"] * 1.0


def test_reasons_trace_to_data(bundled):
    fastapi = rank(bundled, Criteria(use_case="ml-serving"))[0]
    pick = bundled.use_case("ml-serving").pick_for("fastapi")
    assert any(pick.why in reason for reason in fastapi.reasons_for)


def test_unknown_names_list_valid_ones(bundled):
    with pytest.raises(UnknownName) as caught:
        rank(bundled, Criteria(use_case="nope"))
    assert "rest-api" in caught.value.valid
    with pytest.raises(UnknownName, match="websockets"):
        rank(bundled, Criteria(needs=("telepathy",)))


def test_scores_are_between_0_and_100(bundled):
    for criteria in (Criteria(), Criteria(use_case="rest-api", team="beginner", performance="high", maintenance="long", async_comfort="yes")):
        assert all(0 <= r.score <= 100 for r in rank(bundled, criteria))


# Properties -------------------------------------------------------------------

criteria_strategy = st.builds(
    Criteria,
    use_case=st.none() | st.sampled_from(["fullstack-admin", "learning", "legacy-wsgi", "prototype", "rest-api", "ml-serving", "max-throughput", "realtime"]),
    needs=st.lists(st.sampled_from(vocabulary.BUILTINS), max_size=4, unique=True).map(tuple),
    interface=st.none() | st.sampled_from(["wsgi", "asgi"]),
    team=st.none() | st.sampled_from(vocabulary.TEAMS),
    async_comfort=st.none() | st.sampled_from(vocabulary.YES_NO),
    performance=st.none() | st.sampled_from(vocabulary.PRIORITIES),
    maintenance=st.none() | st.sampled_from(vocabulary.HORIZONS),
)


@settings(max_examples=300, deadline=None)
@given(criteria=criteria_strategy, need=st.sampled_from(vocabulary.BUILTINS))
def test_adding_a_need_is_monotone(bundled, criteria, need):
    before = rank(bundled, criteria)
    after = rank(bundled, replace(criteria, needs=(*criteria.needs, need)))
    excluded_before = {r.framework.id for r in before if r.excluded}
    excluded_after = {r.framework.id for r in after if r.excluded}
    assert excluded_before <= excluded_after, "a need moved an excluded framework back in"
    order_before = [r.framework.id for r in before]
    order_after = [r.framework.id for r in after]
    value = {"built-in": 2, "first-party": 1, "no": 0}
    for a in bundled.frameworks:
        for b in bundled.frameworks:
            if value[a.level(need)] < value[b.level(need)] and order_before.index(a.id) > order_before.index(b.id):
                assert order_after.index(a.id) > order_after.index(b.id), f"{a.id} lacks {need} but rose above {b.id}"


@settings(max_examples=200, deadline=None)
@given(criteria=criteria_strategy, seed=st.integers(0, 2**32))
def test_ranking_is_deterministic_whatever_the_dataset_order(bundled, criteria, seed):
    shuffled = list(bundled.frameworks)
    random.Random(seed).shuffle(shuffled)
    other = bundled._replace(frameworks=tuple(shuffled))
    first = [(r.framework.id, r.score, r.excluded) for r in rank(bundled, criteria)]
    assert first == [(r.framework.id, r.score, r.excluded) for r in rank(other, criteria)]
    assert first == [(r.framework.id, r.score, r.excluded) for r in rank(bundled, criteria)]
