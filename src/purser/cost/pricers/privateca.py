"""AWS Private Certificate Authority: each CA by the month and the certificates it issues.

A general-purpose CA issues certificates at the account's monthly tiers; a CA in
short-lived certificate mode costs less by the month and per certificate. Certificates
come from Infracost's `monthly_requests`.
"""

from __future__ import annotations

from purser import kinds
from purser.cost.pricers import prices
from purser.cost.pricers.configured import word
from purser.cost.pricers.context import PricingContext, Unpriceable

MODES = {"general_purpose": ("general_purpose", ""),
         "short_lived_certificate": ("short_lived", " (short-lived certificate mode)")}


@prices(*kinds.types("aws.acmpca.certificate_authority"))
def certificate_authority(ctx: PricingContext) -> None:
    written = word(ctx, "usage_mode", default="general_purpose")
    if written is None:
        raise Unpriceable("the CA's usage mode is not known statically")
    if written not in MODES:
        raise Unpriceable(f"unknown usage mode {written[:40]!r}")
    mode, label = MODES[written]
    ctx.fixed(f"Private certificate authority{label}", ctx.prices("acmpca", meter="ca", mode=mode),
              1)
    ctx.add("Certificates issued", ctx.prices("acmpca", meter="certificates", mode=mode),
            ctx.used("monthly_requests"))
