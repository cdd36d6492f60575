"""Ingest files into the warehouse: each file screened against the bounds, read once
straight into Parquet, and recorded on its own, so that one bad file never stops the others."""

from __future__ import annotations

import stat
from collections.abc import Iterable
from pathlib import Path

from purser.config import IngestLimits
from purser.warehouse import manifest, partitions
from purser.warehouse.bounds import Refused, Screened, screen
from purser.warehouse.dataset import Dataset
from purser.warehouse.errors import WarehouseError
from purser.warehouse.focus import FOCUS, derive, refuse_other_datasets
from purser.warehouse.metrics import KEY, METRICS
from purser.warehouse.reader import rows_of
from purser.warehouse.report import FileResult, IngestReport, Outcome, RowError
from purser.warehouse.warehouse import EXTRA_COLUMNS, Warehouse


def ingest_focus(warehouse: Warehouse, files: Iterable[Path],
                 limits: IngestLimits | None = None) -> IngestReport:
    """FOCUS 1.0–1.3 cost and usage files (CSV, gzip CSV or Parquet)."""
    return ingest(warehouse, FOCUS, files, limits)


def ingest_metrics(warehouse: Warehouse, files: Iterable[Path],
                   limits: IngestLimits | None = None) -> IngestReport:
    """Metric files of (timestamp, resource_id, metric, value[, unit]) rows; a row stored
    again for the same timestamp, resource and metric replaces the earlier one."""
    return ingest(warehouse, METRICS, files, limits)


def ingest(warehouse: Warehouse, dataset: Dataset, files: Iterable[Path],
           limits: IngestLimits | None = None) -> IngestReport:
    bounds = limits or IngestLimits()
    return IngestReport(files=[_one(warehouse, dataset, path, bounds) for path in files])


def _one(warehouse: Warehouse, dataset: Dataset, path: Path, limits: IngestLimits) -> FileResult:
    label = str(path)
    try:
        real = _regular_file(path)
        screened = screen(real, limits)
        earlier = manifest.recorded(warehouse.folder, dataset.name, screened.digest)
        if earlier is not None:
            return earlier.model_copy(update={"file": label, "outcome": Outcome.unchanged})
        return _store(warehouse, dataset, real, label, screened, limits)
    except Refused as exc:
        return _refused(dataset, label, str(exc), exc.line)
    except (WarehouseError, OSError) as exc:
        return _refused(dataset, label, str(exc))
    except Exception as exc:  # DuckDB's errors: the file is unreadable, not purser broken
        if type(exc).__module__.split(".")[0] not in ("duckdb", "_duckdb"):
            raise
        return _refused(dataset, label, str(exc).strip().splitlines()[0])


def _store(warehouse: Warehouse, dataset: Dataset, path: Path, label: str,
           screened: Screened, limits: IngestLimits) -> FileResult:
    focus = dataset is FOCUS
    with warehouse.session(path) as con:
        rows = rows_of(con, path, dataset, label, screened, limits,
                       refuse_other_datasets if focus else None)
        query = derive(con, rows.query) if focus else rows.query
        columns = [*dataset.columns, *EXTRA_COLUMNS.get(dataset.name, {})]
        stored, months = partitions.write(con, query, dataset, warehouse.folder,
                                          screened.digest, columns)
        rejected = rows.rejected(con, stored)
        if dataset is METRICS:
            partitions.supersede(con, dataset, warehouse.folder, screened.digest, months, KEY)
    result = FileResult(file=label, dataset=dataset.name, outcome=Outcome.ingested,
                        digest=screened.digest, rows=stored, rejected=rejected.rows,
                        months=months, errors=rejected.errors)
    manifest.record(warehouse.folder, result)
    return result


def _regular_file(path: Path) -> Path:
    """The file itself (links followed): a FIFO, device or folder is never opened."""
    real = path.resolve()
    mode = real.stat().st_mode
    if not stat.S_ISREG(mode):
        raise WarehouseError("not a regular file")
    return real


def _refused(dataset: Dataset, label: str, message: str, line: int | None = None) -> FileResult:
    if isinstance(message, str) and message.startswith("[Errno"):
        message = message.split("] ", 1)[-1]
    return FileResult(file=label, dataset=dataset.name, outcome=Outcome.refused,
                      errors=[RowError(file=label, line=line, message=message)])
