"""`purser ingest` and `purser spend` through the CLI: output and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from purser.cli import app
from tests.warehouse.conftest import write_focus

runner = CliRunner()


def _run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_ingest_exit_codes(repo: Path, tmp_path: Path, sample: Path) -> None:
    code, out, _ = _run("ingest", "focus", str(sample), "--repo", str(repo))
    assert code == 0 and "1000 rows into billing" in out
    bad_row = write_focus(tmp_path / "bad-row.csv", [{}, {"BilledCost": "x"}])
    code, _, err = _run("ingest", "focus", str(bad_row), "--repo", str(repo))
    assert code == 1 and f"{bad_row}:3: BilledCost:" in err
    bad_file = write_focus(tmp_path / "bad-file.csv", [{}], header=["BilledCost"])
    code, _, err = _run("ingest", "focus", str(bad_file), str(sample), "--repo", str(repo))
    assert code == 2 and "missing required columns" in err and "Traceback" not in err


def test_ingest_json_report(repo: Path, sample: Path) -> None:
    code, out, _ = _run("ingest", "focus", str(sample), "--repo", str(repo), "--format", "json")
    assert code == 0
    [entry] = json.loads(out)["files"]
    assert (entry["outcome"], entry["rows"], entry["months"]) == ("ingested", 1000,
                                                                  ["2024-09", "2024-10"])


def test_spend_names_currency_and_cost_column(repo: Path, sample: Path) -> None:
    _run("ingest", "focus", str(sample), "--repo", str(repo))
    code, out, _ = _run("spend", "--by", "tag:environment", "--repo", str(repo))
    assert code == 0 and "sum of EffectiveCost" in out and "14.98 USD" in out
    code, out, _ = _run("spend", "--by", "service", "--cost", "BilledCost", "--format", "json",
                        "--repo", str(repo))
    payload = json.loads(out)
    assert payload["cost_column"] == "BilledCost"
    assert payload["totals"]["USD"] == pytest.approx(20.52, abs=0.005)
    assert all(row["currency"] == "USD" for row in payload["rows"])


def test_spend_usage_errors_exit_2(repo: Path) -> None:
    assert _run("spend", "--by", "colour", "--repo", str(repo))[0] == 2
    assert _run("spend", "--from", "May 1st", "--repo", str(repo))[0] == 2
