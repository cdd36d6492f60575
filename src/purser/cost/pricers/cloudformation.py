"""AWS CloudFormation stacks and stack sets.

Provisioning resources of the AWS::, Alexa:: and Custom:: namespaces is free; resource
types published by third parties (and hooks) pay per handler operation and per second an
operation runs beyond 30 seconds (Infracost's `monthly_handler_operations` and
`monthly_duration_secs`). A stack whose inline template names only free types costs
nothing; one with a third-party type, or whose template purser cannot read (a template URL,
an unreadable body), shows both rates, priced when the usage gives the quantities.
"""

from __future__ import annotations

from typing import Any

from purser import kinds
from purser.cost.pricers import prices
from purser.cost.pricers.context import PricingContext
from purser.safeyaml import YamlError, load_documents

FREE_NAMESPACES = ("AWS::", "Alexa::", "Custom::")
MAX_TEMPLATE_CHARS = 1_000_000  # CloudFormation's own limit for a template in S3


@prices(*kinds.types("aws.cloudformation.stack"))
def stack(ctx: PricingContext) -> None:
    types = _template_types(ctx.resource.get("template_body"))
    if types is not None and all(t.startswith(FREE_NAMESPACES) for t in types):
        return  # only free namespaces
    ctx.add("Handler operations (third-party types and hooks)",
            ctx.prices("cloudformation", meter="handler_operations"),
            ctx.used("monthly_handler_operations"))
    ctx.add("Handler durations above 30s", ctx.prices("cloudformation", meter="handler_duration"),
            ctx.used("monthly_duration_secs"))


def _template_types(body: Any) -> list[str] | None:
    """The resource types an inline template declares; None when it cannot be read."""
    template: Any = body
    if isinstance(body, str) and 0 < len(body) <= MAX_TEMPLATE_CHARS:
        try:
            documents = load_documents(body, cloudformation_tags=True)
        except YamlError:
            return None
        template = documents[0].data if len(documents) == 1 else None
    resources = template.get("Resources") if isinstance(template, dict) else None
    if not isinstance(resources, dict):
        return None
    types = [r.get("Type") if isinstance(r, dict) else None for r in resources.values()]
    return [t for t in types if isinstance(t, str)] if all(isinstance(t, str) for t in types) \
        else None
