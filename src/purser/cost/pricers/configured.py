"""A resource's settings as a pricer needs them: written, defaulted, or not known.

Database, cache and search pricers read many settings that may be absent (AWS then applies
its default), not statically known (a variable without a value, another resource's computed
attribute), or a reference to another resource in the estimate (an Aurora instance's
engine is often its cluster's). These readers follow references through the estimate's
index and keep the three cases apart, so that an unknown size is priced as unknown and never
as zero or as the default.

A plan says "known after apply" of every setting the configuration left to AWS (the provider
computes it), so there a reader given a default returns it: what AWS picks when nothing is
written. In HCL an unknown setting is one written from a value that cannot be read, and stays
unknown.
"""

from __future__ import annotations

from typing import Any

from purser.cost.pricers.context import DEFAULT, FIXED, PricingContext, Unpriceable
from purser.cost.usage import Quantity
from purser.model import Ref, Resource, number

# No real instance count, size, IOPS or retention comes near this: larger values are typos
# or attacks, refused rather than priced into an absurd total.
MAX_SETTING = 1e9
PLAN_FORMAT = "terraform_plan"
_SHOWN_CHARS = 40


def setting(ctx: PricingContext, path: str, resource: Resource | None = None) -> Any:
    """The value at `path`, the referenced resource's attribute for a reference
    (None when that resource is not in the estimate or lacks the attribute)."""
    owner = resource or ctx.resource
    value = owner.get(path)
    if isinstance(value, Ref):
        target = ctx.index.get(value.address)
        return target.get(value.attribute) if target is not None and value.attribute else None
    return value


def unknown(ctx: PricingContext, path: str, resource: Resource | None = None) -> bool:
    """The setting was written but cannot be read statically."""
    owner = resource or ctx.resource
    if owner.is_unknown(path):
        return True
    value = owner.get(path)
    return isinstance(value, Ref) and setting(ctx, path, owner) is None


def _left_to_aws(ctx: PricingContext, resource: Resource | None) -> bool:
    """In a plan, an unknown setting may be one AWS computes when none is written."""
    return (resource or ctx.resource).format == PLAN_FORMAT


def word(ctx: PricingContext, path: str, default: str = "",
         resource: Resource | None = None) -> str | None:
    """A text setting in lower case; `default` when absent, None when not known."""
    if unknown(ctx, path, resource):
        return default if _left_to_aws(ctx, resource) else None
    value = setting(ctx, path, resource)
    if value is None or value == "":
        return default
    return str(value).strip().lower()[:200]


def flag(ctx: PricingContext, path: str, default: bool = False,
         resource: Resource | None = None) -> bool | None:
    """A boolean setting (CloudFormation writes "true"); None when not known."""
    if unknown(ctx, path, resource):
        return default if _left_to_aws(ctx, resource) else None
    value = setting(ctx, path, resource)
    if value is None or value == "":
        return default
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() == "true"


def amount(ctx: PricingContext, path: str, default: float | None = None,
           resource: Resource | None = None) -> Quantity | None:
    """A numeric setting as a quantity: `fixed` when written, `default` when absent (an
    assumption, said as such), None when not known or absent without a default.

    Raises `Unpriceable` for a value that is not a number or is out of range: it names the
    attribute, so the reader knows which setting to fix.
    """
    if unknown(ctx, path, resource) and not (default is not None
                                              and _left_to_aws(ctx, resource)):
        return None
    value = setting(ctx, path, resource)
    if value is None or value == "":
        return None if default is None else Quantity(default, DEFAULT)
    parsed = number(value)
    if parsed is None or not 0 <= parsed <= MAX_SETTING:
        shown = str(value)[:_SHOWN_CHARS]
        raise Unpriceable(f"{path} = {shown!r} is not a usable number")
    return Quantity(parsed, FIXED)


def count(ctx: PricingContext, path: str, default: float,
          resource: Resource | None = None) -> float | None:
    """A node or instance count: the written number, `default` when absent, None if unknown."""
    quantity = amount(ctx, path, default, resource)
    return None if quantity is None else quantity.value
