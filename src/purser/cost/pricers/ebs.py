"""Amazon EBS volumes: provisioned GB-months by volume type, plus provisioned performance.

gp3 includes 3,000 IOPS and 125 MB/s; only what is provisioned above them is billed.
io1 and io2 bill every provisioned IOPS (io2 at its first tier's price throughout).
Kubernetes volume claims are priced through `bill_volume` as well (see kubernetes.py).
"""

from __future__ import annotations

from purser import kinds
from purser.cost.catalog import Price, PriceNotFound
from purser.cost.pricers import prices
from purser.cost.pricers.context import FIXED, PricingContext, Unpriceable
from purser.cost.usage import Quantity
from purser.model import number

TERRAFORM_DEFAULT_TYPE = "gp3"  # what current tooling creates; see ebs_volume
CLOUDFORMATION_DEFAULT_TYPE = "gp2"  # AWS::EC2::Volume's documented default
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


def bill_volume(ctx: PricingContext, volume_type: str, size_gb: Quantity | None, *,
                component: str, iops: float | None = None,
                throughput: float | None = None) -> None:
    """A `component` line for `size_gb` GB-months, then the IOPS and throughput lines the
    volume type bills."""
    ctx.add(component, ebs_prices(ctx, "storage", volume_type), size_gb)
    if volume_type == "gp3":
        extra_iops = (iops or 0.0) - GP3_INCLUDED_IOPS
        if extra_iops > 0:
            ctx.fixed(f"Provisioned IOPS ({extra_iops:g} above the included "
                      f"{GP3_INCLUDED_IOPS:,})", ebs_prices(ctx, "iops", "gp3"), extra_iops)
        extra_throughput = (throughput or 0.0) - GP3_INCLUDED_THROUGHPUT_MBPS
        if extra_throughput > 0:
            ctx.fixed(f"Provisioned throughput ({extra_throughput:g} MB/s above the included "
                      f"{GP3_INCLUDED_THROUGHPUT_MBPS} MB/s)",
                      ebs_prices(ctx, "throughput", "gp3"), extra_throughput)
    elif volume_type in IOPS_BILLED_TYPES:
        known = None if iops is None else Quantity(iops, FIXED)
        ctx.add(f"Provisioned IOPS ({volume_type})", ebs_prices(ctx, "iops", volume_type), known)


@prices(*kinds.types("aws.ec2.volume"))
def ebs_volume(ctx: PricingContext) -> None:
    """`size` GB of `type` for the month, plus provisioned IOPS and throughput.

    An unset Terraform `type` is priced as gp3, the type current tooling creates; where an
    older provider leaves the choice to EC2's historical gp2 default, the estimate is low
    by gp2's premium ($0.10 against $0.08 per GB-month in us-east-1). CloudFormation
    documents gp2 as its default, so an unset `VolumeType` is priced as gp2.
    """
    resource = ctx.resource
    default_type = CLOUDFORMATION_DEFAULT_TYPE if resource.format == "cloudformation" \
        else TERRAFORM_DEFAULT_TYPE
    volume_type = str(resource.get("type") or default_type).lower()
    size = number(resource.get("size"))
    if size is None:
        raise Unpriceable("volume size not known statically (e.g. taken from a snapshot)")
    bill_volume(ctx, volume_type, Quantity(size, FIXED),
                component=f"Storage ({volume_type}, {size:g} GB)",
                iops=number(resource.get("iops")),
                throughput=number(resource.get("throughput")))
