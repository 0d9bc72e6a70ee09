"""The loader: the real dataset, every kind of broken file, markup, escapes and overlays."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from fwtui import dataset, schema, text
from fwtui.cli import main
from helpers import MINIMAL, TESTS

BAD = TESTS / "bad_data"
EXPECT = re.compile(r"^# expect: (.+)$", re.MULTILINE)
# Files that cannot carry their expectation in a comment.
SPECIAL = {
    "empty.toml": "file is empty",
    "not_utf8.toml": "line 2: not valid UTF-8 (byte 0xe9)",
    "a_directory.toml": "is a directory, not a TOML file",
}


def expectation(path: Path) -> str:
    if path.name in SPECIAL:
        return SPECIAL[path.name]
    match = EXPECT.search(path.read_text(encoding="utf-8"))
    assert match, f"{path} has no '# expect:' line"
    return match.group(1)


def test_bundled_dataset_loads(bundled):
    assert len(bundled.frameworks) >= 22
    assert {"django", "flask", "fastapi", "litestar", "tornado", "falcon"} <= {f.id for f in bundled.frameworks}


def test_bundled_path_is_the_repository_file():
    assert dataset.bundled_path().resolve() == (TESTS.parent / "data" / "frameworks.toml").resolve()


@pytest.mark.parametrize("path", sorted(BAD.glob("*.toml")), ids=lambda p: p.name)
def test_broken_dataset_file(path: Path, capsys):
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert expectation(path) in err
    assert "Traceback" not in err


@pytest.mark.parametrize("path", sorted((BAD / "overlays").glob("*.toml")), ids=lambda p: p.stem)
def test_broken_overlay(path: Path):
    with pytest.raises(dataset.DatasetError) as caught:
        dataset.load(MINIMAL, overlay=path)
    assert len(caught.value.problems) == 1, caught.value.problems
    assert expectation(path) in caught.value.problems[0]


def test_there_are_at_least_25_broken_files():
    assert len(list(BAD.glob("*.toml"))) + len(list((BAD / "overlays").glob("*.toml"))) >= 25


def test_syntax_error_names_file_line_and_column():
    with pytest.raises(dataset.DatasetError) as caught:
        dataset.load(BAD / "syntax_error.toml", overlay=None)
    assert caught.value.source.endswith("syntax_error.toml:2:6")


def test_unreadable_file(monkeypatch, tmp_path):
    target = tmp_path / "locked.toml"
    target.write_text("[meta]\n")

    def refuse(path, limit=None):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("fwtui.files.read_capped", refuse)  # files are read through it (tests run as root)
    with pytest.raises(dataset.DatasetError, match="cannot be read: permission denied"):
        dataset.read_toml(target)


def test_missing_file(tmp_path, capsys):
    assert main(["--data", str(tmp_path / "nope.toml"), "list"]) == 2
    assert "file not found" in capsys.readouterr().err


def test_validate_reports_every_problem(capsys):
    assert main(["validate", str(BAD / "missing_fields.toml")]) == 2
    err = capsys.readouterr().err
    for field in ("name", "tagline", "kind", "interfaces", "hello", "sources"):
        assert f"framework[0].{field}: required field is missing" in err


MARKUP = ["[bold red]x", "[/]", "[link=http://x]y[/link]", "[@click=app.quit]boom", "a [ lone bracket", "]["]


def test_markup_in_every_text_field_is_kept_literally(tmp_path, capsys):
    lines = ['[[framework]]', 'id = "alpha"']
    for index, field in enumerate(("name", "tagline", "description", "async_note", "performance_note", "license")):
        lines.append(f"{field} = {json.dumps(MARKUP[index % len(MARKUP)])}")
    lines.append(f"best_for = {json.dumps(MARKUP)}")
    overlay = tmp_path / "markup.toml"
    overlay.write_text("\n".join(lines) + "\n")
    loaded = dataset.load(MINIMAL, overlay=overlay)
    alpha = loaded.framework("alpha")
    assert alpha.name == MARKUP[0] and alpha.best_for == tuple(MARKUP)
    assert main(["--data", str(MINIMAL), "--overlay", str(overlay), "show", "alpha"]) == 0
    out = capsys.readouterr().out
    assert "[bold red]x" in out and "[@click=app.quit]boom" in out


def test_overlay_overrides_fields_and_adds_frameworks(tmp_path, minimal):
    gamma = MINIMAL.read_text().split("[[framework]]")[3]
    delta = gamma.replace('"gamma"', '"delta"').replace('"Gamma"', '"Delta"')
    overlay = tmp_path / "overlay.toml"
    overlay.write_text(
        '[[framework]]\nid = "alpha"\ntagline = "Changed."\nbuiltins = { admin = "built-in" }\n\n[[framework]]' + delta
    )
    merged = dataset.load(MINIMAL, overlay=overlay)
    alpha = merged.framework("alpha")
    assert alpha.tagline == "Changed."
    assert alpha.builtins["admin"] == "built-in"
    assert alpha.builtins["orm"] == minimal.framework("alpha").builtins["orm"]  # untouched keys stay
    assert [f.id for f in merged.frameworks] == ["alpha", "beta", "gamma", "delta"]
    assert merged.framework("delta").name == "Delta"


def test_overlay_in_config_dir_is_used(hermetic):
    config = hermetic / "config"
    config.mkdir()
    (config / "overlay.toml").write_text('[[framework]]\nid = "alpha"\ntagline = "From the config dir."\n')
    assert dataset.load(MINIMAL).framework("alpha").tagline == "From the config dir."


def test_environment_names_the_dataset(monkeypatch, capsys):
    monkeypatch.setenv("FWTUI_DATA", str(MINIMAL))
    assert main(["list", "--format", "json"]) == 0
    assert [r["id"] for r in json.loads(capsys.readouterr().out)["framework"]] == ["alpha", "beta", "gamma"]


def test_schema_copy_is_in_sync():
    copy = (TESTS.parent / "schema" / "frameworks.schema.json").read_text(encoding="utf-8")
    assert json.loads(copy) == schema.SCHEMA, "run: fwtui schema > schema/frameworks.schema.json"


def test_schema_command_prints_the_schema(capsys):
    assert main(["schema"]) == 0
    assert json.loads(capsys.readouterr().out)["title"] == "fwtui dataset"


def test_state_like_control_scan_finds_keys_and_values():
    found = text.find_control({"a": ["ok", "bad\x1b[2J"], "k\x07": 1})
    assert any("a[1]" in p for p in found) and any("<key>" in p for p in found)
