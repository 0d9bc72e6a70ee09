"""The decision engine: criteria in, every framework ranked and explained out.

Pure functions over the model; no Textual import. The weights and tables come
from the dataset's [decision] section, so a user's dataset can change them.

Scoring (also in the README): each active criterion adds points, up to its
weight; the score is the points as a percentage of the most any framework
could get. Needs and the interface are hard filters: a framework that cannot
meet one is excluded (score 0) and says why. Ranking: included before
excluded, then score, then the unrounded points, then the use case's fit,
then name, then id.
"""

from __future__ import annotations

from dataclasses import dataclass

from fwtui import vocabulary
from fwtui.model import Dataset, Framework, UseCase
from fwtui.vocabulary import LABELS, builtin_label


class UnknownName(ValueError):
    """A use case or need the dataset does not have; `valid` lists the ones it does."""

    def __init__(self, kind: str, name: str, valid: list[str]) -> None:
        self.kind, self.name, self.valid = kind, name, valid
        super().__init__(f'unknown {kind} "{name}"; valid: {", ".join(valid)}')


@dataclass(frozen=True, slots=True)
class Criteria:
    use_case: str | None = None
    needs: tuple[str, ...] = ()
    interface: str | None = None
    team: str | None = None
    async_comfort: str | None = None
    performance: str | None = None
    maintenance: str | None = None

    def is_empty(self) -> bool:
        return self == Criteria()


class Ranked:
    """One framework's place: score and exclusion, with the words (why excluded, reasons for
    and against) worked out when first read: a re-rank scores everything, but only the
    places on screen are ever explained."""

    __slots__ = ("framework", "score", "points", "excluded", "fit", "_scorer", "_reasons")

    def __init__(
        self,
        framework: Framework,
        score: int,
        points: float,
        fit: int,
        excluded: bool,
        scorer: _Scorer,
    ) -> None:
        self.framework = framework
        self.score = score
        self.points = points
        self.fit = fit
        self.excluded = excluded
        self._scorer = scorer
        self._reasons: tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]] | None = None

    def _words(self) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
        if self._reasons is None:
            self._reasons = self._scorer.explain(self.framework)
        return self._reasons

    @property
    def exclusions(self) -> tuple[str, ...]:
        return self._words()[0]

    @property
    def reasons_for(self) -> tuple[str, ...]:
        return self._words()[1]

    @property
    def reasons_against(self) -> tuple[str, ...]:
        return self._words()[2]

    def __repr__(self) -> str:
        return f"Ranked({self.framework.id!r}, score={self.score}, excluded={self.excluded})"

    def as_record(self) -> dict[str, object]:
        """The documented JSON shape of one ranking entry."""
        return {
            "id": self.framework.id,
            "name": self.framework.name,
            "score": self.score,
            "excluded": self.excluded,
            "reasons_for": list(self.reasons_for),
            "reasons_against": list(self.exclusions + self.reasons_against),
        }


def check_criteria(dataset: Dataset, criteria: Criteria) -> None:
    """Raise UnknownName for a use case or need the dataset does not know."""
    if criteria.use_case is not None:
        ids = [use_case.id for use_case in dataset.use_cases]
        if criteria.use_case not in ids:
            raise UnknownName("use case", criteria.use_case, ids)
    for need in criteria.needs:
        if need not in vocabulary.BUILTINS:
            raise UnknownName("need", need, list(vocabulary.BUILTINS))


def max_points(dataset: Dataset, criteria: Criteria) -> float:
    """The most points any framework could get under these criteria."""
    weights = dataset.decision.weights
    use_case = _use_case(dataset, criteria)
    total = weights["baseline"]
    if use_case is not None:
        total += weights["use_case"] + (weights["wants"] if use_case.wants else 0)
    total += weights["need"] * len(set(criteria.needs))
    for key in ("team", "async_comfort", "performance", "maintenance"):
        if getattr(criteria, key):
            total += weights[key]
    return total


def _use_case(dataset: Dataset, criteria: Criteria) -> UseCase | None:
    return dataset.use_case(criteria.use_case) if criteria.use_case else None


