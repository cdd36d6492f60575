"""Ingest files into the warehouse: each file checked, staged, stored and recorded on its
own, so that one bad file never stops the others."""

from __future__ import annotations

import stat
from collections.abc import Iterable
from pathlib import Path

from purser.warehouse import manifest, partitions
from purser.warehouse.dataset import Dataset
from purser.warehouse.errors import WarehouseError
from purser.warehouse.focus import FOCUS, derive
from purser.warehouse.metrics import METRICS
from purser.warehouse.reader import stage
from purser.warehouse.report import FileResult, IngestReport, Outcome, RowError
from purser.warehouse.warehouse import EXTRA_COLUMNS, Warehouse

STAGED = "staged"


def ingest_focus(warehouse: Warehouse, files: Iterable[Path]) -> IngestReport:
    """FOCUS 1.0–1.3 billing files (CSV, gzip CSV or Parquet)."""
    return ingest(warehouse, FOCUS, files)


def ingest_metrics(warehouse: Warehouse, files: Iterable[Path]) -> IngestReport:
    """Metric files of (timestamp, resource_id, metric, value[, unit]) rows."""
    return ingest(warehouse, METRICS, files)


def ingest(warehouse: Warehouse, dataset: Dataset, files: Iterable[Path]) -> IngestReport:
    return IngestReport(files=[_one(warehouse, dataset, path) for path in files])


def _one(warehouse: Warehouse, dataset: Dataset, path: Path) -> FileResult:
    label = str(path)
    try:
        real = _regular_file(path)
        content = manifest.digest(real)
        earlier = manifest.recorded(warehouse.folder, dataset.name, content)
        if earlier is not None:
            return earlier.model_copy(update={"file": label, "outcome": Outcome.unchanged})
        return _store(warehouse, dataset, real, label, content)
    except (WarehouseError, OSError) as exc:
        return _refused(dataset, label, str(exc))
    except Exception as exc:  # DuckDB's errors: the file is unreadable, not purser broken
        if type(exc).__module__.split(".")[0] not in ("duckdb", "_duckdb"):
            raise
        return _refused(dataset, label, str(exc).strip().splitlines()[0])


def _store(warehouse: Warehouse, dataset: Dataset, path: Path, label: str,
           content: str) -> FileResult:
    with warehouse.session(path) as con:
        staged = stage(con, path, dataset, STAGED, label)
        table = derive(con, STAGED) if dataset is FOCUS else STAGED
        columns = [*dataset.columns, *EXTRA_COLUMNS.get(dataset.name, {})]
        months = partitions.write(con, table, dataset, warehouse.folder, content, columns)
    result = FileResult(file=label, dataset=dataset.name, outcome=Outcome.ingested,
                        digest=content, rows=staged.rows, rejected=staged.rejected,
                        months=months, errors=staged.errors)
    manifest.record(warehouse.folder, result)
    return result


def _regular_file(path: Path) -> Path:
    """The file itself (links followed): a FIFO, device or folder is never opened."""
    real = path.resolve()
    mode = real.stat().st_mode
    if not stat.S_ISREG(mode):
        raise WarehouseError("not a regular file")
    return real


def _refused(dataset: Dataset, label: str, message: str) -> FileResult:
    if isinstance(message, str) and message.startswith("[Errno"):
        message = message.split("] ", 1)[-1]
    return FileResult(file=label, dataset=dataset.name, outcome=Outcome.refused,
                      errors=[RowError(file=label, message=message)])
