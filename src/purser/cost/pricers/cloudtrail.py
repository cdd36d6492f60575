"""AWS CloudTrail trails: events delivered beyond the free first copy, and Insights.

The first copy of management events in each region is free; a trail is billed for the
management events it delivers as an additional copy (Infracost's
`monthly_additional_management_events`; purser cannot tell which trail is the first), for
data events (`monthly_data_events`) and, when Insights are on, for the events analyzed
(`monthly_insight_events`).
"""

from __future__ import annotations

from typing import Any

from purser import kinds
from purser.cost.pricers import prices
from purser.cost.pricers.context import PricingContext, scaled
from purser.model import Resource

PER_100K = 1 / 1e5


@prices(*kinds.types("aws.cloudtrail.trail"))
def trail(ctx: PricingContext) -> None:
    if _logs_management_events(ctx.resource):
        ctx.add("Management events (additional copies)",
                ctx.prices("cloudtrail", meter="management_events"),
                scaled(ctx.used("monthly_additional_management_events"), PER_100K))
    ctx.add("Data events", ctx.prices("cloudtrail", meter="data_events"),
            scaled(ctx.used("monthly_data_events"), PER_100K))
    if _blocks(ctx.resource, "insight_selector") or ctx.resource.is_unknown("insight_selector") \
            or ctx.used("monthly_insight_events") is not None:
        ctx.add("Insights events analyzed", ctx.prices("cloudtrail", meter="insight_events"),
                scaled(ctx.used("monthly_insight_events"), PER_100K))


def _logs_management_events(resource: Resource) -> bool:
    """A trail logs management events unless every event selector leaves them out."""
    selectors = _blocks(resource, "event_selector")
    return not selectors or any(s.get("include_management_events") is not False
                                for s in selectors)


def _blocks(resource: Resource, name: str) -> list[dict[str, Any]]:
    value = resource.get(name)
    items = value if isinstance(value, list) else [value]
    return [item for item in items if isinstance(item, dict)]
