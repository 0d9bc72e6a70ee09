"""The rules every framework's record is held to (R1-R7), checked on a loaded dataset.

docs/dataset.md, "What makes a built-in cell", states them for people; this
module is the same rules for `fwtui validate`. A dataset that breaks the
schema or its links does not load at all (dataset.py); one that loads can
still break these rules, and each finding names the rule, the field, and a
fix. A problem makes validate fail; a warning asks for a human call and is
listed only. Nothing here reads files or draws.
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import NamedTuple

from fwtui import vocabulary
from fwtui.model import Dataset, Framework, Package, months_before, normalized

# How far a fit may stray from a comparable one before someone should say why (rule R5).
FIT_GAP = 30


class Finding(NamedTuple):
    rule: str  # "R1" ... "R7"
    path: str  # the field, e.g. "framework[drf].builtins.orm"
    message: str
    fix: str

    def render(self) -> str:
        return f"{self.path}: {self.message} [{self.rule}]; fix: {self.fix}"

    def as_record(self) -> dict[str, str]:
        return self._asdict()


class Findings(NamedTuple):
    problems: list[Finding]
    warnings: list[Finding]


def check(dataset: Dataset) -> Findings:
    """Every finding of rules R1-R7 on the dataset, problems and warnings apart, in the dataset's order."""
    found = Findings([], [])
    cutoff = months_before(dataset.meta.as_of, vocabulary.QUIET_AFTER_MONTHS)
    for framework in dataset.frameworks:
        _lineage(dataset, framework, found)
        _packages(dataset, framework, cutoff, found)
        _status(framework, found)
        _community(framework, found)
    _fits(dataset, found)
    return found


def _where(framework: Framework, field: str) -> str:
    return f"framework[{framework.id}].{field}"


def _level(level: str) -> str:
    return vocabulary.LEVEL_LABELS[level]


def _own_cells(framework: Framework) -> list[tuple[str, str]]:
    """The cells the framework's own record gives (not those it inherits), in the vocabulary's order."""
    return [(need, level) for need, level in framework.builtins.items() if need not in framework.inherited]


def _ancestors(dataset: Dataset, framework: Framework) -> list[Framework]:
    """The frameworks it builds on, directly or not, nearest first."""
    found: list[Framework] = []
    pending = list(framework.builds_on)
    while pending:
        ref = pending.pop(0)
        if ref in (f.id for f in found) or ref == framework.id:
            continue
        try:
            base = dataset.framework(ref)
        except KeyError:
            continue
        found.append(base)
        pending.extend(base.builds_on)
    return found


# R1 Lineage ------------------------------------------------------------------------


def _lineage(dataset: Dataset, framework: Framework, found: Findings) -> None:
    """A child's own cell may differ from its base's only with a reason; it may not restate the base below its level."""
    bases = [dataset.framework(ref) for ref in framework.builds_on if ref in {f.id for f in dataset.frameworks}]
    if not bases:
        return
    base = bases[0]  # the one an omitted cell is inherited from, when it has the cell (see dataset.inherit_cells)
    rank = vocabulary.BUILTIN_LEVELS.index
    for need, level in _own_cells(framework):
        theirs = base.level(need)
        if level == theirs:
            continue
        path = _where(framework, f"builtins.{need}")
        package = framework.builtin_packages.get(need, "")
        own_distributions = {normalized(b.package or b.id) for b in bases}
        if rank(level) > rank(theirs) and package and normalized(package) in own_distributions:
            found.problems.append(Finding(
                "R1", path, f"{_level(level)} through {package}, which comes with {base.id}",
                f"remove the cell to inherit it ({_level(theirs)} via {base.name})"))
        elif not framework.builtin_notes.get(need):
            where = "below" if rank(level) > rank(theirs) else "above"
            finding = Finding("R1", path, f"{_level(level)}, {where} {base.name}'s {_level(theirs)}, with no reason",
                              f"say why in builtin_notes.{need}, or remove the cell to inherit {base.name}'s")
            (found.problems if where == "below" else found.warnings).append(finding)


# R2 Own extras, R3 First-party, R4 Every package dated --------------------------------------


def _packages(dataset: Dataset, framework: Framework, cutoff: dt.date, found: Findings) -> None:
    makers = {framework.id, *(base.id for base in _ancestors(dataset, framework))}
    for need, level in _own_cells(framework):
        name = framework.builtin_packages.get(need)
        if not name:
            continue
        path = _where(framework, f"builtins.{need}")
        extra = framework.extra_of(name)
        if extra and level in vocabulary.PACKAGED_LEVELS:
            found.problems.append(Finding(
                "R2", path, f"{_level(level)}, but {name} is installed by {framework.package or framework.id}[{extra}]",
                f'set builtins.{need} = "built-in": a package the framework\'s own extra installs is built in'))
        entry = dataset.package(name)
        if entry is None:
            found.problems.append(Finding(
                "R4", _where(framework, f"builtin_packages.{need}"), f"{name} has no [[package]] entry",
                f'add [[package]] name = "{name}" with made_by, evidence, last_release, checked and source'))
            continue
        _first_party(framework, need, level, entry, makers, path, found)
        if level == "extension" and entry.last_release < cutoff:
            found.warnings.append(Finding(
                "R4", path, f"extension {entry.name} is quiet: no release since {entry.last_release.isoformat()[:7]}",
                "pick a maintained package, or mark the cell no"))


