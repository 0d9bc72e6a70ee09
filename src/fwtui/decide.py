"""The decision engine: criteria in, every framework ranked and explained out.

Pure functions over the model; no Textual import. The weights and tables come
from the dataset's [decision] section, so a user's dataset can change them.

Scoring (docs/scoring.md has the weights, a worked example and the properties
the tests hold it to):
- With no criteria there are no scores: the engine lists the frameworks by
  name and says nothing about them.
- Each active criterion can add up to its weight in points. A framework's
  score is its points as a percentage of the most any framework could get,
  and every criterion's share of that score is a reason line, so the reasons
  of a place add up to its score. The use case's fit weighs most; a must
  weighs more than a nice-to-have; what the team knows counts for the known
  framework and, by `family_factor`, for the frameworks it builds on or that
  build on it; maturity (community, release recency, status) counts a little
  in every ranking that scores anything, more with a long maintenance horizon.
- A need is *nice to have* (adds points by how it is met: built in, through a
  first-party package, through a community extension) or a *must*, which also
  excludes a framework that cannot meet it. A must is met by any of the three
  levels; with `strict`, only by built-in or first-party. The interface is a
  filter and adds no points.
- Performance uses `fwtui bench`'s saved measurements when there are any
  (the dataset's `measured`): a share of the fastest measured framework;
  unmeasured frameworks keep their claimed throughput class.
- Ranking: included before excluded, then score, then the unrounded points,
  then the use case's fit, then community size, then name.
- What would change the answer: single changes of the criteria that keep the
  use case and add only needs plausible for it, tried in a fixed order (undo
  or soften before adding; see `_single_changes`); each of the first three
  places carries at most one (see `what_would_change`).
"""

from __future__ import annotations

import datetime as dt
import heapq
import sys
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from types import MappingProxyType
from typing import NamedTuple, overload

from fwtui import cells, vocabulary
from fwtui.model import Dataset, Framework, UseCase
from fwtui.vocabulary import LABELS, QUIET_AFTER_MONTHS, builtin_label

# The criteria that score, each with the weight key of [decision.weights].
_ANSWERS = tuple(q for q in vocabulary.QUESTIONS if q != "interface")
CLOSE_CALL_POINTS = 5
_COMMUNITY_ORDER = {size: place for place, size in enumerate(vocabulary.COMMUNITY_SIZES)}


class UnknownName(ValueError):
    """A use case or need the dataset does not have; `valid` lists the ones it does."""

    def __init__(self, kind: str, name: str, valid: list[str]) -> None:
        self.kind, self.name, self.valid = kind, name, valid
        from fwtui.text import quote

        super().__init__(f'unknown {kind} {quote(name)}; valid: {", ".join(valid)}')


@dataclass(frozen=True, slots=True)
class Criteria:
    """What the user asked: one value per control of the decision panel."""

    use_case: str | None = None
    needs: tuple[str, ...] = ()  # must-haves: a framework without them is excluded
    nice: tuple[str, ...] = ()  # nice to have: points, never an exclusion
    strict: bool = False  # a must is met only by built-in or first-party
    interface: str | None = None
    team: str | None = None
    async_comfort: str | None = None
    performance: str | None = None
    maintenance: str | None = None
    know: tuple[str, ...] = ()  # framework ids the team already knows

    def is_empty(self) -> bool:
        """Nothing asked (strict alone asks nothing)."""
        return replace(self, strict=False) == Criteria()

    def need_state(self, need: str) -> str | None:
        if need in self.needs:
            return "must"
        if need in self.nice:
            return "nice"
        return None

    def with_need(self, need: str, state: str | None) -> Criteria:
        """The same criteria with one need off (None), nice to have or a must."""
        needs = tuple(n for n in self.needs if n != need) + ((need,) if state == "must" else ())
        nice = tuple(n for n in self.nice if n != need) + ((need,) if state == "nice" else ())
        return replace(self, needs=needs, nice=nice)

    def with_answer(self, question: str, answer: str | None) -> Criteria:
        """The same criteria with one question (interface, team, ...) answered or cleared."""
        if question not in vocabulary.ANSWERS:
            raise ValueError(f"not a question: {question}")
        return replace(self, **{question: answer})  # type: ignore[arg-type]  # a str field, checked above

    def cycle_need(self, need: str) -> Criteria:
        """Off, then nice to have, then must, then off again: what space does in the panel."""
        following = {None: "nice", "nice": "must", "must": None}
        return self.with_need(need, following[self.need_state(need)])

    def toggle_known(self, framework_id: str) -> Criteria:
        """The same criteria with the team knowing this framework, or no longer knowing it."""
        if framework_id in self.know:
            return replace(self, know=tuple(k for k in self.know if k != framework_id))
        return replace(self, know=(*self.know, framework_id))


class Reason(NamedTuple):
    """One criterion's part of a place: its words, the score points it adds, and the most it could."""

    text: str
    points: int
    of: int

    @property
    def good(self) -> bool:
        return self.points * 2 >= self.of


