"""Bounds on hostile input: file size (inflated too), row count and record length are
checked before DuckDB reads the file, and exceeding one refuses the file in one line."""

from __future__ import annotations

import gzip
from pathlib import Path

from typer.testing import CliRunner

from purser.cli import app
from purser.config import IngestLimits
from purser.warehouse import Outcome, Warehouse, ingest_focus, reader
from tests.warehouse.conftest import write_focus


def _only(warehouse: Warehouse, path: Path, limits: IngestLimits) -> tuple[Outcome, str]:
    [result] = ingest_focus(warehouse, [path], limits).files
    assert all("\n" not in error.message for error in result.errors)
    return result.outcome, result.errors[0].message if result.errors else ""


def test_a_file_over_the_size_bound_is_refused(warehouse: Warehouse, tmp_path: Path) -> None:
    path = write_focus(tmp_path / "big.csv", [{"ChargeDescription": "x" * 1000}] * 1200)
    outcome, message = _only(warehouse, path, IngestLimits(max_file_mb=1))
    assert outcome is Outcome.refused and "over the bound of 1 MB" in message
    assert not (warehouse.folder / "billing").exists()


def test_a_gzip_file_that_inflates_past_the_bound_is_refused(warehouse: Warehouse,
                                                            tmp_path: Path) -> None:
    plain = write_focus(tmp_path / "plain.csv", [{"ChargeDescription": "y" * 1000}] * 1200)
    packed = tmp_path / "bomb.csv.gz"
    packed.write_bytes(gzip.compress(plain.read_bytes()))
    assert packed.stat().st_size < 1 << 20
    outcome, message = _only(warehouse, packed, IngestLimits(max_file_mb=1))
    assert outcome is Outcome.refused and "inflates to more than 1 MB" in message


def test_more_rows_than_the_bound_refuse_the_file(warehouse: Warehouse, tmp_path: Path) -> None:
    path = write_focus(tmp_path / "rows.csv", [{}] * 6)
    outcome, message = _only(warehouse, path, IngestLimits(max_rows=5))
    assert outcome is Outcome.refused and message.startswith("more than 5 rows")
    assert _only(warehouse, path, IngestLimits(max_rows=6))[0] is Outcome.ingested


def test_a_50_mb_line_refuses_the_file_before_duckdb_reads_it(warehouse: Warehouse,
                                                              tmp_path: Path) -> None:
    # DuckDB 2.0.1 itself drops such a line silently, after taking a buffer the size of it.
    path = write_focus(tmp_path / "huge.csv", [{}, {"ServiceName": "x" * (50 << 20)}, {}])
    [result] = ingest_focus(warehouse, [path]).files
    assert result.outcome is Outcome.refused
    [error] = result.errors
    assert (error.file, error.line) == (str(path), 3)
    assert "longer than 15,728,640 bytes" in error.message


def test_a_long_quoted_value_cannot_smuggle_rows(warehouse: Warehouse, tmp_path: Path) -> None:
    # Lines inside one quoted value that look like rows: past half its buffer DuckDB
    # splits such a value into rows, so the file is refused as a whole instead.
    inner = write_focus(tmp_path / "inner.csv", [{"BilledCost": "1000"}] * 2000)
    rows = inner.read_text().splitlines()[1:]
    smuggled = "\n".join(rows).replace('"', "")
    path = write_focus(tmp_path / "quoted.csv", [{}, {"ChargeDescription": smuggled}, {}])
    outcome, message = _only(warehouse, path, IngestLimits(max_line_kb=16))
    assert outcome is Outcome.refused and "beginning on line 3" in message
    assert not (warehouse.folder / "billing").exists()


def test_rejected_rows_are_counted_past_the_recorded_ones(warehouse: Warehouse, tmp_path: Path,
                                                         monkeypatch) -> None:
    monkeypatch.setattr(reader, "RECORDED", 3)
    path = write_focus(tmp_path / "bad.csv", [{}] + [{"BilledCost": "x"}] * 7 + [{}])
    [result] = ingest_focus(warehouse, [path]).files
    assert (result.outcome, result.rows, result.rejected) == (Outcome.ingested, 2, 7)


def test_purser_yaml_sets_the_bounds_of_the_cli(repo: Path, tmp_path: Path) -> None:
    (repo / "purser.yaml").write_text("warehouse:\n  ingest: {max_rows: 2}\n")
    path = write_focus(tmp_path / "three.csv", [{}, {}, {}])
    result = CliRunner().invoke(app, ["ingest", "focus", str(path), "--repo", str(repo)])
    assert result.exit_code == 2
    assert f"error: {path}: more than 2 rows (warehouse.ingest.max_rows" in result.stderr
    assert "Traceback" not in result.stderr
