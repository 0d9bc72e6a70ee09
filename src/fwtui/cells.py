"""What a built-in cell says beside its level: the base it is inherited from (rule R1), a quiet package (rule R4).

Shared by the Compare matrix, the Details pane, the summaries and the CLI.
"""

from __future__ import annotations

from fwtui.model import Dataset, Framework


def via(dataset: Dataset, framework: Framework, need: str) -> str:
    """" (via Django)" for a cell the framework inherits from its base (rule R1), else ""."""
    base = framework.inherited.get(need)
    if base is None:
        return ""
    try:
        return f" (via {dataset.framework(base).name})"
    except KeyError:
        return f" (via {base})"


def quiet_words(framework: Framework, need: str) -> str:
    """", quiet since 2023-10" for a cell whose package has had no release for 24 months (rule R4), else ""."""
    return f", quiet since {framework.quiet[need]}" if need in framework.quiet else ""