class WhatIf(NamedTuple):
    """A single change of the criteria and the framework that would then be first."""

    change: str
    first: str


class Ranked(NamedTuple):
    """One framework's place: score and exclusion, with the words (why excluded, the reason
    for each point) worked out when first read: a re-rank scores everything, but only the
    places on screen are ever explained.

    Made by a `Ranking` when a place is read. The words are worked out once, when first read, and
    kept by the place's scorer (a cache: the same words whenever they are read)."""

    framework: Framework
    score: int | None
    points: float
    fit: int
    excluded: bool
    scorer: _Scorer
    what_if: tuple[WhatIf, ...] = ()  # the single change that would put another framework first (first places only)

    def _explained(self) -> tuple[tuple[str, ...], tuple[Reason, ...]]:
        words = self.scorer.words.get(self.framework.id)
        if words is None:
            words = self.scorer.words[self.framework.id] = self.scorer.explain(self.framework, self.score)
        return words

    @property
    def exclusions(self) -> tuple[str, ...]:
        return self._explained()[0]

    @property
    def reasons(self) -> tuple[Reason, ...]:
        """Every scoring criterion's part, largest first; the points add up to the score."""
        return self._explained()[1]

    @property
    def reasons_for(self) -> tuple[str, ...]:
        return tuple(r.text for r in self.reasons if r.good)

    @property
    def reasons_against(self) -> tuple[str, ...]:
        return tuple(r.text for r in self.reasons if not r.good)

    def __repr__(self) -> str:
        return f"Ranked({self.framework.id!r}, score={self.score}, excluded={self.excluded})"

    def as_record(self) -> dict[str, object]:
        """The documented JSON shape of one ranking entry."""
        record: dict[str, object] = {
            "id": self.framework.id,
            "name": self.framework.name,
            "score": self.score,
            "excluded": self.excluded,
            "excluded_by": list(self.exclusions),
            "reasons": [{"text": r.text, "points": r.points, "of": r.of} for r in self.reasons],
            "reasons_for": list(self.reasons_for),
            "reasons_against": list(self.exclusions + self.reasons_against),
        }
        if self.what_if:
            record["what_if"] = [{"change": w.change, "first": w.first} for w in self.what_if]
        return record


class Ranking(Sequence[Ranked]):
    """Every framework's place, best first: what `rank` returns. Never changed once made:
    `with_what_ifs` makes a new ranking that shares these columns.

    Kept as columns over the dataset's frameworks (`order` holds their indices, best
    first; `scores`, `points`, `fits` and `excluded` are by index), and a place is made
    into a `Ranked` only when it is read. The list on screen reads the columns for the
    rows it draws; a change of the criteria at 1,000 frameworks no longer makes (and
    drops) 1,000 places (their cost is in docs/performance.md).
    `scores` is None when nothing that scores was asked.
    """

    __slots__ = ("frameworks", "order", "scores", "points", "fits", "excluded", "scorer", "what_ifs")

    def __init__(self, frameworks: tuple[Framework, ...], order: Sequence[int], scores: Sequence[int] | None,
                 points: Sequence[float], fits: Sequence[int], excluded: Sequence[bool], scorer: _Scorer | None,
                 what_ifs: Mapping[str, tuple[WhatIf, ...]] = MappingProxyType({})) -> None:
        # Tuples, so that no reader can change a column the list and the panel share.
        self.frameworks, self.order = frameworks, tuple(order)
        self.scores = None if scores is None else tuple(scores)
        self.points, self.fits, self.excluded = tuple(points), tuple(fits), tuple(excluded)
        self.scorer = scorer
        self.what_ifs: Mapping[str, tuple[WhatIf, ...]] = MappingProxyType(dict(what_ifs))

    def with_what_ifs(self, what_ifs: Mapping[str, tuple[WhatIf, ...]]) -> Ranking:
        """The same places, each framework in `what_ifs` carrying its single changes."""
        made = Ranking.__new__(Ranking)
        made.frameworks, made.order, made.scores, made.points = self.frameworks, self.order, self.scores, self.points
        made.fits, made.excluded, made.scorer = self.fits, self.excluded, self.scorer
        made.what_ifs = MappingProxyType(dict(what_ifs))
        return made

    def __len__(self) -> int:
        return len(self.order)

    @overload
    def __getitem__(self, place: int) -> Ranked: ...

    @overload
    def __getitem__(self, place: slice) -> list[Ranked]: ...

    def __getitem__(self, place: int | slice) -> Ranked | list[Ranked]:
        if isinstance(place, slice):
            return [self._made(index) for index in self.order[place]]
        return self._made(self.order[place])

    def __iter__(self) -> Iterator[Ranked]:
        return map(self._made, self.order)

    def _made(self, index: int) -> Ranked:
        assert self.scorer is not None  # only an empty ranking has none, and it has no places
        score = None if self.scores is None else self.scores[index]
        framework = self.frameworks[index]
        return Ranked(framework, score, self.points[index], self.fits[index], self.excluded[index], self.scorer,
                      self.what_ifs.get(framework.id, ()))

    @property
    def scored(self) -> bool:
        return self.scores is not None

    def excluded_count(self) -> int:
        return self.excluded.count(True)

    def __repr__(self) -> str:
        return f"Ranking({len(self)} places, scored={self.scored})"


