"""Month-end projection and budget burn: what a series will have cost by the end of the
month its forecast begins in, and the day its spend is expected to cross its budget.

The month total is the actual spend to date plus the forecast to the month's end. Its
interval adds the forecast's daily bounds, which treats the days' errors as moving
together: wider than the truth when they do not, never narrower, as a budget warning
should be. The crossing day's 80% interval follows the same bounds: the upper bound
reaches the budget first (earliest day), the lower bound last (latest day, or not this
month).
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import TYPE_CHECKING

from pydantic import BaseModel

from purser.insight.forecast import LEVELS, Interval, SeriesForecast

if TYPE_CHECKING:
    import pandas

    from purser.config import Config
    from purser.store import Database

BURN_LEVEL = 80  # percent: the crossing day's interval


class Burn(BaseModel):
    budget_usd: float
    crosses: datetime.date | None  # the expected day the month's spend reaches the budget
    earliest: datetime.date | None  # BURN_LEVEL interval; None: not within the month
    latest: datetime.date | None
    already: bool  # crossed by actual spend, not by the forecast


class MonthProjection(BaseModel):
    series: str
    month: str  # YYYY-MM
    actual_usd: float  # spent in the month through `actual_through`
    actual_through: datetime.date | None  # None: the month has not begun
    projected_usd: float  # actual plus the forecast mean to the month's end
    intervals: list[Interval]
    budget: Burn | None = None

    def sentence(self) -> str:
        """One line: "payments-api will exceed its $500 budget on 2026-12-19, ..." """
        burn = self.budget
        total = f"${self.projected_usd:,.2f}"
        if burn is None:
            return f"{self.series}: {self.month} projected at {total}"
        budget = f"${burn.budget_usd:,.0f}"
        if burn.already and burn.crosses is not None:
            return (f"{self.series} exceeded its {budget} budget on {burn.crosses} "
                    f"({self.month} projected at {total})")
        if burn.crosses is None:
            return f"{self.series} within its {budget} budget ({self.month} projected at {total})"
        latest = "after the month's end" if burn.latest is None else burn.latest.strftime("%m-%d")
        earliest = "?" if burn.earliest is None else burn.earliest.strftime("%m-%d")
        return (f"{self.series} will exceed its {budget} budget on {burn.crosses}, "
                f"{BURN_LEVEL}% interval {earliest} … {latest} "
                f"({self.month} projected at {total})")


def project(result: SeriesForecast, history: pandas.DataFrame,
            budget_usd: float | None = None) -> MonthProjection:
    """Project the month of `result`'s first forecast day; `history` holds the series'
    days (`ds`, `y`); with a monthly budget, say when the spend crosses it."""
    import pandas

    start = result.points[0].date
    first = start.replace(day=1)
    days = pandas.to_datetime(history["ds"]).dt.date
    # Assign before filtering: assigning a column to an empty frame adopts the column's
    # index, which would bring back every day with no cost (NaN).
    dated = history.assign(day=days)
    spent = dated[(dated["day"] >= first) & (dated["day"] < start)].sort_values("day")
    actual_days, actual = list(spent["day"]), [float(v) for v in spent["y"]]
    ahead = [p for p in result.points if (p.date.year, p.date.month) == (start.year, start.month)]
    total = sum(actual)
    projection = MonthProjection(
        series=result.series, month=f"{start:%Y-%m}", actual_usd=total,
        actual_through=actual_days[-1] if actual_days else None,
        projected_usd=total + sum(p.mean for p in ahead),
        intervals=[Interval(level=level, lo=total + sum(p.interval(level).lo for p in ahead),
                            hi=total + sum(p.interval(level).hi for p in ahead))
                   for level in LEVELS])
    if budget_usd is None:
        return projection
    dates = actual_days + [p.date for p in ahead]

    def crossing(forecast: Sequence[float]) -> datetime.date | None:
        return _first_crossing(dates, actual + list(forecast), budget_usd)

    already = _first_crossing(actual_days, actual, budget_usd)
    projection.budget = Burn(
        budget_usd=budget_usd, crosses=crossing([p.mean for p in ahead]),
        earliest=crossing([p.interval(BURN_LEVEL).hi for p in ahead]),
        latest=crossing([p.interval(BURN_LEVEL).lo for p in ahead]),
        already=already is not None)
    return projection


def _first_crossing(dates: Sequence[datetime.date], daily: Sequence[float],
                    budget: float) -> datetime.date | None:
    """The first day the running total exceeds `budget`."""
    running = 0.0
    for day, cost in zip(dates, daily, strict=True):
        running += cost
        if running > budget:
            return day
    return None


def budgets_for(config: Config, by: str) -> dict[str, float]:
    """Monthly budgets by series name for a `by` grouping: applications' own budgets when
    grouping by application, and `budgets:` entries whose tag is the grouping (`team`,
    or `tag:KEY`)."""
    found: dict[str, float] = {}
    if by == "app":
        found = {a.name: a.budget.monthly_usd for a in config.applications
                 if a.budget is not None and a.budget.monthly_usd is not None}
    tag = by.removeprefix("tag:")
    for entry in config.budgets:
        if entry.tag == tag and entry.monthly_usd is not None:
            found[entry.value] = entry.monthly_usd
    return found


ACTOR, ACTION = "purser insight", "budget-burn"


def verdict(month: MonthProjection) -> str:
    """The ledger's one-word outcome of a budget projection."""
    burn = month.budget
    if burn is None:
        return "no budget"
    if burn.already:
        return "exceeded"
    return "will exceed" if burn.crosses is not None else "within budget"


def record(db: Database, results: Sequence[SeriesForecast],
           months: Sequence[MonthProjection]) -> int:
    """Each budgeted series' projection to the ledger, with the model that made it; a series
    without a budget decides nothing and is not recorded. Returns how many were."""
    from purser import ledger

    written = 0
    for result, month in zip(results, months, strict=True):
        if month.budget is None:
            continue
        ledger.append(db, ledger.Event(
            actor=ACTOR, action=ACTION, subject=f"{month.series} in {month.month}",
            outcome=verdict(month),
            explanation=f"{month.sentence()}; {result.model} on {result.window.first} … "
                        f"{result.window.last}: {result.reason}"))
        written += 1
    return written
