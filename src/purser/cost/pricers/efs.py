"""Amazon EFS file systems: storage by class and throughput by mode.

A file system is One Zone when it names an availability zone, Regional (Standard) otherwise.
With a lifecycle policy that moves files to infrequent access, the IA class's storage and
the GB read from and written to it are priced too. Usage keys are Infracost's (`storage_gb`,
`infrequent_access_storage_gb`, `monthly_infrequent_access_read_gb`,
`monthly_infrequent_access_write_gb`); elastic throughput, which Infracost does not price,
reads purser's `monthly_elastic_read_gb` and `monthly_elastic_write_gb`.

Provisioned throughput is billed above what the Standard storage already entitles the file
system to, 50 MB/s for each TB stored (Infracost's reading of it: 0.05 MB/s per GB); bursting
throughput costs nothing beyond storage.
"""

from __future__ import annotations

from typing import Any

from purser import kinds
from purser.cost.pricers import prices
from purser.cost.pricers.context import PricingContext, Unpriceable, combined
from purser.cost.usage import Quantity
from purser.model import Resource, number

INCLUDED_MBPS_PER_GB = 0.05
CLASSES = {False: ("standard", "Standard"), True: ("one_zone", "One Zone")}


@prices(*kinds.types("aws.efs.file_system"))
def file_system(ctx: PricingContext) -> None:
    resource = ctx.resource
    # A zone name that cannot be resolved was still written: the file system is One Zone.
    one_zone = resource.get("availability_zone_name") not in (None, "") \
        or resource.is_unknown("availability_zone_name")
    storage_class, label = CLASSES[one_zone]
    storage = ctx.used("storage_gb")
    ctx.add(f"Storage ({label})", ctx.prices("efs", meter="storage", storage_class=storage_class),
            storage)
    if _moves_to_infrequent_access(resource) or ctx.has_usage("infrequent_access_") \
            or ctx.has_usage("monthly_infrequent_access_"):
        ctx.add(f"Storage ({label}, infrequent access)",
                ctx.prices("efs", meter="storage", storage_class=f"{storage_class}_ia"),
                ctx.used("infrequent_access_storage_gb"))
        for access in ("read", "write"):
            ctx.add(f"Infrequent access {access}s",
                    ctx.prices("efs", meter="ia_access", access=access),
                    ctx.used(f"monthly_infrequent_access_{access}_gb"))
    _throughput(ctx, storage)


def _throughput(ctx: PricingContext, storage: Quantity | None) -> None:
    resource = ctx.resource
    if resource.is_unknown("throughput_mode"):
        raise Unpriceable("the throughput mode is not known statically")
    mode = str(resource.get("throughput_mode") or "bursting").lower()
    if mode == "provisioned":
        provisioned = number(resource.get("provisioned_throughput_in_mibps"))
        billed = None if provisioned is None else combined(
            storage, formula=lambda gb: max(0.0, provisioned - gb * INCLUDED_MBPS_PER_GB))
        ctx.add("Provisioned throughput (above what storage includes)",
                ctx.prices("efs", meter="provisioned_throughput"), billed)
    elif mode == "elastic":
        for access in ("read", "write"):
            ctx.add(f"Elastic throughput {access}s",
                    ctx.prices("efs", meter="elastic_throughput", access=access),
                    ctx.used(f"monthly_elastic_{access}_gb"))
    elif mode != "bursting":
        raise Unpriceable(f"unknown throughput mode {mode[:40]!r}")


def _moves_to_infrequent_access(resource: Resource) -> bool:
    policies: Any = resource.get("lifecycle_policy")
    blocks = policies if isinstance(policies, list) else [policies]
    return any(isinstance(b, dict) and b.get("transition_to_ia") for b in blocks) \
        or any(path.startswith("lifecycle_policy") for path in resource.unknown)
