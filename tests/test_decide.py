"""The decision engine: the empty state, must and nice needs, reasons that add up, what would change it."""

from __future__ import annotations

import random
import shlex
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fwtui import criteria as criteria_forms
from fwtui import dataset, vocabulary
from fwtui.decide import CLOSE_CALL_POINTS, Criteria, UnknownName, _apportion, close_call, rank, what_would_change
from helpers import bundled_copies

LEVEL_ORDER = {level: len(vocabulary.BUILTIN_LEVELS) - i for i, level in enumerate(vocabulary.BUILTIN_LEVELS)}


def top(dataset, n=1, **criteria):
    return [r.framework.id for r in rank(dataset, Criteria(**criteria))[:n]]


def included(dataset, **criteria):
    return [r.framework.id for r in rank(dataset, Criteria(**criteria)) if not r.excluded]


def by_id(ranking):
    return {r.framework.id: r for r in ranking}


# The seed article's own picks ----------------------------------------------------

SEED = [
    ("ml-serving", ["fastapi"]),
    ("rest-api", ["fastapi"]),
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


# The empty state --------------------------------------------------------------------


def test_nothing_asked_means_no_scores_and_no_reasons(bundled):
    ranking = rank(bundled, Criteria())
    assert all(r.score is None and not r.excluded and r.reasons == () and r.what_if == () for r in ranking)
    names = [r.framework.name.casefold() for r in ranking]
    assert names == sorted(names), "without criteria the frameworks are listed by name"


def test_strict_alone_asks_nothing(bundled):
    assert Criteria(strict=True).is_empty()
    assert all(r.score is None for r in rank(bundled, Criteria(strict=True)))


def test_interface_alone_filters_without_scoring(bundled):
    ranking = rank(bundled, Criteria(interface="wsgi"))
    assert all(r.score is None for r in ranking)
    assert {r.framework.id for r in ranking if r.excluded} == {f.id for f in bundled.frameworks if "wsgi" not in f.interfaces}


# Must and nice --------------------------------------------------------------------


def test_a_must_is_met_by_an_extension_unless_strict(minimal):
    ranking = by_id(rank(minimal, Criteria(needs=("orm",))))
    assert not ranking["gamma"].excluded, "gamma has an ORM through a community extension"
    assert ranking["gamma"].score < ranking["alpha"].score, "an extension scores below built in"
    assert ranking["beta"].excluded
    strict = by_id(rank(minimal, Criteria(needs=("orm",), strict=True)))
    assert strict["gamma"].excluded and "gamma-orm" in strict["gamma"].exclusions[0]
    assert not strict["alpha"].excluded


def test_a_nice_need_never_excludes(minimal):
    ranking = rank(minimal, Criteria(nice=("orm", "admin")))
    assert not any(r.excluded for r in ranking)
    scores = {r.framework.id: r.score for r in ranking}
    assert scores["alpha"] > scores["gamma"] > scores["beta"]


def test_pyramid_keeps_an_orm_need_through_its_extension(bundled):
    assert bundled.framework("pyramid").level("orm") == "extension"
    ranking = by_id(rank(bundled, Criteria(needs=("orm",))))
    assert not ranking["pyramid"].excluded
    assert ranking["pyramid"].score < ranking["django"].score
    assert by_id(rank(bundled, Criteria(needs=("orm",), strict=True)))["pyramid"].excluded


def test_cycle_goes_off_nice_must_off():
    criteria = Criteria()
    states = []
    for _ in range(3):
        criteria = criteria.cycle_need("orm")
        states.append(criteria.need_state("orm"))
    assert states == ["nice", "must", None]
    assert criteria == Criteria()


def test_unknown_names_list_valid_ones(bundled):
    with pytest.raises(UnknownName) as caught:
        rank(bundled, Criteria(use_case="nope"))
    assert "rest-api" in caught.value.valid
    with pytest.raises(UnknownName, match="websockets"):
        rank(bundled, Criteria(nice=("telepathy",)))


# Properties ----------------------------------------------------------------------

use_case_ids = st.sampled_from(["fullstack-admin", "learning", "legacy-wsgi", "prototype", "rest-api", "ml-serving",
                                "max-throughput", "realtime", "realtime-orm", "small-container", "internal-tool"])
needs_lists = st.lists(st.sampled_from(vocabulary.BUILTINS), max_size=3, unique=True).map(tuple)
criteria_strategy = st.builds(
    Criteria,
    use_case=st.none() | use_case_ids,
    needs=needs_lists,
    nice=needs_lists,
    strict=st.booleans(),
    interface=st.none() | st.sampled_from(["wsgi", "asgi"]),
    team=st.none() | st.sampled_from(vocabulary.TEAMS),
    async_comfort=st.none() | st.sampled_from(vocabulary.YES_NO),
    performance=st.none() | st.sampled_from(vocabulary.PRIORITIES),
    maintenance=st.none() | st.sampled_from(vocabulary.HORIZONS),
    know=st.lists(st.sampled_from(["django", "flask", "fastapi", "starlette", "drf", "tornado"]), max_size=2, unique=True).map(tuple),
).map(lambda c: replace(c, nice=tuple(n for n in c.nice if n not in c.needs)))


@settings(max_examples=150, deadline=None)
@given(criteria=criteria_strategy)
def test_reasons_add_up_to_the_score(bundled, criteria):
    for entry in rank(bundled, criteria, what_if=False):
        if entry.score is None:
            assert entry.reasons == ()
            continue
        assert 0 <= entry.score <= 100
        assert sum(r.points for r in entry.reasons) == entry.score, (entry, entry.reasons)
        assert sum(r.of for r in entry.reasons) == 100
        assert all(0 <= r.points <= r.of for r in entry.reasons)


@settings(max_examples=100, deadline=None)
@given(use_case=use_case_ids)
def test_with_only_a_use_case_a_better_fit_never_ranks_lower(bundled, use_case):
    """... unless it is the less mature project: maturity counts in every ranking."""
    from fwtui.decide import maturity

    use_case_record = bundled.use_case(use_case)
    ranking = rank(bundled, Criteria(use_case=use_case), what_if=False)
    place = {r.framework.id: i for i, r in enumerate(ranking)}
    fit = {f.id: (use_case_record.pick_for(f.id).fit if use_case_record.pick_for(f.id) else 0) for f in bundled.frameworks}
    health = {f.id: maturity(f, bundled.meta.as_of, bundled.decision.maintenance["long"]).share for f in bundled.frameworks}
    for a in bundled.frameworks:
        for b in bundled.frameworks:
            # At least the same level, and not quiet where the other is not: a quiet cell scores less (rule R4).
            wants_at_least = all(LEVEL_ORDER[a.level(w)] >= LEVEL_ORDER[b.level(w)] and (w not in a.quiet or w in b.quiet)
                                 for w in use_case_record.wants)
            if fit[a.id] > fit[b.id] and wants_at_least and health[a.id] >= health[b.id]:
                assert place[a.id] < place[b.id], f"{a.id} (fit {fit[a.id]}) below {b.id} (fit {fit[b.id]})"


# Proportion (docs/scoring.md) -------------------------------------------------------


def _fits(use_case):
    return {pick.framework: pick.fit for pick in use_case.picks}


@settings(max_examples=150, deadline=None)
@given(criteria=criteria_strategy.filter(lambda c: c.use_case is not None))
def test_the_use_case_is_the_largest_part(bundled, criteria):
    """Whatever else is asked, no other part of a score can be worth more than the use case's fit."""
    for entry in rank(bundled, criteria, what_if=False)[:5]:
        fit_part = next(r for r in entry.reasons if "(fit " in r.text or r.text.startswith("Not among the picks"))
        assert all(r.of <= fit_part.of for r in entry.reasons), entry.reasons


@pytest.mark.parametrize("use_case", [u.id for u in dataset.load(dataset.bundled_path(), overlay=None).use_cases])
def test_a_nice_to_have_never_overturns_a_fit_lead_of_20(bundled, use_case):
    """For every need: a framework that ranks above another for the use case alone, with a fit
    at least 20 points higher, still ranks above it with that need nice to have."""
    fits = _fits(bundled.use_case(use_case))
    before = [r.framework.id for r in rank(bundled, Criteria(use_case=use_case), what_if=False)]
    for need in vocabulary.BUILTINS:
        after = {r.framework.id: place for place, r in enumerate(rank(bundled, Criteria(use_case=use_case, nice=(need,)), what_if=False))}
        for place, ahead in enumerate(before):
            for behind in before[place + 1:]:
                if fits.get(ahead, 0) >= fits.get(behind, 0) + 20:
                    assert after[ahead] < after[behind], f"--want {need} puts {behind} above {ahead}"


@pytest.mark.parametrize("use_case", [u.id for u in dataset.load(dataset.bundled_path(), overlay=None).use_cases])
def test_a_must_the_leader_has_built_in_keeps_it_first(bundled, use_case):
    """For every need the leader has built in: asking it as a must (from off, or from nice to have)
    never costs the leader first place."""
    for start in (Criteria(use_case=use_case), Criteria(use_case=use_case, team="beginner", know=("flask",))):
        leader = rank(bundled, start, what_if=False)[0].framework
        for need in vocabulary.BUILTINS:
            if leader.level(need) != "built-in":
                continue
            for before in (start, start.with_need(need, "nice")):
                assert rank(bundled, before.with_need(need, "must"), what_if=False)[0].framework.id == leader.id, need


@settings(max_examples=100, deadline=None)
@given(criteria=criteria_strategy)
def test_a_must_the_leader_has_built_in_keeps_it_first_whatever_else_is_asked(bundled, criteria):
    ranking = rank(bundled, criteria, what_if=False)
    if not ranking.scored or ranking[0].excluded:
        return
    leader = ranking[0].framework
    for need in vocabulary.BUILTINS:
        if leader.level(need) == "built-in" and need not in criteria.needs:
            assert rank(bundled, criteria.with_need(need, "must"), what_if=False)[0].framework.id == leader.id, need


@settings(max_examples=150, deadline=None)
@given(criteria=criteria_strategy, need=st.sampled_from(vocabulary.BUILTINS))
def test_adding_a_must_never_brings_a_framework_back(bundled, criteria, need):
    before = {r.framework.id for r in rank(bundled, criteria, what_if=False) if r.excluded}
    after = {r.framework.id for r in rank(bundled, criteria.with_need(need, "must"), what_if=False) if r.excluded}
    assert before <= after


@settings(max_examples=100, deadline=None)
@given(criteria=criteria_strategy, seed=st.integers(0, 2**32))
def test_ranking_is_deterministic_whatever_the_dataset_order(bundled, criteria, seed):
    shuffled = list(bundled.frameworks)
    random.Random(seed).shuffle(shuffled)
    other = bundled._replace(frameworks=tuple(shuffled))
    first = [(r.framework.id, r.score, r.excluded) for r in rank(bundled, criteria, what_if=False)]
    assert first == [(r.framework.id, r.score, r.excluded) for r in rank(other, criteria, what_if=False)]


@settings(max_examples=100, deadline=None)
@given(criteria=criteria_strategy)
def test_places_follow_the_documented_order(criteria):
    """Included first, then score, unrounded points, fit, community size and name (A to Z with
    nothing scored), worked out here from each place's own figures. Repeated frameworks give
    ties on everything but the name, so every tie-break is exercised."""
    data = bundled_copies(90)
    community = {size: place for place, size in enumerate(vocabulary.COMMUNITY_SIZES)}
    ranking = rank(data, replace(criteria, know=()), what_if=False)  # the copies have ids of their own

    def documented(entry):
        framework = entry.framework
        name = (framework.name.casefold(), framework.id)
        if entry.score is None:
            return (entry.excluded, name)
        return (entry.excluded, -entry.score, -entry.points, -entry.fit, community[framework.community], name)

    assert [r.framework.id for r in ranking] == [r.framework.id for r in sorted(ranking, key=documented)]


@settings(max_examples=60, deadline=None)
@given(criteria=criteria_strategy)
def test_what_if_is_true(bundled, criteria):
    """Each reported change, applied, puts the named framework first; the leader's is the first
    such change; another place's names that place; at most one change a place, on the first three."""
    from fwtui.decide import WHAT_IF_PLACES, _single_changes, max_points

    ranking = rank(bundled, criteria)
    changes = dict(_single_changes(bundled, criteria))
    for place, entry in enumerate(ranking):
        assert len(entry.what_if) <= (1 if place < WHAT_IF_PLACES else 0)
        for what in entry.what_if:
            assert what.change in changes
            assert rank(bundled, changes[what.change], what_if=False)[0].framework.id == what.first
            if place:
                assert what.first == entry.framework.id
    if ranking and ranking[0].what_if:
        leader = ranking[0].framework.id
        for change, changed in _single_changes(bundled, criteria):
            if change == ranking[0].what_if[0].change:
                break
            first = rank(bundled, changed, what_if=False)[0]
            if max_points(bundled, changed) and not first.excluded:  # (with everything excluded no one leads)
                assert first.framework.id == leader, f"{change} came earlier"


@settings(max_examples=100, deadline=None)
@given(criteria=criteria_strategy)
def test_what_if_keeps_the_use_case_and_adds_only_plausible_needs(bundled, criteria):
    from fwtui.decide import _single_changes, plausible_needs

    plausible = set(plausible_needs(bundled, criteria))
    for _, changed in _single_changes(bundled, criteria):
        assert changed.use_case == criteria.use_case
        added = {*changed.needs, *changed.nice} - {*criteria.needs, *criteria.nice}
        assert added <= plausible, added


def test_what_if_does_not_suggest_csrf_to_a_model_endpoint(bundled):
    """The issue's case: a nice-to-have nobody would add for an ML endpoint is not suggested."""
    for criteria in (Criteria(use_case="ml-serving"), Criteria(use_case="ml-serving", team="senior")):
        said = [what.change for entry in rank(bundled, criteria)[:3] for what in entry.what_if]
        assert said and not any("CSRF" in change or "use case" in change for change in said), said


def test_what_if_names_a_real_alternative(bundled):
    ranking = rank(bundled, Criteria(use_case="rest-api", needs=("orm",)))
    assert ranking[0].what_if, "some single change always moves a must-heavy answer"
    assert ranking[0].what_if[0].first != ranking[0].framework.id


def test_close_call_is_said(bundled):
    # The use cases hold both: close first two and clear ones.
    said = set()
    for use_case in bundled.use_cases:
        ranking = rank(bundled, Criteria(use_case=use_case.id), what_if=False)
        gap = ranking[0].score - ranking[1].score
        said.add(close_call(ranking) is not None)
        assert (close_call(ranking) is not None) == (gap <= CLOSE_CALL_POINTS)
    assert said == {True, False}


def test_the_command_reproduces_the_ranking(bundled, capsys):
    import json

    from fwtui.cli import main

    criteria = Criteria(use_case="realtime", needs=("orm",), nice=("admin",), strict=True, team="senior", performance="high")
    expected = [(r.framework.id, r.score, r.excluded) for r in rank(bundled, criteria)]
    args = shlex.split(criteria_forms.command(criteria))[1:]
    assert main([*args, "--format", "json"]) == 0
    entries = json.loads(capsys.readouterr().out)["ranking"]
    assert [(e["id"], e["score"], e["excluded"]) for e in entries] == expected


def test_apportion_keeps_the_total():
    assert _apportion([33.4, 33.3, 33.3], 100) == [34, 33, 33]
    assert sum(_apportion([0.5, 0.5, 0.5, 0.5], 2)) == 2
    assert _apportion([], 0) == []


def test_the_datasets_columns_outlive_what_if_contenders():
    """What-if ranks a new set of contenders after each change; the dataset's own columns
    (made once, 3 ms at 1,000 frameworks) must not be the ones pushed out."""
    from fwtui.decide import _columns

    data = bundled_copies(100)  # past EXACT_WHAT_IF: what-if ranks contenders, not the dataset
    made = _columns(data.frameworks)
    for use_case in ("rest-api", "prototype", "ml-serving"):
        rank(data, Criteria(use_case=use_case, needs=("orm",)))
        assert _columns(data.frameworks) is made


@pytest.mark.parametrize("criteria", [Criteria(), Criteria(use_case="rest-api", needs=("orm",)), Criteria(interface="asgi")])
def test_a_ranking_reads_as_the_list_of_its_places(bundled, criteria):
    """rank() keeps columns and makes a place when it is read: indexing from either end,
    slicing and iterating must all give the same places, in the same order."""
    ranking = rank(bundled, criteria)
    places = list(ranking)
    assert len(places) == len(ranking) == len(bundled.frameworks)
    assert sorted(p.framework.id for p in places) == sorted(f.id for f in bundled.frameworks)
    assert [ranking[i] for i in range(len(ranking))] == places
    assert ranking[-1] == places[-1] and ranking[-len(places)] == places[0]
    assert ranking[2:5] == places[2:5] and ranking[::-3] == places[::-3]
    assert ranking.excluded_count() == sum(p.excluded for p in places)
    assert ranking.scored == any(p.score is not None for p in places)
    with pytest.raises(IndexError):
        ranking[len(places)]


# What the team knows --------------------------------------------------------------


def test_knowing_a_framework_counts_for_it_and_less_for_its_family(bundled):
    plain = by_id(rank(bundled, Criteria(use_case="rest-api"), what_if=False))
    knows = by_id(rank(bundled, Criteria(use_case="rest-api", know=("flask",)), what_if=False))
    gain = {i: knows[i].points - plain[i].points for i in ("flask", "apiflask", "quart", "fastapi", "django")}
    weight, family = bundled.decision.weights["know"], bundled.decision.family_factor
    assert gain["flask"] == pytest.approx(weight)
    assert gain["apiflask"] == gain["quart"] == pytest.approx(weight * family), "both build on Flask"
    assert gain["fastapi"] == gain["django"] == 0
    assert any(r.text.startswith("Your team knows Flask, and Quart builds on it") for r in knows["quart"].reasons)
    # Both ways: knowing Django REST framework helps Django, which it builds on.
    drf_team = by_id(rank(bundled, Criteria(use_case="rest-api", know=("drf",)), what_if=False))
    assert drf_team["django"].points - plain["django"].points == pytest.approx(weight * family)


def test_an_unknown_known_framework_is_refused(bundled):
    with pytest.raises(UnknownName, match="django"):
        rank(bundled, Criteria(know=("djngo",)))


# Maturity ---------------------------------------------------------------------------


def test_maturity_counts_a_little_in_every_ranking_and_more_for_the_long_haul(bundled):
    from fwtui.decide import maturity

    weights = bundled.decision.weights
    for criteria, ceiling in ((Criteria(use_case="prototype"), weights["maturity"]),
                              (Criteria(nice=("orm",)), weights["maturity"]),
                              (Criteria(use_case="prototype", maintenance="long"), weights["maturity"] + weights["maintenance"])):
        entry = rank(bundled, criteria, what_if=False)[0]
        health = [r for r in entry.reasons if "project health" in r.text.casefold()]
        assert len(health) == 1
        assert abs(health[0].of - 100 * ceiling / entry.scorer.total) < 1
    # A project with no release in 24 months says so, and scores below an otherwise equal recent one.
    cherrypy = bundled.framework("cherrypy")
    quiet = maturity(cherrypy, bundled.meta.as_of, bundled.decision.maintenance["long"])
    recent = maturity(cherrypy._replace(latest_release=bundled.meta.as_of.isoformat()[:7], health=None), bundled.meta.as_of,
                      bundled.decision.maintenance["long"])
    assert "no release in 24 months (last 2024-06)" in quiet.words
    assert quiet.share < recent.share
    words = by_id(rank(bundled, Criteria(use_case="legacy-wsgi"), what_if=False))["cherrypy"].reasons
    assert any("no release in 24 months" in r.text for r in words)


def test_a_small_pre_release_or_alpha_project_is_less_mature_than_a_large_stable_one(bundled):
    from fwtui.decide import maturity

    table, as_of = bundled.decision.maintenance["long"], bundled.meta.as_of
    django = maturity(bundled.framework("django"), as_of, table)
    young = bundled.framework("ravyn")._replace(community="small", latest_release=as_of.isoformat()[:7])
    unstated = maturity(young._replace(status="", latest_version="0.4.3"), as_of, table)
    assert "version 0.4.3, before 1.0" in unstated.words
    alpha = maturity(young._replace(status="alpha"), as_of, table)
    stable = maturity(young._replace(status="stable", latest_version="1.0.0"), as_of, table)
    assert alpha.share < unstated.share < stable.share < django.share
    assert "alpha" in alpha.words


async def test_team_knows_is_asked_in_decide_kept_and_reproduced(bundled):
    """Space in the Team knows list toggles a framework; the ranking, the saved state, the copy's
    command and the next start all follow."""
    import tomllib

    from fwtui import summary
    from fwtui.app import FwtuiApp
    from fwtui.screens.main import MainScreen
    from fwtui.state import state_path
    from fwtui.widgets.decision import DecisionPanel, KnowsList

    app = FwtuiApp(bundled)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("r", "5")  # Decide, the fifth use case (a REST API)
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, MainScreen)
        knows = screen.query_one(DecisionPanel).query_one(KnowsList)
        knows.focus()
        knows.highlighted = knows.get_option_index("flask")
        await pilot.press("space")
        await pilot.pause()
        assert screen.criteria == Criteria(use_case="rest-api", know=("flask",))
        assert "knows" in str(knows.get_option("flask").prompt)
        assert [r.framework.id for r in screen.ranking] == [r.framework.id for r in rank(bundled, screen.criteria)]
        assert "--know flask" in summary.ranking_markdown(bundled, screen.criteria, screen.ranking)
        await pilot.press("q")
    assert tomllib.loads(state_path().read_text())["know"] == ["flask"]
    again = FwtuiApp(bundled)
    async with again.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert isinstance(again.screen, MainScreen)
        assert again.screen.criteria.know == ("flask",)


