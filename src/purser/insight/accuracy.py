"""Estimate vs actual: each application's pre-merge estimate against what the bill says.

The estimate is the gate's price of the revision the application was last synced to (the
state database's `synced_revision`), or of HEAD when it was never synced. The actual is the
month's cost to date in the warehouse, scaled to the whole month (days in the month / days
billed). An application is flagged when one is more than `insight.estimate_ratio` times the
other, either way.
"""

from __future__ import annotations

import calendar
import datetime
from pathlib import Path

from pydantic import BaseModel

from purser.config import Config
from purser.warehouse.queries import CostColumn, Engine, allocation, last_day


class EstimateVsActual(BaseModel):
    application: str
    estimate: float  # monthly, USD, at list prices
    estimated_at: str  # which revision was priced: "synced <sha>" or "HEAD <sha> (never synced)"
    billed_to_date: float | None  # None: no charge on the bill carries its ownership tag
    actual: float | None  # billed_to_date scaled to the month
    ratio: float | None  # actual / estimate; None when the estimate is 0
    flagged: bool  # never for an application the bill does not name: nothing to compare


class Comparison(BaseModel):
    month: datetime.date  # its first day
    through: datetime.date  # last day billed
    scale: float  # days in the month / days billed
    cost_column: CostColumn
    threshold: float
    rows: list[EstimateVsActual]


def parted(estimate: float, actual: float, threshold: float) -> bool:
    """Whether one figure is more than `threshold` times the other (a cost where the other
    says none always is)."""
    low, high = sorted((estimate, actual))
    if high <= 0:
        return False
    return low <= 0 or high / low > threshold


def compare(root: Path, config: Config, engine: Engine, synced: dict[str, str | None], *,
            cost: CostColumn = CostColumn.BilledCost) -> Comparison | None:
    """Every application of `config`, estimate against this month's bill; None when the
    warehouse holds no billing."""
    through = last_day(engine, "billing")
    if through is None:
        return None
    month = through.replace(day=1)
    scale = calendar.monthrange(through.year, through.month)[1] / through.day
    billed = {row.group: row.cost for row in allocation(engine, "app", month, through,
                                                        cost).rows}
    estimates = estimate_applications(root, config, synced)
    threshold = config.insight.estimate_ratio
    rows = []
    for name, (monthly, label) in estimates.items():
        to_date = billed.get(name)
        actual = None if to_date is None else to_date * scale
        rows.append(EstimateVsActual(
            application=name, estimate=monthly, estimated_at=label, billed_to_date=to_date,
            actual=actual, ratio=actual / monthly if monthly and actual is not None else None,
            flagged=actual is not None and parted(monthly, actual, threshold)))
    return Comparison(month=month, through=through, scale=scale, cost_column=cost,
                      threshold=threshold, rows=rows)


def estimate_applications(root: Path, config: Config, synced: dict[str, str | None]
                          ) -> dict[str, tuple[float, str]]:
    """Each application's monthly estimate at its synced revision (HEAD when never synced),
    with which revision that was; each revision is priced once."""
    from purser.gate import CheckOptions, run_check
    from purser.git import GitTree

    totals: dict[str, dict[str, float]] = {}
    found: dict[str, tuple[float, str]] = {}
    for application in config.applications:
        revision = synced.get(application.name) or "HEAD"
        tree = GitTree.at(root, revision)
        sha = tree.revision or revision
        if sha not in totals:
            priced = run_check(tree, options=CheckOptions(policies=False)).cost
            totals[sha] = priced.totals.get("application", {}) if priced else {}
        label = f"synced {sha[:12]}" if synced.get(application.name) \
            else f"HEAD {sha[:12]} (never synced)"
        found[application.name] = (totals[sha].get(application.name, 0.0), label)
    return found


def synced_revisions(root: Path, url: str | None) -> dict[str, str | None]:
    """Each application's synced revision from the state database; none without one."""
    from sqlalchemy import select

    from purser.store import StoreError, database_url, open_database
    from purser.store.schema import Application

    try:
        with open_database(database_url(root, url, create=False)) as database, \
                database.session() as session:
            rows = session.execute(select(Application.name, Application.synced_revision))
            return {name: revision for name, revision in rows}
    except StoreError:
        return {}