NO_RANKING = Ranking((), [], None, [], [], [], None)  # before anything is ranked


def check_criteria(dataset: Dataset, criteria: Criteria) -> None:
    """Raise UnknownName for a use case, need or known framework the dataset does not know."""
    if criteria.use_case is not None:
        ids = [use_case.id for use_case in dataset.use_cases]
        if criteria.use_case not in ids:
            raise UnknownName("use case", criteria.use_case, ids)
    for need in (*criteria.needs, *criteria.nice):
        if need not in vocabulary.BUILTINS:
            raise UnknownName("need", need, list(vocabulary.BUILTINS))
    if criteria.know:
        framework_ids = [f.id for f in dataset.frameworks]
        for framework_id in criteria.know:
            if framework_id not in framework_ids:
                raise UnknownName("framework", framework_id, framework_ids)


def need_weight(dataset: Dataset, criteria: Criteria, need: str) -> float:
    """The most a need can add: a must's weight (the need's when the dataset has none) or a nice-to-have's."""
    weights = dataset.decision.weights
    return weights.get("must", weights["need"]) if need in criteria.needs else weights["need"]


def max_points(dataset: Dataset, criteria: Criteria) -> float:
    """The most points any framework could get under these criteria.

    Maturity is added to every ranking that scores anything else: alone it would rank
    frameworks nobody asked about."""
    weights = dataset.decision.weights
    use_case = _use_case(dataset, criteria)
    total = 0.0
    if use_case is not None:
        total += weights["use_case"] + (weights["wants"] if use_case.wants else 0)
    total += sum(need_weight(dataset, criteria, need) for need in set(criteria.needs) | set(criteria.nice))
    for key in _ANSWERS:
        if getattr(criteria, key):
            total += weights[key]
    if criteria.know:
        total += weights.get("know", 0)
    if total:
        total += weights.get("maturity", 0)
    return total


def _use_case(dataset: Dataset, criteria: Criteria) -> UseCase | None:
    return dataset.use_case(criteria.use_case) if criteria.use_case else None


def rank(dataset: Dataset, criteria: Criteria, what_if: bool = True) -> Ranking:
    """Every framework of the dataset, best first, each with its score and reasons.

    With `what_if`, the leader and the runner-up carry the single changes of the
    criteria that would put another framework first (see `what_would_change`).
    """
    check_criteria(dataset, criteria)
    ranking = _Scorer(dataset, criteria).ranking(dataset.frameworks)
    if what_if and not criteria.is_empty():
        return what_would_change(dataset, criteria, ranking)
    return ranking


def _order(points: list[float], fits: list[int], excluded: list[bool], scored: bool, columns: _Columns) -> list[int]:
    """The frameworks' indices best first: included before excluded, then score, unrounded points,
    fit, community size and name (A to Z, anything excluded last, when nothing is scored).

    Sorted in stable passes from the last key to the first, each on plain numbers, rather
    than on a key tuple per framework (1,000 short-lived objects per change of the
    criteria). The score needs no pass of its own: it is the points rounded, so the points
    pass orders it too.
    """
    order = list(columns.by_name)
    if scored:
        order.sort(key=columns.community_order.__getitem__)
        if any(fits):
            order.sort(key=fits.__getitem__, reverse=True)  # reverse keeps a stable sort stable
        order.sort(key=points.__getitem__, reverse=True)
    if any(excluded):
        order.sort(key=excluded.__getitem__)
    return order


def close_call(ranking: Sequence[Ranked]) -> tuple[Ranked, Ranked] | None:
    """The first two places when they are within CLOSE_CALL_POINTS of each other."""
    if len(ranking) < 2 or ranking[1].excluded or ranking[0].score is None or ranking[1].score is None:
        return None
    if ranking[0].score - ranking[1].score <= CLOSE_CALL_POINTS:
        return ranking[0], ranking[1]
    return None


# What would change the answer -------------------------------------------------------


def plausible_needs(dataset: Dataset, criteria: Criteria) -> tuple[str, ...]:
    """The needs a change of the criteria may add: the use case's wants and common needs (any need
    when no use case is set), in the vocabulary's order."""
    use_case = _use_case(dataset, criteria)
    if use_case is None:
        return vocabulary.BUILTINS
    wanted = {*use_case.wants, *use_case.common_needs}
    return tuple(need for need in vocabulary.BUILTINS if need in wanted)


