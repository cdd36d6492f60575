"""Amazon RDS DB instances: instance hours by engine, license and deployment, storage and
provisioned IOPS by volume type, magnetic I/O, backups, and the add-ons of database.py.

An instance that belongs to an Aurora cluster (CloudFormation's DBInstance with a
DBClusterIdentifier) is priced as a cluster instance (aurora.py). Infracost's usage keys:
the reservation keys (reservation.py), `additional_backup_storage_gb` (beyond the free
allowance of the database's size) and `monthly_standard_io_requests` (magnetic storage).
Not priced: gp3 throughput above its baseline.
"""

from __future__ import annotations

from purser import kinds
from purser.cost.catalog import Price
from purser.cost.pricers import prices
from purser.cost.pricers.aurora import cluster_instance
from purser.cost.pricers.configured import amount, flag, unknown, word
from purser.cost.pricers.context import (
    DEFAULT,
    HOURS_PER_MONTH,
    PricingContext,
    Unpriceable,
    scaled,
)
from purser.cost.pricers.database import (
    cpu_credits,
    engine_label,
    extended_support,
    performance_insights,
    pricing_engine,
)
from purser.cost.pricers.reservation import bill_reservation, on_demand_note, reservation
from purser.cost.usage import Quantity
from purser.model import Resource

DEFAULT_STORAGE_GB = 20  # Infracost's assumption when no size is written
IO1_MIN_STORAGE_GB = 100  # io1 volumes start at 100 GB and 1,000 IOPS
IO1_MIN_IOPS = 1000
GP3_INCLUDED_IOPS = ((400, 12000), (0, 3000))  # (from GB of storage, IOPS included)


@prices(*kinds.types("aws.rds.instance"))
def db_instance(ctx: PricingContext) -> None:
    if ctx.resource.get("db_cluster_identifier") not in (None, ""):
        cluster_instance(ctx)
        return
    source = _replica_source(ctx)
    engine_name = word(ctx, "engine") or (word(ctx, "engine", resource=source) if source else None)
    if not engine_name:
        raise Unpriceable("database engine not known statically")
    instance_class = word(ctx, "instance_class")
    if not instance_class:
        raise Unpriceable("instance class not known statically")
    multi_az = flag(ctx, "multi_az")
    if multi_az is None:
        raise Unpriceable("multi_az not known statically")
    engine = pricing_engine(engine_name, word(ctx, "license_model") or "")
    deployment = "multi-az" if multi_az else "single-az"
    _instance_hours(ctx, engine, instance_class, deployment)
    _storage(ctx, deployment, source)
    _backups(ctx, engine)
    performance_insights(ctx, instance_class)
    cpu_credits(ctx, "aurora" if engine.startswith("aurora") else "rds", instance_class)
    extended_support(ctx, engine, instance_class)


def _replica_source(ctx: PricingContext) -> Resource | None:
    """A read replica's source instance, when it is in this estimate."""
    source = ctx.resource.get("replicate_source_db")
    if source in (None, ""):
        return None
    return ctx.index.referenced(source) or ctx.index.find(ctx.resource.type, "identifier",
                                                         source)


def _rds_prices(ctx: PricingContext, **attributes: str) -> list[Price]:
    return ctx.prices("rds", **attributes)


def _instance_hours(ctx: PricingContext, engine: str, instance_class: str,
                    deployment: str) -> None:
    label = "Multi-AZ" if deployment == "multi-az" else "Single-AZ"
    # an Aurora engine on a plain instance is priced as Aurora, as Infracost does
    service, attributes = ("aurora", {"meter": "instance", "engine": engine,
                                      "instance_class": instance_class, "storage": "standard"}) \
        if engine.startswith("aurora") else ("rds", {
            "meter": "instance", "engine": engine, "instance_class": instance_class,
            "deployment": deployment})
    terms = reservation(ctx)
    why = None
    if terms is not None:
        why = bill_reservation(ctx, f"Database instance ({label}, {instance_class}, "
                               f"{engine_label(engine)})", service, attributes, terms)
        if why is None:
            return
    try:
        hourly = ctx.prices(service, **attributes)
    except Unpriceable:
        raise Unpriceable(f"no {engine_label(engine)} price for {instance_class} ({label}) "
                          f"in {ctx.region}") from None
    ctx.fixed(f"Database instance (on-demand, {label}, {instance_class}, "
              f"{engine_label(engine)}{on_demand_note(why)})", hourly, HOURS_PER_MONTH)


def _storage(ctx: PricingContext, deployment: str, source: Resource | None) -> None:
    """Allocated GB by volume type (AWS's default: io1 when IOPS are set, else gp2); io1 and
    io2 bill their IOPS, gp3 the IOPS above its baseline."""
    iops = amount(ctx, "iops")
    volume_type = word(ctx, "storage_type", "io1" if iops is not None else "gp2")
    if volume_type is None:
        raise Unpriceable("storage_type not known statically")
    size = _allocated(ctx, source)
    if volume_type == "io1" and size is not None and size.value < IO1_MIN_STORAGE_GB:
        size = Quantity(IO1_MIN_STORAGE_GB, size.origin)
    shown = "unknown size" if size is None else f"{size.value:g} GB" + (
        " assumed" if size.origin == DEFAULT else "")
    ctx.add(f"Storage ({volume_type}, {shown})",
            _rds_prices(ctx, meter="storage", volume_type=volume_type, deployment=deployment),
            size)
    if volume_type in ("io1", "io2"):
        provisioned = iops or Quantity(IO1_MIN_IOPS, DEFAULT)
        if provisioned.value < IO1_MIN_IOPS:
            provisioned = Quantity(IO1_MIN_IOPS, provisioned.origin)
        ctx.add(f"Provisioned IOPS ({volume_type})",
                _rds_prices(ctx, meter="iops", volume_type=volume_type, deployment=deployment),
                provisioned)
    elif volume_type == "gp3" and iops is not None and size is not None:
        included = next(iops for floor, iops in GP3_INCLUDED_IOPS if size.value >= floor)
        if iops.value > included:
            ctx.fixed(f"Provisioned IOPS (gp3, above the {included:,} included)",
                      _rds_prices(ctx, meter="iops", volume_type="gp3", deployment=deployment),
                      iops.value - included)
    elif volume_type == "standard":
        ctx.add("I/O requests (magnetic)", _rds_prices(ctx, meter="io_requests"),
                scaled(ctx.used("monthly_standard_io_requests"), 1 / 1e6))


def _allocated(ctx: PricingContext, source: Resource | None) -> Quantity | None:
    """The written size; a replica's is its source's; else 20 GB, said as assumed."""
    if source is None or unknown(ctx, "allocated_storage") \
            or ctx.resource.get("allocated_storage") not in (None, ""):
        return amount(ctx, "allocated_storage", DEFAULT_STORAGE_GB)
    return amount(ctx, "allocated_storage", DEFAULT_STORAGE_GB, resource=source)


def _backups(ctx: PricingContext, engine: str) -> None:
    """Backup storage beyond the free allowance (the database's size), from usage."""
    retention = amount(ctx, "backup_retention_period")
    extra = ctx.used("additional_backup_storage_gb")
    if retention is not None and retention.value == 0 and (extra is None or extra.value == 0):
        return  # automated backups switched off
    service = "aurora" if engine.startswith("aurora") else "rds"
    ctx.add("Backup storage (beyond the database size)",
            ctx.prices(service, meter="backup_storage"), extra)
