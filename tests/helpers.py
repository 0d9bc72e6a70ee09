"""Paths the tests share."""

from pathlib import Path

TESTS = Path(__file__).parent
ROOT = TESTS.parent
MINIMAL = TESTS / "data" / "minimal.toml"
