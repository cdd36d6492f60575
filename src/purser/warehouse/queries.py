"""Every warehouse query, as plain SQL over the named tables `billing` and `metrics`.

The SQL keeps to what DuckDB and Spark SQL both read (CAST, CASE, COALESCE, GROUP BY
ordinals, date literals built from `datetime.date` values, never from user text, and NULLS
LAST spelt out where a sort key can be NULL, since the two engines' defaults differ); the
one engine-specific piece, reading a key out of the Tags JSON text, goes through `Dialect`.
Each engine (`purser.warehouse.engines`) registers the same Parquet as the same views, runs
these strings with its own dialect and returns the same pandas types.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Protocol

from pydantic import BaseModel

from purser.warehouse.errors import WarehouseError
from purser.warehouse.metrics import AGGREGATES

if TYPE_CHECKING:
    import pandas

UNTAGGED = "untagged"  # a resource's charge without the tag grouped by
UNALLOCATED = "unallocated"  # a charge tied to no resource (tax, support, credits, fees)
TAG_KEY = re.compile(r"[A-Za-z0-9 _.:/=+\-@]{1,128}")  # the cloud tag-key alphabet


class CostColumn(StrEnum):
    EffectiveCost = "EffectiveCost"
    BilledCost = "BilledCost"
    ListCost = "ListCost"
    ContractedCost = "ContractedCost"


@dataclass(frozen=True)
class Dialect:
    """The engine-specific SQL, isolated: the text of one key of a JSON object."""

    json_function: str
    key_path: str  # the JSONPath of one top-level key, `{key}` standing for the key

    def tag(self, key: str) -> str:
        if not TAG_KEY.fullmatch(key):
            raise WarehouseError(f"tag key {key!r}: expected 1-128 letters, digits, spaces "
                                 "or _.:/=+-@")
        return f"{self.json_function}(Tags, '{self.key_path.format(key=key)}')"


DUCKDB = Dialect("json_extract_string", '$."{key}"')
# Spark's JSONPath names a key only in brackets and quotes, escaped inside the SQL literal.
SPARK = Dialect("get_json_object", "$[\\'{key}\\']")


class Engine(Protocol):
    """What runs the SQL: the DuckDB `Warehouse` or the Spark engine, each with its dialect."""

    @property
    def dialect(self) -> Dialect: ...

    def frame(self, sql: str) -> pandas.DataFrame: ...
DIMENSIONS = {"service": "ServiceName", "team": "team", "env": "env", "app": "purser_application",
              "resource": "purser_address", "cost-center": "cost_center"}


def group_expression(by: str, dialect: Dialect = DUCKDB) -> str:
    """The SQL giving each billing row its group for `by`: a dimension, `tag:KEY` or `total`.

    A row whose group is empty is `unallocated` when it names no resource, else `untagged`
    (for the service dimension every charge names its service, or it is unallocated)."""
    if by == "total":
        return "'total'"
    if by.startswith("tag:"):
        value = dialect.tag(by[4:])
    elif by in DIMENSIONS:
        value = DIMENSIONS[by]
    else:
        raise WarehouseError(f"unknown grouping {by!r}: expected one of "
                             f"{', '.join(DIMENSIONS)}, tag:KEY or total")
    missing = f"({value} IS NULL OR {value} = '')"
    no_resource = "(ResourceId IS NULL OR ResourceId = '')"
    if by == "service":
        return f"CASE WHEN {missing} THEN '{UNALLOCATED}' ELSE {value} END"
    return (f"CASE WHEN NOT {missing} THEN {value} WHEN {no_resource} THEN '{UNALLOCATED}' "
            f"ELSE '{UNTAGGED}' END")


def period_filter(column: str, since: datetime.date | None, until: datetime.date | None) -> str:
    """Rows whose `column` falls in [since, until] (whole days, both included)."""
    parts = ["1 = 1"]
    if since is not None:
        parts.append(f"{column} >= TIMESTAMP '{since.isoformat()} 00:00:00'")
    if until is not None:
        end = until + datetime.timedelta(days=1)
        parts.append(f"{column} < TIMESTAMP '{end.isoformat()} 00:00:00'")
    return " AND ".join(parts)


class AllocationRow(BaseModel):
    group: str
    currency: str
    cost: float
    rows: int


class Allocation(BaseModel):
    """Spend per group: which cost column was summed, over which days, in which currency."""

    by: str
    cost_column: CostColumn
    since: datetime.date | None
    until: datetime.date | None
    rows: list[AllocationRow]

    def totals(self) -> dict[str, float]:
        sums: dict[str, float] = {}
        for row in self.rows:
            sums[row.currency] = sums.get(row.currency, 0.0) + row.cost
        return sums


def allocation_sql(by: str, since: datetime.date | None = None,
                   until: datetime.date | None = None,
                   cost: CostColumn = CostColumn.EffectiveCost, dialect: Dialect = DUCKDB) -> str:
    return (f"SELECT {group_expression(by, dialect)} AS grp, BillingCurrency AS currency, "
            f"SUM({cost.value}) AS cost, COUNT(*) AS n FROM billing "
            f"WHERE {period_filter('ChargePeriodStart', since, until)} "
            "GROUP BY 1, 2 ORDER BY 3 DESC NULLS LAST, 1, 2 NULLS LAST")


def allocation(warehouse: Engine, by: str, since: datetime.date | None = None,
               until: datetime.date | None = None,
               cost: CostColumn = CostColumn.EffectiveCost) -> Allocation:
    """Spend per group over the period, `untagged` and `unallocated` as rows of their own."""
    frame = warehouse.frame(allocation_sql(by, since, until, cost, warehouse.dialect))
    rows = [AllocationRow(group=str(r.grp), currency=str(r.currency), cost=float(r.cost or 0.0),
                          rows=int(r.n)) for r in frame.itertuples()]
    return Allocation(by=by, cost_column=cost, since=since, until=until, rows=rows)


def daily_spend_sql(by: str, since: datetime.date | None = None,
                    until: datetime.date | None = None,
                    cost: CostColumn = CostColumn.EffectiveCost, currency: str | None = None,
                    dialect: Dialect = DUCKDB) -> str:
    only = "" if currency is None else \
        f" AND BillingCurrency = '{_plain(currency, 'currency')}'"
    return (f"SELECT {group_expression(by, dialect)} AS unique_id, "
            f"CAST(ChargePeriodStart AS DATE) AS ds, SUM({cost.value}) AS y FROM billing "
            f"WHERE {period_filter('ChargePeriodStart', since, until)}{only} "
            "GROUP BY 1, 2 ORDER BY 1, 2")


def daily_spend(warehouse: Engine, by: str = "total", since: datetime.date | None = None,
                until: datetime.date | None = None,
                cost: CostColumn = CostColumn.EffectiveCost,
                currency: str | None = None) -> pandas.DataFrame:
    """Daily spend per series in statsforecast's long format: `unique_id` (the series: total,
    a service, a team, an application, a resource address...), `ds` (a day), `y` (the sum of
    `cost` that day). Days without charges inside a series' span are 0. The rows must share
    one currency: name it when the bill mixes several."""
    if currency is None:
        currencies = warehouse.frame(
            "SELECT DISTINCT BillingCurrency AS c FROM billing WHERE "
            f"{period_filter('ChargePeriodStart', since, until)}")["c"].dropna().tolist()
        if len(currencies) > 1:
            raise WarehouseError(f"the bill mixes currencies ({', '.join(sorted(currencies))}): "
                                 "name one")
    frame = warehouse.frame(daily_spend_sql(by, since, until, cost, currency,
                                            warehouse.dialect))
    return _filled(frame)


def daily_usage_sql(metric: str, by: str = "resource", since: datetime.date | None = None,
                    until: datetime.date | None = None) -> str:
    if metric not in AGGREGATES:
        raise WarehouseError(f"unknown metric {metric!r}: expected one of {', '.join(AGGREGATES)}")
    series = {"resource": "m.resource_id", "total": "'total'",
              "app": f"COALESCE(o.purser_application, '{UNTAGGED}')",
              "address": f"COALESCE(o.purser_address, '{UNTAGGED}')"}
    if by not in series:
        raise WarehouseError(f"unknown grouping {by!r} for metrics: expected one of "
                             f"{', '.join(series)}")
    # A resource's owner comes from its billing rows (the ownership tags on the bill).
    owners = ("SELECT ResourceId, MAX(purser_application) AS purser_application, "
              "MAX(purser_address) AS purser_address FROM billing "
              "WHERE ResourceId IS NOT NULL GROUP BY ResourceId")
    return (f"SELECT {series[by]} AS unique_id, CAST(m.timestamp AS DATE) AS ds, "
            f"{AGGREGATES[metric]}(m.value) AS y FROM metrics m "
            f"LEFT JOIN ({owners}) o ON o.ResourceId = m.resource_id "
            f"WHERE m.metric = '{metric}' AND {period_filter('m.timestamp', since, until)} "
            "GROUP BY 1, 2 ORDER BY 1 NULLS LAST, 2")


def daily_usage(warehouse: Engine, metric: str, by: str = "resource",
                since: datetime.date | None = None,
                until: datetime.date | None = None) -> pandas.DataFrame:
    """Daily usage of one metric per series (`resource`, `address`, `app` or `total`), in the
    same long format as `daily_spend`: counts summed, gauges averaged per day; only the days
    in [since, until] when given."""
    return warehouse.frame(daily_usage_sql(metric, by, since, until))


def last_day_sql(table: str) -> str:
    column = {"billing": "ChargePeriodStart", "metrics": "timestamp"}[table]
    return f"SELECT MAX(CAST({column} AS DATE)) AS last_day FROM {table}"


def last_day(warehouse: Engine, table: str) -> datetime.date | None:
    """The last day with a charge (`billing`) or a metric (`metrics`); None when empty."""
    import pandas

    value = warehouse.frame(last_day_sql(table))["last_day"].iloc[0]
    return None if pandas.isna(value) else pandas.Timestamp(value).date()


def _filled(frame: pandas.DataFrame) -> pandas.DataFrame:
    """Each series with every day from its first to its last, missing days 0."""
    import pandas

    frame["ds"] = pandas.to_datetime(frame["ds"])
    frame["y"] = frame["y"].astype(float)
    if frame.empty:
        return frame
    filled = []
    for unique_id, series in frame.groupby("unique_id", sort=True):
        days = pandas.date_range(series["ds"].min(), series["ds"].max(), freq="D")
        filled.append(series.set_index("ds")["y"].reindex(days, fill_value=0.0)
                      .rename_axis("ds").reset_index().assign(unique_id=unique_id))
    return pandas.concat(filled, ignore_index=True)[["unique_id", "ds", "y"]]


def _plain(text: str, what: str) -> str:
    if not re.fullmatch(r"[A-Za-z0-9_\-]{1,16}", text):
        raise WarehouseError(f"{what} {text!r}: expected a currency code")
    return text