def _single_changes(dataset: Dataset, criteria: Criteria) -> Iterator[tuple[str, Criteria]]:
    """Every single change of the criteria worth suggesting, smallest first: undoing or softening what
    was asked before asking something new. The use case stays (it is what the user is building), and a
    need is only added when it is plausible for the use case (`plausible_needs`)."""
    for key in _ANSWERS:
        if getattr(criteria, key):
            yield f"with no answer for {vocabulary.QUESTION_LABELS[key]}", criteria.with_answer(key, None)
    for need in criteria.nice:
        yield f"without {builtin_label(need)} as nice to have", criteria.with_need(need, None)
    if criteria.strict:
        yield "counting community extensions for musts", replace(criteria, strict=False)
    for need in criteria.needs:
        yield f"with {builtin_label(need)} only nice to have", criteria.with_need(need, "nice")
    if criteria.interface:
        yield "with no interface required", replace(criteria, interface=None)
    for key in _ANSWERS:
        current = getattr(criteria, key)
        if current:
            for value in vocabulary.ANSWERS[key]:
                if value != current:
                    yield f"with {vocabulary.QUESTION_LABELS[key]} {value}", criteria.with_answer(key, value)
    for need in criteria.nice:
        yield f"with {builtin_label(need)} a must", criteria.with_need(need, "must")
    for need in criteria.needs:
        yield f"without the must-have {builtin_label(need)}", criteria.with_need(need, None)
    for key in _ANSWERS:
        if not getattr(criteria, key):
            for value in vocabulary.ANSWERS[key]:
                yield f"with {vocabulary.QUESTION_LABELS[key]} {value}", criteria.with_answer(key, value)
    plausible = plausible_needs(dataset, criteria)
    for need in plausible:
        if criteria.need_state(need) is None:
            yield f"with {builtin_label(need)} nice to have", criteria.with_need(need, "nice")
    if criteria.interface:
        other = "asgi" if criteria.interface == "wsgi" else "wsgi"
        yield f"with interface {other}", criteria.with_answer("interface", other)
    else:
        for value in vocabulary.ANSWERS["interface"]:
            yield f"with interface {value}", criteria.with_answer("interface", value)
    for need in plausible:
        if criteria.need_state(need) is None:
            yield f"with {builtin_label(need)} a must", criteria.with_need(need, "must")
    if criteria.needs and not criteria.strict:
        yield "counting only built-in and first-party for musts", replace(criteria, strict=True)


def _leader(dataset: Dataset, criteria: Criteria) -> int | None:
    """The index of the framework that would be first under `criteria`, without explaining anything."""
    scorer = _Scorer(dataset, criteria)
    points, excluded, fits = scorer.points_all(dataset.frameworks)
    columns = _columns(dataset.frameworks)
    total = scorer.total or 1.0  # with nothing to score every framework has 0 points
    best: tuple[object, ...] | None = None
    leader = None
    for index, (p, gone) in enumerate(zip(points, excluded)):
        if gone:
            continue
        # The score exactly as `_Scorer.ranking` rounds it, so that what-if names the leader rank() would.
        key = (-round(100 * p / total), -p, -fits[index], columns.community_order[index], columns.name_order[index])
        if best is None or key < best:
            best, leader = key, index
    return leader


EXACT_WHAT_IF = 64  # up to this many frameworks every one is tried; past it, the contenders only
CONTENDERS = 24


def _contenders(dataset: Dataset, ranking: Ranking) -> Dataset:
    """The frameworks that could lead after a single change, for a large dataset: the best by points
    (excluded or not: dropping a must brings those back) and every use case's top picks."""
    if len(dataset.frameworks) <= EXACT_WHAT_IF:
        return dataset
    points = ranking.points
    # nsmallest is sorted(...)[:n]: ties stay in ranking order.
    best = heapq.nsmallest(CONTENDERS, ranking.order, key=lambda index: -points[index])
    chosen = {ranking.frameworks[index].id for index in best}
    for use_case in dataset.use_cases:
        chosen.update(pick.framework for pick in sorted(use_case.picks, key=lambda p: -p.fit)[:5])
    return dataset._replace(frameworks=tuple(f for f in dataset.frameworks if f.id in chosen))


WHAT_IF_PLACES = 3  # places that may carry what would change the answer, one change each


def what_would_change(dataset: Dataset, criteria: Criteria, ranking: Ranking) -> Ranking:
    """`ranking` with, for each of the first WHAT_IF_PLACES places, one single change of the criteria: for the
    leader, the first change that puts another framework first; for the others, the first change
    that puts that one first. A change already said for a place above is not said again.

    Every framework is tried for datasets of up to EXACT_WHAT_IF frameworks (the bundled one has
    25); past that, only the contenders (see `_contenders`), so that a change of criteria at
    1,000 frameworks stays within a frame."""
    if not ranking or ranking[0].excluded or ranking.scorer is None:
        return ranking
    field = _contenders(dataset, ranking)
    ids = [f.id for f in field.frameworks]
    places = [entry.framework.id for entry in ranking[:WHAT_IF_PLACES] if not entry.excluded]
    first = places[0]
    found: dict[str, WhatIf] = {}
    for change, changed in _single_changes(dataset, criteria):
        if not max_points(dataset, changed):  # nothing would be scored: no one leads
            continue
        leader = _leader(field, changed)
        if leader is None or ids[leader] == first:
            continue
        winner = ids[leader]
        if first not in found:
            found[first] = WhatIf(change, winner)  # said under the leader: who would lead instead
        elif winner in places and winner not in found:
            found[winner] = WhatIf(change, winner)
        if len(found) == len(places):
            break
    return ranking.with_what_ifs({framework_id: (what,) for framework_id, what in found.items()})


