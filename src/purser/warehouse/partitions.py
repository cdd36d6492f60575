"""Writing a query's rows as Parquet partitions by month, atomically per file.

Each input's rows land in `<dataset>/month=YYYY-MM/part-<digest>-<n>.parquet`, named by the
input's content digest: ingesting the same content again replaces the same files, never
adds a copy. Files are written to a staging folder first and renamed into place.

A dataset with a key (metrics: timestamp, resource, metric) keeps one row per key: rows that
a later ingest stores again (a live fetch whose window overlaps the one before) are taken out
of the earlier files, so the latest fetch wins.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import TYPE_CHECKING

from purser.warehouse.dataset import Dataset
from purser.warehouse.reader import literal, number
from purser.warehouse.warehouse import MONTH

if TYPE_CHECKING:
    from duckdb import DuckDBPyConnection


def write(con: DuckDBPyConnection, query: str, dataset: Dataset, folder: Path,
          digest: str, columns: list[str]) -> tuple[int, list[str]]:
    """Store `columns` of `query` under `folder` partitioned by month, in one pass over the
    query's input; the rows written and the months."""
    stem = _stem(digest)
    staging = folder / ".staging" / stem
    shutil.rmtree(staging, ignore_errors=True)
    staging.parent.mkdir(parents=True, exist_ok=True)
    month = f"strftime({dataset.month_of}, '%Y-%m')"
    chosen = ", ".join(f'"{column}"' for column in columns)
    written = number(con, f"COPY (SELECT {chosen}, {month} AS {MONTH} FROM ({query})) "
                          f"TO {literal(str(staging))} "
                          f"(FORMAT parquet, PARTITION_BY ({MONTH}), "
                          f"FILENAME_PATTERN '{stem}-{{i}}')")
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
    return written, months


def supersede(con: DuckDBPyConnection, dataset: Dataset, folder: Path, digest: str,
              months: list[str], key: tuple[str, ...]) -> int:
    """Take out of the other files of `months` the rows whose `key` the files of `digest`
    hold; the number of rows taken out."""
    stem, removed = _stem(digest), 0
    joined = " AND ".join(f'o."{c}" IS NOT DISTINCT FROM n."{c}"' for c in key)
    for month in months:
        partition = folder / dataset.name / f"{MONTH}={month}"
        fresh = sorted(partition.glob(f"{stem}-*.parquet"))
        if not fresh:
            continue
        latest = _parquet(fresh)
        for old in sorted(set(partition.glob("*.parquet")) - set(fresh)):
            removed += _without(con, old, latest, joined, folder / ".staging" / old.name)
    return removed


def _without(con: DuckDBPyConnection, old: Path, latest: str, joined: str,
             temporary: Path) -> int:
    """Rewrite `old` without its rows that `latest` holds again; how many those were."""
    earlier = _parquet([old])
    count = number(con, f"SELECT count(*) FROM {earlier} o WHERE EXISTS "
                        f"(SELECT 1 FROM {latest} n WHERE {joined})")
    if not count:
        return 0
    kept = number(con, f"COPY (SELECT * FROM {earlier} o WHERE NOT EXISTS "
                       f"(SELECT 1 FROM {latest} n WHERE {joined})) "
                       f"TO {literal(str(temporary))} (FORMAT parquet)")
    if kept:
        temporary.replace(old)
    else:
        temporary.unlink(missing_ok=True)
        old.unlink()
    return count


def _parquet(files: list[Path]) -> str:
    listed = ", ".join(literal(str(path)) for path in files)
    return f"read_parquet([{listed}], hive_partitioning = false)"


def _stem(digest: str) -> str:
    return f"part-{digest[:32]}"
