"""AWS Certificate Manager certificates.

Public certificates are free. A private certificate (one issued by a Private CA, i.e. with
`certificate_authority_arn`) is billed when issued or renewed, at the account's monthly
tiers of the CA's price list: the issues a month come from Infracost's `monthly_requests`,
one assumed and said when not given, as Infracost counts one.
"""

from __future__ import annotations

from purser import kinds
from purser.cost.pricers import prices
from purser.cost.pricers.context import DEFAULT, PricingContext
from purser.cost.usage import Quantity


@prices(*kinds.types("aws.acm.certificate"))
def certificate(ctx: PricingContext) -> None:
    if not ctx.resource.get("certificate_authority_arn") \
            and not ctx.resource.is_unknown("certificate_authority_arn"):
        return  # a public certificate
    issued = ctx.used("monthly_requests")
    ctx.add("Private certificate" + ("" if issued else " (1 issued a month, assumed)"),
            ctx.prices("acmpca", meter="certificates", mode="general_purpose"),
            issued or Quantity(1, DEFAULT))