# Scoring ------------------------------------------------------------------------------


class _Columns:
    """The facts scoring reads, one list per fact across all frameworks, made once per dataset.

    Re-ranking reads a few of these lists rather than a dict in each of 1,000
    records, which is most of its cost once those records are out of the CPU's
    cache (as they are between two keys).
    """

    __slots__ = ("frameworks", "ids", "community_order", "interfaces", "builtins", "name_order", "by_name", "health", "shares")

    def __init__(self, frameworks: tuple[Framework, ...]) -> None:
        self.frameworks = frameworks  # kept so that its id() cannot be reused while cached
        self.ids = [f.id for f in frameworks]
        self.community_order = [_COMMUNITY_ORDER.get(f.community, len(_COMMUNITY_ORDER)) for f in frameworks]
        self.interfaces = [f.interfaces for f in frameworks]
        self.builtins: dict[str, list[str]] = {}
        self.health: dict[tuple[dt.date, tuple[tuple[str, float], ...]], list[float]] = {}
        self.shares: dict[tuple[str, float, float, float], list[float]] = {}
        by_name = sorted(range(len(frameworks)), key=lambda i: (frameworks[i].name.casefold(), frameworks[i].id))
        self.by_name = tuple(by_name)  # the indices A to Z
        self.name_order = [0] * len(frameworks)  # each index's place A to Z
        for place, index in enumerate(by_name):
            self.name_order[index] = place

    def levels(self, need: str) -> list[str]:
        column = self.builtins.get(need)
        if column is None:
            # Interned: each framework's record holds its own copy of "built-in", and looking
            # 1,000 copies up (their hash, then their text) reads 1,000 places in memory that
            # are out of the CPU's cache between two keys; four shared strings stay in it.
            column = self.builtins[need] = [sys.intern(f.builtins.get(need, "no")) for f in self.frameworks]
        return column

    def maturity(self, as_of: dt.date, community: dict[str, float]) -> list[float]:
        """Each framework's maturity share (see `maturity`), worked out once per date and table."""
        key = (as_of, tuple(sorted(community.items())))
        column = self.health.get(key)
        if column is None:
            column = self.health[key] = [maturity(f, as_of, community).share for f in self.frameworks]
        return column


_cached_columns: list[_Columns] = []


def _columns(frameworks: tuple[Framework, ...]) -> _Columns:
    """The columns of a tuple of frameworks: the dataset's, and its contenders' for what-if, kept.

    The last used first: what-if makes a new set of contenders after every change of the
    criteria, and each must push out the previous set, never the dataset's own columns,
    which every other toggle made again when the oldest made was the one dropped."""
    for index, columns in enumerate(_cached_columns):
        if columns.frameworks is frameworks:
            if index:
                _cached_columns.insert(0, _cached_columns.pop(index))
            return columns
    _cached_columns.insert(0, _Columns(frameworks))
    del _cached_columns[2:]
    return _cached_columns[0]


def _apportion(parts: Sequence[float], total: int, ceilings: Sequence[int] | None = None) -> list[int]:
    """Whole numbers close to `parts` that add up to `total`, each at most its ceiling when given
    (the largest remainders get the rest)."""
    caps = list(ceilings) if ceilings is not None else [total] * len(parts)
    whole = [min(int(part), cap) for part, cap in zip(parts, caps)]
    left = total - sum(whole)
    order = sorted(range(len(parts)), key=lambda i: parts[i] - int(parts[i]), reverse=True)
    while left > 0:
        room = [i for i in order if whole[i] < caps[i]] or order
        for i in room[:left]:
            whole[i] += 1
        left = total - sum(whole)
    return whole


# Maturity: a project's health from three facts every record has, each a share, weighed so
# that the community counts most (see docs/scoring.md).
MATURITY_PARTS = {"community": 0.5, "recency": 0.25, "status": 0.25}
RECENT_MONTHS = 12  # a release within this many months counts in full; up to QUIET_AFTER_MONTHS, half
STATUS_SHARES = {"stable": 1.0, "beta": 0.5, "pre-1.0": 0.5, "alpha": 0.25, "inactive": 0.0}
# What the maturity share keeps when the index lists known advisories on the latest release.
ADVISORY_FACTOR = 0.5


class Maturity(NamedTuple):
    """A framework's project health: its share of the maturity part and the words for it."""

    share: float
    words: str


def months_since(release: str, as_of: dt.date) -> int:
    """Whole months from a 'YYYY-MM' or 'YYYY-MM-DD' release to the dataset's date."""
    year, month = int(release[:4]), int(release[5:7])
    return (as_of.year - year) * 12 + as_of.month - month


def status_of(f: Framework) -> tuple[str, bool]:
    """The framework's status, and whether it was inferred (no `status` in the record: a 0.x
    version reads as pre-1.0, anything else as stable)."""
    if f.status in STATUS_SHARES:
        return f.status, False
    return ("pre-1.0" if f.latest_version.split(".")[0] == "0" else "stable"), True


