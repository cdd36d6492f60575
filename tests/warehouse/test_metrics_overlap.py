"""Metric fetches whose windows overlap store each (timestamp, resource, metric) once: the
latest ingest's value replaces the earlier one, rows outside the overlap stay."""

from __future__ import annotations

import datetime
from pathlib import Path

from purser.warehouse import Outcome, Warehouse, ingest_metrics
from purser.warehouse.sources import MetricRow, ingest_rows

ARN = "arn:aws:lambda:us-east-1:1:function:f"


def _write(path: Path, hours: range, value: float, metric: str = "invocations") -> Path:
    lines = ["timestamp,resource_id,metric,value,unit"]
    lines += [f"2026-05-31 {hour:02d}:00:00,{ARN},{metric},{value},Count" for hour in hours]
    path.write_text("\n".join(lines) + "\n")
    return path


def _stored(warehouse: Warehouse) -> list[tuple[int, str, float]]:
    frame = warehouse.frame("SELECT hour(timestamp) AS h, CAST(metric AS VARCHAR) AS m, value "
                            "FROM metrics ORDER BY 1, 2")
    return [(int(r.h), r.m, float(r.value)) for r in frame.itertuples()]


def test_an_overlapping_ingest_replaces_the_rows_it_repeats(warehouse: Warehouse,
                                                            tmp_path: Path) -> None:
    first = _write(tmp_path / "first.csv", range(0, 6), 1.0)
    second = _write(tmp_path / "second.csv", range(4, 10), 2.0)
    other_metric = _write(tmp_path / "errors.csv", range(4, 6), 9.0, metric="errors")
    ingest_metrics(warehouse, [first, other_metric])
    [result] = ingest_metrics(warehouse, [second]).files
    assert (result.outcome, result.rows) == (Outcome.ingested, 6)
    stored = _stored(warehouse)
    assert [(h, v) for h, m, v in stored if m == "invocations"] == \
        [(h, 1.0) for h in range(4)] + [(h, 2.0) for h in range(4, 10)]
    assert [(h, v) for h, m, v in stored if m == "errors"] == [(4, 9.0), (5, 9.0)]
    # the earlier content again is already recorded: the latest fetch keeps its rows
    assert ingest_metrics(warehouse, [first]).files[0].outcome is Outcome.unchanged
    assert len(_stored(warehouse)) == 12


def test_a_fetch_wholly_inside_an_earlier_one_leaves_no_empty_file(warehouse: Warehouse,
                                                                  tmp_path: Path) -> None:
    ingest_metrics(warehouse, [_write(tmp_path / "a.csv", range(2, 4), 1.0)])
    ingest_metrics(warehouse, [_write(tmp_path / "b.csv", range(0, 6), 3.0)])
    assert [v for _, _, v in _stored(warehouse)] == [3.0] * 6
    assert len(list((warehouse.folder / "metrics").rglob("*.parquet"))) == 1


def test_overlapping_live_fetches_store_each_point_once(warehouse: Warehouse) -> None:
    def fetch(start: int, end: int, value: float) -> list[MetricRow]:
        day = datetime.datetime(2026, 5, 31, tzinfo=datetime.UTC)
        return [MetricRow(day + datetime.timedelta(hours=h), ARN, "cpu", value, "Percent")
                for h in range(start, end)]

    ingest_rows(warehouse, fetch(0, 12, 40.0), "prometheus first")
    ingest_rows(warehouse, fetch(6, 18, 50.0), "prometheus second")
    assert [(h, v) for h, _, v in _stored(warehouse)] == \
        [(h, 40.0) for h in range(6)] + [(h, 50.0) for h in range(6, 18)]
