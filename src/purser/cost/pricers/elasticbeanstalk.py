"""AWS Elastic Beanstalk environments, priced as the resources they create.

Beanstalk itself is free; an environment pays for what its option settings make: MinSize
instances of its first instance type (with their root volume: `RootVolumeType`,
`RootVolumeSize`, `RootVolumeIOPS`, else the EC2 price model's assumed 8 GB gp2), a load
balancer of `LoadBalancerType` (classic when not written, AWS's default; none for a
single-instance environment), an RDS instance when `aws:rds:dbinstance` settings name a
class, and a CloudWatch log group when logs are streamed. Each is priced by its own price
model, with Infracost's usage keys for the environment grouped by part (`ec2.`, `elb.`,
`lb.`, `db.`, `cloudwatch.`), and each line is named after the part it comes from.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from purser import kinds
from purser.cost.pricers import pricers, prices
from purser.cost.pricers.context import PricingContext, Unpriceable
from purser.model import number

Setting = tuple[str, str]
INSTANCE_TYPES: Setting = ("aws:ec2:instances", "InstanceTypes")
LAUNCH_INSTANCE_TYPE: Setting = ("aws:autoscaling:launchconfiguration", "InstanceType")
MIN_SIZE: Setting = ("aws:autoscaling:asg", "MinSize")
ENVIRONMENT_TYPE: Setting = ("aws:elasticbeanstalk:environment", "EnvironmentType")
LOAD_BALANCER_TYPE: Setting = ("aws:elasticbeanstalk:environment", "LoadBalancerType")
STREAM_LOGS: Setting = ("aws:elasticbeanstalk:cloudwatch:logs", "StreamLogs")
LAUNCH = "aws:autoscaling:launchconfiguration"
DATABASE = "aws:rds:dbinstance"
ROOT_VOLUME = {"RootVolumeType": "volume_type", "RootVolumeSize": "volume_size",
               "RootVolumeIOPS": "iops"}
MAX_INSTANCES = 10_000  # Beanstalk's own limits are far below; a larger MinSize is refused
SINGLE_INSTANCE = "singleinstance"


@prices(*kinds.types("aws.elasticbeanstalk.environment"))
def environment(ctx: PricingContext) -> None:
    settings = _settings(ctx)
    _instances(ctx, settings)
    if settings.get(ENVIRONMENT_TYPE, "").lower() != SINGLE_INSTANCE:
        balancer = settings.get(LOAD_BALANCER_TYPE, "classic").lower()
        if balancer == "classic":
            _price_as(ctx, "aws_elb", {}, "elb", "Load balancer")
        else:
            _price_as(ctx, "aws_lb", {"load_balancer_type": balancer}, "lb", "Load balancer")
    if (DATABASE, "DBInstanceClass") in settings:
        _price_as(ctx, "aws_db_instance", _database(settings), "db", "Database")
    if settings.get(STREAM_LOGS, "").lower() == "true":
        _price_as(ctx, "aws_cloudwatch_log_group", {}, "cloudwatch", "Logs")


def _settings(ctx: PricingContext) -> dict[Setting, str]:
    """(namespace, name) → value of every option setting; unpriceable when not known."""
    if ctx.resource.is_unknown("setting"):
        raise Unpriceable("option settings not known statically")
    blocks = ctx.resource.get("setting")
    found: dict[Setting, str] = {}
    for block in blocks if isinstance(blocks, list) else [blocks]:
        if isinstance(block, dict) and isinstance(block.get("namespace"), str) \
                and isinstance(block.get("name"), str):
            found[(block["namespace"], block["name"])] = str(block.get("value", ""))[:200]
    return found


def _instances(ctx: PricingContext, settings: dict[Setting, str]) -> None:
    written = settings.get(INSTANCE_TYPES) or settings.get(LAUNCH_INSTANCE_TYPE)
    if not written:
        raise Unpriceable("no instance type in the option settings (Beanstalk picks one by "
                          "platform)")
    size = number(settings.get(MIN_SIZE, "1"))
    if size is None or not 0 <= size <= MAX_INSTANCES:
        raise Unpriceable(f"MinSize {settings.get(MIN_SIZE, '')[:20]!r} is not a usable count")
    root = {attribute: settings[(LAUNCH, name)] for name, attribute in ROOT_VOLUME.items()
            if (LAUNCH, name) in settings}
    attrs: dict[str, Any] = {"instance_type": written.split(",")[0].strip()}
    if root:
        attrs["root_block_device"] = root
    _price_as(ctx, "aws_instance", attrs, "ec2", f"Instances (MinSize {size:g})", times=size)


def _database(settings: dict[Setting, str]) -> dict[str, Any]:
    attrs: dict[str, Any] = {
        "instance_class": settings[(DATABASE, "DBInstanceClass")],
        "engine": settings.get((DATABASE, "DBEngine"), "mysql"),
        "multi_az": settings.get((DATABASE, "MultiAZDatabase"), "false").lower() == "true"}
    if (DATABASE, "DBAllocatedStorage") in settings:
        attrs["allocated_storage"] = settings[(DATABASE, "DBAllocatedStorage")]
    return attrs


def _price_as(ctx: PricingContext, type_: str, attrs: dict[str, Any], usage_prefix: str,
              part: str, times: float = 1.0) -> None:
    """Price a stand-in for one resource the environment creates, `times` over, with the
    usage keys under `usage_prefix.`, and add its lines named after `part`."""
    prefix = usage_prefix + "."
    stand_in = ctx.resource.model_copy(update={
        "type": type_, "format": "terraform", "attrs": attrs, "unknown": [],
        "kind": getattr(kinds.of_type(type_), "name", "")})
    part_ctx = replace(
        ctx, resource=stand_in, lines=[], misused={}, cost_range=None,
        usage={k.removeprefix(prefix): q for k, q in ctx.usage.items() if k.startswith(prefix)},
        texts={k.removeprefix(prefix): t for k, t in ctx.texts.items() if k.startswith(prefix)})
    pricers.get(type_)(part_ctx)
    ctx.misused.update({prefix + key: why for key, why in part_ctx.misused.items()})
    for line in part_ctx.lines:
        ctx.lines.append(line.model_copy(update={
            "component": f"{part}: {line.component}",
            "monthly_quantity": None if line.monthly_quantity is None
            else line.monthly_quantity * times,
            "monthly_cost": None if line.monthly_cost is None else line.monthly_cost * times}))
