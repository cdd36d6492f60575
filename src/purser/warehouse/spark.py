"""The Spark engine: the queries of `purser.warehouse.queries` on Apache Spark, over the same
month-partitioned Parquet, for estates whose billing outgrows one machine's DuckDB.

Only this module imports pyspark, and only when the Spark engine is chosen.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, cast

from purser.warehouse.dataset import Dataset
from purser.warehouse.errors import WarehouseError
from purser.warehouse.queries import SPARK
from purser.warehouse.warehouse import DATASETS, Warehouse, stored_columns

if TYPE_CHECKING:
    import pandas
    from pyspark.sql import DataFrame, SparkSession

# A local session stays on loopback, without its web UI or progress bars.
LOCAL = {
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    "spark.driver.host": "127.0.0.1",
    "spark.driver.bindAddress": "127.0.0.1",
}
# Each engine's own session reads as DuckDB does (UTC, timestamp literals without a zone),
# whatever the application it runs in has set.
QUERYING = {
    "spark.sql.session.timeZone": "UTC",
    "spark.sql.timestampType": "TIMESTAMP_NTZ",
    "spark.sql.execution.arrow.pyspark.enabled": "true",
}
SPARK_TYPES = {"DOUBLE": "DOUBLE", "TIMESTAMP": "TIMESTAMP_NTZ"}  # else text (ENUM, JSON too)
DATETIMES = ("date", "timestamp", "timestamp_ntz")  # DuckDB hands these to pandas as [us]
# A JVM that starts in a third of the time and runs short queries faster (client compiler,
# serial GC): for tests and small warehouses, not for billions of rows.
QUICK_JVM = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"
LOGGING = Path(__file__).with_name("spark-log4j2.properties")  # errors only


class SparkEngine:
    """Spark SQL over one warehouse folder, its datasets registered as the views `billing`
    and `metrics` of a session of their own (the SparkContext is shared)."""

    dialect = SPARK

    def __init__(self, session: SparkSession, warehouse: Warehouse) -> None:
        self.session = session.newSession()
        for key, value in QUERYING.items():
            self.session.conf.set(key, value)
        for dataset in DATASETS:
            self._read(dataset, warehouse).createOrReplaceTempView(dataset.name)

    def frame(self, sql: str) -> pandas.DataFrame:
        result = self.session.sql(sql)
        frame = cast("pandas.DataFrame", result.toPandas())  # pyspark types it loosely
        for field in result.schema.fields:
            if field.dataType.typeName() in DATETIMES:
                frame[field.name] = frame[field.name].astype("datetime64[us]")
        return frame

    def _read(self, dataset: Dataset, warehouse: Warehouse) -> DataFrame:
        # The schema is known, so no file is opened to infer it, a column missing from older
        # files reads as NULL (DuckDB's union by name) and `month` stays text.
        schema = ", ".join(f"`{name}` {SPARK_TYPES.get(kind, 'STRING')}"
                           for name, kind in stored_columns(dataset).items())
        if not warehouse.files(dataset):
            return self.session.createDataFrame([], schema)
        return self.session.read.schema(schema).parquet(str(warehouse.folder / dataset.name))


def java_available() -> bool:
    """Whether Spark can start a JVM: JAVA_HOME's java, else one on PATH, as spark-submit
    looks."""
    home = os.environ.get("JAVA_HOME")
    if home:
        return os.access(os.path.join(home, "bin", "java"), os.X_OK)
    return shutil.which("java") is not None


def local_session(*, cores: int | None = None, memory: str = "2g",
                  java_options: str = "") -> SparkSession:
    """A Spark session on this machine (`local[cores]`, every core by default) bound to
    loopback; WarehouseError in one line when pyspark or Java is missing. `java_options`
    go to the driver's JVM (QUICK_JVM for small data)."""
    session_class = _session_class()
    if not java_available():
        raise WarehouseError("the Spark engine needs Java 17 or later: set JAVA_HOME or put "
                             "java on PATH")
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")  # read by the JVM spark-submit starts
    builder = session_class.builder.master(f"local[{cores or '*'}]").appName("purser")
    settings = {**LOCAL, "spark.driver.memory": memory, "spark.driver.extraJavaOptions":
                f"-Dlog4j2.configurationFile={LOGGING.as_uri()} {java_options}".strip()}
    for key, value in settings.items():
        builder = builder.config(key, value)
    try:
        session = builder.getOrCreate()
    except Exception as exc:  # the JVM did not start: one line, not a Java stack trace
        raise WarehouseError(f"Spark did not start: {str(exc).strip().splitlines()[0]}") from None
    session.sparkContext.setLogLevel("ERROR")
    return session


@contextmanager
def spark_engine(warehouse: Warehouse) -> Iterator[SparkEngine]:
    """The Spark engine over `warehouse`: on the running session when purser runs inside a
    Spark application (a cluster's), else on a local session, stopped afterwards."""
    running = _session_class().getActiveSession()
    session = running or local_session()
    try:
        yield SparkEngine(session, warehouse)
    finally:
        if running is None:
            session.stop()


def _session_class() -> type[SparkSession]:
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise WarehouseError("the Spark engine needs pyspark: pip install pyspark") from None
    return SparkSession
