"""AWS KMS customer managed keys and AWS Secrets Manager secrets.

A KMS key's requests are priced by its key spec: symmetric (and HMAC) keys and RSA 2048
keys at the standard request price, other asymmetric keys (RSA 3072/4096, ECC) at the
asymmetric one. A key with imported material (`aws_kms_external_key`) is priced as a key.
"""

from __future__ import annotations

from purser import kinds
from purser.cost.pricers import prices
from purser.cost.pricers.context import PricingContext, scaled
from purser.cost.pricers.regional import add_where_priced

SYMMETRIC = "SYMMETRIC_DEFAULT"


@prices(*kinds.types("aws.kms.key"), *kinds.types("aws.kms.external_key"))
def kms_key(ctx: PricingContext) -> None:
    ctx.fixed("Customer managed key", ctx.prices("kms", meter="keys"), 1)
    requests = scaled(ctx.used("monthly_requests"), 1 / 1e4)
    # Terraform spells the spec two ways (customer_master_key_spec is the older name).
    spec = str(ctx.resource.get("key_spec") or ctx.resource.get("customer_master_key_spec")
               or SYMMETRIC).upper()
    if spec == SYMMETRIC or spec.startswith("HMAC_"):
        ctx.add("Requests", ctx.prices("kms", meter="requests"), requests)
    elif spec == "RSA_2048":
        add_where_priced(ctx, "Requests (RSA 2048)", "kms", requests, meter="requests",
                         key_spec="rsa_2048")
    else:
        add_where_priced(ctx, f"Requests (asymmetric, {spec[:20]})", "kms", requests,
                         meter="requests", key_spec="asymmetric")


@prices(*kinds.types("aws.secretsmanager.secret"))
def secret(ctx: PricingContext) -> None:
    ctx.fixed("Secret", ctx.prices("secretsmanager", meter="secrets"), 1)
    ctx.add("API calls", ctx.prices("secretsmanager", meter="api_calls"),
            scaled(ctx.used("monthly_requests"), 1 / 1e4))
