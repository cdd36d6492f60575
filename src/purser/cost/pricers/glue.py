"""AWS Glue jobs, crawlers and Data Catalog databases.

A job is billed per DPU-hour: its DPUs are `max_capacity` when written, else its workers
times the DPUs of their type, else AWS's default (10 for Spark, 1/16 for Python shell, said
as assumed); its hours are Infracost's `monthly_hours`. Flex jobs have their own rate.
A crawler's `monthly_hours` are priced as DPU-hours, one DPU assumed, as Infracost does.
A catalog database pays per 100k objects stored (`monthly_objects`) and per 1M requests
(`monthly_requests`); the free first million of each is not deducted, as Infracost does not.
"""

from __future__ import annotations

from purser import kinds
from purser.cost.pricers import prices
from purser.cost.pricers.configured import amount, word
from purser.cost.pricers.context import DEFAULT, PricingContext, combined, scaled
from purser.cost.usage import Quantity

WORKER_DPUS = {"standard": 1.0, "g.025x": 0.25, "g.1x": 1.0, "g.2x": 2.0, "g.4x": 4.0,
               "g.8x": 8.0, "z.2x": 2.0}
DEFAULT_DPUS = {"pythonshell": 0.0625}
SPARK_DEFAULT_DPUS = 10.0


@prices(*kinds.types("aws.glue.job"))
def job(ctx: PricingContext) -> None:
    dpus = _dpus(ctx)
    flex = word(ctx, "execution_class") == "flex"
    said = "" if dpus is None or dpus.origin != DEFAULT else ", assumed"
    label = "" if dpus is None else f" ({dpus.value:g} DPUs{said})"
    ctx.add(f"Duration{' (Flex)' if flex else ''}{label}",
            ctx.prices("glue", meter="flex_job_dpu_hours" if flex else "job_dpu_hours"),
            combined(ctx.used("monthly_hours"), dpus, formula=lambda h, d: h * d))


def _dpus(ctx: PricingContext) -> Quantity | None:
    written = amount(ctx, "max_capacity")
    if written is not None or ctx.resource.is_unknown("max_capacity"):
        return written
    workers = amount(ctx, "number_of_workers")
    if workers is not None or ctx.resource.is_unknown("number_of_workers"):
        worker_type = word(ctx, "worker_type", "standard")
        per_worker = WORKER_DPUS.get(worker_type) if worker_type else None
        return None if workers is None or per_worker is None else \
            Quantity(workers.value * per_worker, workers.origin)
    command = word(ctx, "command.name", "glueetl")
    if command is None:
        return None
    return Quantity(DEFAULT_DPUS.get(command, SPARK_DEFAULT_DPUS), DEFAULT)


@prices(*kinds.types("aws.glue.crawler"))
def crawler(ctx: PricingContext) -> None:
    ctx.add("Duration (1 DPU assumed)", ctx.prices("glue", meter="crawler_dpu_hours"),
            ctx.used("monthly_hours"))


@prices(*kinds.types("aws.glue.catalog_database"))
def catalog_database(ctx: PricingContext) -> None:
    ctx.add("Storage", ctx.prices("glue", meter="catalog_storage"),
            scaled(ctx.used("monthly_objects"), 1 / 1e5))
    ctx.add("Requests", ctx.prices("glue", meter="catalog_requests"),
            scaled(ctx.used("monthly_requests"), 1 / 1e6))
