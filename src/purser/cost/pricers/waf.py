"""AWS WAF web ACLs (WAFv2) and WAF Classic web ACLs (global and regional).

A web ACL pays by the month, for each rule in it by the month (a rule group or managed rule
group it references is billed as one rule), and per million requests it inspects. The
rules inside referenced groups are not written in the web ACL: Infracost's usage keys
`rule_group_rules` and `managed_rule_group_rules` count them, and they are added to the
rules; `monthly_requests` counts the requests.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

from purser import kinds
from purser.cost.catalog import Price
from purser.cost.pricers import prices
from purser.cost.pricers.context import FIXED, PricingContext, combined, scaled
from purser.cost.pricers.global_services import global_prices
from purser.cost.usage import Quantity
from purser.model import dig

PER_MILLION = 1 / 1e6
RULE, GROUP, MANAGED = "rule", "group", "managed"
CLASSIC_GROUP = "GROUP"  # a WAF Classic rule of this type is a rule group


@prices(*kinds.types("aws.wafv2.web_acl"))
def web_acl(ctx: PricingContext) -> None:
    counts = None if _unknown(ctx, "rule") else Counter(map(_v2_rule_kind, _rules(ctx, "rule")))
    _acl(ctx, lambda meter: ctx.prices("wafv2", meter=meter), counts,
         extra_rules=("rule_group_rules", "managed_rule_group_rules"))


@prices(*kinds.types("aws.waf.web_acl"))
def classic_web_acl(ctx: PricingContext) -> None:
    counts = None if _unknown(ctx, "rules") else Counter(map(_classic_kind,
                                                             _rules(ctx, "rules")))
    _acl(ctx, lambda meter: global_prices(ctx, "waf", meter=meter), counts,
         extra_rules=("rule_group_rules",))


@prices(*kinds.types("aws.wafregional.web_acl"))
def regional_classic_web_acl(ctx: PricingContext) -> None:
    counts = None if _unknown(ctx, "rule") else Counter(map(_classic_kind, _rules(ctx, "rule")))
    _acl(ctx, lambda meter: ctx.prices("wafregional", meter=meter), counts,
         extra_rules=("rule_group_rules",))


def _acl(ctx: PricingContext, price: Callable[[str], list[Price]],
         counts: Counter[str] | None, extra_rules: tuple[str, ...]) -> None:
    """The lines every web ACL has; `counts` is None when its rules are not known."""
    rules = price("rules")
    ctx.fixed("Web ACL", price("web_acl"), 1)
    written = None if counts is None else Quantity(counts[RULE], FIXED)
    given = [ctx.used(key) for key in extra_rules if ctx.used(key) is not None]
    ctx.add("Rules", rules, combined(written, *given, formula=lambda *n: sum(n)))
    for kind, label in ((GROUP, "Rule groups"), (MANAGED, "Managed rule groups")):
        if counts is None or counts[kind]:
            ctx.add(label, rules, None if counts is None else Quantity(counts[kind], FIXED))
    ctx.add("Requests", price("requests"), scaled(ctx.used("monthly_requests"), PER_MILLION))


def _rules(ctx: PricingContext, block: str) -> list[dict[str, Any]]:
    value = ctx.resource.get(block)
    return [rule for rule in value if isinstance(rule, dict)] if isinstance(value, list) else []


def _unknown(ctx: PricingContext, block: str) -> bool:
    return any(path == block or path.startswith(f"{block}.") for path in ctx.resource.unknown)


def _v2_rule_kind(rule: dict[str, Any]) -> str:
    if dig(rule, "statement.rule_group_reference_statement") not in (None, [], {}):
        return GROUP
    if dig(rule, "statement.managed_rule_group_statement") not in (None, [], {}):
        return MANAGED
    return RULE


def _classic_kind(rule: dict[str, Any]) -> str:
    return GROUP if str(rule.get("type", "")).upper() == CLASSIC_GROUP else RULE
