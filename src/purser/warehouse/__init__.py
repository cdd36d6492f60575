"""The warehouse: FOCUS billing and per-resource metrics as Parquet partitioned by month,
queried with DuckDB, or with Apache Spark for large estates (`purser.warehouse.queries` holds
every query, `purser.warehouse.engines` the two engines that run them).

Importing this package imports neither DuckDB nor pandas; its functions do when called.
"""

from purser.warehouse.errors import WarehouseError
from purser.warehouse.ingest import ingest_focus, ingest_metrics
from purser.warehouse.report import FileResult, IngestReport, Outcome, RowError
from purser.warehouse.warehouse import Warehouse

__all__ = ["FileResult", "IngestReport", "Outcome", "RowError", "Warehouse", "WarehouseError",
           "ingest_focus", "ingest_metrics"]
