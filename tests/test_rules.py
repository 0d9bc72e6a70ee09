"""The dataset's rules (docs/dataset.md, "What makes a built-in cell"), each held to a failing example.

A bad example is the minimal test dataset with an overlay written in tmp_path
that breaks one rule; the bundled dataset is held to every rule as it ships.
"""

from __future__ import annotations

import datetime as dt
import json
import tomllib
from pathlib import Path
from typing import Any

import pytest
import tomli_w

from fwtui import cli, dataset, summary, vocabulary
from helpers import MINIMAL


def rank(level: str) -> int:
    """A level's place, best first: built-in 0 ... no 3."""
    return vocabulary.BUILTIN_LEVELS.index(level)


def minimal_document() -> dict[str, Any]:
    return tomllib.loads(MINIMAL.read_text(encoding="utf-8"))


def write(path: Path, document: dict[str, Any]) -> Path:
    path.write_text(tomli_w.dumps(document), encoding="utf-8")
    return path


def child_of(base: str, framework_id: str = "delta", **fields: Any) -> dict[str, Any]:
    """A whole new framework record built on `base`, copied from gamma's, giving only the cells in `fields`."""
    record = next(f for f in minimal_document()["framework"] if f["id"] == "gamma")
    record = {**record, "id": framework_id, "name": framework_id.capitalize(), "package": framework_id, "builds_on": [base]}
    record["builtins"] = fields.pop("builtins", {})
    record["builtin_packages"] = fields.pop("builtin_packages", {})
    record["builtin_notes"] = fields.pop("builtin_notes", {})
    return {**record, **fields}


# R1 Lineage ---------------------------------------------------------------------


def test_every_child_is_at_least_its_base_unless_its_own_cell_says_why(bundled):
    edges = [(child, base) for child in bundled.frameworks for base in child.builds_on]
    assert edges, "the bundled dataset has builds_on edges"
    for child, base_id in edges:
        base = bundled.framework(base_id)
        for need in vocabulary.BUILTINS:
            if rank(child.level(need)) <= rank(base.level(need)):
                continue
            own = need not in child.inherited
            assert own and child.builtin_notes.get(need), (
                f"{child.id}.{need} is {child.level(need)}, below {base_id}'s {base.level(need)}, with no reason in builtin_notes")


def test_an_omitted_cell_is_the_bases_with_its_package_and_note(tmp_path):
    document = minimal_document()
    document["framework"].append(child_of("alpha", builtins={"orm": "no"}, builtin_notes={"orm": "Delta drops Alpha's ORM."}))
    data = dataset.build(document)
    delta = data.framework("delta")
    assert delta.level("orm") == "no" and "orm" not in delta.inherited
    assert delta.level("websockets") == "first-party"
    assert delta.builtin_packages["websockets"] == "alpha-sockets"
    assert delta.builtin_notes["websockets"] == "Through alpha-sockets, made by the Alpha team."
    assert delta.inherited["websockets"] == "alpha"
    assert set(delta.inherited) == set(vocabulary.BUILTINS) - {"orm"}
    assert list(delta.builtins) == list(vocabulary.BUILTINS)


def test_cells_pass_down_a_chain_whatever_the_order_of_records():
    document = minimal_document()
    grandchild = child_of("delta", "epsilon", builtins={"cli": "built-in"})
    document["framework"].insert(0, grandchild)  # before its base: bases are resolved first all the same
    document["framework"].append(child_of("alpha", builtins={"orm": "no"}, builtin_notes={"orm": "None."}))
    epsilon = dataset.build(document).framework("epsilon")
    assert epsilon.level("orm") == "no"  # delta's own cell
    assert epsilon.level("websockets") == "first-party"  # alpha's, through delta
    assert epsilon.inherited["orm"] == "delta"
    assert epsilon.inherited["websockets"] == "alpha"  # named after the framework whose record states it
    assert "cli" not in epsilon.inherited


def test_an_overlay_child_of_a_bundled_base_inherits(tmp_path):
    overlay = write(tmp_path / "overlay.toml", {"framework": [child_of("django", "my-django-api", builtins={"openapi": "built-in"})]})
    data = dataset.load(dataset.bundled_path(), overlay)
    mine, django = data.framework("my-django-api"), data.framework("django")
    for need in vocabulary.BUILTINS:
        if need != "openapi":
            assert mine.level(need) == django.level(need), need
    assert mine.inherited["orm"] == "django"


