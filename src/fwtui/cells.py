"""What a cell says of a framework's bases (by name, rule R1) and of a quiet package (rule R4).

Shared by the Compare matrix, the Details pane, the summaries and the CLI.
"""

from __future__ import annotations

from fwtui.model import Dataset, Framework


def base_name(dataset: Dataset, base: str) -> str:
    """A base as the dataset names it ("Starlette"), or its id as written when the dataset has no such framework."""
    try:
        return dataset.framework(base).name
    except KeyError:
        return base


def via(dataset: Dataset, framework: Framework, need: str) -> str:
    """" (via Django)" for a cell the framework inherits from its base (rule R1), else ""."""
    base = framework.inherited.get(need)
    return "" if base is None else f" (via {base_name(dataset, base)})"


def quiet_words(framework: Framework, need: str) -> str:
    """", quiet since 2023-10" for a cell whose package has had no release for 24 months (rule R4), else ""."""
    return f", quiet since {framework.quiet[need]}" if need in framework.quiet else ""
