"""Health facts from the package index ([framework.health]), read by `fwtui refresh` from answers served on 127.0.0.1.

tests/data/index/advised.json is shaped like a real JSON API answer: a
release whose files are all yanked, a pre-release newer than the latest,
wheels for CPython 3.14 but none for its free-threaded build, one advisory
and one withdrawn advisory.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from fwtui import dataset, refresh
from fwtui.cli import main
from index_server import Index, make_dataset

DAY = dt.date(2026, 12, 7)


def check(data: Path, server: Index, *ids: str) -> refresh.Report:
    base, _ = refresh.load_base(data)
    frameworks = [f for f in base.frameworks if f.id in ids]
    return refresh.check(frameworks, server.url, 5, today=DAY)


def test_health_is_read_from_the_answer(tmp_path: Path, index_server: Index) -> None:
    report = check(make_dataset(tmp_path, {"alpha": "advised"}), index_server, "alpha")
    health = report.updates["alpha"].fields["health"]
    assert health["version"] == "2.0.1"
    assert health["last_release"] == dt.date(2026, 11, 30)  # the pre-release counts: it is a release, not yanked
    assert health["releases_12_months"] == 3  # 2.0.0, 2.0.1, 2.1rc1; 1.1 is yanked and 1.0 older
    assert health["yanked_releases"] == 1
    assert (health["wheel_for_newest"], health["wheel_free_threaded"]) == (True, False)
    # The withdrawn advisory is left out.
    assert health["advisories"] == [{"id": "PYSEC-2026-117", "aliases": ["CVE-2026-41234", "GHSA-2x7q-9m4v-hw3c"], "fixed_in": ["2.1rc1"]}]
    fields = {change.field: change.new for change in report.changes if change.field.startswith("health.")}
    assert fields["health.advisories"] == "PYSEC-2026-117"
    assert fields["health.last_release"] == "2026-11-30"


def test_an_answer_without_an_advisory_list_gives_no_health(tmp_path: Path, index_server: Index) -> None:
    """An index that does not list advisories must not read as one that found none."""
    report = check(make_dataset(tmp_path, {"alpha": "django"}), index_server, "alpha")
    assert "alpha" in report.read
    assert "health" not in report.updates["alpha"].fields
    assert not [change for change in report.changes if change.field.startswith("health")]


@pytest.mark.parametrize("package", ["badadvisory", "advisoryflood", "advisorynotlist"])
def test_a_malformed_advisory_list_fails_the_package(tmp_path: Path, index_server: Index, package: str) -> None:
    report = check(make_dataset(tmp_path, {"alpha": package}), index_server, "alpha")
    assert report.read == () and not report.updates
    (problem,) = report.problems
    assert "invalid answer: vulnerabilities" in problem.error
    assert "\x1b" not in problem.error


def test_a_huge_or_garbled_answer_fails_as_before(tmp_path: Path, index_server: Index) -> None:
    report = check(make_dataset(tmp_path, {"alpha": "huge", "beta": "badjson"}), index_server, "alpha", "beta")
    errors = {problem.id: problem.error for problem in report.problems}
    assert "answer too large" in errors["alpha"] and "bad JSON" in errors["beta"]
    assert not report.updates and report.read == ()


def test_overlay_and_apply_write_the_health_table(tmp_path: Path, index_server: Index, capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("tomlkit")
    data = make_dataset(tmp_path, {"alpha": "advised"})
    report = check(data, index_server, "alpha")
    _, document = refresh.load_base(data)
    overlay = tmp_path / "refresh.toml"
    refresh.write_overlay(overlay, report, document)
    merged = dataset.load(data, overlay).framework("alpha").health
    assert merged is not None and merged.advisories[0].aliases == ("CVE-2026-41234", "GHSA-2x7q-9m4v-hw3c")

    assert refresh.apply(data, report).startswith("updated")
    text = data.read_text(encoding="utf-8")
    assert "[framework.health]" in text and "[[framework.health.advisories]]" in text
    health = dataset.load(data, None).framework("alpha").health
    assert health is not None
    assert health.read_on == DAY and health.releases_12_months == 3 and not health.wheel_free_threaded
    assert [(a.id, a.fixed_in) for a in health.advisories] == [("PYSEC-2026-117", ("2.1rc1",))]
    # A second run finds nothing new about health.
    again = check(data, index_server, "alpha")
    assert not [change for change in again.changes if change.field.startswith("health")]


def test_cli_json_lists_health_changes(tmp_path: Path, index_server: Index, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    data = make_dataset(tmp_path, {"alpha": "advised"})
    code = main(["refresh", "--data", str(data), "--index-url", index_server.url, "--format", "json", "--output", str(tmp_path / "r.toml"), "alpha"])
    out, err = capsys.readouterr()
    assert code == 0, err
    records = {r["field"]: r for r in json.loads(out) if "field" in r}
    assert records["health.advisories"]["new"] == "PYSEC-2026-117"
    assert records["health.wheel_free_threaded"]["new"] is False


@pytest.mark.parametrize(("files", "expected"), [
    (["x-1.0-py3-none-any.whl"], (True, True)),
    (["x-1.0-py2.py3-none-any.whl"], (True, True)),
    (["x-1.0-py3-none-manylinux_2_17_x86_64.whl"], (True, True)),
    (["x-1.0-cp314-cp314-manylinux_2_17_x86_64.whl"], (True, False)),
    (["x-1.0-cp314-cp314t-win_amd64.whl"], (False, True)),
    (["x-1.0-cp39-abi3-manylinux_2_17_x86_64.whl"], (True, False)),
    (["x-1.0-cp315-abi3-manylinux_2_17_x86_64.whl"], (False, False)),  # abi3 from a later Python on
    (["x-1.0-cp313-cp313-win_amd64.whl", "x-1.0.tar.gz"], (False, False)),
    (["x-1.0-1-cp314-cp314t-linux_x86_64.whl"], (False, True)),  # with a build tag
    (["not-a-wheel.whl"], (False, False)),
])
def test_wheel_support_reads_the_tags(files: list[str], expected: tuple[bool, bool]) -> None:
    assert refresh.wheel_support(files, "3.14") == expected