def test_a_framework_without_a_base_must_give_every_cell(tmp_path):
    document = minimal_document()
    del document["framework"][1]["builtins"]["orm"]
    problems = dataset.check(document)
    assert any("framework[1].builtins: lacks orm" in problem for problem in problems), problems


def test_displays_say_where_an_inherited_cell_comes_from(bundled, capsys):
    drf = bundled.framework("drf")
    assert drf.inherited.get("orm") == "django"
    assert summary.level_words(bundled, drf, "orm") == "built in (via Django)"
    assert summary.level_words(bundled, drf, "auth") == "built in"
    assert "ORM (via Django)" in summary.framework_markdown(bundled, drf)
    from fwtui import matrix

    row = next(row for row in matrix.rows(bundled) if row.field == "builtins.orm")
    assert "(via Django)" in matrix.cell(bundled, drf, row).full
    assert matrix.record(bundled, drf)["inherited"]["orm"] == "django"
    assert cli.main(["show", "drf", "--format", "json"]) == 0
    import json

    shown = json.loads(capsys.readouterr().out)["framework"][0]
    assert shown["builtins"]["orm"] == "built-in" and shown["inherited"]["orm"] == "django"


def test_details_pane_says_via_the_base(bundled):
    from rich.console import Console

    from fwtui.widgets.details import builtins_table

    console = Console(width=200, record=True)
    console.print(builtins_table(bundled, bundled.framework("django-ninja")))
    assert "built in (via Django)" in console.export_text()


@pytest.mark.parametrize("child", ["drf", "django-ninja"])
def test_django_children_do_not_restate_djangos_cells(child):
    """Their file gives only their own cells: Django's ORM, admin and the rest are inherited."""
    raw = next(f for f in tomllib.loads(dataset.bundled_path().read_text(encoding="utf-8"))["framework"] if f["id"] == child)
    assert not {"orm", "migrations", "admin", "sessions", "cli"} & set(raw["builtins"])


# Checked by `fwtui validate` ----------------------------------------------------------------