def rank(dataset: Dataset, criteria: Criteria) -> list[Ranked]:
    """Every framework of the dataset, best first, each with its score and reasons."""
    check_criteria(dataset, criteria)
    scorer = _Scorer(dataset, criteria)
    ranked = scorer.score_all(dataset.frameworks)
    order = _columns(dataset.frameworks).name_order
    keys = [(r.excluded, -r.score, -r.points, -r.fit, position) for r, position in zip(ranked, order)]
    return [ranked[i] for i in sorted(range(len(ranked)), key=keys.__getitem__)]


class _Columns:
    """The facts scoring reads, one list per fact across all frameworks, made once per dataset.

    Re-ranking reads a few of these lists rather than a dict in each of 1,000
    records, which is most of its cost once those records are out of the CPU's
    cache (as they are between two keys).
    """

    __slots__ = ("frameworks", "ids", "community", "interfaces", "builtins", "name_order")

    def __init__(self, frameworks: tuple[Framework, ...]) -> None:
        self.frameworks = frameworks  # kept so that its id() cannot be reused while cached
        self.ids = [f.id for f in frameworks]
        self.community = [f.community for f in frameworks]
        self.interfaces = [f.interfaces for f in frameworks]
        self.builtins: dict[str, list[str]] = {}
        by_name = sorted(range(len(frameworks)), key=lambda i: (frameworks[i].name.casefold(), frameworks[i].id))
        self.name_order = [0] * len(frameworks)
        for place, index in enumerate(by_name):
            self.name_order[index] = place

    def levels(self, need: str) -> list[str]:
        column = self.builtins.get(need)
        if column is None:
            column = self.builtins[need] = [f.builtins.get(need, "no") for f in self.frameworks]
        return column


_cached_columns: list[_Columns] = []


