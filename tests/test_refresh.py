"""`fwtui refresh` against a package index served from 127.0.0.1 by the test itself.

tests/data/index/ holds trimmed copies of real JSON API answers (only the
fields fwtui reads, a few releases each). The server answers them with an
ETag, and makes the failures: 404, 503, bad JSON, a slow answer, an oversized
one, control characters, gzip. No test reaches the real network.
"""

from __future__ import annotations

import datetime as dt
import json
import socket
import tomllib
from pathlib import Path
from typing import Any

import pytest
from packaging.version import Version

from fwtui import clock, dataset, index, refresh
from fwtui.cli import main
from helpers import MINIMAL
from index_server import Index, make_dataset, recorded


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def by_key(records: list[dict[str, Any]]) -> dict[tuple[str, str], dict[str, Any]]:
    return {(r["id"], r["field"]): r for r in records if "field" in r}


# Versions and facts --------------------------------------------------------------------

VERSIONS = [
    "1.0", "1.0.0", "1.0.post1", "1.0-1", "1.0.post0", "1.0a1", "1.0b2", "1.0rc1", "1.0c1", "1.0.dev0", "1.0.post1.dev1",
    "2!0.1", "0.9", "1.0.1", "1.1", "1.10", "1.2", "v1.3", "1.0+local", "junk", "1.0.0.0.1", "6.1rc1", "0.110.3.dev2",
    "2.0.0-beta.1", "4.0.0a1", "1.0-r2", "1.0.preview3", "3.14.5",
]


def test_only_final_releases_and_their_post_releases_count() -> None:
    finals = [text for text in VERSIONS if refresh.final_version(text) is not None]
    assert {"1.0", "1.0.post1", "1.0-1", "v1.3", "2!0.1", "1.0-r2", "3.14.5"} <= set(finals)
    assert not {"1.0a1", "1.0b2", "1.0rc1", "1.0c1", "1.0.dev0", "1.0.post1.dev1", "1.0+local", "junk", "6.1rc1",
                "2.0.0-beta.1", "1.0.preview3"} & set(finals)
    assert refresh.final_version("1.0") == refresh.final_version("1.0.0")
    ordered = sorted(finals, key=lambda text: refresh.final_version(text) or Version("0"))
    assert ordered[-1] == "2!0.1"  # the epoch counts first
    assert ordered.index("1.2") < ordered.index("1.10") < ordered.index("3.14.5")


@pytest.mark.parametrize(
    ("spec", "expected"),
    [(">=3.12", "3.12"), ("<4.0,>=3.8", "3.8"), (">= 3.11", "3.11"), ("~=3.9", "3.9"), (">=2.7, !=3.0.*, !=3.1.*", "2.7"),
     (">3.7", "3.7"), (">=3", "3.0"), ("<4", None), ("", None), (None, None), (">=3.8,>=3.10", "3.10")],
)
def test_min_python(spec: str | None, expected: str | None) -> None:
    assert refresh.min_python(spec) == expected


def facts(package: str) -> refresh.Facts:
    return refresh.read_facts(index.parse_answer(package, recorded(package), "http://127.0.0.1/"))


def test_facts_from_recorded_answers() -> None:
    django = facts("django")
    assert (django.latest_version, django.min_python, django.license) == ("6.1.3", "3.12", "BSD-3-Clause")
    assert django.uploaded == dt.datetime(2026, 11, 3, 15, 21, 19, tzinfo=dt.UTC)
    assert django.first_upload is not None and django.first_upload.year == 2010
    # The newest final release: the yanked 4.0.0a1 pre-release and the old 0.1 are not it.
    assert facts("aiohttp").latest_version == "3.14.5"
    # Its files say >=3.11 where the index's summary says >=3.10: the files win.
    assert facts("fastapi").min_python == "3.11"
    litestar = facts("litestar")
    assert (litestar.latest_version, litestar.min_python, litestar.license) == ("2.25.0", "3.8", "MIT")  # from the MIT classifier
    robyn = facts("robyn")
    assert robyn.license is None and "BSD License" in robyn.license_why
    assert robyn.min_python is None and "no lower bound" in robyn.python_why
    tornado = facts("tornado")
    assert tornado.license is None and "Apache Software License" in tornado.license_why


def test_yanked_release_is_skipped_and_pre_release_noted() -> None:
    project = index.parse_answer("django", recorded("django"), "http://127.0.0.1/")
    releases = dict(project.releases)
    releases["6.1.3"] = tuple(upload._replace(yanked=True) for upload in releases["6.1.3"])
    late = dt.datetime(2026, 11, 20, tzinfo=dt.UTC)
    releases["6.2a1"] = (index.Upload(late, ">=3.12", False),)
    found = refresh.read_facts(project._replace(releases=releases))
    assert found.latest_version == "6.1.2"
    assert found.newest_pre == ("6.2a1", late)
    assert found.license is None and "describes 6.1.3" in found.license_why  # the summary is about another release


