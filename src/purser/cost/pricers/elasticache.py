"""Amazon ElastiCache: node-based clusters and replication groups (node hours by engine and
node type, snapshot storage) and Serverless caches (stored data and ECPUs).

A replication group runs shards × (replicas + 1) nodes in cluster mode, else its cache
clusters; an Auto Scaling target on its shards or replicas keeps at least its minimum, and
the `capacity` a usage file gives the target (Infracost's key) is the count billed.
Reserved nodes follow reservation.py (Infracost's reservation keys). A
cluster that belongs to a replication group is billed with the group. Infracost's usage
key `snapshot_storage_size_gb` prices snapshots; for Serverless, `data_storage_gb` (average
GB stored) and `monthly_ecpus`.
"""

from __future__ import annotations

from purser import kinds
from purser.cost.pricers import prices
from purser.cost.pricers.configured import amount, count, word
from purser.cost.pricers.context import (
    FIXED,
    HOURS_PER_MONTH,
    PricingContext,
    Unpriceable,
    scaled,
)
from purser.cost.pricers.reservation import bill_reservation, on_demand_note, reservation
from purser.cost.pricers.scaling import capacity, floor
from purser.cost.usage import Quantity

ENGINE_NAMES = {"redis": "Redis OSS", "valkey": "Valkey", "memcached": "Memcached"}
SNAPSHOT_ENGINES = ("redis", "valkey")
SERVERLESS_MIN_GB = {"redis": 1.0, "memcached": 1.0, "valkey": 0.1}
SHARDS = "elasticache:replication-group:NodeGroups"
REPLICAS = "elasticache:replication-group:Replicas"


def _engine(ctx: PricingContext, default: str) -> str:
    engine = word(ctx, "engine", default)
    if engine is None:
        raise Unpriceable("cache engine not known statically")
    if not engine:
        raise Unpriceable("cache engine not set")
    if engine not in ENGINE_NAMES:
        raise Unpriceable(f"no price model for ElastiCache engine {engine!r}")
    return engine


def _nodes(ctx: PricingContext, engine: str, nodes: float, scaled_note: str = "",
           origin: str = FIXED) -> None:
    node_type = word(ctx, "node_type")
    if not node_type:
        raise Unpriceable("node type not known statically")
    try:
        hourly = ctx.prices("elasticache", meter="node", engine=engine, node_type=node_type)
    except Unpriceable:
        raise Unpriceable(f"no {ENGINE_NAMES[engine]} price for {node_type} "
                          f"in {ctx.region}") from None
    terms = reservation(ctx, legacy=True)
    why = None
    if terms is not None:
        why = bill_reservation(ctx, f"Nodes ({nodes:g} × {node_type}, {ENGINE_NAMES[engine]}"
                               f"{scaled_note})", "elasticache",
                               {"meter": "node", "engine": engine, "node_type": node_type},
                               terms, nodes)
    if terms is None or why is not None:
        ctx.add(f"Nodes (on-demand, {nodes:g} × {node_type}, {ENGINE_NAMES[engine]}"
                f"{scaled_note}{on_demand_note(why)})", hourly,
                Quantity(nodes * HOURS_PER_MONTH, origin))
    if engine in SNAPSHOT_ENGINES:
        retention = amount(ctx, "snapshot_retention_limit", 0)
        if retention is None or retention.value > 0:
            ctx.add("Snapshot storage", ctx.prices("elasticache", meter="backup_storage"),
                    ctx.used("snapshot_storage_size_gb"))


@prices(*kinds.types("aws.elasticache.cluster"))
def cache_cluster(ctx: PricingContext) -> None:
    if ctx.resource.get("replication_group_id") not in (None, ""):
        return  # a member of a replication group: its nodes are billed with the group
    nodes = count(ctx, "num_cache_nodes", 1)
    if nodes is None:
        raise Unpriceable("num_cache_nodes not known statically")
    _nodes(ctx, _engine(ctx, ""), nodes)


@prices(*kinds.types("aws.elasticache.replication_group"))
def replication_group(ctx: PricingContext) -> None:
    group = ctx.resource
    names = [f"replication-group/{group.get('replication_group_id')}"]
    shards = _first_count(ctx, "num_node_groups", "cluster_mode.num_node_groups")
    replicas = _first_count(ctx, "replicas_per_node_group",
                            "cluster_mode.replicas_per_node_group")
    shard_floor = floor(ctx, SHARDS, group, names) or 0.0
    replica_floor = floor(ctx, REPLICAS, group, names) or 0.0
    note = ", Auto Scaling minimum" if shard_floor > shards or replica_floor > replicas else ""
    shards, replicas = max(shards, shard_floor), max(replicas, replica_floor)
    used_shards = capacity(ctx, SHARDS, group, names)
    used_replicas = capacity(ctx, REPLICAS, group, names)
    given = [q for q in (used_shards, used_replicas) if q is not None]
    if given:  # the usage file says what the targets run at: it replaces the minimum
        note = ", Auto Scaling"
        shards = shards if used_shards is None else used_shards.value
        replicas = replicas if used_replicas is None else used_replicas.value
    if shards or used_shards is not None:
        nodes = max(shards, 1) * (replicas + 1)
    else:
        nodes = max(_first_count(ctx, "num_cache_clusters", "number_cache_clusters"), 1)
    _nodes(ctx, _engine(ctx, "redis"), nodes, note,
           " + ".join(dict.fromkeys(q.origin for q in given)) or FIXED)


def _first_count(ctx: PricingContext, *paths: str) -> float:
    """The first count written under one of `paths` (current, then older provider names);
    0 when none is."""
    for path in paths:
        value = count(ctx, path, 0)
        if value is None:
            raise Unpriceable(f"{path} not known statically")
        if value:
            return value
    return 0.0


@prices(*kinds.types("aws.elasticache.serverless_cache"))
def serverless_cache(ctx: PricingContext) -> None:
    """Average GB stored (at the engine's minimum) every hour, and ECPUs per million."""
    engine = _engine(ctx, "")
    least = SERVERLESS_MIN_GB[engine]
    stored = ctx.used("data_storage_gb")
    if stored is not None and stored.value < least:
        stored = Quantity(least, stored.origin)
    ctx.add(f"Data stored ({ENGINE_NAMES[engine]}, at least {least:g} GB)",
            ctx.prices("elasticache", meter="serverless_storage", engine=engine),
            scaled(stored, HOURS_PER_MONTH))
    ctx.add(f"ElastiCache Processing Units ({ENGINE_NAMES[engine]})",
            ctx.prices("elasticache", meter="serverless_ecpu", engine=engine),
            scaled(ctx.used("monthly_ecpus"), 1 / 1e6))