# recommend: a size to share ------------------------------------------------------------


def test_recommend_table_shows_five_and_says_how_many_more(bundled, capsys, monkeypatch):
    import json

    from fwtui.cli import main

    monkeypatch.setenv("COLUMNS", "100")
    args = ["recommend", "--use-case", "rest-api", "--need", "orm", "--strict"]
    ranking = rank(bundled, Criteria(use_case="rest-api", needs=("orm",), strict=True))
    assert main(args) == 0
    out = capsys.readouterr().out
    included = len(ranking) - ranking.excluded_count()
    assert out.rstrip().splitlines()[-1] == f"{included - 5} more ranked, {ranking.excluded_count()} excluded (use --top 0 for all)"
    assert ranking[4].framework.name in out and ranking[5].framework.name not in out
    assert main([*args, "--format", "json"]) == 0
    assert len(json.loads(capsys.readouterr().out)["ranking"]) == len(bundled.frameworks), "JSON keeps every entry"
    assert main([*args, "--format", "json", "--top", "2"]) == 0
    assert [e["id"] for e in json.loads(capsys.readouterr().out)["ranking"]] == [r.framework.id for r in ranking[:2]]
    assert main([*args, "--top", "0"]) == 0
    assert "more ranked" not in capsys.readouterr().out


def test_recommend_with_nothing_asked_says_so(capsys):
    from fwtui.cli import main

    assert main(["recommend"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Nothing asked, so nothing is ranked") and "Django" not in out


def test_recommend_know_suggests_a_spelling(capsys):
    from fwtui.cli import main

    assert main(["recommend", "--use-case", "rest-api", "--know", "flsk"]) == 2
    assert 'Did you mean "flask"?' in capsys.readouterr().err


def test_the_copy_holds_the_top_five_the_excluded_and_the_command(bundled):
    from fwtui import summary

    criteria = Criteria(use_case="rest-api", needs=("orm",), strict=True, know=("flask",))
    ranking = rank(bundled, criteria)
    text = summary.ranking_markdown(bundled, criteria, ranking)
    places = [line for line in text.splitlines() if line[:1].isdigit() and ". **" in line]
    assert len(places) == 5
    excluded = [r for r in ranking if r.excluded]
    assert f"## Excluded ({len(excluded)})" in text
    assert all(f"- {r.framework.name}: {r.exclusions[0]}" in text for r in excluded)
    assert criteria_forms.command(criteria) in text and "--know flask" in criteria_forms.command(criteria)
    assert len(text.splitlines()) < 100


def test_a_dataset_without_the_new_weights_scores_as_before(minimal):
    """`must`, `know` and `maturity` are optional: without them a must weighs as a nice-to-have,
    and what the team knows and maturity add nothing, not even an empty reason line."""
    assert not {"must", "know", "maturity"} & set(minimal.decision.weights)
    must = by_id(rank(minimal, Criteria(needs=("orm",), know=("alpha",)), what_if=False))
    nice = by_id(rank(minimal, Criteria(nice=("orm",)), what_if=False))
    assert {i: must[i].points for i in must} == {i: nice[i].points for i in nice}
    assert all(len(entry.reasons) == 1 for entry in must.values() if not entry.excluded)


def test_a_ranking_is_never_changed_once_made(bundled):
    """What would change the answer comes as a new ranking: the list and the panel may hold the
    first one while it is worked out, and must never see it change under them."""
    criteria = Criteria(use_case="rest-api", needs=("orm",), team="beginner")
    plain = rank(bundled, criteria, what_if=False)
    before = [(e.framework.id, e.score, e.excluded, e.what_if) for e in plain]
    explained = what_would_change(bundled, criteria, plain)
    assert explained is not plain
    assert [(e.framework.id, e.score, e.excluded, e.what_if) for e in plain] == before
    assert all(e.what_if == () for e in plain)
    assert any(e.what_if for e in explained)
    assert [(e.framework.id, e.score) for e in explained] == [(e.framework.id, e.score) for e in plain]
    with pytest.raises(TypeError):
        explained.what_ifs["flask"] = ()  # type: ignore[index]
    with pytest.raises(AttributeError):
        plain.order.append(0)  # type: ignore[attr-defined]
