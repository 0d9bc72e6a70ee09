"""`fwtui refresh` and the [[package]] registry: release facts of every named package, read from a local index.

The answers for alpha-sockets and gamma-orm (tests/data/index/) are made for
these tests: alpha-sockets has a final release, a newer pre-release and a
newest release that is yanked; gamma-orm says what the minimal dataset says.
"""

from __future__ import annotations

import datetime as dt
import json
import tomllib
from pathlib import Path

import pytest

from fwtui import clock, dataset, index, refresh
from fwtui.cli import main
from index_server import Index, make_dataset, recorded


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_package_facts_from_an_answer() -> None:
    facts = refresh.read_package_facts(index.parse_answer("alpha-sockets", recorded("alpha-sockets"), "x"))
    # The newest release not yanked is the 2.0b1 pre-release; Python as 1.1, the newest final, declares it; 1.2, newest of all, is yanked.
    assert facts == refresh.PackageFacts(dt.date(2026, 5, 1), ">=3.10", True)
    assert refresh.read_package_facts(index.parse_answer("gamma-orm", recorded("gamma-orm"), "x")) == (dt.date(2025, 9, 1), None, False)


def test_refresh_reads_every_registry_package_and_writes_what_changed(tmp_path: Path, capsys, index_server: Index) -> None:
    data = make_dataset(tmp_path, {"alpha": "django", "beta": "fastapi", "gamma": "litestar"})
    code, out, err = run(capsys, "refresh", "--data", str(data), "--index-url", index_server.url, "--format", "json")
    assert code == 0, err
    assert index_server.count("alpha-sockets") == index_server.count("gamma-orm") == 1
    changes = {(r["id"], r["field"]): r for r in json.loads(out) if "field" in r}
    page = index_server.url.removesuffix("/pypi") + "/project/alpha-sockets/"
    assert changes["package:alpha-sockets", "last_release"] == {
        "id": "package:alpha-sockets", "field": "last_release", "old": "2025-06-01", "new": "2026-05-01", "source": page, "note": None}
    assert changes["package:alpha-sockets", "requires_python"]["new"] == ">=3.10"
    assert changes["package:alpha-sockets", "yanked"]["new"] is True
    assert not [key for key in changes if key[0] == "package:gamma-orm"]  # the index says what the dataset says
    assert "in 3 frameworks and 1 package; 3 of 3 (and 2 packages) read from" in err

    overlay = tomllib.loads((tmp_path / "config" / dataset.REFRESH_NAME).read_text(encoding="utf-8"))
    assert overlay["package"] == [{"name": "alpha-sockets", "last_release": dt.date(2026, 5, 1), "requires_python": ">=3.10",
                                   "yanked": True, "checked": clock.today()}]
    entry = dataset.load(data, None).package("alpha-sockets")
    assert entry is not None and entry.last_release == dt.date(2026, 5, 1) and entry.made_by == ("alpha",)


def test_refresh_of_some_frameworks_leaves_the_registry_alone(tmp_path: Path, capsys, index_server: Index) -> None:
    data = make_dataset(tmp_path, {"alpha": "django"})
    assert run(capsys, "refresh", "alpha", "--data", str(data), "--index-url", index_server.url)[0] == 0
    assert index_server.count("alpha-sockets") == 0


def test_a_package_that_fails_is_named_and_the_rest_is_written(tmp_path: Path, capsys, index_server: Index) -> None:
    data = make_dataset(tmp_path, {"alpha": "django"}, gone=('name = "gamma-orm"', 'name = "missing"'))
    code, out, err = run(capsys, "refresh", "--data", str(data), "--index-url", index_server.url, "--format", "json")
    assert code == 1
    assert {"id": "package:missing", "error": "missing: not found on the index (HTTP 404)"} in json.loads(out)
    assert "fwtui: package:missing: missing: not found on the index (HTTP 404)" in err
    overlay = tomllib.loads((tmp_path / "config" / dataset.REFRESH_NAME).read_text(encoding="utf-8"))
    assert [entry["name"] for entry in overlay["package"]] == ["alpha-sockets"]


def test_a_package_the_framework_also_is_is_asked_for_once(tmp_path: Path, capsys, index_server: Index) -> None:
    data = make_dataset(tmp_path, {"alpha": "alpha-sockets"})
    assert run(capsys, "refresh", "--data", str(data), "--index-url", index_server.url, "--format", "json")[0] == 1  # beta, gamma: 404
    assert index_server.count("alpha-sockets") == 1


def test_apply_edits_the_registry_entry_in_place(tmp_path: Path, capsys, index_server: Index) -> None:
    pytest.importorskip("tomlkit")
    data = make_dataset(tmp_path, {"alpha": "django", "beta": "fastapi", "gamma": "litestar"})
    code, _, err = run(capsys, "refresh", "--data", str(data), "--index-url", index_server.url, "--apply")
    assert code == 0, err
    text = data.read_text(encoding="utf-8")
    assert text.startswith("# A comment the edit must keep.")
    entry = dataset.load(data, None).package("alpha-sockets")
    assert entry is not None and (entry.last_release, entry.requires_python, entry.yanked, entry.checked) == (
        dt.date(2026, 5, 1), ">=3.10", True, clock.today())
    assert 'name = "gamma-orm"\nmade_by = []' in text  # untouched
    assert not (tmp_path / "config").exists()


def test_a_later_dataset_wins_over_an_older_package_refresh(tmp_path: Path) -> None:
    data = make_dataset(tmp_path, {})
    (tmp_path / "config").mkdir()
    entry = '[[package]]\nname = "Alpha_Sockets"\nlast_release = 2026-05-01\nchecked = {checked}\n'
    (tmp_path / "config" / dataset.REFRESH_NAME).write_text(entry.format(checked="2025-12-31"), encoding="utf-8")
    loaded = dataset.load(data, None).package("alpha-sockets")
    assert loaded is not None and loaded.last_release == dt.date(2025, 6, 1)  # the dataset was checked on 2026-01-01
    (tmp_path / "config" / dataset.REFRESH_NAME).write_text(entry.format(checked="2026-01-02"), encoding="utf-8")
    loaded = dataset.load(data, None).package("alpha-sockets")
    assert loaded is not None and loaded.last_release == dt.date(2026, 5, 1)