# The command against the local index ---------------------------------------------------------


def test_refresh_writes_an_overlay_that_loads_before_the_users(tmp_path: Path, capsys, index_server: Index) -> None:
    data = make_dataset(tmp_path, {"alpha": "django", "beta": "fastapi", "gamma": "litestar"},
                        first=("first_release = 2010", "first_release = 2025"))
    code, out, err = run(capsys, "refresh", "--data", str(data), "--index-url", index_server.url, "--format", "json")
    assert code == 0, err
    records = by_key(json.loads(out))
    page = index_server.url.removesuffix("/pypi") + "/project/Django/"
    assert records["alpha", "latest_version"] == {"id": "alpha", "field": "latest_version", "old": "1.0", "new": "6.1.3", "source": page, "note": None}
    assert records["alpha", "latest_release"]["new"] == "2026-11"
    assert records["alpha", "min_python"]["new"] == "3.12"
    assert records["alpha", "license"]["new"] == "BSD-3-Clause"
    assert records["beta", "min_python"]["new"] == "3.11"
    assert ("beta", "license") not in records  # MIT on both sides
    note = records["gamma", "first_release"]
    assert (note["old"], note["new"]) == (2025, 2023) and "never overwritten" in note["note"]

    written = tmp_path / "config" / dataset.REFRESH_NAME
    overlay = tomllib.loads(written.read_text(encoding="utf-8"))
    alpha = next(r for r in overlay["framework"] if r["id"] == "alpha")
    assert alpha["latest_version"] == "6.1.3" and "first_release" not in alpha
    release = [s for s in alpha["sources"] if s["group"] == "release"]
    assert release == [{"group": "release", "url": page, "checked": clock.today(), "note": release[0]["note"]}]
    assert "6.1.3" in release[0]["note"]

    # Loaded after the dataset, before the user's overlay (which wins), and named in the origin.
    user = tmp_path / "mine.toml"
    user.write_text('[[framework]]\nid = "beta"\nmin_python = "3.13"\n', encoding="utf-8")
    loaded = dataset.load(data, user)
    assert loaded.framework("alpha").latest_version == "6.1.3"
    assert loaded.framework("beta").min_python == "3.13"
    assert loaded.origin == (data, written, user)
    assert run(capsys, "validate", "--data", str(data), "--overlay", str(written))[0] == 0


def test_a_second_run_asks_with_the_etag_and_takes_the_304_from_the_cache(tmp_path: Path, capsys, index_server: Index) -> None:
    data = make_dataset(tmp_path, {"alpha": "django"})
    first = run(capsys, "refresh", "alpha", "--data", str(data), "--index-url", index_server.url, "--format", "json")
    second = run(capsys, "refresh", "alpha", "--data", str(data), "--index-url", index_server.url, "--format", "json")
    assert first[0] == second[0] == 0
    assert json.loads(first[1]) == json.loads(second[1])
    (_, no_tag), (_, tag) = [request for request in index_server.requests if request[0] == "django"]
    assert no_tag is None and tag is not None and tag.startswith('"')


def test_failures_are_named_and_the_rest_is_written(tmp_path: Path, capsys, index_server: Index) -> None:
    index_server.max_bytes = 4096
    data = make_dataset(tmp_path, {"alpha": "django", "beta": "broken", "gamma": "missing"})
    code, out, err = run(capsys, "refresh", "--data", str(data), "--index-url", index_server.url, "--format", "json")
    assert code == 1
    errors = {r["id"]: r["error"] for r in json.loads(out) if "error" in r}
    assert errors == {"beta": "broken: server error (HTTP 503)", "gamma": "missing: not found on the index (HTTP 404)"}
    assert "fwtui: beta: broken: server error (HTTP 503)" in err
    overlay = tomllib.loads((tmp_path / "config" / dataset.REFRESH_NAME).read_text(encoding="utf-8"))
    assert [r["id"] for r in overlay["framework"]] == ["alpha"]


@pytest.mark.parametrize(
    ("package", "reason"),
    [
        ("badjson", "badjson: bad JSON: "),
        ("control", "control: invalid answer: info.license_expression: contains the control character U+001B"),
        ("newline", 'newline: invalid answer: releases["6.1.3"][0].requires_python: contains a line break'),
        ("badname", 'badname: invalid answer: info.name: "../../admin" is not a package name'),
        ("huge", "huge: answer too large"),
        ("bomb", "bomb: answer too large"),
        ("endless", "endless: answer too large"),
        ("slow", "slow: timeout"),
        ("trickle", "trickle: timeout"),  # every read is quick, the whole answer is not
    ],
)
def test_each_bad_answer_fails_with_its_reason(package: str, reason: str, index_server: Index, monkeypatch) -> None:
    index_server.max_bytes = 4096
    monkeypatch.setattr(index, "MAX_ANSWER_BYTES", 4096)
    project = make_framework(package)
    report = refresh_check([project], index_server.url, timeout=0.5)
    assert report.read == ()
    assert len(report.problems) == 1 and report.problems[0].error.startswith(reason), report.problems


