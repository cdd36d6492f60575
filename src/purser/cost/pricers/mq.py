"""Amazon MQ brokers: instance hours (a single instance, an active/standby pair or a
three-node RabbitMQ cluster) and storage.

ActiveMQ keeps its messages on EFS unless `storage_type` is ebs, one file system shared by an
active/standby pair; RabbitMQ on EBS, a volume per node. Infracost's usage key
`storage_size_gb` is the storage of one broker instance.
"""

from __future__ import annotations

from purser import kinds
from purser.cost.pricers import prices
from purser.cost.pricers.configured import word
from purser.cost.pricers.context import HOURS_PER_MONTH, PricingContext, Unpriceable, scaled

NODES = {"single_instance": 1, "active_standby_multi_az": 2, "cluster_multi_az": 3}
ENGINE_NAMES = {"activemq": "ActiveMQ", "rabbitmq": "RabbitMQ"}


@prices(*kinds.types("aws.mq.broker"))
def mq_broker(ctx: PricingContext) -> None:
    engine = word(ctx, "engine_type")
    if engine not in ENGINE_NAMES:
        raise Unpriceable("broker engine not known statically" if not engine
                          else f"no price model for {engine} brokers")
    instance_type = word(ctx, "host_instance_type")
    mode = word(ctx, "deployment_mode", "single_instance")
    if not instance_type or mode not in NODES:
        raise Unpriceable("instance type or deployment mode not known statically")
    nodes = NODES[mode]
    try:
        hourly = ctx.prices("mq", meter="broker", engine=engine, instance_type=instance_type)
    except Unpriceable:
        raise Unpriceable(f"no {ENGINE_NAMES[engine]} price for {instance_type} "
                          f"in {ctx.region}") from None
    ctx.fixed(f"Broker instances ({ENGINE_NAMES[engine]}, {nodes} × {instance_type}, {mode})",
              hourly, nodes * HOURS_PER_MONTH)
    storage = word(ctx, "storage_type", "ebs" if engine == "rabbitmq" else "efs")
    if storage is None:
        raise Unpriceable("storage_type not known statically")
    volumes = 1 if storage == "efs" else nodes  # EFS is shared; EBS is a volume per node
    ctx.add(f"Storage ({ENGINE_NAMES[engine]}, {storage.upper()}, {volumes} × storage_size_gb)",
            ctx.prices("mq", meter="storage", engine=engine, storage_type=storage),
            scaled(ctx.used("storage_size_gb"), volumes))
