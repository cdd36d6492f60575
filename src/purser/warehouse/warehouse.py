"""The warehouse: a folder of Parquet partitioned by month, read and written through DuckDB
sessions that can touch nothing but that folder (and, while ingesting, the input file)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from purser.warehouse.dataset import Dataset
from purser.warehouse.focus import DERIVED, FOCUS
from purser.warehouse.location import warehouse_folder
from purser.warehouse.metrics import METRICS
from purser.warehouse.queries import DUCKDB
from purser.warehouse.reader import literal

if TYPE_CHECKING:
    import pandas
    from duckdb import DuckDBPyConnection

DATASETS = (FOCUS, METRICS)
EXTRA_COLUMNS = {"billing": dict.fromkeys(DERIVED, "VARCHAR")}
MONTH = "month"  # the Hive partition column: month=YYYY-MM


class Warehouse:
    """DuckDB over the Parquet files of one warehouse folder."""

    dialect = DUCKDB

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    @classmethod
    def of_repository(cls, root: Path, option: Path | None = None, *,
                      create: bool = True) -> Warehouse:
        return cls(warehouse_folder(root, option, create=create))

    def session(self, *readable: Path) -> DuckDBPyConnection:
        """A DuckDB connection limited to this folder and `readable` files: no other file,
        no network, no extension loading, settings locked."""
        import duckdb

        con = duckdb.connect(config={"autoinstall_known_extensions": False,
                                     "autoload_known_extensions": False})
        con.execute("SET TimeZone = 'UTC'")  # FOCUS date-times are UTC
        # A month partition is written out every 64 Ki rows rather than DuckDB's 512 Ki: an
        # ingest of a 600 MB bill takes half the memory (1.1 GB, not 2.1), no longer.
        con.execute("SET partitioned_write_flush_threshold = 65536")
        con.execute(f"SET allowed_directories = [{literal(str(self.folder) + '/')}]")
        if readable:
            con.execute(f"SET allowed_paths = [{', '.join(literal(str(p)) for p in readable)}]")
        con.execute("SET enable_external_access = false")
        con.execute("SET lock_configuration = true")
        return con

    def files(self, dataset: Dataset) -> list[Path]:
        return sorted((self.folder / dataset.name).glob(f"{MONTH}=*/*.parquet"))

    def reader(self) -> DuckDBPyConnection:
        """A session with one view per dataset (`billing`, `metrics`), empty when nothing has
        been ingested yet, so that every query runs on an empty warehouse too."""
        con = self.session()
        for dataset in DATASETS:
            con.execute(f"CREATE VIEW {dataset.name} AS {self._source(dataset)}")
        return con

    def frame(self, sql: str) -> pandas.DataFrame:
        with self.reader() as con:
            return con.execute(sql).df()

    def _source(self, dataset: Dataset) -> str:
        if self.files(dataset):
            pattern = literal(f"{self.folder}/{dataset.name}/{MONTH}=*/*.parquet")
            return (f"SELECT * FROM read_parquet({pattern}, hive_partitioning = true, "
                    "union_by_name = true)")
        nulls = ", ".join(f'CAST(NULL AS {kind}) AS "{name}"'
                          for name, kind in stored_columns(dataset).items())
        return f"SELECT {nulls} WHERE false"


def stored_columns(dataset: Dataset) -> dict[str, str]:
    """Every column a dataset's view has, with its DuckDB type, the month partition last."""
    columns = {c: dataset.stored_type(c) for c in dataset.columns}
    return columns | EXTRA_COLUMNS.get(dataset.name, {}) | {MONTH: "VARCHAR"}
