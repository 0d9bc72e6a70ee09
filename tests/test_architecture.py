"""The core (model, dataset, decide, summary, rules, clipboard, state, cli) works without Textual."""

from __future__ import annotations

from helpers import without_textual

CORE = """
import fwtui.model, fwtui.schema, fwtui.dataset, fwtui.decide, fwtui.summary, fwtui.rules, fwtui.clipboard, fwtui.state, fwtui.cli
from fwtui.cli import main
raise SystemExit(main(["recommend", "--use-case", "rest-api", "--format", "json"]))
"""


def test_core_and_cli_do_not_import_textual():
    done = without_textual(CORE)
    assert done.returncode == 0, done.stderr
    assert '"id": "fastapi"' in done.stdout
