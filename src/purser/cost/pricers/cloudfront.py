"""Amazon CloudFront distributions and CloudFront Functions.

Viewer traffic is billed by the group of edge locations that served it, so the traffic
usage keys are Infracost's, one quantity per group: `monthly_data_transfer_to_internet_gb`,
`monthly_data_transfer_to_origin_gb`, `monthly_http_requests` and `monthly_https_requests`,
each a mapping such as `{us: 1200, europe: 300}` (read flattened, `….us`). A group with any
of them gets its four lines; without any, the US group shows its unit prices. Origin Shield
requests are billed at the rate of the shield's own region (`monthly_shield_requests.<group>`
of that region). Invalidations, field-level encryption, real-time logs and dedicated-IP
certificates follow the configuration and their usage keys.
"""

from __future__ import annotations

from typing import Any

from purser import kinds
from purser.cost.pricers import prices
from purser.cost.pricers.context import FIXED, PricingContext, Unpriceable, scaled
from purser.cost.pricers.global_services import global_prices
from purser.cost.usage import Quantity

SERVICE = "cloudfront"

# Infracost's usage zone → the edge location group CloudFront's price list names.
ZONES: dict[str, str] = {
    "us": "US, Mexico, Canada",
    "europe": "Europe, Israel",
    "south_africa": "South Africa, Kenya, Middle East",
    "south_america": "South America",
    "japan": "Japan",
    "australia": "Australia, New Zealand",
    "asia_pacific": "Hong Kong, Philippines, Asia Pacific",
    "india": "India",
}
DEFAULT_ZONE = "us"
TRAFFIC_KEYS = ("monthly_data_transfer_to_internet_gb", "monthly_data_transfer_to_origin_gb",
                "monthly_http_requests", "monthly_https_requests")

# The regions Origin Shield runs in → the price group (and usage key) of each.
SHIELD_ZONES: dict[str, str] = {
    "us-east-1": "us", "us-east-2": "us", "us-west-1": "us", "us-west-2": "us",
    "eu-central-1": "europe", "eu-west-1": "europe", "eu-west-2": "europe",
    "sa-east-1": "south_america", "ap-northeast-1": "japan", "ap-southeast-2": "australia",
    "ap-southeast-1": "singapore", "ap-northeast-2": "south_korea", "ap-south-1": "india",
}

BEHAVIOR_BLOCKS = ("default_cache_behavior", "ordered_cache_behavior")
PER_10K = 1 / 1e4
PER_MILLION = 1 / 1e6
DEDICATED_IP = "vip"  # ssl_support_method of a certificate served from dedicated IPs


@prices(*kinds.types("aws.cloudfront.distribution"))
def distribution(ctx: PricingContext) -> None:
    for zone in _zones(ctx):
        _viewer_traffic(ctx, zone)
    _origin_shield(ctx)
    ctx.add("Invalidation requests", global_prices(ctx, SERVICE, meter="invalidations"),
            ctx.used("monthly_invalidation_requests"))
    behaviors = _cache_behaviors(ctx.resource)
    if _any_set(ctx, behaviors, "field_level_encryption_id") \
            or ctx.used("monthly_encryption_requests"):
        ctx.add("Field-level encryption requests",
                global_prices(ctx, SERVICE, meter="field_level_encryption"),
                scaled(ctx.used("monthly_encryption_requests"), PER_10K))
    if _any_set(ctx, behaviors, "realtime_log_config_arn") or ctx.used("monthly_log_lines"):
        ctx.add("Real-time log lines", global_prices(ctx, SERVICE, meter="realtime_logs"),
                scaled(ctx.used("monthly_log_lines"), PER_MILLION))
    if str(ctx.resource.get("viewer_certificate.ssl_support_method", "")).lower() == DEDICATED_IP:
        ctx.add("Dedicated IP custom SSL certificates",
                global_prices(ctx, SERVICE, meter="dedicated_ip_ssl"),
                ctx.used("custom_ssl_certificates") or Quantity(1, FIXED))


@prices(*kinds.types("aws.cloudfront.function"))
def function(ctx: PricingContext) -> None:
    ctx.add("Invocations", global_prices(ctx, SERVICE, meter="function_invocations"),
            scaled(ctx.used("monthly_requests"), PER_MILLION))


def _zones(ctx: PricingContext) -> list[str]:
    """The edge location groups the usage names, in the price list's order."""
    used = [zone for zone in ZONES
            if any(ctx.used(f"{key}.{zone}") is not None for key in TRAFFIC_KEYS)]
    return used or [DEFAULT_ZONE]


def _viewer_traffic(ctx: PricingContext, zone: str) -> None:
    group = ZONES[zone]
    ctx.add(f"Data transfer out to internet ({group})",
            global_prices(ctx, SERVICE, meter="internet_egress", zone=zone),
            ctx.used(f"monthly_data_transfer_to_internet_gb.{zone}"))
    ctx.add(f"Data transfer out to origin ({group})",
            global_prices(ctx, SERVICE, meter="origin_egress", zone=zone),
            ctx.used(f"monthly_data_transfer_to_origin_gb.{zone}"))
    for protocol in ("http", "https"):
        ctx.add(f"{protocol.upper()} requests ({group})",
                global_prices(ctx, SERVICE, meter="requests", protocol=protocol, zone=zone),
                scaled(ctx.used(f"monthly_{protocol}_requests.{zone}"), PER_10K))


def _origin_shield(ctx: PricingContext) -> None:
    """One line per price group of the shield regions the origins name."""
    regions: dict[str, list[str]] = {}
    for origin in _blocks(ctx.resource.get("origin")):
        shield = origin.get("origin_shield")
        shield = shield[0] if isinstance(shield, list) and shield else shield
        if not isinstance(shield, dict) or shield.get("enabled") is False:
            continue
        region = shield.get("origin_shield_region")
        if not isinstance(region, str) or region.startswith("${"):
            raise Unpriceable("the Origin Shield region is not known statically")
        if region not in SHIELD_ZONES:
            raise Unpriceable(f"no Origin Shield price for region {region[:40]!r}")
        regions.setdefault(SHIELD_ZONES[region], []).append(region)
    for zone, names in regions.items():
        ctx.add(f"Origin Shield requests ({', '.join(dict.fromkeys(names))})",
                global_prices(ctx, SERVICE, meter="origin_shield", zone=zone),
                scaled(ctx.used(f"monthly_shield_requests.{zone}"), PER_10K))


def _cache_behaviors(resource: Any) -> list[dict[str, Any]]:
    return [block for name in BEHAVIOR_BLOCKS for block in _blocks(resource.get(name))]


def _any_set(ctx: PricingContext, behaviors: list[dict[str, Any]], name: str) -> bool:
    """Whether a cache behavior sets `name` (or may: its value is not known statically)."""
    return any(behavior.get(name) not in (None, "") for behavior in behaviors) or any(
        path in BEHAVIOR_BLOCKS or (path.startswith(BEHAVIOR_BLOCKS) and path.endswith(name))
        for path in ctx.resource.unknown)


def _blocks(value: Any) -> list[dict[str, Any]]:
    """A Terraform block list or a single CloudFormation mapping, as a list of mappings."""
    items = value if isinstance(value, list) else [value]
    return [item for item in items if isinstance(item, dict)]
