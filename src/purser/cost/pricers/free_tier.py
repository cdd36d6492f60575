"""Free tiers that AWS states as a $0 first price tier (Scheduler's 14M invocations, Cognito
Lite's and Essentials' 10,000 MAUs): a known quantity walks them, $0 tier included, so the
line says what was deducted; an unknown one shows the first price that is paid, never $0."""

from __future__ import annotations

from purser.cost.catalog import Price
from purser.cost.usage import Quantity


def past_free_tier(component: str, tiers: list[Price],
                   quantity: Quantity | None) -> tuple[str, list[Price]]:
    """The line's name and tiers: as they are, or, for an unknown quantity, the paid ones."""
    paying = [price for price in tiers if price.usd > 0]
    if quantity is not None or not paying or len(paying) == len(tiers):
        return component, tiers
    if component.endswith(")"):
        return f"{component[:-1]}; past the free tier)", paying
    return f"{component} (past the free tier)", paying
