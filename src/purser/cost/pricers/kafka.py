"""Amazon MSK: provisioned clusters (broker hours, each broker's EBS storage) and Serverless
clusters (cluster and partition hours, storage, data in and out).

An Auto Scaling target on a cluster's broker storage keeps at least its `min_capacity` GB per
broker, or the `capacity` a usage file gives the target (Infracost's key), and never less
than the size written (MSK storage only grows). Provisioned storage throughput is not
priced. Serverless usage keys: `partitions` (average count), `storage_gb`,
`monthly_data_in_gb`, `monthly_data_out_gb`.
"""

from __future__ import annotations

from purser import kinds
from purser.cost.pricers import prices
from purser.cost.pricers.configured import amount, count, word
from purser.cost.pricers.context import HOURS_PER_MONTH, PricingContext, Unpriceable, scaled
from purser.cost.pricers.scaling import capacity, floor
from purser.cost.usage import Quantity

BROKER_STORAGE = "kafka:broker-storage:VolumeSize"
VOLUME_SIZE = "broker_node_group_info.storage_info.ebs_storage_info.volume_size"
OLD_VOLUME_SIZE = "broker_node_group_info.ebs_volume_size"  # provider versions before 5


@prices(*kinds.types("aws.msk.cluster"))
def msk_cluster(ctx: PricingContext) -> None:
    brokers = count(ctx, "number_of_broker_nodes", 0)
    if not brokers:
        raise Unpriceable("number_of_broker_nodes not known statically")
    instance_type = word(ctx, "broker_node_group_info.instance_type")
    if not instance_type:
        raise Unpriceable("broker instance type not known statically")
    try:
        hourly = ctx.prices("msk", meter="broker", instance_type=instance_type)
    except Unpriceable:
        raise Unpriceable(f"no MSK price for {instance_type} in {ctx.region}") from None
    ctx.fixed(f"Brokers ({brokers:g} × {instance_type})", hourly, brokers * HOURS_PER_MONTH)
    size = amount(ctx, VOLUME_SIZE) or amount(ctx, OLD_VOLUME_SIZE)
    size, note = _scaled_size(ctx, size)
    shown = "unknown size" if size is None else f"{size.value:g} GB"
    ctx.add(f"Storage ({brokers:g} × {shown}{note})", ctx.prices("msk", meter="storage"),
            scaled(size, brokers))


def _scaled_size(ctx: PricingContext, size: Quantity | None) -> tuple[Quantity | None, str]:
    """Each broker's storage after Auto Scaling: the target's `capacity` from a usage file
    (also when the written size is unknown), else its minimum, when above the written size
    (storage only grows)."""
    used = capacity(ctx, BROKER_STORAGE, ctx.resource)
    if used is not None:
        return (used, ", Auto Scaling") if size is None or used.value > size.value else (size, "")
    least = floor(ctx, BROKER_STORAGE, ctx.resource)
    if size is not None and least is not None and least > size.value:
        return Quantity(least, size.origin), ", Auto Scaling minimum"
    return size, ""


@prices(*kinds.types("aws.msk.serverless_cluster"))
def msk_serverless(ctx: PricingContext) -> None:
    ctx.fixed("Serverless cluster", ctx.prices("msk", meter="serverless_cluster"),
              HOURS_PER_MONTH)
    ctx.add("Partitions", ctx.prices("msk", meter="serverless_partition"),
            scaled(ctx.used("partitions"), HOURS_PER_MONTH))
    ctx.add("Storage", ctx.prices("msk", meter="serverless_storage"), ctx.used("storage_gb"))
    ctx.add("Data in", ctx.prices("msk", meter="serverless_data_in"),
            ctx.used("monthly_data_in_gb"))
    ctx.add("Data out", ctx.prices("msk", meter="serverless_data_out"),
            ctx.used("monthly_data_out_gb"))
