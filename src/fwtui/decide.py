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

from dataclasses import dataclass, field

from fwtui import schema
from fwtui.model import Dataset, Framework, UseCase

LABELS = {
    "kind": {
        "full-stack": "Full-stack framework",
        "micro": "Microframework",
        "api": "API framework",
        "async-networking": "Async networking library and framework",
    },
    "interfaces": {"wsgi": "WSGI", "asgi": "ASGI", "own-server": "own server"},
    "team": {"beginner": "a beginner team", "intermediate": "an intermediate team", "senior": "a senior team"},
}


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


@dataclass(frozen=True, slots=True)
class Ranked:
    framework: Framework
    score: int
    points: float
    excluded: bool
    fit: int = 0
    reasons_for: tuple[str, ...] = ()
    reasons_against: tuple[str, ...] = ()
    exclusions: tuple[str, ...] = field(default=())

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


def builtin_label(name: str) -> str:
    return schema.BUILTIN_LABELS.get(name, name.replace("_", " "))


def check_criteria(dataset: Dataset, criteria: Criteria) -> None:
    """Raise UnknownName for a use case or need the dataset does not know."""
    if criteria.use_case is not None:
        ids = [use_case.id for use_case in dataset.use_cases]
        if criteria.use_case not in ids:
            raise UnknownName("use case", criteria.use_case, ids)
    for need in criteria.needs:
        if need not in schema.BUILTINS:
            raise UnknownName("need", need, list(schema.BUILTINS))


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
    use_case = _use_case(dataset, criteria)
    total = max_points(dataset, criteria) or 1.0
    needs = tuple(dict.fromkeys(criteria.needs))
    ranked = [_score(dataset, framework, criteria, use_case, needs, total) for framework in dataset.frameworks]
    ranked.sort(key=lambda r: (r.excluded, -r.score, -r.points, -r.fit, r.framework.name.casefold(), r.framework.id))
    return ranked


def _score(
    dataset: Dataset,
    framework: Framework,
    criteria: Criteria,
    use_case: UseCase | None,
    needs: tuple[str, ...],
    total: float,
) -> Ranked:
    rules = dataset.decision
    weights = rules.weights
    pros: list[str] = []
    cons: list[str] = []
    exclusions: list[str] = []
    points = weights["baseline"] * rules.baseline[framework.community]
    fit = 0

    if use_case is not None:
        pick = use_case.pick_for(framework.id)
        fit = pick.fit if pick else 0
        points += weights["use_case"] * fit / 100
        if pick is None:
            cons.append(f"Not among the picks for “{use_case.title}”")
        elif fit >= 60:
            pros.append(f"{use_case.title} (fit {fit}/100): {pick.why}")
        else:
            cons.append(f"Partial fit for {use_case.title} ({fit}/100): {pick.why}")
        if use_case.wants:
            got = 0.0
            for want in use_case.wants:
                level = framework.level(want)
                got += _level_value(rules.first_party_factor, level)
                if level == "no":
                    cons.append(f"No built-in {builtin_label(want)}, which this use case wants")
            points += weights["wants"] * got / len(use_case.wants)

    for need in needs:
        level = framework.level(need)
        note = framework.builtin_notes.get(need)
        label = builtin_label(need)
        if level == "built-in":
            pros.append(f"{label[0].upper() + label[1:]} built in" + (f" ({note})" if note else ""))
        elif level == "first-party":
            pros.append(f"{label[0].upper() + label[1:]} via a first-party package" + (f" ({note})" if note else ""))
        else:
            exclusions.append(f"Needs {label}: neither built in nor a first-party package" + (f" ({note})" if note else ""))
        points += weights["need"] * _level_value(rules.first_party_factor, level)

    if criteria.interface and criteria.interface not in framework.interfaces:
        speaks = ", ".join(LABELS["interfaces"][i] for i in framework.interfaces)
        exclusions.append(f"Needs {LABELS['interfaces'][criteria.interface]}, but it speaks {speaks}")

    if criteria.team:
        value = rules.team[criteria.team][framework.learning_curve]
        points += weights["team"] * value
        who = LABELS["team"][criteria.team]
        if value >= 0.8:
            pros.append(f"{framework.learning_curve.capitalize()} learning curve suits {who}")
        elif value <= 0.5:
            cons.append(f"{framework.learning_curve.capitalize()} learning curve for {who}")

    if criteria.async_comfort:
        table = rules.async_comfort[criteria.async_comfort]
        value = table[framework.async_model] * (table["type_hint_driven"] if framework.type_hint_driven else 1.0)
        points += weights["async_comfort"] * value
        if criteria.async_comfort == "no":
            if framework.async_model == "native":
                cons.append("Async-first, and the team is not yet at ease with async code")
            if framework.type_hint_driven:
                cons.append("Built around type hints, which the team is not yet at ease with")
            if value >= 0.8:
                pros.append("Synchronous code works as usual; async is optional" if framework.async_model == "optional" else "Synchronous programming model")
        elif value >= 0.8:
            pros.append("Async-first, as the team prefers" if framework.async_model == "native" else "Async available when wanted")
        elif framework.async_model == "none":
            cons.append("No async support, though the team is ready for it")

    if criteria.performance:
        value = rules.performance[criteria.performance][framework.throughput]
        points += weights["performance"] * value
        if criteria.performance != "low":
            if value >= 0.8:
                pros.append(f"Throughput class {framework.throughput}: {framework.performance_note}")
            elif value <= 0.5:
                cons.append(f"Throughput class {framework.throughput}: {framework.performance_note}")

    if criteria.maintenance == "long":
        value = rules.maintenance["long"][framework.community]
        points += weights["maintenance"] * value
        size = framework.community.replace("-", " ")
        age = dataset.meta.as_of.year - framework.first_release
        if value >= 0.8:
            pros.append(f"{size.capitalize()} community, first released {framework.first_release} ({age} years)")
        elif value <= 0.5:
            cons.append(f"{size.capitalize()} community: fewer hands for long-term upkeep")
    elif criteria.maintenance == "short":
        value = rules.maintenance["short"][framework.learning_curve]
        points += weights["maintenance"] * value
        if value >= 0.8:
            pros.append(f"{framework.learning_curve.capitalize()} learning curve: quick to get going")
        elif value <= 0.5:
            cons.append(f"{framework.learning_curve.capitalize()} learning curve for a short-lived project")

    excluded = bool(exclusions)
    score = 0 if excluded else round(100 * points / total)
    return Ranked(
        framework=framework,
        score=score,
        points=points,
        excluded=excluded,
        fit=fit,
        reasons_for=tuple(pros),
        reasons_against=tuple(cons),
        exclusions=tuple(exclusions),
    )


def _level_value(first_party_factor: float, level: str) -> float:
    if level == "built-in":
        return 1.0
    if level == "first-party":
        return first_party_factor
    return 0.0
