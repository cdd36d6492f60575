"""AWS Config: the configuration recorder and the rules that evaluate what it records.

A recorder pays per configuration item recorded (`monthly_config_items`; periodic, daily
recording costs more per item than continuous) and per custom configuration item
(`monthly_custom_config_items`). A rule, an organization rule or a custom rule pays per
evaluation (`monthly_rule_evaluations`) in the account's monthly tiers.
"""

from __future__ import annotations

from purser import kinds
from purser.cost.pricers import prices
from purser.cost.pricers.configured import word
from purser.cost.pricers.context import PricingContext, Unpriceable

PERIODIC = "daily"  # recording_frequency of periodic recording


@prices(*kinds.types("aws.config.configuration_recorder"))
def configuration_recorder(ctx: PricingContext) -> None:
    frequency = word(ctx, "recording_mode.recording_frequency", default="continuous")
    if frequency is None:
        raise Unpriceable("the recording frequency is not known statically")
    recording = "periodic" if frequency == PERIODIC else "continuous"
    ctx.add(f"Configuration items ({recording} recording)",
            ctx.prices("config", meter="config_items", recording=recording),
            ctx.used("monthly_config_items"))
    ctx.add("Custom configuration items", ctx.prices("config", meter="custom_config_items"),
            ctx.used("monthly_custom_config_items"))


@prices(*kinds.types("aws.config.rule"))
def rule(ctx: PricingContext) -> None:
    ctx.add("Rule evaluations", ctx.prices("config", meter="rule_evaluations"),
            ctx.used("monthly_rule_evaluations"))