def validate(capsys: pytest.CaptureFixture[str], tmp_path: Path, overlay: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    """`fwtui validate` of an overlay on the minimal dataset: its exit code and JSON report."""
    path = write(tmp_path / "overlay.toml", overlay)
    code = cli.main(["--data", str(MINIMAL), "validate", "--overlay", str(path), "--format", "json"])
    return code, json.loads(capsys.readouterr().out)


def found(report: dict[str, Any], kind: str, rule: str, path: str) -> dict[str, str]:
    """The one finding of `rule` at `path` among the report's problems or warnings."""
    hits = [f for f in report[kind] if f["rule"] == rule and f["path"] == path]
    assert len(hits) == 1, (rule, path, report)
    return hits[0]


def test_the_minimal_dataset_breaks_no_rule(capsys, tmp_path):
    code, report = validate(capsys, tmp_path, {"framework": [{"id": "alpha", "tagline": "Still fine."}]})
    assert code == 0 and report["ok"] is True and report["problems"] == []
    assert all(set(w) == {"rule", "path", "message", "fix"} for w in report["warnings"])


def test_r1_a_child_that_restates_its_base_below_it_is_a_problem(capsys, tmp_path):
    delta = child_of("alpha", builtins={"orm": "extension"}, builtin_packages={"orm": "alpha-web"},
                     builtin_notes={"orm": "Alpha's ORM, from alpha-web."})
    code, report = validate(capsys, tmp_path, {"framework": [delta]})
    problem = found(report, "problems", "R1", "framework[delta].builtins.orm")
    assert code == 1 and "comes with alpha" in problem["message"]
    assert problem["fix"] == "remove the cell to inherit it (built in via Alpha)"


def test_r1_a_child_below_its_base_must_say_why(capsys, tmp_path):
    code, report = validate(capsys, tmp_path, {"framework": [child_of("alpha", builtins={"websockets": "no"})]})
    assert code == 1 and "with no reason" in found(report, "problems", "R1", "framework[delta].builtins.websockets")["message"]
    reason = child_of("alpha", builtins={"websockets": "no"}, builtin_notes={"websockets": "Delta serves HTTP only."})
    code, report = validate(capsys, tmp_path, {"framework": [reason]})
    assert code == 0, report["problems"]


def test_r2_a_package_the_frameworks_own_extra_installs_is_built_in(capsys, tmp_path):
    overlay = {"framework": [{"id": "alpha", "extras": {"ext": ["alpha-sockets"]}}]}
    code, report = validate(capsys, tmp_path, overlay)
    problem = found(report, "problems", "R2", "framework[alpha].builtins.websockets")
    assert code == 1 and "installed by alpha-web[ext]" in problem["message"] and '"built-in"' in problem["fix"]
    overlay["framework"][0]["builtins"] = {"websockets": "built-in"}
    code, report = validate(capsys, tmp_path, overlay)
    assert code == 0, report["problems"]


def test_r2_only_a_built_in_cell_through_an_extra_names_a_package(capsys, tmp_path):
    path = write(tmp_path / "overlay.toml", {"framework": [{"id": "alpha", "builtins": {"websockets": "built-in"}}]})
    assert cli.main(["--data", str(MINIMAL), "validate", "--overlay", str(path)]) == 2
    assert "an extra of the framework installs" in capsys.readouterr().err


def test_r3_an_extension_made_by_the_frameworks_project_is_first_party(capsys, tmp_path):
    code, report = validate(capsys, tmp_path, {"package": [{"name": "gamma-orm", "made_by": ["gamma"], "evidence": "By Gamma's author."}]})
    problem = found(report, "problems", "R3", "framework[gamma].builtins.orm")
    assert code == 1 and "By Gamma's author." in problem["message"] and '"first-party"' in problem["fix"]


def test_r3_a_first_party_package_must_be_made_by_the_framework(capsys, tmp_path):
    code, report = validate(capsys, tmp_path, {"package": [{"name": "alpha-sockets", "made_by": [], "evidence": "A third party's."}]})
    problem = found(report, "problems", "R3", "framework[alpha].builtins.websockets")
    assert code == 1 and "third party" in problem["message"]


def test_r3_a_first_party_package_of_the_base_counts_for_its_child(capsys, tmp_path):
    delta = child_of("alpha", builtins={"sessions": "first-party"}, builtin_packages={"sessions": "alpha-sockets"},
                     builtin_notes={"sessions": "alpha-sockets keeps sessions too."})
    code, report = validate(capsys, tmp_path, {"framework": [delta]})
    assert code == 0, report["problems"]


def test_r4_every_named_package_has_a_registry_entry(capsys, tmp_path):
    overlay = {"framework": [{"id": "gamma", "builtin_packages": {"orm": "gamma-orm-2"}, "builtin_notes": {"orm": "Now gamma-orm-2."}}]}
    code, report = validate(capsys, tmp_path, overlay)
    problem = found(report, "problems", "R4", "framework[gamma].builtin_packages.orm")
    assert code == 1 and "gamma-orm-2 has no [[package]] entry" in problem["message"]


def test_r4_a_quiet_extension_is_a_warning_and_its_cell_is_marked(capsys, tmp_path):
    overlay = {"package": [{"name": "gamma-orm", "last_release": dt.date(2023, 12, 31)}]}  # more than 24 months before 2026-01-01
    code, report = validate(capsys, tmp_path, overlay)
    warning = found(report, "warnings", "R4", "framework[gamma].builtins.orm")
    assert code == 0 and "quiet: no release since 2023-12" in warning["message"]
    data = dataset.load(MINIMAL, tmp_path / "overlay.toml")
    assert data.framework("gamma").quiet == {"orm": "2023-12"}
    overlay["package"][0]["last_release"] = dt.date(2024, 1, 1)  # exactly 24 months: not yet quiet
    code, report = validate(capsys, tmp_path, overlay)
    assert not [w for w in report["warnings"] if w["rule"] == "R4"]
    assert dataset.load(MINIMAL, tmp_path / "overlay.toml").framework("gamma").quiet == {}


def test_r5_a_family_members_fit_far_from_its_bases_needs_a_reason(capsys, tmp_path):
    overlay = {"framework": [child_of("alpha")],
               "use_case": [{"id": "api", "picks": [{"framework": "beta", "fit": 100, "why": "Beta is for APIs."},
                                                    {"framework": "alpha", "fit": 50, "why": "Alpha can do it."},
                                                    {"framework": "delta", "fit": 90, "why": "Delta adds an API layer."}]}]}
    code, report = validate(capsys, tmp_path, overlay)
    warning = found(report, "warnings", "R5", "use_case[api].picks[delta].fit")
    assert code == 0 and "delta fit 90 vs alpha 50" in warning["message"]
    overlay["use_case"][0]["picks"][2]["why"] = "Delta adds the API layer Alpha lacks."
    code, report = validate(capsys, tmp_path, overlay)
    assert not [w for w in report["warnings"] if w["path"] == "use_case[api].picks[delta].fit"]


def test_r5_fits_far_apart_with_the_wanted_built_ins_at_the_same_levels_are_flagged(capsys, tmp_path):
    overlay = {"framework": [{"id": "alpha", "builtins": {"validation": "built-in"}}]}  # now as beta, which fits 100 to its 50
    code, report = validate(capsys, tmp_path, overlay)
    warning = found(report, "warnings", "R5", "use_case[api].picks[alpha].fit")
    assert code == 0 and "alpha fit 50 vs beta 100" in warning["message"] and "Beta" in warning["fix"]
    code, report = validate(capsys, tmp_path, {"framework": [{"id": "alpha", "tagline": "As it was."}]})
    assert not [w for w in report["warnings"] if w["rule"] == "R5"]
    # The lower fit's why says how it stands against the other, by name: the judgement is on record.
    overlay["use_case"] = [{"id": "api", "picks": [{"framework": "beta", "fit": 100, "why": "Beta is for APIs."},
                                                   {"framework": "alpha", "fit": 50, "why": "Alpha can do it, with less help than Beta gives."}]}]
    code, report = validate(capsys, tmp_path, overlay)
    assert code == 0 and not [w for w in report["warnings"] if w["rule"] == "R5"]


def test_r6_a_status_needs_its_source_and_a_missing_status_is_a_warning(capsys, tmp_path):
    code, report = validate(capsys, tmp_path, {"framework": [{"id": "alpha", "status": "beta"}]})
    assert code == 1 and found(report, "problems", "R6", "framework[alpha].status_source")
    assert found(report, "warnings", "R6", "framework[beta].status")["fix"].startswith("set status (stable, beta, alpha, inactive)")
    code, report = validate(capsys, tmp_path, {"framework": [{"id": "alpha", "status": "beta", "status_source": "Classifier 4 - Beta."}]})
    assert code == 0 and not [w for w in report["warnings"] if w["path"] == "framework[alpha].status"]


def test_r6_status_is_one_of_four_words(capsys, tmp_path):
    path = write(tmp_path / "overlay.toml", {"framework": [{"id": "alpha", "status": "mature", "status_source": "Says so."}]})
    assert cli.main(["--data", str(MINIMAL), "validate", "--overlay", str(path)]) == 2


@pytest.mark.parametrize(("count", "community"), [(50_000, "very-large"), (49_999, "large"), (15_000, "large"), (3_000, "medium"), (2_999, "small")])
def test_r7_community_size_follows_the_stars(capsys, tmp_path, count, community):
    stars = {"count": count, "read_on": dt.date(2026, 1, 1), "source": "seed"}
    code, report = validate(capsys, tmp_path, {"framework": [{"id": "alpha", "stars": stars}]})
    r7 = [w for w in report["warnings"] if w["rule"] == "R7" and w["path"] == "framework[alpha].community"]
    assert code == 0
    if community == "very-large":
        assert not r7
    else:
        assert len(r7) == 1 and r7[0]["fix"] == f'set community = "{community}"'


def test_validate_prints_problems_and_warnings_with_their_fixes(capsys, tmp_path):
    path = write(tmp_path / "overlay.toml", {"framework": [{"id": "alpha", "status": "beta"}]})
    assert cli.main(["--data", str(MINIMAL), "validate", "--overlay", str(path)]) == 1
    out = capsys.readouterr().out
    assert "1 problem:\n  framework[alpha].status_source: status beta without its source [R6]; fix: say how it is known" in out
    assert "warnings:" in out and "breaks the rules (3 frameworks, 1 use cases): 1 problem" in out


def test_the_bundled_dataset_breaks_no_rule(bundled):
    from fwtui import rules

    assert [f.render() for f in rules.check(bundled).problems] == []


# Quiet cells and status, as scored and shown --------------------------------------------------


def quiet_gamma(tmp_path: Path, factor: float) -> Any:
    """The minimal dataset with gamma's ORM package quiet since 2023-10, and the given quiet_factor."""
    overlay = {"package": [{"name": "gamma-orm", "last_release": dt.date(2023, 10, 2)}], "decision": {"quiet_factor": factor}}
    return dataset.load(MINIMAL, write(tmp_path / "quiet.toml", overlay))


def test_a_quiet_cell_scores_quiet_factor_of_its_level(tmp_path):
    from fwtui.decide import Criteria, rank

    def gamma(factor: float) -> Any:
        return next(e for e in rank(quiet_gamma(tmp_path, factor), Criteria(nice=("orm",))) if e.framework.id == "gamma")

    full, halved = gamma(1.0), gamma(0.5)
    assert full.score == 40 and halved.score == 20  # an extension scores 0.4 of the need's weight, quiet half that
    assert any("quiet since 2023-10" in reason.text for reason in halved.reasons)


def test_a_quiet_cell_is_marked_wherever_cells_are_shown(tmp_path, capsys):
    from rich.console import Console

    from fwtui import matrix
    from fwtui.widgets.details import builtins_table

    data = quiet_gamma(tmp_path, 0.5)
    gamma = data.framework("gamma")
    assert summary.level_words(data, gamma, "orm") == "community extension, quiet since 2023-10"
    row = next(row for row in matrix.rows(data) if row.field == "builtins.orm")
    cell = matrix.cell(data, gamma, row)
    assert cell.text.startswith("+~") and "quiet since 2023-10" in cell.full
    assert "ORM (quiet since 2023-10)" in summary.framework_markdown(data, gamma)
    console = Console(width=200, record=True)
    console.print(builtins_table(data, gamma))
    assert "community extension gamma-orm, quiet since 2023-10" in console.export_text()
    assert matrix.record(data, gamma)["quiet"] == {"orm": "2023-10"}


def test_status_is_shown_in_details_compare_and_the_list(tmp_path, capsys):
    from fwtui import matrix

    overlay = {"framework": [{"id": "alpha", "status": "beta", "status_source": "Classifier 4 - Beta."}],
               "comparison": [{"id": "status", "label": "Status", "field": "status"}]}
    data = dataset.load(MINIMAL, write(tmp_path / "status.toml", overlay))
    alpha = data.framework("alpha")
    assert ("Status", "Beta: Classifier 4 - Beta.") in summary.facts(data, alpha)
    row = next(row for row in matrix.rows(data) if row.field == "status")
    assert matrix.cell(data, alpha, row).full == "Status: beta. Classifier 4 - Beta."
    assert matrix.cell(data, data.framework("beta"), row).text == "—"
    assert cli.main(["--data", str(MINIMAL), "--overlay", str(tmp_path / "status.toml"), "list", "--format", "json"]) == 0
    listed = {f["id"]: f for f in json.loads(capsys.readouterr().out)["framework"]}
    assert listed["alpha"]["status"] == "beta" and "status" not in listed["beta"]


def test_the_docs_state_the_thresholds_the_code_checks():
    from fwtui import rules
    from helpers import ROOT

    text = " ".join((ROOT / "docs" / "dataset.md").read_text(encoding="utf-8").split())
    for size, least in vocabulary.COMMUNITY_STARS.items():
        if least:
            assert f"`{size}` from {least:,}" in text, size
    assert f"fits are more than {rules.FIT_GAP} apart" in text
    assert f"more than {vocabulary.QUIET_AFTER_MONTHS} months before the dataset's `meta.as_of`" in text


def test_every_bundled_framework_has_a_status_and_its_source(bundled):
    assert [f.id for f in bundled.frameworks if not (f.status and f.status_source)] == []
