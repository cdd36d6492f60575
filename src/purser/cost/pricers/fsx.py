"""Amazon FSx file systems for Windows File Server and OpenZFS.

A file system pays its throughput capacity per MBps-month and its provisioned storage per
GB-month, by deployment type and storage type; OpenZFS also pays user-provisioned SSD IOPS
beyond the 3 per GB it includes. Backups are priced per GB-month from Infracost's
`backup_storage_gb`. OpenZFS bills provisioned capacity whatever compression saves, so
Infracost's `compression_savings_percent` is not read (Infracost lowers the storage line by it).
CloudFormation's one `AWS::FSx::FileSystem` type is priced by its `FileSystemType`.
"""

from __future__ import annotations

from purser import kinds
from purser.cost.pricers import prices
from purser.cost.pricers.configured import amount, word
from purser.cost.pricers.context import FIXED, PricingContext, Unpriceable, combined
from purser.cost.usage import Quantity

IOPS_INCLUDED_PER_GB = 3
DEFAULT_DEPLOYMENT = "single_az_1"
SYSTEMS = {"windows": "Windows File Server", "openzfs": "OpenZFS"}


@prices(*kinds.types("aws.fsx.windows_file_system"))
def windows(ctx: PricingContext) -> None:
    _file_system(ctx, "windows")


@prices(*kinds.types("aws.fsx.openzfs_file_system"))
def openzfs(ctx: PricingContext) -> None:
    _file_system(ctx, "openzfs")


@prices(*kinds.types("aws.fsx.file_system"))
def cloudformation(ctx: PricingContext) -> None:
    system = word(ctx, "file_system_type")
    if system not in SYSTEMS:
        raise Unpriceable(f"no price model for FSx {str(system)[:20]} file systems")
    _file_system(ctx, system)


def _file_system(ctx: PricingContext, system: str) -> None:
    deployment = word(ctx, "deployment_type", DEFAULT_DEPLOYMENT)
    storage = word(ctx, "storage_type", "ssd")
    if deployment is None or storage is None:
        raise Unpriceable("deployment or storage type not known statically")
    where = {"system": system, "deployment": deployment}
    ctx.add("Throughput capacity", ctx.prices("fsx", meter="throughput", **where),
            amount(ctx, "throughput_capacity"))
    capacity = amount(ctx, "storage_capacity")
    ctx.add(f"{storage.upper()} storage", ctx.prices("fsx", meter="storage", storage=storage,
                                                      **where), capacity)
    if system == "openzfs" and word(ctx, "disk_iops_configuration.mode") == "user_provisioned":
        ctx.add("Provisioned IOPS (beyond 3 per GB)", ctx.prices("fsx", meter="iops", **where),
                _extra_iops(ctx, capacity))
    ctx.add("Backup storage", ctx.prices("fsx", meter="backup", system=system),
            ctx.used("backup_storage_gb"))


def _extra_iops(ctx: PricingContext, capacity: Quantity | None) -> Quantity | None:
    iops = amount(ctx, "disk_iops_configuration.iops")
    extra = combined(iops, capacity,
                     formula=lambda i, gb: max(0.0, i - IOPS_INCLUDED_PER_GB * gb))
    return None if extra is None else Quantity(extra.value, FIXED)
