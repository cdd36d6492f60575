"""EC2 Auto Scaling groups: their instances, priced from the launch template or launch
configuration they launch (see instances.py for what an instance's lines are).

How many run: usage `instances`, else `desired_capacity`, else `min_size` (what AWS sets
the desired capacity to when none is given). A group with neither a desired capacity nor
a minimum above zero is assumed to run one instance, as Infracost assumes, and the line
says so: it exists to run something when scaled, and pricing it at zero would hide that.

A mixed instances policy launches its first override's type (on-demand capacity follows
the overrides' order by default); its capacity counts in weighted units, so the instances
are the capacity divided by the override's weight, rounded up. The share of capacity
above `on_demand_base_capacity` that `on_demand_percentage_above_base_capacity` leaves to
Spot has no fixed price: its line shows the on-demand price with an unknown quantity.
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Any

from purser import kinds
from purser.cost.pricers import prices
from purser.cost.pricers.context import DEFAULT, FIXED, PricingContext, Unpriceable
from purser.cost.pricers.instances import (
    LaunchSpec,
    bill_instances,
    launch_spec,
    launch_template,
    operating_system,
    resolve,
)
from purser.cost.usage import Quantity
from purser.model import Resource, dig, number

ASSUMED_INSTANCES = 1.0
MAX_INSTANCES = 100_000  # more than any group's quota allows: a larger count is a typo


@prices(*kinds.types("aws.autoscaling.group"))
def autoscaling_group(ctx: PricingContext) -> None:
    group = ctx.resource
    capacity = _capacity(ctx, group)
    policy = group.get("mixed_instances_policy")
    if isinstance(policy, list | dict) and policy:
        _bill_mixed(ctx, group, capacity)
        return
    spec = _launch_source(ctx, group)
    bill_instances(ctx, spec, capacity)


def _capacity(ctx: PricingContext, group: Resource) -> Quantity:
    used = ctx.used("instances")
    if used is not None:
        return used
    for path in ("desired_capacity", "min_size"):
        value = _count(group.get(path))
        if value is not None and (value > 0 or path == "desired_capacity"):
            return Quantity(value, FIXED)
    return Quantity(ASSUMED_INSTANCES, DEFAULT)


def _count(value: Any) -> float | None:
    parsed = number(value)
    if parsed is None:
        return None
    if not 0 <= parsed <= MAX_INSTANCES:
        raise Unpriceable(f"instance count {parsed:g} is out of range")
    return parsed


def _launch_source(ctx: PricingContext, group: Resource) -> LaunchSpec:
    template = launch_template(ctx.index, group.get("launch_template"))
    if template is not None:
        return launch_spec(ctx.index, template)
    configuration = resolve(ctx.index, group.get("launch_configuration"),
                            kinds.types("aws.ec2.launch_configuration"))
    if configuration is not None:
        return launch_spec(ctx.index, configuration)
    raise Unpriceable("its launch template or launch configuration is not in this repository")


def _bill_mixed(ctx: PricingContext, group: Resource, capacity: Quantity) -> None:
    policy_template = dig(group.attrs, "mixed_instances_policy.launch_template")
    template = launch_template(ctx.index, dig(policy_template,
                                              "launch_template_specification"))
    if template is None:
        raise Unpriceable("its launch template is not in this repository")
    spec = launch_spec(ctx.index, template)
    overrides = dig(policy_template, "override")
    first = overrides[0] if isinstance(overrides, list) and overrides else overrides
    weight = 1.0
    if isinstance(first, dict):
        instance_type = first.get("instance_type")
        if isinstance(instance_type, str) and instance_type:
            spec = replace(spec, instance_type=instance_type)
        weight = number(first.get("weighted_capacity"), 1.0) or 1.0
    distribution = dig(group.attrs, "mixed_instances_policy.instances_distribution") or {}
    base = number(dig(distribution, "on_demand_base_capacity"), 0.0) or 0.0
    percentage = number(dig(distribution, "on_demand_percentage_above_base_capacity"), 100.0)
    share = min(max(100.0 if percentage is None else percentage, 0.0), 100.0) / 100
    on_demand_units = min(capacity.value, base) + max(capacity.value - base, 0.0) * share
    spot_units = capacity.value - on_demand_units
    instances = math.ceil(on_demand_units / weight - 1e-9) if weight > 0 else 0
    bill_instances(ctx, spec, Quantity(float(instances), capacity.origin))
    if spot_units > 0:
        spot = math.ceil(spot_units / weight - 1e-9) if weight > 0 else 0
        ctx.add(f"Spot instances ({spot:g} × {spec.instance_type}; spot price varies, "
                "on-demand shown)",
                ctx.prices("ec2", meter="instance", instance_type=str(spec.instance_type),
                           os=operating_system(ctx, spec.operating_system)), None)