def test_a_gzipped_answer_is_read(index_server: Index) -> None:
    report = refresh_check([make_framework("zipped")], index_server.url)
    assert report.problems == () and {c.field: c.new for c in report.written}["latest_version"] == "6.1.3"


def test_nothing_read_nothing_written(tmp_path: Path, capsys, monkeypatch) -> None:
    monkeypatch.delenv(index.ENV_INDEX_URL, raising=False)
    data = make_dataset(tmp_path, {"alpha": "django"})
    url = f"http://127.0.0.1:{closed_port()}/pypi"
    code, out, err = run(capsys, "refresh", "--data", str(data), "--index-url", url, "--timeout", "2")
    assert code == 1
    assert "alpha: django: offline: connection refused" in err
    assert "nothing was read, so nothing was written" in err
    assert not (tmp_path / "config").exists()


def test_apply_edits_the_dataset_in_place_keeping_its_layout(tmp_path: Path, capsys, index_server: Index) -> None:
    pytest.importorskip("tomlkit")
    page = index_server.url.removesuffix("/pypi") + "/project/Django/"
    data = make_dataset(tmp_path, {"alpha": "django", "beta": "fastapi"}, release_page=page)
    before = data.read_text(encoding="utf-8").splitlines()
    code, _, err = run(capsys, "refresh", "--data", str(data), "--index-url", index_server.url, "--apply", "alpha", "beta")
    assert code == 0, err
    after = data.read_text(encoding="utf-8").splitlines()
    changed = [(old, new) for old, new in zip(before, after) if old != new]
    today = clock.today().isoformat()
    assert ('latest_version = "1.0"', 'latest_version = "6.1.3"') in changed
    assert any(new.startswith(f'  {{ group = "release", url = "{page}", checked = {today}, note = "Read by fwtui refresh') for _, new in changed)
    assert after[0] == "# A comment the edit must keep."
    # alpha: four facts and its release source; beta: three facts and a release source added to its one-line list.
    assert len(changed) == 5 + 4 and len(after) == len(before)
    assert not (tmp_path / "config").exists()
    loaded = dataset.load(data, None)
    assert [s.url for s in loaded.framework("beta").sources if s.group == "release"] == [page.replace("Django", "fastapi")]


def test_apply_adds_a_release_source_to_an_array_of_tables(tmp_path: Path, capsys, index_server: Index) -> None:
    pytest.importorskip("tomlkit")
    inline = 'sources = [{ group = "overview", url = "https://example.org/alpha", checked = 2026-01-01 }]\n\n[framework.builtins]'
    tables = '\n[[framework.sources]]\ngroup = "overview"  # kept\nurl = "https://example.org/alpha"\nchecked = 2026-01-01\n\n[framework.builtins]'
    data = make_dataset(tmp_path, {"alpha": "django"}, aot=(inline, tables))
    assert "[[framework.sources]]" in data.read_text(encoding="utf-8")
    assert run(capsys, "refresh", "alpha", "--data", str(data), "--index-url", index_server.url, "--apply")[0] == 0
    text = data.read_text(encoding="utf-8")
    assert 'group = "overview"  # kept' in text
    sources = dataset.load(data, None).framework("alpha").sources
    assert [(s.group, s.checked) for s in sources] == [("overview", dt.date(2026, 1, 1)), ("release", clock.today())]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nosuch"], 'unknown framework "nosuch"'),
        (["--index-url", "ftp://example.org/pypi"], "is not an http(s) URL"),
        (["--timeout", "0"], "must be between"),
        (["--apply", "--output", "x.toml"], "not allowed with argument"),
    ],
)
def test_bad_arguments_exit_2(tmp_path: Path, capsys, args: list[str], message: str) -> None:
    data = make_dataset(tmp_path, {})
    with pytest.raises(SystemExit) as exit_info:
        code = main(["refresh", "--data", str(data), *args])
        raise SystemExit(code)
    assert exit_info.value.code == 2
    assert message in capsys.readouterr().err


# Loading refresh.toml ------------------------------------------------------------------------


