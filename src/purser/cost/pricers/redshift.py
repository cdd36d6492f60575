"""Amazon Redshift provisioned clusters.

A cluster pays its nodes by the hour (a single-node cluster has one; a multi-node one
`number_of_nodes`), and from Infracost's usage keys: concurrency scaling beyond the free
daily credit in node-seconds (`excess_concurrency_scaling_secs`), RA3 managed storage
(`managed_storage_gb`), Spectrum per TB scanned (`spectrum_data_scanned_tb`) and backup
storage beyond the free allowance (`backup_storage_gb`, over AWS's volume tiers).
"""

from __future__ import annotations

from purser import kinds
from purser.cost.pricers import prices
from purser.cost.pricers.configured import amount, word
from purser.cost.pricers.context import FIXED, HOURS_PER_MONTH, PricingContext, Unpriceable
from purser.cost.usage import Quantity

MANAGED_STORAGE_FAMILY = "ra3."


@prices(*kinds.types("aws.redshift.cluster"))
def cluster(ctx: PricingContext) -> None:
    node_type = word(ctx, "node_type")
    if not node_type:
        raise Unpriceable("node type not known statically")
    nodes = _nodes(ctx)
    label = f", {nodes.value:g} nodes" if nodes is not None and nodes.value != 1 else ""
    ctx.add(f"Cluster usage (on-demand, {node_type}{label})",
            ctx.prices("redshift", meter="node_hours", node_type=node_type),
            None if nodes is None else Quantity(nodes.value * HOURS_PER_MONTH, nodes.origin))
    if node_type.startswith(MANAGED_STORAGE_FAMILY):
        ctx.add("Managed storage", ctx.prices("redshift", meter="managed_storage"),
                ctx.used("managed_storage_gb"))
    ctx.add(f"Concurrency scaling ({node_type})",
            ctx.prices("redshift", meter="concurrency_scaling", node_type=node_type),
            ctx.used("excess_concurrency_scaling_secs"))
    ctx.add("Spectrum", ctx.prices("redshift", meter="spectrum"),
            ctx.used("spectrum_data_scanned_tb"))
    ctx.add("Backup storage", ctx.prices("redshift", meter="backup_storage"),
            ctx.used("backup_storage_gb"))


def _nodes(ctx: PricingContext) -> Quantity | None:
    if word(ctx, "cluster_type") == "single-node":
        return Quantity(1, FIXED)
    return amount(ctx, "number_of_nodes", default=1)
