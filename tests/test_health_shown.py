"""Measured figures (saved bench results) and health facts ([framework.health]) where people decide:
Compare's rows, Details and `show`, `compare` JSON, and Decide's performance and maturity reasons."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from fwtui import dataset, matrix, summary
from fwtui.bench.saved import Machine, SavedResult, measurement, save_results, save_run
from fwtui.cli import main
from fwtui.decide import ADVISORY_FACTOR, Criteria, maturity, rank
from fwtui.model import Advisory, Dataset

DAY = dt.date(2026, 12, 5)
RPS = {"flask": (4100.0, 3900.0, 4300.0), "fastapi": (6200.0, 5900.0, 6500.0)}


def run_record(framework_id: str, **changes: Any) -> dict[str, Any]:
    median, low, high = RPS[framework_id]
    record = {
        "id": framework_id, "workload": "json", "requests_per_second": {"median": median, "min": low, "max": high},
        "share_of_baseline": 0.47 if framework_id == "fastapi" else 0.455, "baseline": "raw-asgi" if framework_id == "fastapi" else "raw-wsgi",
        "import_ms": {"median": 212.0, "min": 200.0, "max": 230.0}, "cold_start_ms": {"median": 420.0, "min": 400.0, "max": 450.0},
        "rss_mb": {"idle": 41.3, "under_load": 43.9}, "footprint": {"distributions": 14, "disk_mb": 38.5},
    }
    record.update(changes)
    return record


def save(*records: dict[str, Any]) -> None:
    machine = Machine("Test CPU", 2, "Linux", "3.11", "built-in")
    save_results(machine, [SavedResult(fid, DAY, *values, 3.0, 9.0, 0, 3, "built-in", "uvicorn", {}) for fid, values in RPS.items()])
    plaintext = {**run_record("flask"), "workload": "plaintext", "share_of_baseline": 0.9}  # another workload: not read
    save_run({"machine": {"cpu": "Test CPU"}, "results": [*records, plaintext]})


@pytest.fixture
def bundled() -> Dataset:
    return dataset.load(dataset.bundled_path(), None)


def test_the_saved_run_adds_footprint_start_up_memory_and_share(bundled: Dataset) -> None:
    save(run_record("fastapi"), run_record("flask"))
    found = measurement()
    assert found is not None
    assert found.rps_range["fastapi"] == (5900.0, 6500.0)
    assert found.baseline_share == {"fastapi": (0.47, "raw-asgi"), "flask": (0.455, "raw-wsgi")}
    assert found.import_ms["fastapi"] == 212.0 and found.cold_start_ms["fastapi"] == 420.0
    assert found.rss_mb["fastapi"] == (41.3, 43.9) and found.footprint["fastapi"] == (14, 38.5)
    data = bundled._replace(measured=found)
    grid = {row.id: cells for row, cells in matrix.matrix(data, [data.framework("fastapi"), data.framework("flask")])}
    assert grid["measured-share"][0].text == "47% of raw ASGI"
    assert grid["measured"][0].text == "6.2k (5.9k-6.5k)"
    assert grid["measured-footprint"][0].text == "14 dists, 38 MB"
    assert "measured on this machine on 2026-12-05" in grid["measured-cold-start"][0].full
    assert matrix.group_title(data, matrix.MEASURED) == "Measured on this machine on 2026-12-05"


def test_untrusted_run_figures_are_left_out(bundled: Dataset) -> None:
    save(run_record("fastapi", import_ms={"median": "212"}, share_of_baseline=-1, baseline="evil", rss_mb=[1, 2],
                    footprint={"distributions": True, "disk_mb": 1e300}),
         run_record("flask", requests_per_second={"median": 1.0, "min": 1.0, "max": 1.0}))  # not the saved figure: a stale run
    found = measurement()
    assert found is not None
    assert not found.import_ms.get("fastapi") and not found.baseline_share and not found.rss_mb.get("fastapi")
    assert not found.footprint and "flask" not in found.cold_start_ms
    assert found.cold_start_ms["fastapi"] == 420.0


def test_compare_and_show_carry_measured_and_health(capsys: pytest.CaptureFixture[str]) -> None:
    save(run_record("fastapi"), run_record("flask"))
    assert main(["compare", "fastapi", "flask", "--format", "json"]) == 0
    records = {r["id"]: r for r in json.loads(capsys.readouterr().out)["framework"]}
    assert records["fastapi"]["measured"]["share_of_baseline"] == 0.47
    assert records["fastapi"]["measured"]["date"] == "2026-12-05"
    assert records["fastapi"]["health"]["releases_12_months"] >= 0
    assert main(["compare", "fastapi", "flask"]) == 0
    out = capsys.readouterr().out
    assert "Of baseline" in out and "No-GIL wheel" in out
    assert "Measured on this machine on 2026-12-05" in out and "From the index on 2026-12-07" in out
    assert main(["show", "fastapi", "--format", "markdown"]) == 0
    out = capsys.readouterr().out
    assert "47% of raw ASGI" in out and "14 distributions, 38.5 MB on disk" in out
    assert "(from the index on 2026-12-07)" in out


def test_health_cells_and_details_say_the_advisories(bundled: Dataset) -> None:
    flask = bundled.framework("flask")
    assert flask.health is not None
    health = flask.health._replace(advisories=(Advisory("PYSEC-2026-117", ("CVE-2026-41234",), ()),))
    advised = flask._replace(health=health)
    cell = matrix.health_cell(advised, "advisories")
    assert cell.text == "1: PYSEC-2026-117"
    assert "CVE-2026-41234" in cell.full and "no fix released" in cell.full
    assert "1 known advisory on flask" in summary.health_text(advised).replace(health.version, "flask")
    age = matrix.health_cell(advised, "last_release")
    assert age.text == f"{(health.read_on - health.last_release).days} days"


def test_maturity_counts_advisories_against_and_dates_recency_from_the_index(bundled: Dataset) -> None:
    community = bundled.decision.maintenance["long"]
    flask = bundled.framework("flask")
    assert flask.health is not None
    clean = maturity(flask, bundled.meta.as_of, community)
    advised = maturity(flask._replace(health=flask.health._replace(advisories=(Advisory("GHSA-1", (), ()),))), bundled.meta.as_of, community)
    assert advised.share == pytest.approx(clean.share * ADVISORY_FACTOR)
    assert "1 known advisory on" in advised.words and "from the index on 2026-12-07" in clean.words
    # Recency from the index's last release, not from the month of the latest final release.
    old = flask.health._replace(last_release=dt.date(2023, 1, 1))
    assert maturity(flask._replace(health=old), bundled.meta.as_of, community).share < clean.share
    assert "no release in 24 months (last 2023-01)" in maturity(flask._replace(health=old), bundled.meta.as_of, community).words


def test_decide_reason_says_the_share_of_baseline(bundled: Dataset) -> None:
    save(run_record("fastapi"), run_record("flask"))
    data = bundled._replace(measured=measurement())
    entry = next(e for e in rank(data, Criteria(performance="high"), what_if=False) if e.framework.id == "fastapi")
    assert any("on this machine on 2026-12-05 (1 of 2 measured, 47% of raw ASGI)" in r.text for r in entry.reasons)
    assert any("from the index on" in r.text for r in entry.reasons)
