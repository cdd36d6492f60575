"""Application Auto Scaling targets: the least capacity AWS keeps a scalable resource at.

A replication group's shards and replicas or an MSK cluster's broker storage may be scaled
by a target in the same repository; its `min_capacity` is a floor the resource never goes
below, so a pricer bills at least that. (Infracost's `capacity` usage key on the target is
not read: a pricer sees its own resource's usage only.)
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from purser import kinds
from purser.cost.pricers.context import PricingContext, ResourceIndex
from purser.model import Ref, Resource, number

TARGET_TYPES = frozenset(kinds.types("aws.appautoscaling.target"))


@dataclass(frozen=True)
class _Target:
    dimension: str
    resource_id: Any
    minimum: float | None


def _targets(index: ResourceIndex) -> list[_Target]:
    return [_Target(str(target.get("scalable_dimension") or ""), target.get("resource_id"),
                    number(target.get("min_capacity")))
            for target in index.by_address.values() if target.type in TARGET_TYPES]


def floor(ctx: PricingContext, dimension: str, resource: Resource,
          names: Iterable[str] = ()) -> float | None:
    """The `min_capacity` of a target on `dimension` that scales `resource`: named by a
    reference to it, by a template that mentions its address, or by one of `names` (e.g.
    "replication-group/orders")."""
    named = set(names)
    for target in ctx.index.memo("scaling targets", _targets):
        if target.dimension == dimension and _scales(target.resource_id, resource, named):
            return target.minimum
    return None


def _scales(resource_id: Any, resource: Resource, names: set[str]) -> bool:
    if isinstance(resource_id, Ref):
        return resource_id.address == resource.address
    if not isinstance(resource_id, str):
        return False
    return resource_id in names or f"${{{resource.address}." in resource_id
