"""Priced results, plain data: the estimate of one tree and the diff of two.

They live in the model layer, below `purser.cost` that computes them, so that a
`purser.checkreport.CheckReport` can hold them typed without importing upwards; the
pricers, catalog and usage stay in `purser.cost`.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from purser.model import CostLine, SourceError


class ResourceCost(BaseModel):
    address: str
    type: str
    monthly_cost: float  # sum of the components whose cost is known
    components: list[CostLine]
    application: str | None = None
    environment: str | None = None
    team: str | None = None
    usage_unknown: bool = False  # some component waits for usage
    # For a resource sized by a range (an HPA's min and max replicas), or priced from usage
    # that was observed to vary (telemetry's p10 and p90): the cost at each end.
    monthly_cost_min: float | None = None
    monthly_cost_max: float | None = None
    range_label: str | None = None  # what the ends are ("p10–p90"); None: the HPA's replicas
    usage_note: str | None = None  # where the ranged usage came from, over which window


class Unpriced(BaseModel):
    address: str
    type: str
    reason: str


class Estimate(BaseModel):
    currency: str = "USD"
    total_monthly_cost: float
    resources: list[ResourceCost]
    unpriced: list[Unpriced] = Field(default_factory=list)
    free: list[str] = Field(default_factory=list)  # addresses of resources that cost nothing
    # {"application": {...}, "environment": {...}, "team": {...}}; "(unassigned)" collects
    # resources without one, so each grouping adds up to the total.
    totals: dict[str, dict[str, float]] = Field(default_factory=dict)
    notes: list[str] = Field(default_factory=list)
    catalog_versions: dict[str, str] = Field(default_factory=dict)  # catalog file → version
    errors: list[SourceError] = Field(default_factory=list)  # pricers that failed, per resource


class ComponentDelta(BaseModel):
    """One cost component on both sides; None on the side where it does not exist."""

    name: str  # the head's name, or the base's for a removed component
    unit: str
    base_name: str | None = None  # the base's name, when the component was renamed
    base_quantity: float | None = None
    head_quantity: float | None = None
    base_unit_price: float | None = None
    head_unit_price: float | None = None
    base_monthly: float | None = None
    head_monthly: float | None = None
    delta: float = 0.0  # known costs only: an unknown usage counts as no cost
    usage_origin: str = ""  # of the head side, or the base side for a removed component


class ResourceDelta(BaseModel):
    address: str
    type: str
    base_monthly: float | None  # None: the resource is new
    head_monthly: float | None  # None: the resource was removed
    delta: float
    components: list[ComponentDelta] = Field(default_factory=list)
    application: str | None = None
    environment: str | None = None
    team: str | None = None
    usage_unknown: bool = False  # some component on either side waits for usage


class TotalDelta(BaseModel):
    base: float
    head: float
    delta: float


class CostDiff(BaseModel):
    currency: str = "USD"
    base_total: float
    head_total: float
    delta: float
    delta_pct: float | None  # None when the base costs nothing
    added: list[ResourceDelta] = Field(default_factory=list)
    removed: list[ResourceDelta] = Field(default_factory=list)
    changed: list[ResourceDelta] = Field(default_factory=list)
    unchanged: int = 0
    newly_unpriced: list[Unpriced] = Field(default_factory=list)  # unpriced in head only
    no_longer_unpriced: list[Unpriced] = Field(default_factory=list)  # unpriced in base only
    # Per grouping of the estimates' totals (application, environment, team), both sides.
    totals: dict[str, dict[str, TotalDelta]] = Field(default_factory=dict)
    base_revision: str | None = None  # commit sha, when read from git
    head_revision: str | None = None  # commit sha; None for the working tree
    errors: list[SourceError] = Field(default_factory=list)  # files either side could not read