def maturity(f: Framework, as_of: dt.date, community: dict[str, float]) -> Maturity:
    """Community size, how recent the last release is, and the project's status, as one share.

    With health facts from the index ([framework.health]), recency counts from
    the day of the last release of any kind, and known advisories on the latest
    release scale the share by ADVISORY_FACTOR.
    """
    health = f.health
    last = health.last_release.isoformat() if health is not None else f.latest_release
    months = months_since(last, as_of)
    quiet = months > QUIET_AFTER_MONTHS
    recency = 1.0 if months <= RECENT_MONTHS else 0.0 if quiet else 0.5
    status, inferred = status_of(f)
    share = (MATURITY_PARTS["community"] * community.get(f.community, 0.0) + MATURITY_PARTS["recency"] * recency
             + MATURITY_PARTS["status"] * STATUS_SHARES[status])
    size = f.community.replace("-", " ")
    released = (f"no release in {QUIET_AFTER_MONTHS} months (last {last[:7]})" if quiet else f"last release {last[:7]}")
    state = f"version {f.latest_version}, before 1.0" if status == "pre-1.0" and inferred else status
    words = f"{size} community, {released}, {state}"
    if health is not None:
        advisories = len(health.advisories)
        if advisories:
            share *= ADVISORY_FACTOR
        known = (f"{advisories} known {'advisory' if advisories == 1 else 'advisories'} on {health.version}" if advisories
                 else f"no known advisories on {health.version}")
        words += (f"; from the index on {health.read_on.isoformat()}: {health.releases_12_months} "
                  f"release{'' if health.releases_12_months == 1 else 's'} in 12 months, {known}")
    return Maturity(share, words)


