"""Where a day's extra spend came from: the bill broken down by dimension, each value's
contribution to the change, and whether usage moved with the cost.

The breakdown is one query (plain SQL that DuckDB and Spark both read, like
`purser.warehouse.queries`): cost per charge day and per service, resource, region, usage
type, application and tags. A charge that spans several days (a month of support, tax or
credits) is spread evenly over them; left on its first day it would look like a spike.
"""

from __future__ import annotations

import datetime
import json
from functools import cached_property
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel

from purser.reconcile.ownership import ADDRESS_TAG, APP_TAG
from purser.warehouse.queries import UNALLOCATED, UNTAGGED, Engine, period_filter

if TYPE_CHECKING:
    import pandas

# Breakdown column -> the billing column it reads.
COLUMNS = {"service": "ServiceName", "address": "purser_address", "resource_id": "ResourceId",
           "region": "RegionId", "usage_type": "SkuMeter", "category": "ChargeCategory",
           "application": "purser_application", "tags": "Tags"}
DIMENSIONS = ("service", "resource", "region", "usage_type", "application")
SERIES = ("service", "team", "application", "resource")  # besides the total
OWNERSHIP_TAGS = (ADDRESS_TAG, APP_TAG)  # already the resource and application dimensions
USAGE_METRICS = ("invocations", "request_count")  # counts of work done: traffic
UNSPECIFIED = "unspecified"

Cause = Literal["configuration", "traffic", "mixed"]


class RootCause(BaseModel):
    dimension: str  # service, resource, region, usage_type, application or tag:KEY
    value: str
    contribution_usd: float  # the value's cost that day minus its baseline


class UsageShift(BaseModel):
    """A resource's cost and usage on the anomaly day, each against its baseline."""

    resource: str
    metric: str
    cost_ratio: float
    usage_ratio: float
    cause: Cause

    def sentence(self) -> str:
        what = {"configuration": "a price or configuration change, not traffic",
                "traffic": "usage moved with it: traffic",
                "mixed": "usage explains part of it"}[self.cause]
        return (f"cost ×{self.cost_ratio:.1f} while {self.metric} ×{self.usage_ratio:.1f}: "
                f"{what}")


def breakdown_sql(since: datetime.date | None, until: datetime.date | None) -> str:
    keys = ", ".join(f"{column} AS {name}" for name, column in COLUMNS.items())
    groups = ", ".join(str(n) for n in range(1, len(COLUMNS) + 3))
    return (f"SELECT CAST(ChargePeriodStart AS DATE) AS ds, CAST(ChargePeriodEnd AS DATE) "
            f"AS de, {keys}, SUM(EffectiveCost) AS cost FROM billing "
            f"WHERE {period_filter('ChargePeriodStart', since, until)} GROUP BY {groups}")


class Breakdown:
    """The bill per day and dimension values, multi-day charges spread over their days."""

    def __init__(self, frame: pandas.DataFrame) -> None:
        self.frame = frame

    @classmethod
    def load(cls, engine: Engine, since: datetime.date | None = None,
             until: datetime.date | None = None) -> Breakdown:
        return cls(_labelled(_spread(engine.frame(breakdown_sql(since, until)))))

    @property
    def empty(self) -> bool:
        return self.frame.empty

    @cached_property
    def days(self) -> pandas.DatetimeIndex:
        import pandas

        return pandas.date_range(self.frame["ds"].min(), self.frame["ds"].max(), freq="D")

    def series(self) -> dict[str, pandas.Series]:
        """Daily cost of the total and of each service, team, application and resource,
        keyed `total` or `DIMENSION:VALUE`; from each series' first day, missing days 0."""
        found = {"total": self._daily(self.frame)}
        for dimension in SERIES:
            for value, rows in self.frame.groupby(dimension, sort=True):
                found[f"{dimension}:{value}"] = self._daily(rows)
        return found

    def rows(self, series: str) -> pandas.DataFrame:
        if series == "total":
            return self.frame
        dimension, value = series.split(":", 1)
        return self.frame[self.frame[dimension] == value]

    def resources(self, series: str) -> frozenset[str]:
        """The resources a series is made of: which series are parts of which."""
        return frozenset(self.rows(series)["resource"])

    def contributions(self, series: str, day: datetime.date, *, baseline_days: int
                      ) -> list[RootCause]:
        """Each dimension value's cost on `day` minus its median over the `baseline_days`
        before (a week: every weekday once, and a median so one odd day does not count).
        A dimension with one value in the series says nothing and is left out, except the
        resource: one resource is the answer."""
        rows = self.rows(series)
        tags = sorted({key for tags in rows["tag_map"] for key in tags})
        causes = []
        for dimension in (*DIMENSIONS, *(f"tag:{key}" for key in tags)):
            daily = self._pivot(rows, dimension, day, baseline_days)
            if len(daily.columns) < 2 and dimension != "resource":
                continue
            change = daily.iloc[-1] - daily.iloc[:-1].median()
            causes += [RootCause(dimension=dimension, value=str(value),
                                 contribution_usd=round(float(usd), 2))
                       for value, usd in change.items()]
        return sorted(causes, key=lambda c: -c.contribution_usd)

    def _pivot(self, rows: pandas.DataFrame, dimension: str, day: datetime.date,
               baseline_days: int) -> pandas.DataFrame:
        """Cost per day (rows: the baseline days then `day`) and value (columns)."""
        import pandas

        first = pandas.Timestamp(day) - pandas.Timedelta(days=baseline_days)
        window = rows[(rows["ds"] >= first) & (rows["ds"] <= pandas.Timestamp(day))]
        values = window[dimension] if not dimension.startswith("tag:") else \
            window["tag_map"].map(lambda tags: tags.get(dimension[4:], UNTAGGED))
        table = window.groupby(["ds", values.rename("value")])["cost"].sum().unstack(fill_value=0)
        return table.reindex(pandas.date_range(first, day, freq="D"), fill_value=0.0)

    def _daily(self, rows: pandas.DataFrame) -> pandas.Series:
        daily = rows.groupby("ds")["cost"].sum()
        return daily.reindex(self.days[self.days >= daily.index.min()], fill_value=0.0)


