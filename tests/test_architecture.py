"""The core (model, dataset, decide, summary, clipboard, state, cli) works without Textual."""

from __future__ import annotations

import subprocess
import sys

from helpers import ROOT

BLOCK_TEXTUAL = """
import sys

class Block:
    def find_spec(self, name, path=None, target=None):
        if name == "textual" or name.startswith("textual."):
            raise ImportError("textual is blocked in this test")
        return None

sys.meta_path.insert(0, Block())
import fwtui.model, fwtui.schema, fwtui.dataset, fwtui.decide, fwtui.summary, fwtui.clipboard, fwtui.state, fwtui.cli
from fwtui.cli import main
raise SystemExit(main(["recommend", "--use-case", "rest-api", "--format", "json"]))
"""


def test_core_and_cli_do_not_import_textual():
    done = subprocess.run([sys.executable, "-c", BLOCK_TEXTUAL], capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert '"id": "fastapi"' in done.stdout