class _Scorer:
    """The criteria's tables, looked up once, applied to each framework.

    Scoring runs for every framework on every change; the reasons are only
    written out for the places someone reads.
    """

    def __init__(self, dataset: Dataset, criteria: Criteria) -> None:
        rules = dataset.decision
        self.dataset, self.criteria, self.rules = dataset, criteria, rules
        self.weights = rules.weights
        self.use_case = _use_case(dataset, criteria)
        self.fits = {pick.framework: pick.fit for pick in self.use_case.picks} if self.use_case else {}
        self.wants = self.use_case.wants if self.use_case else ()
        self.scored_needs = tuple(dict.fromkeys((*criteria.needs, *criteria.nice)))
        self.levels = {"built-in": 1.0, "first-party": rules.first_party_factor, "extension": rules.extension_factor, "no": 0.0}
        self.unmet = ("no", "extension") if criteria.strict else ("no",)
        self.team = rules.team[criteria.team] if criteria.team else None
        self.comfort = rules.async_comfort[criteria.async_comfort] if criteria.async_comfort else None
        self.speed = rules.performance[criteria.performance] if criteria.performance else None
        self.horizon = rules.maintenance["short"] if criteria.maintenance == "short" else None
        self.total = max_points(dataset, criteria)
        # The maturity part's ceiling: larger when the project must be maintained for long.
        self.maturity_weight = self.weights.get("maturity", 0) + (self.weights["maintenance"] if criteria.maintenance == "long" else 0)
        self.known = self._familiarity(dataset, criteria.know)
        # The words of this ranking's places, worked out when first read, by framework id.
        self.words: dict[str, tuple[tuple[str, ...], tuple[Reason, ...]]] = {}

    def _familiarity(self, dataset: Dataset, know: tuple[str, ...]) -> dict[str, tuple[float, str]]:
        """What the team knows, by framework id: a known framework counts in full, one that builds on
        a known framework, or that a known one builds on, counts `family_factor` of that."""
        found: dict[str, tuple[float, str]] = {}
        if not know:
            return found
        by_id = {f.id: f for f in dataset.frameworks}
        family = dataset.decision.family_factor
        for f in dataset.frameworks:
            if f.id in know:
                found[f.id] = (1.0, f"Your team knows {f.name}")
                continue
            what = f.tagline.rstrip(".")
            for known_id in know:
                known = by_id[known_id]
                if known_id in f.builds_on:
                    found[f.id] = (family, f"Your team knows {known.name}, and {f.name} builds on it: {what}")
                    break
                if f.id in known.builds_on:
                    found[f.id] = (family, f"Your team knows {known.name}, which builds on {f.name}: {what}")
                    break
        return found

    def level_shares(self, need: str, columns: _Columns) -> list[float]:
        """The share of a need's weight each framework earns: the share of the level it provides it at,
        times the dataset's quiet_factor where the cell's package has had no release for 24 months.

        Kept with the columns: working it out reads every framework's record, which a change of
        the criteria at 1,000 frameworks should not pay for each need again."""
        levels, quiet = self.levels, self.rules.quiet_factor
        key = (need, levels["first-party"], levels["extension"], quiet)
        column = columns.shares.get(key)
        if column is None:
            column = columns.shares[key] = [levels[level] * quiet if need in f.quiet else levels[level]
                                            for level, f in zip(columns.levels(need), columns.frameworks)]
        return column

    def level_share(self, f: Framework, need: str) -> float:
        """`level_shares` for one framework."""
        return self.levels[f.level(need)] * (self.rules.quiet_factor if need in f.quiet else 1.0)

    def answers(self, f: Framework) -> tuple[float | None, float | None, float | None, float | None]:
        """The share of each answered question this framework earns (None where unanswered, and for
        a long maintenance horizon, which counts in the maturity part)."""
        comfort = None
        if self.comfort is not None:
            comfort = self.comfort[f.async_model] * (self.comfort["type_hint_driven"] if f.type_hint_driven else 1.0)
        return (
            self.team[f.learning_curve] if self.team is not None else None,
            comfort,
            self._speed(f),
            self.horizon[f.learning_curve] if self.horizon is not None else None,
        )

    def _speed(self, f: Framework) -> float | None:
        """The performance share: from this machine's measurement when there is one, else the claimed class."""
        if self.speed is None:
            return None
        measured = self.dataset.measured.share(f.id) if self.dataset.measured is not None else None
        if measured is None:
            return self.speed[f.throughput]
        priority = self.criteria.performance
        return measured if priority == "high" else 0.5 + 0.5 * measured if priority == "medium" else 1.0

    def maturity(self, f: Framework) -> Maturity:
        return maturity(f, self.dataset.meta.as_of, self.rules.maintenance["long"])

    def points_all(self, frameworks: tuple[Framework, ...]) -> tuple[list[float], list[bool], list[int]]:
        """Points, exclusion and fit of every framework: a pass per criterion over the dataset's columns."""
        w, columns = self.weights, _columns(frameworks)
        points = [0.0] * len(frameworks)
        excluded = [False] * len(frameworks)
        fits = [0] * len(frameworks)
        if self.use_case is not None:
            fits = [self.fits.get(framework_id, 0) for framework_id in columns.ids]
            points = [p + w["use_case"] * fit / 100 for p, fit in zip(points, fits)]
            if self.wants:  # summed per framework, then weighted (the order of the arithmetic matters for ties)
                wanted = [self.level_shares(want, columns) for want in self.wants]
                sums = [sum(row) for row in zip(*wanted)]
                points = [p + w["wants"] * total_share / len(self.wants) for p, total_share in zip(points, sums)]
        for need in self.scored_needs:
            weight = need_weight(self.dataset, self.criteria, need)
            points = [p + weight * share for p, share in zip(points, self.level_shares(need, columns))]
        unmet = self.unmet
        for need in self.criteria.needs:
            excluded = [gone or level in unmet for gone, level in zip(excluded, columns.levels(need))]
        interface = self.criteria.interface
        if interface:
            excluded = [gone or interface not in speaks for gone, speaks in zip(excluded, columns.interfaces)]
        if any(x is not None for x in (self.team, self.comfort, self.speed, self.horizon)):
            for index, f in enumerate(frameworks):
                for key, value in zip(_ANSWERS, self.answers(f)):
                    if value is not None:
                        points[index] += w[key] * value
        if self.known:
            weight = w.get("know", 0)
            points = [p + weight * self.known[i][0] if i in self.known else p for p, i in zip(points, columns.ids)]
        if self.maturity_weight and self.total:
            health = columns.maturity(self.dataset.meta.as_of, self.rules.maintenance["long"])
            points = [p + self.maturity_weight * share for p, share in zip(points, health)]
        return points, excluded, fits

    def ranking(self, frameworks: tuple[Framework, ...]) -> Ranking:
        """Score and order every framework. Runs on every change of the criteria."""
        points, excluded, fits = self.points_all(frameworks)
        total = self.total
        scores: list[int] | None = None
        if not total or self.criteria.is_empty():  # nothing that scores was asked: no numbers
            points, fits = [0.0] * len(frameworks), [0] * len(frameworks)
        else:
            scores = [round(100 * p / total) for p in points]
        order = _order(points, fits, excluded, scores is not None, _columns(frameworks))
        return Ranking(frameworks, order, scores, points, fits, excluded, self)

    def exclusions(self, f: Framework) -> tuple[str, ...]:
        """Why a framework is excluded: each must it cannot meet, and the interface."""
        found = []
        for need in self.criteria.needs:
            level = f.level(need)
            if level in self.unmet:
                label = builtin_label(need)
                if level == "extension":
                    package = f.builtin_packages.get(need, "a community extension")
                    found.append(f"Must have {label}: only through {package}, a community extension (strict)")
                else:
                    note = f.builtin_notes.get(need)
                    found.append(f"Must have {label}: not built in, and no package provides it" + (f" ({note})" if note else ""))
        interface = self.criteria.interface
        if interface and interface not in f.interfaces:
            speaks = ", ".join(LABELS["interfaces"][i] for i in f.interfaces)
            found.append(f"Needs {LABELS['interfaces'][interface]}, but it speaks {speaks}")
        return tuple(found)

    def _level_words(self, f: Framework, need: str) -> str:
        """How the framework provides a need, and through which base when it inherits it ("built in (via Django)")."""
        level = f.level(need)
        package = f.builtin_packages.get(need)
        marks = cells.via(self.dataset, f, need) + cells.quiet_words(f, need)
        if level == "built-in":
            return "built in" + marks
        if level == "first-party":
            return (f"through {package}, a first-party package" if package else "through a first-party package") + marks
        if level == "extension":
            return (f"through {package}, a community extension" if package else "through a community extension") + marks
        return "not available"

    def contributions(self, f: Framework) -> list[tuple[str, float, float]]:
        """Each scoring criterion's (words, points earned, most it could earn) for one framework."""
        parts: list[tuple[str, float, float]] = []
        w, use_case, criteria = self.weights, self.use_case, self.criteria
        if use_case is not None:
            pick = use_case.pick_for(f.id)
            if pick is None:
                parts.append((f"Not among the picks for “{use_case.title}”", 0.0, w["use_case"]))
            else:
                parts.append((f"{use_case.title} (fit {pick.fit}/100): {pick.why}", w["use_case"] * pick.fit / 100, w["use_case"]))
            for want in self.wants:
                share = w["wants"] / len(self.wants)
                words = self._level_words(f, want)
                parts.append((f"Wanted for this use case: {builtin_label(want)}, {words}", share * self.level_share(f, want), share))
        for need in self.scored_needs:
            kind = "Must have" if criteria.need_state(need) == "must" else "Nice to have"
            words = self._level_words(f, need)
            weight = need_weight(self.dataset, criteria, need)
            parts.append((f"{kind}: {builtin_label(need)}, {words}", weight * self.level_share(f, need), weight))
        team, comfort, speed, horizon = self.answers(f)
        curve = f.learning_curve.capitalize()
        if team is not None:
            who = LABELS["team"][criteria.team or ""]
            text = f"{curve} learning curve " + ("suits " if team >= 0.8 else "for ") + who
            parts.append((text, w["team"] * team, w["team"]))
        if comfort is not None:
            parts.append((self._comfort_words(f, comfort), w["async_comfort"] * comfort, w["async_comfort"]))
        if speed is not None:
            parts.append((self._speed_words(f), w["performance"] * speed, w["performance"]))
        if horizon is not None:
            text = f"{curve} learning curve: " + ("quick to get going" if horizon >= 0.8 else "slower to get going")
            parts.append((text, w["maintenance"] * horizon, w["maintenance"]))
        if criteria.know and w.get("know", 0):
            known = self.known.get(f.id)
            weight = w["know"]
            if known is None:
                names = ", ".join(self.dataset.framework(k).name for k in criteria.know)
                parts.append((f"Not what your team knows ({names}) or its family", 0.0, weight))
            else:
                parts.append((known[1], weight * known[0], weight))
        if self.maturity_weight and self.total:
            health = self.maturity(f)
            lead = "Long maintenance horizon: project health" if criteria.maintenance == "long" else "Project health"
            parts.append((f"{lead}: {health.words}", self.maturity_weight * health.share, self.maturity_weight))
        return parts

    def _speed_words(self, f: Framework) -> str:
        measured = self.dataset.measured
        if measured is not None and f.id in measured.requests_per_second:
            place, count = measured.place(f.id)
            rps = measured.requests_per_second[f.id]
            share = measured.baseline_share.get(f.id)
            of = f", {share[0]:.0%} of raw {share[1].removeprefix('raw-').upper()}" if share else ""
            return f"Measured {rps:,.0f} requests/s on this machine on {measured.date.isoformat()} ({place} of {count} measured{of})"
        return f"Throughput class {f.throughput} (claimed, not measured here): {f.performance_note}"

    def _comfort_words(self, f: Framework, comfort: float) -> str:
        style = {"native": "Async-first", "optional": "Async optional", "none": "No async"}[f.async_model]
        hints = ", driven by type hints" if f.type_hint_driven else ""
        if self.criteria.async_comfort == "yes":
            verdict = "suits a team at ease with async" if comfort >= 0.8 else "less than an async-ready team could use"
        else:
            verdict = "plain synchronous code works" if comfort >= 0.8 else "asks for async or typing habits the team lacks"
        return f"{style}{hints}: {verdict}"

    def explain(self, f: Framework, score: int | None) -> tuple[tuple[str, ...], tuple[Reason, ...]]:
        """Why excluded, and each criterion's part of the score in whole points that add up to it."""
        exclusions = self.exclusions(f)
        if score is None or not self.total:
            return exclusions, ()
        parts = self.contributions(f)
        scale = 100 / self.total
        earned = [points * scale for _, points, _ in parts]
        ceilings = _apportion([most * scale for _, _, most in parts], 100)
        whole = _apportion(earned, score, ceilings)
        reasons = [Reason(text, points, most) for (text, _, _), points, most in zip(parts, whole, ceilings)]
        reasons.sort(key=lambda r: (-r.points, -r.of))
        return exclusions, tuple(reasons)
