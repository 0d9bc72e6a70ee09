"""Every CLI command in every format, parsed back; errors exit 2 with a hint."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tomllib

import pytest

from fwtui import __version__
from fwtui.cli import main
from helpers import MINIMAL, ROOT

COMMANDS = {
    "list": ["list"],
    "show": ["show", "django"],
    "compare": ["compare", "django", "flask", "fastapi"],
    "recommend": ["recommend", "--use-case", "rest-api", "--need", "validation"],
}


def run(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def records_of(command, out, fmt):
    document = json.loads(out) if fmt == "json" else tomllib.loads(out)
    assert set(document) == {"dataset", "ranking" if command == "recommend" else "framework"}
    return document["ranking" if command == "recommend" else "framework"]


@pytest.mark.parametrize("fmt", ["json", "toml"])
@pytest.mark.parametrize("command", COMMANDS)
def test_structured_output_parses_back(capsys, command, fmt):
    code, out, _ = run(capsys, *COMMANDS[command], "--format", fmt)
    assert code == 0
    records = records_of(command, out, fmt)
    assert isinstance(records, list) and records
    assert all("id" in record for record in records)
    if command == "list":
        assert len(records) >= 22 and {"name", "kind", "interfaces"} <= set(records[0])
    if command == "show":
        assert records[0]["id"] == "django" and records[0]["builtins"]["admin"] == "built-in"
    if command == "compare":
        assert [r["id"] for r in records] == ["django", "flask", "fastapi"]
        assert records[1]["kind"] == "micro", "data, not display text"
        assert records[1]["builtins"]["orm"] == "first-party" and records[1]["interfaces"] == ["wsgi"]
    if command == "recommend":
        assert records[0]["id"] == "fastapi"
        assert {"id", "name", "score", "excluded", "excluded_by", "reasons", "reasons_for", "reasons_against"} <= set(records[0])
        assert sum(reason["points"] for reason in records[0]["reasons"]) == records[0]["score"]
        excluded = [r for r in records if r["excluded"]]
        assert excluded and all(r["excluded_by"] and r["reasons_against"] for r in excluded)


@pytest.mark.parametrize("command", COMMANDS)
def test_markdown_output(capsys, command):
    code, out, _ = run(capsys, *COMMANDS[command], "--format", "markdown")
    assert code == 0
    assert out.startswith("# ") and "as of 2026-" in out
    if command != "show":
        assert "|" in out or "1. **" in out


@pytest.mark.parametrize("command", COMMANDS)
def test_table_output(capsys, command):
    code, out, _ = run(capsys, *COMMANDS[command])
    assert code == 0
    assert "Django" in out or "FastAPI" in out
    assert "\x1b" not in out  # not a terminal: no colour codes


def test_unknown_framework_suggests(capsys):
    code, _, err = run(capsys, "show", "djngo")
    assert code == 2 and 'Did you mean "django"?' in err


def test_compare_needs_two(capsys):
    code, _, err = run(capsys, "compare", "flask", "flask")
    assert code == 2 and "at least two" in err


def test_unknown_use_case_and_need_list_valid_names(capsys):
    code, _, err = run(capsys, "recommend", "--use-case", "blog")
    assert code == 2 and "rest-api" in err and "realtime" in err
    code, _, err = run(capsys, "recommend", "--need", "telepathy")
    assert code == 2 and "websockets" in err


def test_recommend_lists_use_cases(capsys):
    code, out, _ = run(capsys, "recommend", "--list-use-cases")
    assert code == 0 and out.splitlines()[0].startswith("fullstack-admin\t")


def test_validate_ok_and_json(capsys):
    code, out, _ = run(capsys, "validate")
    assert code == 0 and "valid (25 frameworks" in out
    code, out, _ = run(capsys, "validate", str(MINIMAL), "--format", "json")
    assert code == 0 and json.loads(out)["ok"] is True


def test_data_option_before_or_after_the_command(capsys):
    for args in (["--data", str(MINIMAL), "list", "--format", "json"], ["list", "--data", str(MINIMAL), "--format", "json"]):
        code, out, _ = run(capsys, *args)
        assert code == 0 and len(json.loads(out)["framework"]) == 3


def fwtui(*args, **kwargs):
    env = {**os.environ, "FWTUI_STATE_DIR": kwargs.pop("state", "/nonexistent-fwtui-state"), "COLUMNS": "100"}
    return subprocess.run([sys.executable, "-m", "fwtui", *args], capture_output=True, text=True, timeout=60, env=env, cwd=ROOT, **kwargs)


def test_version_and_help():
    assert fwtui("--version").stdout.strip() == f"fwtui {__version__}"
    help_text = fwtui("--help").stdout
    for command in ("list", "show", "compare", "recommend", "validate", "schema"):
        assert command in help_text


def test_no_terminal_prints_the_list_and_a_hint():
    done = fwtui(stdin=subprocess.DEVNULL)
    assert done.returncode == 0
    assert "Django" in done.stdout and "Robyn" in done.stdout
    assert "not a terminal" in done.stderr
    assert "\x1b" not in done.stdout


def test_broken_data_never_shows_a_traceback(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("[[framework]]\nid = 3\n")
    done = fwtui("--data", str(bad), "list")
    assert done.returncode == 2 and "Traceback" not in done.stderr and "framework[0].id" in done.stderr


def test_a_built_in_both_wanted_and_needed_is_said_once(capsys):
    assert main(["recommend", "--want", "auth", "--need", "auth", "--format", "json"]) == 0
    err = capsys.readouterr().err
    assert "authentication both wanted and needed: counted as a need" in err
    assert main(["recommend", "--want", "auth", "--need", "orm", "--format", "json"]) == 0
    assert "both wanted and needed" not in capsys.readouterr().err
