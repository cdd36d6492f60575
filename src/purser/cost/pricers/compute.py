"""EC2 instances and EKS node groups (on-demand Linux), EKS, ALBs."""

from __future__ import annotations

from purser import kinds
from purser.cost.pricers import prices
from purser.cost.pricers.context import HOURS_PER_MONTH, PricingContext, Unpriceable
from purser.cost.usage import Quantity
from purser.model import number

# One LCU covers any one of these per hour; an ALB pays for the largest dimension.
LCU_NEW_CONNECTIONS_PER_SECOND = 25
LCU_ACTIVE_CONNECTIONS_PER_MINUTE = 3000
LCU_PROCESSED_GB_PER_HOUR = 1
LCU_RULE_EVALUATIONS_PER_SECOND = 1000
DEFAULT_NODE_GROUP_INSTANCE = "t3.medium"  # Terraform's default for aws_eks_node_group


def _instance_hours(ctx: PricingContext, instance_type: str, count: float) -> None:
    try:
        hourly = ctx.prices("ec2", meter="instance", instance_type=instance_type, os="linux")
    except Unpriceable:
        raise Unpriceable(f"no on-demand price for instance type {instance_type} "
                          f"in {ctx.region}") from None
    label = f"{count:g} × {instance_type}" if count != 1 else instance_type
    ctx.fixed(f"Instance usage (Linux, on-demand, {label})", hourly, count * HOURS_PER_MONTH)


@prices(*kinds.types("aws.ec2.instance"))
def ec2_instance(ctx: PricingContext) -> None:
    instance_type = ctx.resource.get("instance_type")
    if not isinstance(instance_type, str):
        raise Unpriceable("instance type not known statically")
    _instance_hours(ctx, instance_type, 1)


@prices("aws_eks_node_group")
def eks_node_group(ctx: PricingContext) -> None:
    types = ctx.resource.get("instance_types")
    instance_type = types[0] if isinstance(types, list) and types else DEFAULT_NODE_GROUP_INSTANCE
    desired = number(ctx.resource.get("scaling_config.desired_size"), 1) or 0.0
    _instance_hours(ctx, str(instance_type), desired)


@prices(*kinds.types("aws.eks.cluster"))
def eks_cluster(ctx: PricingContext) -> None:
    ctx.fixed("EKS control plane", ctx.prices("eks", meter="cluster"), HOURS_PER_MONTH)


@prices(*kinds.types("aws.elbv2.load_balancer"))
def load_balancer(ctx: PricingContext) -> None:
    """ALB hours plus LCU-hours from Infracost's keys: new_connections (per second),
    active_connections (per minute), processed_bytes_gb (per hour), rule_evaluations
    (per second)."""
    kind = str(ctx.resource.get("load_balancer_type") or "application").lower()
    if kind != "application":
        raise Unpriceable(f"no price model for {kind} load balancers")
    ctx.fixed("Application load balancer",
              ctx.prices("elb", meter="hours", load_balancer="application"), HOURS_PER_MONTH)
    dimensions = {
        "new_connections": LCU_NEW_CONNECTIONS_PER_SECOND,
        "active_connections": LCU_ACTIVE_CONNECTIONS_PER_MINUTE,
        "processed_bytes_gb": LCU_PROCESSED_GB_PER_HOUR,
        "rule_evaluations": LCU_RULE_EVALUATIONS_PER_SECOND,
    }
    known = {key: q for key in dimensions if (q := ctx.used(key)) is not None}
    lcu_hours = None
    if known:
        lcus = max(q.value / dimensions[key] for key, q in known.items())
        origin = " + ".join(dict.fromkeys(q.origin for q in known.values()))
        lcu_hours = Quantity(lcus * HOURS_PER_MONTH, origin)
    ctx.add("Load balancer capacity units",
            ctx.prices("elb", meter="lcu", load_balancer="application"), lcu_hours)
