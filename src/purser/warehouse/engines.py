"""The two engines that run the warehouse's queries: DuckDB on this machine (the default) and
Apache Spark for estates with billions of billing rows. Both read the same Parquet, run the
same SQL from `purser.warehouse.queries` and return the same results."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum

from purser.warehouse.queries import Engine
from purser.warehouse.warehouse import Warehouse


class EngineName(StrEnum):
    duckdb = "duckdb"
    spark = "spark"


@contextmanager
def open_engine(warehouse: Warehouse, name: str = EngineName.duckdb) -> Iterator[Engine]:
    """The engine called `name` over `warehouse`, closed afterwards (Spark's session stops);
    pyspark is imported only when it is chosen."""
    if EngineName(name) is EngineName.duckdb:
        yield warehouse
        return
    from purser.warehouse.spark import spark_engine

    with spark_engine(warehouse) as engine:
        yield engine