def test_a_later_dataset_wins_over_an_older_refresh(tmp_path: Path) -> None:
    data = make_dataset(tmp_path, {}, release_page="https://pypi.org/project/alpha-web/")
    (tmp_path / "config").mkdir()
    stale = ('[[framework]]\nid = "alpha"\nlatest_version = "0.9"\n'
             'sources = [{ group = "release", url = "https://pypi.org/project/alpha-web/", checked = 2025-06-01 }]\n')
    fresh = stale.replace("2025-06-01", "2026-02-01").replace('id = "alpha"', 'id = "alpha"\nmin_python = "3.13"')
    unknown = '[[framework]]\nid = "nosuch"\nlatest_version = "1"\n'
    (tmp_path / "config" / dataset.REFRESH_NAME).write_text(stale + unknown, encoding="utf-8")
    assert dataset.load(data, None).framework("alpha").latest_version == "1.0"
    (tmp_path / "config" / dataset.REFRESH_NAME).write_text(fresh + unknown, encoding="utf-8")
    assert dataset.load(data, None).framework("alpha").min_python == "3.13"


def test_a_partial_run_keeps_the_other_entries(tmp_path: Path, capsys, index_server: Index) -> None:
    data = make_dataset(tmp_path, {"alpha": "django", "beta": "fastapi", "gamma": "litestar"})
    assert run(capsys, "refresh", "--data", str(data), "--index-url", index_server.url)[0] == 0
    path = tmp_path / "config" / dataset.REFRESH_NAME
    path.write_text(path.read_text(encoding="utf-8").replace('"6.1.3"', '"6.1.2"'), encoding="utf-8")
    assert run(capsys, "refresh", "beta", "--data", str(data), "--index-url", index_server.url)[0] == 0
    versions = {r["id"]: r.get("latest_version") for r in tomllib.loads(path.read_text(encoding="utf-8"))["framework"]}
    assert versions == {"alpha": "6.1.2", "beta": "0.165.0", "gamma": "2.25.0"}


# Helpers for calling refresh.check directly ------------------------------------------------------


def make_framework(package: str) -> Any:
    base = dataset.load(MINIMAL, None).framework("alpha")
    return base._replace(package=package)


def refresh_check(frameworks: list[Any], url: str, timeout: float = 5.0) -> refresh.Report:
    return refresh.check(frameworks, url, timeout)


def test_github_stars_archived_and_last_push(tmp_path: Path, capsys, index_server: Index, monkeypatch) -> None:
    monkeypatch.setenv("FWTUI_GITHUB_API", index_server.url.removesuffix("/pypi"))
    monkeypatch.setenv("GITHUB_TOKEN", "test-token")
    repos = {name: (f'repository = "https://example.org/{name}/src"', f'repository = "https://github.com/example/{name}"')
             for name in ("alpha", "beta", "gamma")}
    data = make_dataset(tmp_path, {"alpha": "django", "beta": "fastapi", "gamma": "litestar"}, **repos)
    code, out, err = run(capsys, "refresh", "--data", str(data), "--index-url", index_server.url, "--format", "json", "--github")
    assert code == 1  # gamma's repository answers 403
    records = json.loads(out)
    found = by_key(records)
    assert (found["alpha", "stars.count"]["old"], found["alpha", "stars.count"]["new"]) == (None, 1234)
    assert found["beta", "archived"]["note"] == "the repository is archived on GitHub"
    assert found["beta", "last_push"]["new"] == "2023-01-05"
    assert {"id": "gamma", "error": "GitHub example/gamma: refused by GitHub (HTTP 403)"} in records
    assert all(auth == "Bearer test-token" for _, auth in index_server.github) and len(index_server.github) == 3
    loaded = dataset.load(data, None)
    assert loaded.framework("alpha").stars == (1234, clock.today(), "https://github.com/example/alpha")
    assert loaded.framework("gamma").latest_version == "2.25.0"  # the index part is written all the same


def test_github_is_off_by_default(tmp_path: Path, capsys, index_server: Index) -> None:
    data = make_dataset(tmp_path, {"alpha": "django"}, repo=('repository = "https://example.org/alpha/src"', 'repository = "https://github.com/example/alpha"'))
    assert run(capsys, "refresh", "alpha", "--data", str(data), "--index-url", index_server.url)[0] == 0
    assert index_server.github == []


def test_apply_writes_github_stars(tmp_path: Path, capsys, index_server: Index, monkeypatch) -> None:
    pytest.importorskip("tomlkit")
    monkeypatch.setenv("FWTUI_GITHUB_API", index_server.url.removesuffix("/pypi"))
    data = make_dataset(tmp_path, {"alpha": "django"}, repo=('repository = "https://example.org/alpha/src"', 'repository = "https://github.com/example/alpha"'))
    assert run(capsys, "refresh", "alpha", "--data", str(data), "--index-url", index_server.url, "--github", "--apply")[0] == 0
    assert dataset.load(data, None).framework("alpha").stars == (1234, clock.today(), "https://github.com/example/alpha")
    assert data.read_text(encoding="utf-8").startswith("# A comment the edit must keep.")
