"""Amazon S3: storage, requests, retrievals, lifecycle transitions, S3 Select and early
deletes per storage class, as Infracost's usage file nests them; storage class analysis
and inventory reports.

Usage keys are Infracost's: a block per storage class (`standard`, `intelligent_tiering`,
`standard_infrequent_access`, `one_zone_infrequent_access`, `glacier_flexible_retrieval`,
`glacier_deep_archive`; purser adds `glacier_instant_retrieval.storage_gb`) holding
`storage_gb`, `monthly_tier_1_requests` (PUT, COPY, POST, LIST), `monthly_tier_2_requests`
(GET, SELECT and the rest), and the class's own keys below; `object_tags` beside them.
S3 Standard's storage and requests are always shown, another class's storage when its
block is in the usage; the other parts (transitions, retrievals, Select, early deletes...)
only when their key is given: optional activity a usage file leaves out is none, and never
an unknown line that would make every bucket's cost look unverified.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from purser import kinds
from purser.cost.pricers import prices
from purser.cost.pricers.context import PricingContext, scaled
from purser.cost.pricers.regional import add_where_priced


@dataclass(frozen=True)
class Part:
    """One priced part of a storage class: a usage key in its block and the price it takes."""

    key: str
    label: str
    meter: str
    per: float = 1  # usage units in one catalog unit (1,000 requests)
    option: str = ""  # a retrieval speed, or an Intelligent-Tiering access tier
    always: bool = False  # shown without usage (its unit price, usage unknown)


@dataclass(frozen=True)
class StorageClass:
    block: str  # Infracost's usage block
    name: str  # S3's storage class
    label: str
    parts: tuple[Part, ...]


REQUESTS = (
    Part("monthly_tier_1_requests", "PUT, COPY, POST, LIST requests", "put_requests", 1e3),
    Part("monthly_tier_2_requests", "GET, SELECT and other requests", "get_requests", 1e3),
)
STORAGE = Part("storage_gb", "storage", "storage", always=True)
TRANSITIONS = Part("monthly_lifecycle_transition_requests", "lifecycle transitions",
                   "lifecycle_transitions", 1e3)
SELECT = (
    Part("monthly_select_data_scanned_gb", "Select data scanned", "select_scanned",
         option="standard"),
    Part("monthly_select_data_returned_gb", "Select data returned", "select_returned",
         option="standard"),
)
INFREQUENT = (STORAGE, *REQUESTS, TRANSITIONS,
              Part("monthly_data_retrieval_gb", "retrievals", "retrieval", option="standard"),
              *SELECT)


def _glacier_retrievals(speed: str) -> tuple[Part, ...]:
    return (Part(f"monthly_{speed}_data_retrieval_requests", f"retrieval requests ({speed})",
                 "retrieval_requests", 1e3, speed),
            Part(f"monthly_{speed}_data_retrieval_gb", f"retrievals ({speed})", "retrieval",
                 option=speed))


def _glacier_select(speed: str) -> tuple[Part, ...]:
    return (Part(f"monthly_{speed}_select_data_scanned_gb", f"Select data scanned ({speed})",
                 "select_scanned", option=speed),
            Part(f"monthly_{speed}_select_data_returned_gb", f"Select data returned ({speed})",
                 "select_returned", option=speed))


STANDARD = StorageClass("standard", "STANDARD", "Standard", (
    STORAGE, *(replace(p, always=True) for p in REQUESTS), *SELECT))
OTHER_CLASSES = (
    StorageClass("intelligent_tiering", "INTELLIGENT_TIERING", "Intelligent-Tiering", (
        *(Part(f"{tier}_access_storage_gb", f"{tier.replace('_', ' ')} access storage",
               "storage", option=tier)
          for tier in ("frequent", "infrequent", "archive", "deep_archive")),
        Part("monitored_objects", "monitoring and automation", "monitoring", 1e3),
        *REQUESTS, TRANSITIONS, *SELECT,
        Part("early_delete_gb", "early delete (within 30 days)", "early_delete"))),
    StorageClass("standard_infrequent_access", "STANDARD_IA", "Standard-IA", INFREQUENT),
    StorageClass("one_zone_infrequent_access", "ONEZONE_IA", "One Zone-IA", INFREQUENT),
    StorageClass("glacier_instant_retrieval", "GLACIER_IR", "Glacier Instant Retrieval",
                 (STORAGE,)),
    StorageClass("glacier_flexible_retrieval", "GLACIER", "Glacier Flexible Retrieval", (
        STORAGE, *REQUESTS, TRANSITIONS,
        *_glacier_retrievals("standard"), *_glacier_select("standard"),
        *_glacier_retrievals("expedited"), *_glacier_select("expedited"),
        *_glacier_select("bulk"),
        Part("early_delete_gb", "early delete (within 90 days)", "early_delete"))),
    StorageClass("glacier_deep_archive", "DEEP_ARCHIVE", "Glacier Deep Archive", (
        STORAGE, *REQUESTS, TRANSITIONS,
        *_glacier_retrievals("standard"), *_glacier_retrievals("bulk"),
        Part("early_delete_gb", "early delete (within 180 days)", "early_delete"))),
)
# Catalog attributes that only some meters carry.
_OPTION_ATTRIBUTE = {"storage": "tier", "retrieval": "option", "retrieval_requests": "option",
                     "select_scanned": "option", "select_returned": "option"}


@prices(*kinds.types("aws.s3.bucket"))
def s3_bucket(ctx: PricingContext) -> None:
    tags = ctx.used("object_tags")
    if tags is not None:
        add_where_priced(ctx, "Object tagging", "s3", scaled(tags, 1 / 1e4),
                         meter="object_tags")
    _storage_class(ctx, STANDARD)
    for storage_class in OTHER_CLASSES:
        if ctx.has_usage(f"{storage_class.block}."):
            _storage_class(ctx, storage_class)


def _storage_class(ctx: PricingContext, storage_class: StorageClass) -> None:
    for part in storage_class.parts:
        attributes = {"meter": part.meter, "storage_class": storage_class.name}
        if part.option:
            attributes[_OPTION_ATTRIBUTE[part.meter]] = part.option
        used = ctx.used(f"{storage_class.block}.{part.key}")
        if used is None and not part.always:
            continue
        quantity = scaled(used, 1 / part.per)
        name = f"{storage_class.label} {part.label}"
        if storage_class is STANDARD and part.meter == "storage":
            # Every priced region has it: a region without it is unpriced, never free.
            ctx.add(name, ctx.prices("s3", **attributes), quantity)
        else:
            add_where_priced(ctx, name, "s3", quantity, **attributes)


@prices("aws_s3_bucket_analytics_configuration")
def analytics_configuration(ctx: PricingContext) -> None:
    """Storage class analysis, per million objects monitored."""
    ctx.add("Objects monitored", ctx.prices("s3", meter="analytics"),
            scaled(ctx.used("monthly_monitored_objects"), 1 / 1e6))


@prices("aws_s3_bucket_inventory")
def inventory(ctx: PricingContext) -> None:
    """Inventory reports, per million objects listed."""
    ctx.add("Objects listed", ctx.prices("s3", meter="inventory"),
            scaled(ctx.used("monthly_listed_objects"), 1 / 1e6))
