"""Amazon OpenSearch Service (Elasticsearch too): domains (data, dedicated master and
UltraWarm nodes; EBS storage, io1 IOPS and gp3 throughput of every data node's volume) and
Serverless collections (OCUs and stored data).

Every data node has its own EBS volume of `volume_size` GB (AWS: "the size of the EBS volume
for each data node"), so storage, IOPS and throughput are billed once per data node; Infracost
bills one volume's storage and IOPS for the whole domain. gp3 IOPS above the included 3,000
are not priced. Serverless: `indexing_ocus` and `search_ocus` (average OCUs in use) and
`storage_gb` from usage; the 2-OCU minimum is shared by an account's collections, so it is not
assumed for one collection.
"""

from __future__ import annotations

import math

from purser import kinds
from purser.cost.pricers import prices
from purser.cost.pricers.configured import amount, count, flag, word
from purser.cost.pricers.context import HOURS_PER_MONTH, PricingContext, Unpriceable, scaled
from purser.cost.usage import Quantity

ELASTICSEARCH_SUFFIX = ".elasticsearch"
DEFAULT_MASTERS = 3
DEFAULT_VOLUME_TYPE = "gp2"
GP3_SMALL_VOLUME_GB = 170  # up to here a gp3 volume includes 125 MiB/s
GP3_SMALL_THROUGHPUT = 125
GP3_THROUGHPUT_PER_3TB = 250  # above, 250 MiB/s per started 3,000 GB, at most 1,000
GP3_MAX_INCLUDED_THROUGHPUT = 1000


def _nodes(ctx: PricingContext, role: str, type_path: str, nodes: float) -> None:
    instance_type = word(ctx, type_path)
    if not instance_type:
        raise Unpriceable(f"{type_path} not known statically")
    if instance_type.endswith(ELASTICSEARCH_SUFFIX):
        instance_type = instance_type[:-len(ELASTICSEARCH_SUFFIX)] + ".search"
    try:
        hourly = ctx.prices("opensearch", meter="instance", instance_type=instance_type)
    except Unpriceable:
        raise Unpriceable(f"no OpenSearch price for {instance_type} in {ctx.region}") from None
    ctx.fixed(f"{role} (on-demand, {nodes:g} × {instance_type})", hourly,
              nodes * HOURS_PER_MONTH)


def _count(ctx: PricingContext, path: str, default: float) -> float:
    nodes = count(ctx, path, default)
    if nodes is None:
        raise Unpriceable(f"{path} not known statically")
    return nodes


@prices(*kinds.types("aws.opensearch.domain"))
def search_domain(ctx: PricingContext) -> None:
    data_nodes = _count(ctx, "cluster_config.instance_count", 1)
    _nodes(ctx, "Data nodes", "cluster_config.instance_type", data_nodes)
    if _enabled(ctx, "cluster_config.dedicated_master_enabled"):
        _nodes(ctx, "Dedicated master nodes", "cluster_config.dedicated_master_type",
               _count(ctx, "cluster_config.dedicated_master_count", DEFAULT_MASTERS))
    warm = _count(ctx, "cluster_config.warm_count", 0)
    if _enabled(ctx, "cluster_config.warm_enabled") and warm > 0:
        _nodes(ctx, "UltraWarm nodes", "cluster_config.warm_type", warm)
    if _enabled(ctx, "ebs_options.ebs_enabled"):
        _volumes(ctx, data_nodes)


def _enabled(ctx: PricingContext, path: str) -> bool:
    enabled = flag(ctx, path)
    if enabled is None:
        raise Unpriceable(f"{path} not known statically")
    return enabled


def _volumes(ctx: PricingContext, data_nodes: float) -> None:
    volume_type = word(ctx, "ebs_options.volume_type", DEFAULT_VOLUME_TYPE)
    if volume_type is None:
        raise Unpriceable("ebs_options.volume_type not known statically")
    size = amount(ctx, "ebs_options.volume_size")
    shown = "unknown size" if size is None else f"{size.value:g} GB"
    ctx.add(f"Storage ({volume_type}, {data_nodes:g} × {shown})",
            ctx.prices("opensearch", meter="storage", volume_type=volume_type),
            scaled(size, data_nodes))
    if volume_type == "io1":
        iops = amount(ctx, "ebs_options.iops")
        ctx.add(f"Provisioned IOPS (io1, {data_nodes:g} volumes)",
                ctx.prices("opensearch", meter="iops", volume_type="io1"),
                scaled(iops, data_nodes))
    elif volume_type == "gp3":
        throughput = amount(ctx, "ebs_options.throughput")
        if throughput is not None and size is not None:
            extra = throughput.value - _included_throughput(size.value)
            if extra > 0:
                ctx.add(f"Provisioned throughput (gp3, {data_nodes:g} × {extra:g} MiB/s above "
                        "the included)",
                        ctx.prices("opensearch", meter="throughput", volume_type="gp3"),
                        Quantity(extra * data_nodes, throughput.origin))


def _included_throughput(size_gb: float) -> float:
    if size_gb <= GP3_SMALL_VOLUME_GB:
        return GP3_SMALL_THROUGHPUT
    return min(GP3_MAX_INCLUDED_THROUGHPUT, math.ceil(size_gb / 3000) * GP3_THROUGHPUT_PER_3TB)


@prices(*kinds.types("aws.opensearchserverless.collection"))
def serverless_collection(ctx: PricingContext) -> None:
    ocu = ctx.prices("opensearch", meter="serverless_ocu")
    ctx.add("Indexing OCUs", ocu, scaled(ctx.used("indexing_ocus"), HOURS_PER_MONTH))
    ctx.add("Search OCUs", ocu, scaled(ctx.used("search_ocus"), HOURS_PER_MONTH))
    ctx.add("Storage", ctx.prices("opensearch", meter="serverless_storage"),
            ctx.used("storage_gb"))
