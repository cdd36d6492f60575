"""Amazon EBS volumes and snapshots.

A volume costs its provisioned GB-months by volume type, plus provisioned performance:
gp3 includes 3,000 IOPS and 125 MB/s and bills only what is provisioned above them; io1
and io2 bill every provisioned IOPS (io2 at its first tier's price throughout); magnetic
(standard) volumes bill their I/O requests (usage `monthly_standard_io_requests`).
Instances' block devices and Kubernetes volume claims are priced through `bill_volume`.

A snapshot costs its stored GB-months: usage `storage_gb`, else the full size of the
volume it was taken from (the first snapshot of a volume stores at most that; later ones
only the changed blocks), plus fast snapshot restore (`fast_snapshot_restore_hours`, per
availability zone) and EBS direct API requests (`monthly_list_block_requests`,
`monthly_get_block_requests`, `monthly_put_block_requests`).
"""

from __future__ import annotations

from typing import Any

from purser import kinds
from purser.cost.catalog import Price, PriceNotFound
from purser.cost.pricers import prices
from purser.cost.pricers.context import (
    DEFAULT,
    FIXED,
    PricingContext,
    Unpriceable,
    scaled,
)
from purser.cost.pricers.regional import add_where_priced
from purser.cost.usage import Quantity
from purser.model import number

DEFAULT_VOLUME_TYPE = "gp2"  # the default of aws_ebs_volume and of AWS::EC2::Volume
GP3_INCLUDED_IOPS = 3000
GP3_INCLUDED_THROUGHPUT_MBPS = 125
IOPS_BILLED_TYPES = ("io1", "io2")


def ebs_prices(ctx: PricingContext, meter: str, volume_type: str) -> list[Price]:
    """An EBS price in the resource's region, asked of the AWS catalog whatever the resource's
    own provider (a Kubernetes claim is backed by an EBS volume)."""
    try:
        return ctx.catalog.tiers("aws", "ebs", ctx.region, meter=meter, volume_type=volume_type)
    except PriceNotFound as exc:
        raise Unpriceable(str(exc)) from None


def product(*quantities: Quantity | None) -> Quantity | None:
    """The product of quantities (unknown if any is), from the origins that are not
    `fixed`: a usage-file count times a fixed size comes from the usage file."""
    if any(q is None for q in quantities):
        return None
    known = [q for q in quantities if q is not None]
    value = 1.0
    for q in known:
        value *= q.value
    origins = [q.origin for q in known if q.origin != FIXED] or [FIXED]
    return Quantity(value, " + ".join(dict.fromkeys(origins)))


def bill_volume(ctx: PricingContext, volume_type: str, size_gb: Quantity | None, *,
                component: str, iops: float | None = None,
                throughput: float | None = None,
                io_requests: Quantity | None = None,
                copies: Quantity | None = None) -> None:
    """A `component` line for `size_gb` GB-months, then the IOPS, throughput or I/O request
    lines the volume type bills; `copies` identical volumes (one per instance of a group)
    multiply every line."""
    copies = copies or Quantity(1, FIXED)

    def times(amount: Quantity | float | None) -> Quantity | None:
        if amount is None:
            return None
        each = amount if isinstance(amount, Quantity) else Quantity(amount, FIXED)
        return product(each, copies)

    ctx.add(component, ebs_prices(ctx, "storage", volume_type), times(size_gb))
    if volume_type == "gp3":
        extra_iops = (iops or 0.0) - GP3_INCLUDED_IOPS
        if extra_iops > 0:
            ctx.add(f"Provisioned IOPS ({extra_iops:g} above the included "
                    f"{GP3_INCLUDED_IOPS:,})", ebs_prices(ctx, "iops", "gp3"), times(extra_iops))
        extra_throughput = (throughput or 0.0) - GP3_INCLUDED_THROUGHPUT_MBPS
        if extra_throughput > 0:
            ctx.add(f"Provisioned throughput ({extra_throughput:g} MB/s above the included "
                    f"{GP3_INCLUDED_THROUGHPUT_MBPS} MB/s)",
                    ebs_prices(ctx, "throughput", "gp3"), times(extra_throughput))
    elif volume_type in IOPS_BILLED_TYPES:
        ctx.add(f"Provisioned IOPS ({volume_type})", ebs_prices(ctx, "iops", volume_type),
                times(iops))
    elif volume_type == "standard":
        add_where_priced(ctx, "I/O requests", "ebs", scaled(io_requests, 1 / 1e6),
                         meter="io_requests", volume_type="standard")


@prices(*kinds.types("aws.ec2.volume"))
def ebs_volume(ctx: PricingContext) -> None:
    """`size` GB of `type` (gp2 when unset, the default of both Terraform and
    CloudFormation) for the month, plus provisioned performance or I/O requests."""
    resource = ctx.resource
    volume_type = str(resource.get("type") or DEFAULT_VOLUME_TYPE).lower()
    size = number(resource.get("size"))
    if size is None:  # restored from a snapshot: the size of the volume it was taken from
        size = _source_volume_size(ctx, resource.get("snapshot_id"))
    if size is None:
        raise Unpriceable("volume size not known statically (e.g. taken from a snapshot)")
    bill_volume(ctx, volume_type, Quantity(size, FIXED),
                component=f"Storage ({volume_type}, {size:g} GB)",
                iops=number(resource.get("iops")),
                throughput=number(resource.get("throughput")),
                io_requests=ctx.used("monthly_standard_io_requests"))


@prices(*kinds.types("aws.ec2.snapshot"))
def ebs_snapshot(ctx: PricingContext) -> None:
    """Stored GB-months, fast snapshot restore and EBS direct API requests (see above)."""
    stored = ctx.used("storage_gb")
    label = "storage_gb from usage"
    if stored is None:
        size = _source_volume_size(ctx, ctx.resource.get("source_snapshot_id"),
                                   volume=ctx.resource.get("volume_id"))
        if size is not None:
            stored = Quantity(size, DEFAULT)
            label = f"at most the volume's {size:g} GB"
        else:
            label = "volume size not known; usage storage_gb"
    add_where_priced(ctx, f"Snapshot storage ({label})", "ebs", stored, meter="snapshot_storage")
    add_where_priced(ctx, "Fast snapshot restore", "ebs", ctx.used("fast_snapshot_restore_hours"),
                     meter="fast_snapshot_restore")
    for request, key, name in (
        ("list", "monthly_list_block_requests", "ListChangedBlocks and ListSnapshotBlocks"),
        ("get", "monthly_get_block_requests", "GetSnapshotBlock"),
        ("put", "monthly_put_block_requests", "PutSnapshotBlock"),
    ):
        add_where_priced(ctx, f"{name} API requests", "ebs", scaled(ctx.used(key), 1 / 1e3),
                         meter="direct_api", request=request)


MAX_SNAPSHOT_HOPS = 8  # a copy of a copy of ...: a cycle of references must end


def _source_volume_size(ctx: PricingContext, snapshot: Any, volume: Any = None) -> float | None:
    """The size of the volume behind a snapshot reference (through copies of copies), or
    of the `volume` reference itself when there is no snapshot."""
    for _ in range(MAX_SNAPSHOT_HOPS):
        found = ctx.index.referenced(snapshot)
        if found is None:
            source = ctx.index.referenced(volume)
            return number(source.get("size")) if source is not None else None
        snapshot, volume = found.get("source_snapshot_id"), found.get("volume_id")
    return None
