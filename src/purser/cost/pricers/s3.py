"""Amazon S3: storage per storage class (Infracost's per-class usage blocks) and requests.

Usage keys are Infracost's: `standard.storage_gb`, `standard.monthly_tier_1_requests`
(PUT, COPY, POST, LIST), `standard.monthly_tier_2_requests` (GET and the rest), and
`<class>.storage_gb` for the other classes. Requests are priced for S3 Standard only; the
catalog holds no request prices for the other classes yet.
"""

from __future__ import annotations

from purser import kinds
from purser.cost.pricers import prices
from purser.cost.pricers.context import PricingContext, scaled

# Infracost usage block → (S3 storage class, label).
STORAGE_CLASSES: dict[str, tuple[str, str]] = {
    "standard_infrequent_access": ("STANDARD_IA", "Standard-IA"),
    "one_zone_infrequent_access": ("ONEZONE_IA", "One Zone-IA"),
    "glacier_instant_retrieval": ("GLACIER_IR", "Glacier Instant Retrieval"),
    "glacier_flexible_retrieval": ("GLACIER", "Glacier Flexible Retrieval"),
    "glacier_deep_archive": ("DEEP_ARCHIVE", "Glacier Deep Archive"),
}


@prices(*kinds.types("aws.s3.bucket"))
def s3_bucket(ctx: PricingContext) -> None:
    ctx.add("Standard storage", ctx.prices("s3", meter="storage", storage_class="STANDARD"),
            ctx.used("standard.storage_gb"))
    ctx.add("PUT, COPY, POST, LIST requests",
            ctx.prices("s3", meter="put_requests", storage_class="STANDARD"),
            scaled(ctx.used("standard.monthly_tier_1_requests"), 1 / 1e3))
    ctx.add("GET and other requests",
            ctx.prices("s3", meter="get_requests", storage_class="STANDARD"),
            scaled(ctx.used("standard.monthly_tier_2_requests"), 1 / 1e3))
    if ctx.has_usage("intelligent_tiering."):
        for tier in ("frequent", "infrequent"):
            ctx.add(f"Intelligent-Tiering {tier} access storage",
                    ctx.prices("s3", meter="storage", storage_class="INTELLIGENT_TIERING",
                               tier=tier),
                    ctx.used(f"intelligent_tiering.{tier}_access_storage_gb"))
    for block, (storage_class, label) in STORAGE_CLASSES.items():
        if ctx.has_usage(f"{block}."):
            ctx.add(f"{label} storage",
                    ctx.prices("s3", meter="storage", storage_class=storage_class),
                    ctx.used(f"{block}.storage_gb"))
