"""Writing a staged table as Parquet partitions by month, atomically per file.

Each input's rows land in `<dataset>/month=YYYY-MM/part-<digest>-<n>.parquet`, named by the
input's content digest: ingesting the same content again replaces the same files, never
adds a copy. Files are written to a staging folder first and renamed into place.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import TYPE_CHECKING

from purser.warehouse.dataset import Dataset
from purser.warehouse.reader import literal
from purser.warehouse.warehouse import MONTH

if TYPE_CHECKING:
    from duckdb import DuckDBPyConnection


def write(con: DuckDBPyConnection, table: str, dataset: Dataset, folder: Path,
          digest: str, columns: list[str]) -> list[str]:
    """Store `columns` of `table` under `folder` partitioned by month; the months written."""
    stem = f"part-{digest[:32]}"
    staging = folder / ".staging" / stem
    shutil.rmtree(staging, ignore_errors=True)
    staging.parent.mkdir(parents=True, exist_ok=True)
    month = f"strftime({dataset.month_of}, '%Y-%m')"
    chosen = ", ".join(f'"{column}"' for column in columns)
    con.execute(f"COPY (SELECT {chosen}, {month} AS {MONTH} FROM {table}) "
                f"TO {literal(str(staging))} "
                f"(FORMAT parquet, PARTITION_BY ({MONTH}), FILENAME_PATTERN '{stem}-{{i}}')")
    target = folder / dataset.name
    for old in target.glob(f"{MONTH}=*/{stem}-*.parquet"):
        old.unlink()
    months = []
    for partition in sorted(staging.glob(f"{MONTH}=*")):
        (target / partition.name).mkdir(parents=True, exist_ok=True)
        for part in partition.glob("*.parquet"):
            part.replace(target / partition.name / part.name)
        months.append(partition.name.split("=", 1)[1])
    shutil.rmtree(staging, ignore_errors=True)
    return months
