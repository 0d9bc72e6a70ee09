"""Saved `fwtui bench` results reach the engine, Compare, Details and the CLI; without them the claims stay, marked as claims."""

from __future__ import annotations

import datetime as dt
import json

from fwtui.bench.saved import Machine, SavedResult, save_results
from fwtui.cli import main

DAY = dt.date(2026, 11, 25)


def save(rps: dict[str, float]) -> None:
    machine = Machine("Test CPU", 2, "Linux", "3.11", "built-in")
    results = [SavedResult(fid, DAY, value, value * 0.9, value * 1.1, 1.0, 4.0, 0, 3, "built-in", "server", {})
               for fid, value in rps.items()]
    save_results(machine, results)


def recommend(capsys, *args):
    assert main(["recommend", *args, "--format", "json"]) == 0
    return {entry["id"]: entry for entry in json.loads(capsys.readouterr().out)["ranking"]}


def test_without_measurements_performance_is_a_marked_claim(capsys):
    flask = recommend(capsys, "--perf", "high")["flask"]
    assert any("claimed, not measured here" in r["text"] for r in flask["reasons"])


def test_measured_ranks_drive_the_performance_criterion(capsys):
    # Measured here, the claimed order is turned around: Flask far ahead of FastAPI.
    save({"flask": 20_000.0, "fastapi": 5_000.0, "django": 2_000.0})
    ranking = recommend(capsys, "--perf", "high")
    flask, fastapi = ranking["flask"], ranking["fastapi"]
    assert flask["score"] > fastapi["score"]
    assert any("Measured 20,000 requests/s on this machine on 2026-11-25 (1 of 3 measured)" in r["text"] for r in flask["reasons"])
    litestar = ranking["litestar"]  # not measured: its claim stays, and says so
    assert any("claimed, not measured here" in r["text"] for r in litestar["reasons"])


def test_compare_and_show_carry_the_measurement(capsys):
    save({"flask": 20_000.0, "django": 2_000.0})
    assert main(["compare", "flask", "django", "litestar", "--format", "json"]) == 0
    records = {r["id"]: r for r in json.loads(capsys.readouterr().out)["framework"]}
    assert records["flask"]["measured_requests_per_second"] == 20_000.0
    assert records["litestar"]["measured_requests_per_second"] is None
    assert main(["compare", "flask", "django"]) == 0
    assert "Req/s (json)" in capsys.readouterr().out
    assert main(["show", "flask", "--format", "markdown"]) == 0
    assert "20,000 requests/s median" in capsys.readouterr().out