def _spread(frame: pandas.DataFrame) -> pandas.DataFrame:
    """One row per day of each charge, its cost divided evenly over the days it covers."""
    import pandas

    frame["ds"] = pandas.to_datetime(frame["ds"])
    days = (pandas.to_datetime(frame["de"]) - frame["ds"]).dt.days.clip(lower=1)
    spread = frame.loc[frame.index.repeat(days)].copy()
    spread["ds"] += pandas.to_timedelta(spread.groupby(level=0).cumcount(), unit="D")
    spread["cost"] = spread["cost"].astype(float) / days.loc[spread.index]
    return spread.drop(columns="de").reset_index(drop=True)


def _labelled(frame: pandas.DataFrame) -> pandas.DataFrame:
    """Every dimension given a value: a charge on no resource is `unallocated`, a resource's
    charge without the tag `untagged` (the names `purser spend` uses)."""
    frame = frame.fillna({"cost": 0.0}).astype({"cost": float})
    text = {c: frame[c].where(frame[c].notna() & (frame[c] != ""), None) for c in COLUMNS}
    owned = text["resource_id"].notna()
    missing = owned.map({True: UNTAGGED, False: UNALLOCATED})
    frame["resource"] = text["address"].fillna(text["resource_id"]).fillna(UNALLOCATED)
    frame["application"] = text["application"].fillna(missing)
    frame["service"] = text["service"].fillna(UNALLOCATED)
    frame["region"] = text["region"].fillna(UNSPECIFIED)
    frame["usage_type"] = text["usage_type"].fillna(text["category"]).fillna(UNSPECIFIED)
    frame["tag_map"] = frame["tags"].map(_tags)
    frame["team"] = [tags.get("team", m) for tags, m in zip(frame["tag_map"], missing,
                                                              strict=True)]
    return frame


def _tags(text: object) -> dict[str, str]:
    try:
        tags = json.loads(text) if isinstance(text, str) and text else {}
    except ValueError:
        return {}
    if not isinstance(tags, dict):
        return {}
    return {str(k): str(v) for k, v in tags.items() if k not in OWNERSHIP_TAGS}


# ------------------------------------------------------------------- cost against usage

def usage_shift(breakdown: Breakdown, usage: pandas.DataFrame, resource: str,
                day: datetime.date, *, baseline_days: int) -> UsageShift | None:
    """The resource's cost and usage on `day` against their medians over the days before;
    None without usage metrics. Usage rising at least half as much as cost is traffic;
    usage moving less than a quarter as much as cost, or within 25% (a day's noise and the
    weekly cycle move it that much), is a price or configuration change."""
    rows = breakdown.rows(f"resource:{resource}")
    ids = set(rows["resource_id"].dropna())
    for metric in USAGE_METRICS:
        mine = usage[(usage["metric"] == metric) & usage["unique_id"].isin(ids)]
        usage_ratio = _ratio(mine.groupby("ds")["y"].sum(), day, baseline_days)
        if usage_ratio is None:
            continue
        cost_ratio = _ratio(rows.groupby("ds")["cost"].sum(), day, baseline_days)
        if cost_ratio is None:
            return None
        return UsageShift(resource=resource, metric=metric, cost_ratio=round(cost_ratio, 2),
                          usage_ratio=round(usage_ratio, 2),
                          cause=_cause(cost_ratio, usage_ratio))
    return None


def _ratio(daily: pandas.Series, day: datetime.date, baseline_days: int) -> float | None:
    import pandas

    daily.index = pandas.to_datetime(daily.index)
    today = pandas.Timestamp(day)
    before = daily[(daily.index < today) &
                   (daily.index >= today - pandas.Timedelta(days=baseline_days))]
    if today not in daily.index or before.empty or before.median() <= 0:
        return None
    return float(daily[today] / before.median())


def _cause(cost_ratio: float, usage_ratio: float) -> Cause:
    cost, usage = cost_ratio - 1, usage_ratio - 1
    if usage >= cost / 2:
        return "traffic"
    if abs(usage) <= max(0.25, abs(cost) / 4):
        return "configuration"
    return "mixed"
