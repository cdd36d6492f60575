"""Amazon Managed Grafana workspaces and Enterprise licences.

A workspace pays per active user a month: editors and administrators (Infracost's
`editors_administrator_licenses`; one assumed and said when not given, as a workspace has
at least its administrator) and viewers (`viewer_licenses`). An Enterprise licence
association adds the Enterprise plugins fee per active user (`enterprise_users`); the free
trial licence costs nothing.
"""

from __future__ import annotations

from purser import kinds
from purser.cost.pricers import prices
from purser.cost.pricers.configured import word
from purser.cost.pricers.context import DEFAULT, PricingContext, Unpriceable
from purser.cost.usage import Quantity


@prices(*kinds.types("aws.grafana.workspace"))
def workspace(ctx: PricingContext) -> None:
    editors = ctx.used("editors_administrator_licenses")
    ctx.add("Editor/administrator licenses" + ("" if editors else " (1 assumed)"),
            ctx.prices("grafana", meter="editor_users"), editors or Quantity(1, DEFAULT))
    ctx.add("Viewer licenses", ctx.prices("grafana", meter="viewer_users"),
            ctx.used("viewer_licenses"))


@prices(*kinds.types("aws.grafana.license_association"))
def license_association(ctx: PricingContext) -> None:
    licence = word(ctx, "license_type")
    if licence is None:
        raise Unpriceable("license type not known statically")
    if licence == "enterprise":
        ctx.add("Enterprise plugins (per active user)",
                ctx.prices("grafana", meter="enterprise_users"), ctx.used("enterprise_users"))
