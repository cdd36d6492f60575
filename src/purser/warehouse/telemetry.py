"""Usage observed in the warehouse's metrics, as a usage source for the cost estimate.

For each resource whose metrics the bill ties to its address (the ownership tags), the
daily values of the last `days` days become monthly quantities under Infracost's usage
keys: a count (invocations) is its daily mean × 365/12 days, a gauge (a duration) its
daily mean. The p10 and p90 of the daily values, scaled the same way, are the spread the
estimate prices into a range. A key without telemetry is left to the next source (the usage
file), so each key says its own origin.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from purser.cost.usage import Spread
from purser.model import Resource
from purser.warehouse.queries import UNTAGGED, Engine, daily_usage, last_day

DAYS_PER_MONTH = 365 / 12
DEFAULT_DAYS = 30
LOW, HIGH = 10, 90  # percentiles of the daily values


@dataclass(frozen=True)
class Observed:
    """One usage key read from one metric."""

    key: str  # Infracost usage key
    metric: str  # warehouse metric name
    count: bool  # a count adds up over a month; a gauge is a per-request average


# What each kind of resource's metrics say about its usage keys. DynamoDB's request_count
# mixes reads and writes, which are priced apart, so tables keep their usage file.
OBSERVED: dict[str, tuple[Observed, ...]] = {
    "aws.lambda.function": (Observed("monthly_requests", "invocations", count=True),
                            Observed("request_duration_ms", "duration", count=False)),
    "aws.apigatewayv2.api": (Observed("monthly_requests", "request_count", count=True),),
}


@dataclass(frozen=True)
class Reading:
    value: float
    low: float
    high: float
    days: int  # days the value is the mean of


class TelemetryUsage:
    """Monthly quantities observed over one window, per resource address and metric."""

    origin = "telemetry"

    def __init__(self, readings: dict[str, dict[str, Reading]], since: date,
                 until: date) -> None:
        self.readings = readings
        self.since, self.until = since, until

    @property
    def window(self) -> str:
        return f"{(self.until - self.since).days + 1} days to {self.until.isoformat()}"

    def observed(self, resource: Resource) -> dict[str, Reading]:
        """The readings of the usage keys this resource's kind reads from its metrics."""
        metrics = self.readings.get(resource.address, {})
        return {o.key: metrics[o.metric] for o in OBSERVED.get(resource.kind, ())
                if o.metric in metrics}

    def quantities(self, resource: Resource) -> dict[str, float]:
        return {key: r.value for key, r in self.observed(resource).items()}

    def spread(self, resource: Resource) -> Spread | None:
        found = self.observed(resource)
        if not found:
            return None
        return Spread(origin=self.origin, low={k: r.low for k, r in found.items()},
                      high={k: r.high for k, r in found.items()}, label=f"p{LOW}–p{HIGH}",
                      window=self.window)


def observed_usage(engine: Engine, *, days: int = DEFAULT_DAYS,
                   until: date | None = None) -> TelemetryUsage:
    """The usage observed in the `days` days up to `until` (default: the last day with
    metrics); empty when the warehouse holds no metrics."""
    if days < 1:
        raise ValueError("days must be at least 1")
    until = until or last_day(engine, "metrics") or date.today()
    since = until - timedelta(days=days - 1)
    readings: dict[str, dict[str, Reading]] = {}
    for observed in {o for keys in OBSERVED.values() for o in keys}:
        frame = daily_usage(engine, observed.metric, "address", since, until)
        for address, series in frame.groupby("unique_id"):
            if address != UNTAGGED:
                values = _daily_values(series, observed, until)
                readings.setdefault(str(address), {})[observed.metric] = \
                    _reading(values, observed)
    return TelemetryUsage(readings, since, until)


def _daily_values(series: object, observed: Observed, until: date) -> np.ndarray:
    """A gauge's observed days; a count's every day from its first to `until`, 0 when
    nothing was recorded (a quiet day is no request, not a missing one)."""
    import pandas

    assert isinstance(series, pandas.DataFrame)
    values = series.set_index(pandas.to_datetime(series["ds"]))["y"].astype(float)
    if observed.count:
        days = pandas.date_range(values.index.min(), pandas.Timestamp(until), freq="D")
        values = values.reindex(days, fill_value=0.0)
    return values.to_numpy()


def _reading(values: np.ndarray, observed: Observed) -> Reading:
    scale = DAYS_PER_MONTH if observed.count else 1.0
    low, high = np.percentile(values, [LOW, HIGH])
    return Reading(float(values.mean() * scale), float(low * scale), float(high * scale),
                   len(values))