def _columns(frameworks: tuple[Framework, ...]) -> _Columns:
    if not _cached_columns or _cached_columns[0].frameworks is not frameworks:
        _cached_columns[:] = [_Columns(frameworks)]  # one dataset at a time
    return _cached_columns[0]


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
        self.needs = tuple(dict.fromkeys(criteria.needs))
        self.levels = {"built-in": 1.0, "first-party": rules.first_party_factor, "no": 0.0}
        self.team = rules.team[criteria.team] if criteria.team else None
        self.comfort = rules.async_comfort[criteria.async_comfort] if criteria.async_comfort else None
        self.speed = rules.performance[criteria.performance] if criteria.performance else None
        self.horizon = rules.maintenance[criteria.maintenance] if criteria.maintenance else None
        self.total = max_points(dataset, criteria) or 1.0

    def values(self, f: Framework) -> tuple[float | None, float | None, float | None, float | None]:
        """The share of each weighted criterion this framework earns (None where the criterion is off)."""
        comfort = None
        if self.comfort is not None:
            comfort = self.comfort[f.async_model] * (self.comfort["type_hint_driven"] if f.type_hint_driven else 1.0)
        horizon = None
        if self.horizon is not None:
            horizon = self.horizon[f.community] if self.criteria.maintenance == "long" else self.horizon[f.learning_curve]
        return (
            self.team[f.learning_curve] if self.team is not None else None,
            comfort,
            self.speed[f.throughput] if self.speed is not None else None,
            horizon,
        )

    def score_all(self, frameworks: tuple[Framework, ...]) -> list[Ranked]:
        """Score every framework: a pass per criterion over the dataset's columns, then one
        Ranked per framework. Runs on every change of the criteria."""
        w, levels, total, columns = self.weights, self.levels, self.total, _columns(frameworks)
        base = self.rules.baseline
        points = [w["baseline"] * base[community] for community in columns.community]
        excluded = [False] * len(frameworks)
        fits = [0] * len(frameworks)
        if self.use_case is not None:
            fits = [self.fits.get(framework_id, 0) for framework_id in columns.ids]
            points = [p + w["use_case"] * fit / 100 for p, fit in zip(points, fits)]
            if self.wants:  # summed per framework, then weighted (the order of the arithmetic matters for ties)
                wanted = [columns.levels(want) for want in self.wants]
                sums = [sum(levels[level] for level in row) for row in zip(*wanted)]
                points = [p + w["wants"] * total_share / len(self.wants) for p, total_share in zip(points, sums)]
        for need in self.needs:
            column = columns.levels(need)
            points = [p + w["need"] * levels[level] for p, level in zip(points, column)]
            excluded = [gone or level == "no" for gone, level in zip(excluded, column)]
        interface = self.criteria.interface
        if interface:
            excluded = [gone or interface not in speaks for gone, speaks in zip(excluded, columns.interfaces)]
        if any(x is not None for x in (self.team, self.comfort, self.speed, self.horizon)):
            keys = ("team", "async_comfort", "performance", "maintenance")
            for index, f in enumerate(frameworks):
                for key, value in zip(keys, self.values(f)):
                    if value is not None:
                        points[index] += w[key] * value
        return [
            Ranked(f, 0 if gone else round(100 * p / total), p, fit, gone, self)
            for f, p, fit, gone in zip(frameworks, points, fits, excluded)
        ]

    def exclusions(self, f: Framework) -> tuple[str, ...]:
        """Why a framework is excluded: each need it cannot meet, and the interface."""
        found = []
        for need in self.needs:
            if f.level(need) == "no":
                note = f.builtin_notes.get(need)
                found.append(f"Needs {builtin_label(need)}: neither built in nor a first-party package" + (f" ({note})" if note else ""))
        interface = self.criteria.interface
        if interface and interface not in f.interfaces:
            speaks = ", ".join(LABELS["interfaces"][i] for i in f.interfaces)
            found.append(f"Needs {LABELS['interfaces'][interface]}, but it speaks {speaks}")
        return tuple(found)

    def explain(self, f: Framework) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
        """Why excluded, and reasons for and against, each from a dataset fact or the use case's own words."""
        pros: list[str] = []
        cons: list[str] = []
        use_case, criteria = self.use_case, self.criteria
        if use_case is not None:
            pick = use_case.pick_for(f.id)
            if pick is None:
                cons.append(f"Not among the picks for “{use_case.title}”")
            elif pick.fit >= 60:
                pros.append(f"{use_case.title} (fit {pick.fit}/100): {pick.why}")
            else:
                cons.append(f"Partial fit for {use_case.title} ({pick.fit}/100): {pick.why}")
            for want in self.wants:
                if f.level(want) == "no":
                    cons.append(f"No built-in {builtin_label(want)}, which this use case wants")
        for need in self.needs:
            level, note, label = f.level(need), f.builtin_notes.get(need), builtin_label(need)
            label = label[0].upper() + label[1:]
            if level == "built-in":
                pros.append(f"{label} built in" + (f" ({note})" if note else ""))
            elif level == "first-party":
                pros.append(f"{label} via a first-party package" + (f" ({note})" if note else ""))
        team, comfort, speed, horizon = self.values(f)
        curve = f.learning_curve.capitalize()

        def judge(value: float, good: str, bad: str) -> None:
            """A strong share of a criterion is a reason for, a weak one a reason against."""
            if value >= 0.8:
                pros.append(good)
            elif value <= 0.5:
                cons.append(bad)

        if team is not None:
            who = LABELS["team"][criteria.team or ""]
            judge(team, f"{curve} learning curve suits {who}", f"{curve} learning curve for {who}")
        if comfort is not None:
            if criteria.async_comfort == "no":
                if f.async_model == "native":
                    cons.append("Async-first, and the team is not yet at ease with async code")
                if f.type_hint_driven:
                    cons.append("Built around type hints, which the team is not yet at ease with")
                if comfort >= 0.8:
                    pros.append("Synchronous code works as usual; async is optional" if f.async_model == "optional" else "Synchronous programming model")
            elif comfort >= 0.8:
                pros.append("Async-first, as the team prefers" if f.async_model == "native" else "Async available when wanted")
            elif f.async_model == "none":
                cons.append("No async support, though the team is ready for it")
        if speed is not None and criteria.performance != "low":
            throughput = f"Throughput class {f.throughput}: {f.performance_note}"
            judge(speed, throughput, throughput)
        if horizon is not None:
            if criteria.maintenance == "long":
                size = f.community.replace("-", " ").capitalize()
                age = self.dataset.meta.as_of.year - f.first_release
                judge(horizon, f"{size} community, first released {f.first_release} ({age} years)",
                      f"{size} community: fewer hands for long-term upkeep")
            else:
                judge(horizon, f"{curve} learning curve: quick to get going", f"{curve} learning curve for a short-lived project")
        return self.exclusions(f), tuple(pros), tuple(cons)
