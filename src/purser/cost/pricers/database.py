"""What managed database instances share: engines, vCPUs of a class, and the add-ons RDS and
Aurora instances pay beside their hours (Performance Insights, CPU credits, Extended Support).

Infracost's usage keys read here: `monthly_additional_performance_insights_requests`,
`monthly_cpu_credit_hrs` (hours of bursting, times the class's vCPUs; `vcpu_count`
overrides the vCPUs) and, for Serverless v2, `capacity_units_per_hr`.
"""

from __future__ import annotations

import re

from purser.cost.catalog import PriceNotFound
from purser.cost.pricers.configured import amount, flag, word
from purser.cost.pricers.context import (
    FIXED,
    HOURS_PER_MONTH,
    PricingContext,
    Unpriceable,
    scaled,
)
from purser.cost.usage import Quantity
from purser.model import Resource

SERVERLESS_CLASS = "db.serverless"  # an Aurora Serverless v2 instance
FREE_PI_RETENTION_DAYS = 7
BURSTABLE_FAMILIES = ("t3", "t4g")  # unlimited mode by default: bursts bill CPU credits

ENGINE_NAMES = {"mysql": "MySQL", "mariadb": "MariaDB", "postgres": "PostgreSQL",
                "aurora-mysql": "Aurora MySQL", "aurora-postgresql": "Aurora PostgreSQL",
                "oracle-byol": "Oracle, BYOL", "oracle-se1": "Oracle SE1",
                "oracle-se2": "Oracle SE2", "sqlserver-ex": "SQL Server Express",
                "sqlserver-web": "SQL Server Web", "sqlserver-se": "SQL Server Standard",
                "sqlserver-ee": "SQL Server Enterprise"}
# Oracle editions whose license AWS includes unless told otherwise; the others are BYOL only.
ORACLE_LICENSED = {"oracle-se1": "oracle-se1", "oracle-se2": "oracle-se2",
                   "oracle-se2-cdb": "oracle-se2"}
ORACLE_BYOL = ("oracle-se", "oracle-ee", "oracle-ee-cdb")
BYOL = "bring-your-own-license"

_BELOW_LARGE = ("nano", "micro", "small", "medium")
_XLARGE = re.compile(r"(\d{1,3})?xlarge")
_VERSION = re.compile(r"^\d+(\.\d+)*")


def storage_configuration(ctx: PricingContext, cluster: Resource | None,
                          io_optimized: str) -> str:
    """"io-optimized" when the cluster's storage_type is the engine's I/O-Optimized value
    (`aurora-iopt1`, Neptune's `iopt1`), else "standard"; no cluster: standard."""
    if cluster is None:
        return "standard"
    storage_type = word(ctx, "storage_type", resource=cluster)
    if storage_type is None:
        raise Unpriceable("the cluster's storage_type is not known statically")
    return "io-optimized" if storage_type == io_optimized else "standard"


def pricing_engine(engine: str, license_model: str = "") -> str:
    """The catalog's engine for an RDS `engine` and `license_model` (`aurora` is the MySQL
    flavour; Oracle is one BYOL price for every edition)."""
    if engine in ("aurora", "aurora-mysql"):
        return "aurora-mysql"
    if engine in ORACLE_LICENSED or engine in ORACLE_BYOL:
        if license_model == BYOL or (engine in ORACLE_BYOL and license_model != "license-included"):
            return "oracle-byol"
        return ORACLE_LICENSED.get(engine, engine)
    return engine


def engine_label(engine: str) -> str:
    return ENGINE_NAMES.get(engine, engine)


def instance_vcpus(instance_class: str) -> int | None:
    """vCPUs of a DB or cache class from its size: large is 2, xlarge 4, each Nxlarge 4N.

    Burstable classes below large have 2 (the t2 nano to small have 1); other classes below
    large have 1. Metal and unfamiliar sizes are unknown.
    """
    parts = instance_class.lower().split(".")
    if len(parts) < 3:
        return None
    family, size = parts[1], parts[2]
    if size in _BELOW_LARGE:
        if family == "t2":
            return 2 if size == "medium" else 1
        return 2 if family.startswith("t") else 1
    if size == "large":
        return 2
    match = _XLARGE.fullmatch(size)
    if match is None:
        return None
    return 4 * int(match.group(1) or 1)


