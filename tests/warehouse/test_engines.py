"""DuckDB and Spark agree: the allocation and the anomaly inputs, run by both engines over the
same demo warehouse, give the same rows and types, floats within 1e-9 relative.

One local Spark session (`local[2]`, small memory, a quick-starting JVM) serves the module;
the Spark tests are skipped, saying so, only when Java is missing."""

from __future__ import annotations

import json
import shutil
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pandas
import pytest
from typer.testing import CliRunner

from purser.cli import app
from purser.insight.anomaly import detect
from purser.insight.rootcause import breakdown_sql
from purser.warehouse import Warehouse, WarehouseError, ingest_focus, ingest_metrics
from purser.warehouse.demodata import generate
from purser.warehouse.queries import CostColumn, Engine, allocation, daily_spend, daily_usage
from purser.warehouse.spark import QUICK_JVM, SparkEngine, java_available, local_session

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "shop"
GROUPINGS = ("service", "team", "env", "app", "resource", "cost-center", "tag:team",
             "tag:purser:application", "total")
SERIES = ("total", "service", "team", "app", "resource")
USAGE = (("invocations", "resource"), ("invocations", "address"), ("invocations", "app"),
         ("invocations", "total"), ("request_count", "resource"), ("duration", "resource"))


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Warehouse]:
    """The example shop with 90 days of demo billing and metrics ingested."""
    folder = tmp_path_factory.mktemp("engines")
    repo = folder / "shop"
    shutil.copytree(EXAMPLE, repo, ignore=shutil.ignore_patterns(".purser", ".git"))
    summary = generate(repo, folder / "out", seed=7, days=90, end=date(2025, 6, 30))
    warehouse = Warehouse(folder / "warehouse")
    warehouse.folder.mkdir()
    for report in (ingest_focus(warehouse, [summary.billing]),
                   ingest_metrics(warehouse, [summary.metrics])):
        assert not report.refused
    return repo, warehouse


@pytest.fixture(scope="module")
def duck(demo: tuple[Path, Warehouse]) -> Warehouse:
    return demo[1]


@pytest.fixture(scope="module")
def spark(demo: tuple[Path, Warehouse]) -> Iterator[SparkEngine]:
    if not java_available():
        pytest.skip("Java is not installed (no JAVA_HOME, no java on PATH): Spark cannot start")
    session = local_session(cores=2, memory="512m", java_options=QUICK_JVM)
    try:
        yield SparkEngine(session, demo[1])
    finally:
        session.stop()


def _same(spark: pandas.DataFrame, duck: pandas.DataFrame) -> None:
    assert not duck.empty
    pandas.testing.assert_frame_equal(spark, duck, check_exact=False, rtol=1e-9, atol=1e-12)


def _rows(engine: Engine, by: str, since: date | None = None, until: date | None = None,
          cost: CostColumn = CostColumn.EffectiveCost) -> pandas.DataFrame:
    return pandas.DataFrame([r.model_dump()
                             for r in allocation(engine, by, since, until, cost).rows])


@pytest.mark.parametrize("by", GROUPINGS)
def test_allocation_is_the_same_on_both_engines(spark: SparkEngine, duck: Warehouse,
                                                 by: str) -> None:
    _same(_rows(spark, by), _rows(duck, by))


def test_allocation_of_a_period_and_cost_column_is_the_same(spark: SparkEngine,
                                                           duck: Warehouse) -> None:
    period = (date(2025, 5, 3), date(2025, 6, 1), CostColumn.ListCost)
    _same(_rows(spark, "team", *period), _rows(duck, "team", *period))


@pytest.mark.parametrize("by", SERIES)
def test_daily_spend_is_the_same_on_both_engines(spark: SparkEngine, duck: Warehouse,
                                                  by: str) -> None:
    _same(daily_spend(spark, by), daily_spend(duck, by))


@pytest.mark.parametrize(("metric", "by"), USAGE)
def test_daily_usage_is_the_same_on_both_engines(spark: SparkEngine, duck: Warehouse,
                                                  metric: str, by: str) -> None:
    _same(daily_usage(spark, metric, by), daily_usage(duck, metric, by))


def test_the_anomaly_breakdown_is_the_same_on_both_engines(spark: SparkEngine,
                                                            duck: Warehouse) -> None:
    def breakdown(engine: Engine) -> pandas.DataFrame:
        frame = engine.frame(breakdown_sql(date(2025, 4, 1), None))  # unordered: sort it
        keys = [c for c in frame.columns if c != "cost"]
        return frame.sort_values(keys, na_position="last").reset_index(drop=True)

    _same(breakdown(spark), breakdown(duck))


def test_the_anomalies_found_are_the_same_on_both_engines(spark: SparkEngine,
                                                          duck: Warehouse) -> None:
    def verdicts(engine: Engine) -> tuple[list[tuple[object, ...]], list[float]]:
        found = detect(engine)
        return ([(a.date, a.series, a.cause, [(c.dimension, c.value) for c in a.root_causes])
                 for a in found], [x for a in found for x in (a.impact_usd, a.score)])

    (found, numbers), (on_spark, spark_numbers) = verdicts(duck), verdicts(spark)
    assert found and on_spark == found
    assert spark_numbers == pytest.approx(numbers, rel=1e-9)


def test_spend_runs_on_the_engine_chosen_by_option_or_purser_yaml(
        spark: SparkEngine, demo: tuple[Path, Warehouse],
        monkeypatch: pytest.MonkeyPatch) -> None:
    repo, warehouse = demo
    ran: list[str] = []
    run = SparkEngine.frame

    def recorded(self: SparkEngine, sql: str) -> pandas.DataFrame:
        ran.append(sql)
        return run(self, sql)

    monkeypatch.setattr(SparkEngine, "frame", recorded)
    spend = ["spend", "--by", "team", "--format", "json", "--repo", str(repo),
             "--warehouse", str(warehouse.folder)]
    duckdb = _invoke(*spend)
    assert not ran
    assert _invoke(*spend, "--engine", "spark") == pytest.approx(duckdb, rel=1e-9) and ran
    ran.clear()
    (repo / "purser.yaml").write_text((repo / "purser.yaml").read_text() +
                                      "warehouse: {engine: spark}\n")
    assert _invoke(*spend) == pytest.approx(duckdb, rel=1e-9) and ran
    assert _invoke(*spend, "--engine", "duckdb") == pytest.approx(duckdb, rel=1e-9)


def _invoke(*args: str) -> dict[str, float]:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.stderr
    return {row["group"]: row["cost"] for row in json.loads(result.stdout)["rows"]}


def test_an_unknown_engine_in_purser_yaml_is_refused_at_its_line(tmp_path: Path) -> None:
    (tmp_path / "purser.yaml").write_text("project: shop\nwarehouse:\n  engine: hive\n")
    result = CliRunner().invoke(app, ["spend", "--repo", str(tmp_path)])
    assert result.exit_code == 2
    assert "purser.yaml:3: warehouse.engine: Input should be 'duckdb' or 'spark'" in \
        result.stderr


def test_spark_without_java_or_pyspark_is_one_clear_error(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("JAVA_HOME", str(tmp_path))
    with pytest.raises(WarehouseError, match=r"^the Spark engine needs Java 17 or later"):
        local_session()
    monkeypatch.setitem(sys.modules, "pyspark.sql", None)
    with pytest.raises(WarehouseError, match=r"^the Spark engine needs pyspark: pip install"):
        local_session()
