"""Live sources of metrics (Prometheus, CloudWatch): each fetches rows of the METRICS shape,
and `ingest_rows` stores them through the same file ingest as `purser ingest metrics FILE`,
so validation and idempotency (same rows, same digest) stay one implementation."""

from __future__ import annotations

import csv
import datetime
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from purser.warehouse.ingest import ingest_metrics
from purser.warehouse.report import FileResult, IngestReport
from purser.warehouse.warehouse import Warehouse


@dataclass(frozen=True, order=True)
class MetricRow:
    timestamp: datetime.datetime  # UTC
    resource_id: str
    metric: str
    value: float
    unit: str = ""


def ingest_rows(warehouse: Warehouse, rows: Iterable[MetricRow], label: str) -> IngestReport:
    """Store `rows` (sorted, so the same fetch twice is the same content) as one ingest
    labelled `label` in the report."""
    with tempfile.TemporaryDirectory(prefix="purser-metrics-") as folder:
        path = Path(folder, "metrics.csv")
        with path.open("w", newline="") as stream:
            writer = csv.writer(stream)
            writer.writerow(("timestamp", "resource_id", "metric", "value", "unit"))
            for row in sorted(rows):
                stamp = row.timestamp.astimezone(datetime.UTC).replace(tzinfo=None)
                writer.writerow((stamp.isoformat(sep=" "), row.resource_id, row.metric,
                                 repr(row.value), row.unit))
        report = ingest_metrics(warehouse, [path])
    return IngestReport(files=[_relabelled(result, label) for result in report.files])


def _relabelled(result: FileResult, label: str) -> FileResult:
    """The source's name in place of the temporary file's, in the result and its errors."""
    errors = [error.model_copy(update={"file": label}) for error in result.errors]
    return result.model_copy(update={"file": label, "errors": errors})
