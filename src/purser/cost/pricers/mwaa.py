"""Amazon Managed Workflows for Apache Airflow environments.

An environment pays its class by the hour (`environment_class`, mw1.small when not
written), which includes its base workers, schedulers and web servers; additional ones are
billed by the hour at the class's rate from Infracost's usage (`additional_workers` and
`additional_schedulers`, each the month's average count), and the meta database per
GB-month (`meta_database_gb`).
"""

from __future__ import annotations

from purser import kinds
from purser.cost.pricers import prices
from purser.cost.pricers.configured import word
from purser.cost.pricers.context import HOURS_PER_MONTH, PricingContext, Unpriceable, scaled

CLASS_PREFIX = "mw1."


@prices(*kinds.types("aws.mwaa.environment"))
def environment(ctx: PricingContext) -> None:
    written = word(ctx, "environment_class", "mw1.small")
    if written is None:
        raise Unpriceable("environment class not known statically")
    size = written.removeprefix(CLASS_PREFIX)
    shown = size.capitalize()
    ctx.fixed(f"Environment ({shown})", ctx.prices("mwaa", meter="environment_hours", size=size),
              HOURS_PER_MONTH)
    for part, key in (("worker", "additional_workers"), ("scheduler", "additional_schedulers")):
        ctx.add(f"Additional {part}s ({shown})",
                ctx.prices("mwaa", meter=f"{part}_hours", size=size),
                scaled(ctx.used(key), HOURS_PER_MONTH))
    ctx.add("Meta database", ctx.prices("mwaa", meter="metadatabase"),
            ctx.used("meta_database_gb"))
