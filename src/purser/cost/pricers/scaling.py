"""Application Auto Scaling targets: the capacity AWS keeps a scalable resource at.

A replication group's shards and replicas, a DynamoDB table's capacity units or an MSK
cluster's broker storage may be scaled by a target in the same repository. Its
`min_capacity` is a floor the resource never goes below; Infracost's usage key `capacity`
on the target (the capacity it runs at) is read through the usage source the resource was
priced with, so a pricer can bill it and say it came from the target.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from purser import kinds
from purser.cost.pricers.context import PricingContext, ResourceIndex
from purser.cost.usage import Quantity
from purser.model import Ref, Resource, number

TARGET_TYPES = frozenset(kinds.types("aws.appautoscaling.target"))
CAPACITY = "capacity"  # Infracost's usage key on a target


@dataclass(frozen=True)
class _Target:
    target: Resource
    dimension: str
    resource_id: Any
    minimum: float | None


def _targets(index: ResourceIndex) -> list[_Target]:
    return [_Target(target, str(target.get("scalable_dimension") or ""),
                    target.get("resource_id"), number(target.get("min_capacity")))
            for target in index.by_address.values() if target.type in TARGET_TYPES]


def _target(ctx: PricingContext, dimension: str, resource: Resource,
            names: Iterable[str]) -> _Target | None:
    """The target on `dimension` that scales `resource`: named by a reference to it, by a
    template that mentions its address, or by one of `names` (e.g.
    "replication-group/orders")."""
    named = set(names)
    for target in ctx.index.memo("scaling targets", _targets):
        if target.dimension == dimension and _scales(target.resource_id, resource, named):
            return target
    return None


def floor(ctx: PricingContext, dimension: str, resource: Resource,
          names: Iterable[str] = ()) -> float | None:
    """The `min_capacity` of the target on `dimension` that scales `resource`."""
    target = _target(ctx, dimension, resource, names)
    return None if target is None else target.minimum


def capacity(ctx: PricingContext, dimension: str, resource: Resource,
             names: Iterable[str] = ()) -> Quantity | None:
    """The `capacity` a usage source gives the target on `dimension` that scales
    `resource`, its origin naming the target; None when there is no such target or no
    such usage."""
    target = _target(ctx, dimension, resource, names)
    if target is None:
        return None
    return ctx.used_on(target.target, CAPACITY, "its scaling target")


def _scales(resource_id: Any, resource: Resource, names: set[str]) -> bool:
    if isinstance(resource_id, Ref):
        return resource_id.address == resource.address
    if not isinstance(resource_id, str):
        return False
    return resource_id in names or f"${{{resource.address}." in resource_id
