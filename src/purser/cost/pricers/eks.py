"""Amazon EKS: cluster control planes and managed node groups.

A cluster pays its control plane by the hour: the standard rate while its Kubernetes
version is in standard support (14 months from its release on EKS), the extended-support
rate after that (`version` unset: EKS creates the latest version, in standard support). A
cluster whose upgrade policy is STANDARD is upgraded when standard support ends and never
pays extended support. Whether a version is past standard support is decided on the date
of the catalog's extended-support price, so an estimate does not change from one day to
the next; a newer catalog moves it on.

A managed node group runs usage `instances`, else `scaling_config.desired_size`, of its
first `instance_types` entry, else its launch template's type, else t3.medium (EKS's
default). Without a launch template each node has a `disk_size` root volume (EKS's default:
20 GB, 50 GB for Windows AMI types), priced as gp2 as Infracost does; with one, the
template's volumes (see instances.py). Spot node groups show the on-demand price unknown.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from purser import kinds
from purser.cost.pricers import prices
from purser.cost.pricers.context import (
    DEFAULT,
    FIXED,
    HOURS_PER_MONTH,
    PricingContext,
    Unpriceable,
)
from purser.cost.pricers.instances import (
    LaunchSpec,
    Volume,
    bill_instances,
    launch_spec,
    launch_template,
)
from purser.cost.usage import Quantity
from purser.model import number

# When each Kubernetes version leaves standard support on EKS, from the EKS user guide's
# release calendar (docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html),
# read 2026-12-02. A version older than the first listed is past it; a newer one is not.
END_OF_STANDARD_SUPPORT = {
    (1, 23): date(2023, 10, 11), (1, 24): date(2024, 1, 31), (1, 25): date(2024, 5, 1),
    (1, 26): date(2024, 6, 11), (1, 27): date(2024, 7, 24), (1, 28): date(2024, 11, 26),
    (1, 29): date(2025, 3, 23), (1, 30): date(2025, 7, 23), (1, 31): date(2025, 11, 26),
    (1, 32): date(2026, 3, 23), (1, 33): date(2026, 7, 29), (1, 34): date(2026, 12, 2),
    (1, 35): date(2027, 3, 27),
}
DEFAULT_INSTANCE_TYPE = "t3.medium"  # aws_eks_node_group's instance_types default
DEFAULT_DISK_GB = 20.0
DEFAULT_WINDOWS_DISK_GB = 50.0
ASSUMED_DISK_TYPE = "gp2"
MAX_NODES = 100_000
MAX_DISK_GB = 65_536  # EBS's largest volume (64 TiB)


def in_extended_support(version: str, on: date) -> bool:
    """Whether Kubernetes `version` ("1.29", "1.29.3") is past EKS standard support on `on`."""
    parts = version.strip().split(".")
    if len(parts) < 2 or not (parts[0].isdigit() and parts[1].isdigit()):
        raise ValueError(f"not a Kubernetes version: {version[:20]!r}")
    minor = (int(parts[0][:4]), int(parts[1][:4]))
    if minor in END_OF_STANDARD_SUPPORT:
        return on >= END_OF_STANDARD_SUPPORT[minor]
    return minor < min(END_OF_STANDARD_SUPPORT)


@prices(*kinds.types("aws.eks.cluster"))
def eks_cluster(ctx: PricingContext) -> None:
    cluster = ctx.resource
    standard = ctx.prices("eks", meter="cluster")
    extended = ctx.prices("eks", meter="cluster", support="extended")
    version = cluster.get("version")
    support_type = str(cluster.get("upgrade_policy.support_type") or "").upper()
    if cluster.is_unknown("version"):
        ctx.add("EKS cluster (version not known; standard support assumed)", standard,
                Quantity(HOURS_PER_MONTH, DEFAULT))
        return
    if version is None or support_type == "STANDARD":
        ctx.fixed("EKS cluster", standard, HOURS_PER_MONTH)
        return
    try:
        past = in_extended_support(str(version), date.fromisoformat(extended[0].date))
    except ValueError:
        past = False
    if past:
        ctx.fixed(f"EKS cluster (Kubernetes {str(version)[:10]}, extended support)", extended,
                  HOURS_PER_MONTH)
    else:
        ctx.fixed(f"EKS cluster (Kubernetes {str(version)[:10]})", standard, HOURS_PER_MONTH)


@prices(*kinds.types("aws.eks.node_group"))
def eks_node_group(ctx: PricingContext) -> None:
    group = ctx.resource
    nodes = ctx.used("instances")
    if nodes is None:
        desired = number(group.get("scaling_config.desired_size"))
        if desired is not None and not 0 <= desired <= MAX_NODES:
            raise Unpriceable(f"desired_size {desired:g} is out of range")
        nodes = Quantity(desired, FIXED) if desired is not None else Quantity(1.0, DEFAULT)
    types = group.get("instance_types")
    chosen = types[0] if isinstance(types, list) and types and isinstance(types[0], str) \
        else None
    windows = str(group.get("ami_type") or "").upper().startswith("WINDOWS")
    template = launch_template(ctx.index, group.get("launch_template"))
    if template is not None:
        spec = launch_spec(ctx.index, template)
        spec = replace(spec, instance_type=chosen or spec.instance_type or DEFAULT_INSTANCE_TYPE)
    else:
        disk = number(group.get("disk_size"))
        written = disk is not None and 0 < disk <= MAX_DISK_GB
        size = disk if written else DEFAULT_WINDOWS_DISK_GB if windows else DEFAULT_DISK_GB
        root = Volume("root", ASSUMED_DISK_TYPE, size,
                      note=f"{ASSUMED_DISK_TYPE} assumed" if written
                      else f"EKS's default size, {ASSUMED_DISK_TYPE} assumed",
                      assumed=not written)
        spec = LaunchSpec(instance_type=chosen or DEFAULT_INSTANCE_TYPE, root=root)
    if windows:
        spec = replace(spec, operating_system="windows")
    spot = str(group.get("capacity_type") or "").upper() == "SPOT"
    bill_instances(ctx, spec, nodes, spot=spot)