def instance_family(instance_class: str) -> str:
    parts = instance_class.lower().split(".")
    return parts[1] if len(parts) > 2 else ""


def vcpu_count(ctx: PricingContext, instance_class: str) -> float | None:
    """The class's vCPUs, or Infracost's `vcpu_count` usage key when given."""
    given = ctx.used("vcpu_count")
    if given is not None:
        return given.value
    vcpus = instance_vcpus(instance_class)
    return None if vcpus is None else float(vcpus)


def performance_insights(ctx: PricingContext, instance_class: str) -> None:
    """Long-term retention beyond the free 7 days, per vCPU-month (per ACU for Serverless
    v2), and API requests beyond the free allowance."""
    if not flag(ctx, "performance_insights_enabled"):
        return
    retention = amount(ctx, "performance_insights_retention_period", FREE_PI_RETENTION_DAYS)
    if retention is None or retention.value > FREE_PI_RETENTION_DAYS:
        days = "unknown" if retention is None else f"{retention.value:g}"
        if instance_class == SERVERLESS_CLASS:
            size: Quantity | None = ctx.used("capacity_units_per_hr")
            family = "serverless"
        else:
            vcpus = vcpu_count(ctx, instance_class)
            size = None if vcpus is None else Quantity(vcpus, FIXED)
            family = instance_family(instance_class)
        ctx.add(f"Performance Insights retention ({days} days, {instance_class})",
                ctx.prices("rds", meter="performance_insights_retention",
                           instance_family=family), size)
    ctx.add("Performance Insights API requests",
            ctx.prices("rds", meter="performance_insights_api"),
            scaled(ctx.used("monthly_additional_performance_insights_requests"), 1 / 1000))


def cpu_credits(ctx: PricingContext, service: str, instance_class: str) -> None:
    """Burstable classes run unlimited: hours of bursting × vCPUs, in vCPU-hours."""
    if instance_family(instance_class) not in BURSTABLE_FAMILIES:
        return
    hours = ctx.used("monthly_cpu_credit_hrs")
    vcpus = vcpu_count(ctx, instance_class)
    credits = None if hours is None or vcpus is None else Quantity(hours.value * vcpus,
                                                                     hours.origin)
    ctx.add("CPU credits", ctx.prices(service, meter="cpu_credits"), credits)


def extended_support(ctx: PricingContext, engine: str, instance_class: str,
                     version_of: Resource | None = None) -> None:
    """A major version past standard support pays per vCPU-hour at the rate of its support
    year on the catalog date (rds.yaml); 5.7.44 is looked up as 5.7.44, 5.7, then 5."""
    version = word(ctx, "engine_version", resource=version_of)
    match = _VERSION.match(version or "")
    if match is None:
        return  # not set: AWS creates a version under standard support
    steps = match.group(0).split(".")
    for length in range(len(steps), 0, -1):
        major = ".".join(steps[:length])
        for year in ("3", "1-2"):
            try:
                rate = ctx.catalog.tiers("aws", "rds", ctx.region, meter="extended_support",
                                         engine=engine, major_version=major, support_year=year)
            except PriceNotFound:
                continue
            name = f"Extended Support ({engine_label(engine)} {major}, year {year})"
            if instance_class == SERVERLESS_CLASS:  # billed per ACU-hour at the same rate
                ctx.add(name[:-1] + ", per ACU-hour)", rate,
                        scaled(ctx.used("capacity_units_per_hr"), HOURS_PER_MONTH))
                return
            vcpus = vcpu_count(ctx, instance_class)
            ctx.add(name, rate,
                    None if vcpus is None else Quantity(vcpus * HOURS_PER_MONTH, FIXED))
            return
