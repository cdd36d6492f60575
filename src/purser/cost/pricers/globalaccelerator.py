"""AWS Global Accelerator: accelerators and the data transfer premium of endpoint groups.

An accelerator pays a fixed fee per hour. An endpoint group pays the DT-Premium per GB,
at a rate set by the area of the endpoint group's region and the area of the clients, and
only in the dominant direction: usage gives GB per client area inbound and outbound
(Infracost's `monthly_inbound_data_transfer_gb.<area>` and
`monthly_outbound_data_transfer_gb.<area>`), and, as Infracost does, the direction with
the larger monthly total is billed (AWS decides it hour by hour, which a monthly figure
cannot show).
"""

from __future__ import annotations

from purser import kinds
from purser.cost.pricers import prices
from purser.cost.pricers.context import HOURS_PER_MONTH, PricingContext, Unpriceable
from purser.cost.pricers.global_services import global_prices

# Client area (usage key) → its name on AWS's pricing page.
CLIENT_AREAS = {
    "us": "US, Mexico, Canada", "europe": "Europe", "south_africa": "South Africa, Kenya",
    "south_america": "South America", "south_korea": "South Korea",
    "middle_east": "Middle East", "australia": "Australia, New Zealand",
    "asia_pacific": "Asia Pacific", "india": "India, Indonesia, Philippines, Thailand",
}
# Region code prefix → the area it is priced in; the longest matching prefix wins.
REGION_AREAS = {
    "us-": "us", "ca-": "us", "mx-": "us", "eu-": "europe", "af-": "south_africa",
    "sa-": "south_america", "ap-northeast-2": "south_korea", "me-": "middle_east",
    "il-": "middle_east", "ap-southeast-2": "australia", "ap-southeast-4": "australia",
    "ap-southeast-6": "australia", "ap-south-": "india", "ap-southeast-3": "india",
    "ap-southeast-7": "india", "ap-": "asia_pacific",
}
DIRECTIONS = (("monthly_inbound_data_transfer_gb", "Inbound"),
              ("monthly_outbound_data_transfer_gb", "Outbound"))


@prices(*kinds.types("aws.globalaccelerator.accelerator"))
def accelerator(ctx: PricingContext) -> None:
    ctx.fixed("Fixed fee", global_prices(ctx, "globalaccelerator", meter="accelerator_hours"),
              HOURS_PER_MONTH)


@prices(*kinds.types("aws.globalaccelerator.endpoint_group"))
def endpoint_group(ctx: PricingContext) -> None:
    area = _area(ctx)
    given = {key: {client: ctx.used(f"{key}.{client}") for client in CLIENT_AREAS}
             for key, _ in DIRECTIONS}
    totals = {key: sum(q.value for q in by.values() if q is not None)
              for key, by in given.items()}
    if not any(totals.values()):
        ctx.add("DT-Premium (per GB in the dominant direction)",
                global_prices(ctx, "globalaccelerator", meter="dt_premium", aws=area,
                              client=area), None)
        return
    key, word = max(DIRECTIONS, key=lambda d: totals[d[0]])
    for client, quantity in given[key].items():
        if quantity is not None and quantity.value:
            ctx.add(f"{word} DT-Premium ({CLIENT_AREAS[client]})",
                    global_prices(ctx, "globalaccelerator", meter="dt_premium", aws=area,
                                  client=client), quantity)


def _area(ctx: PricingContext) -> str:
    """The pricing area of the endpoint group's region (the provider's when not written)."""
    if ctx.resource.is_unknown("endpoint_group_region"):
        raise Unpriceable("endpoint group region not known statically")
    region = ctx.resource.get("endpoint_group_region") or ctx.region
    if not isinstance(region, str):
        raise Unpriceable("endpoint group region not known statically")
    matches = [prefix for prefix in REGION_AREAS if region.startswith(prefix)]
    if not matches:
        raise Unpriceable(f"no Global Accelerator area for region {region[:40]!r}")
    return REGION_AREAS[max(matches, key=len)]