def _first_party(framework: Framework, need: str, level: str, entry: Package, makers: set[str], path: str, found: Findings) -> None:
    """First-party means made by the framework's project or maintainers (or, for a child, its base's), as the registry says."""
    made_here = bool(makers & set(entry.made_by))
    if level == "first-party" and not made_here:
        by = f"made by {', '.join(entry.made_by)}" if entry.made_by else "a third party's"
        found.problems.append(Finding(
            "R3", path, f"first-party, but the registry has {entry.name} as {by} ({entry.evidence})",
            f'set builtins.{need} = "extension", or add "{framework.id}" to the made_by of package {entry.name} with its evidence'))
    elif level == "extension" and framework.id in entry.made_by:
        found.problems.append(Finding(
            "R3", path, f"extension, but {entry.name} is made by {framework.id}'s project ({entry.evidence})",
            f'set builtins.{need} = "first-party"'))


# R5 Fits --------------------------------------------------------------------------------


def _fits(dataset: Dataset, found: Findings) -> None:
    by_id = {f.id: f for f in dataset.frameworks}
    for use_case in dataset.use_cases:
        fits = {pick.framework: pick for pick in use_case.picks if pick.framework in by_id}
        for framework_id, pick in fits.items():
            framework = by_id[framework_id]
            for base_id in framework.builds_on:
                theirs = fits.get(base_id)
                if theirs is None or abs(pick.fit - theirs.fit) <= FIT_GAP:
                    continue
                base = by_id[base_id]
                if _names(pick.why, base):
                    continue  # the why says how it stands against its base
                found.warnings.append(Finding(
                    "R5", f"use_case[{use_case.id}].picks[{framework_id}].fit",
                    f"{framework_id} fit {pick.fit} vs {base_id} {theirs.fit} for {use_case.id}, and the why does not name {base.name}",
                    f"state the reason against {base.name} in the why, or bring the fits within {FIT_GAP}"))
        if not use_case.wants:
            continue
        alike: dict[tuple[str, ...], list[str]] = {}
        for framework_id in fits:
            alike.setdefault(tuple(by_id[framework_id].level(want) for want in use_case.wants), []).append(framework_id)
        for group in alike.values():
            for first, second in itertools.combinations(group, 2):
                if first in by_id[second].builds_on or second in by_id[first].builds_on:
                    continue  # a family pair: the check above asks for the reason
                high, low = sorted((fits[first], fits[second]), key=lambda pick: -pick.fit)
                if high.fit - low.fit <= FIT_GAP or _names(low.why, by_id[high.framework]):
                    continue  # close enough, or the lower one's why says how it stands against the other
                found.warnings.append(Finding(
                    "R5", f"use_case[{use_case.id}].picks[{low.framework}].fit",
                    f"{low.framework} fit {low.fit} vs {high.framework} {high.fit} for {use_case.id}, "
                    f"with the use case's wanted built-ins at the same levels, and the why does not name {by_id[high.framework].name}",
                    f"check both fits, and say in the why what sets it apart from {by_id[high.framework].name}, or bring the fits within {FIT_GAP}"))


def _names(why: str, framework: Framework) -> bool:
    """Whether a pick's why names `framework`, by its id or its name."""
    said = why.casefold()
    return framework.id in said or framework.name.casefold() in said


# R6 Status, R7 Community --------------------------------------------------------------------


def _status(framework: Framework, found: Findings) -> None:
    statuses = ", ".join(vocabulary.STATUSES)
    if framework.status and not framework.status_source:
        found.problems.append(Finding("R6", _where(framework, "status_source"), f"status {framework.status} without its source",
                                      "say how it is known: the index's Development Status classifier, the docs, the release history"))
    elif framework.status_source and not framework.status:
        found.problems.append(Finding("R6", _where(framework, "status"), "a status_source without a status", f"set status ({statuses})"))
    elif not framework.status:
        found.warnings.append(Finding("R6", _where(framework, "status"), "no status", f"set status ({statuses}) and status_source"))


def community_for(stars: int) -> str:
    """The community size a star count earns (rule R7)."""
    return next(size for size, least in vocabulary.COMMUNITY_STARS.items() if stars >= least)


def _community(framework: Framework, found: Findings) -> None:
    path = _where(framework, "community")
    if framework.stars is None:
        found.warnings.append(Finding("R7", path, f"{framework.community}, with no stars to measure it by",
                                      "add [framework.stars] with count, read_on and source"))
        return
    expected = community_for(framework.stars.count)
    if expected != framework.community:
        least = vocabulary.COMMUNITY_STARS[expected]
        found.warnings.append(Finding(
            "R7", path, f"{framework.community}, but {framework.stars.count:,} stars (read {framework.stars.read_on.isoformat()}) "
            f"make it {expected} (at least {least:,})",
            f'set community = "{expected}"'))
