"""The criteria in their other shapes: the saved state's fields and the `fwtui recommend` options.

`decide.Criteria` is what the engine reads; the explorer saves it as State's
plain fields (empty strings for unanswered questions) and the CLI reads it
from its options. Both conversions are here, so a new criterion is added in
one place; `command` writes the options back, and
tests/test_criteria.py holds the round trips. No Textual import.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from fwtui.decide import Criteria
from fwtui.model import Dataset
from fwtui.state import State


def from_state(state: State, dataset: Dataset) -> Criteria:
    """The criteria a saved state holds, less what the dataset no longer has (a use case, a framework)."""
    use_cases = {u.id for u in dataset.use_cases}
    ids = {f.id for f in dataset.frameworks}
    return Criteria(
        use_case=state.use_case if state.use_case in use_cases else None,
        needs=state.needs,
        nice=tuple(n for n in state.nice if n not in state.needs),
        strict=state.strict,
        interface=state.interface or None,
        team=state.team or None,
        async_comfort=state.async_comfort or None,
        performance=state.performance or None,
        maintenance=state.maintenance or None,
        know=tuple(i for i in state.know if i in ids),
    )


def into_state(state: State, criteria: Criteria) -> State:
    """`state` with the criteria's fields."""
    c = criteria
    return replace(
        state,
        use_case=c.use_case or "",
        needs=c.needs,
        nice=c.nice,
        strict=c.strict,
        interface=c.interface or "",
        team=c.team or "",
        async_comfort=c.async_comfort or "",
        performance=c.performance or "",
        maintenance=c.maintenance or "",
        know=c.know,
    )


def from_options(
    use_case: str | None, need: Sequence[str], want: Sequence[str], strict: bool, interface: str | None, team: str | None,
    async_comfort: str | None, perf: str | None, maintenance: str | None, know: Sequence[str],
) -> Criteria:
    """The criteria of `fwtui recommend`'s options, names already resolved: repeats once, a need that is also wanted a need."""
    needs = tuple(dict.fromkeys(need))
    return Criteria(
        use_case=use_case,
        needs=needs,
        nice=tuple(n for n in dict.fromkeys(want) if n not in needs),
        strict=strict,
        interface=interface,
        team=team,
        async_comfort=async_comfort,
        performance=perf,
        maintenance=maintenance,
        know=tuple(dict.fromkeys(know)),
    )


def command(criteria: Criteria) -> str:
    """The `fwtui recommend` command line that asks the same."""
    c = criteria
    parts = ["fwtui recommend"]
    if c.use_case:
        parts.append(f"--use-case {c.use_case}")
    parts += [f"--need {need}" for need in c.needs]
    parts += [f"--want {need}" for need in c.nice]
    if c.strict:
        parts.append("--strict")
    for option, value in (
        ("--interface", c.interface),
        ("--team", c.team),
        ("--async-comfort", c.async_comfort),
        ("--perf", c.performance),
        ("--maintenance", c.maintenance),
    ):
        if value:
            parts.append(f"{option} {value}")
    parts += [f"--know {framework_id}" for framework_id in c.know]
    return " ".join(parts)
