"""Amazon SQS, Amazon SNS and Amazon EventBridge: requests, deliveries and events.

SNS free tier, deducted as Infracost deducts it, per standard topic: the first 1M publish
requests, 100k HTTP/S, 1k email and 100 SMS deliveries a month; Firehose, mobile push and
macOS deliveries and FIFO topics have none. AWS counts these free tiers once per account,
so a repository with several busy topics is underestimated by the free amount of each
extra topic. A topic's deliveries come from its usage (`<protocol>_subscriptions` ×
publishes, every 64 KB of a payload one publish; a protocol the usage does not mention has
none, rather than an unknown line on every topic); a subscription resource given usage of
its own is priced at its protocol's delivery price with no free tier (as Infracost prices
HTTP/S subscriptions); deliveries to SQS and Lambda are free. AWS prices SMS by destination
country: the price per message is the usage key `sms_notification_price`, and SMS
deliveries without it leave the topic unpriced rather than priced without them.
"""

from __future__ import annotations

from dataclasses import dataclass

from purser import kinds
from purser.cost.catalog import Price
from purser.cost.pricers import prices
from purser.cost.pricers.context import (
    PricingContext,
    ResourceIndex,
    Unpriceable,
    chunks,
    scaled,
)
from purser.cost.pricers.regional import add_where_priced
from purser.cost.usage import Quantity
from purser.model import Ref, Resource

BILLED_CHUNK_KB = 64  # SQS and SNS bill every 64 KB of a payload as one request
KB_PER_GB = 1e6  # SNS FIFO payload in decimal GB, as Infracost converts it
PUBLISHES_FREE = 1e6
SMS_FREE = 100
SMS_PRICE_KEY = "sms_notification_price"


@dataclass(frozen=True)
class Delivery:
    """Deliveries to one kind of SNS endpoint."""

    usage_key: str  # Infracost's count of the topic's subscriptions of this kind
    protocol: str  # the catalog's `protocol` attribute
    label: str
    free: int  # deliveries a month deducted per topic


DELIVERIES = (
    Delivery("http_subscriptions", "http", "HTTP/S", 100_000),
    Delivery("email_subscriptions", "email", "Email", 1_000),
    Delivery("kinesis_subscriptions", "firehose", "Firehose", 0),
    Delivery("mobile_push_subscriptions", "mobile_push", "Mobile push", 0),
    Delivery("macos_subscriptions", "macos", "macOS", 0),
)
# A subscription resource's protocol → the delivery it is billed as.
SUBSCRIPTION_DELIVERIES = {
    "http": DELIVERIES[0], "https": DELIVERIES[0], "email": DELIVERIES[1],
    "email-json": DELIVERIES[1], "firehose": DELIVERIES[2], "application": DELIVERIES[3],
}
FREE_PROTOCOLS = frozenset({"sqs", "lambda"})
# EventBridge usage key → (component, catalog meter, usage units per catalog unit).
EVENT_BUS_EXTRAS = (
    ("monthly_third_party_events", "Third-party events", "partner_events", 1e6),
    ("monthly_archive_processing_gb", "Archive processing", "archive_processing", 1),
    ("archive_storage_gb", "Archive storage", "archive_storage", 1),
    ("monthly_schema_discovery_events", "Schema discovery", "schema_discovery", 1e6),
)


def _is_true(value: object) -> bool:
    return value is True or str(value).lower() == "true"


@prices(*kinds.types("aws.sqs.queue"))
def sqs_queue(ctx: PricingContext) -> None:
    queue = "fifo" if _is_true(ctx.resource.get("fifo_queue")) else "standard"
    per_request = chunks(ctx.used("request_size_kb"), BILLED_CHUNK_KB)
    ctx.add(f"Requests ({'FIFO' if queue == 'fifo' else 'standard'})",
            ctx.prices("sqs", meter="requests", queue=queue),
            scaled(ctx.used("monthly_requests"), per_request / 1e6))


@prices(*kinds.types("aws.sns.topic"))
def sns_topic(ctx: PricingContext) -> None:
    if _is_true(ctx.resource.get("fifo_topic")):
        _fifo_topic(ctx)
        return
    publishes = scaled(ctx.used("monthly_requests"),
                       chunks(ctx.used("request_size_kb"), BILLED_CHUNK_KB))
    ctx.add("Publish requests (after 1M free)", ctx.prices("sns", meter="publishes"),
            scaled(_after_free(publishes, PUBLISHES_FREE), 1 / 1e6))
    for delivery in DELIVERIES:
        subscriptions = ctx.used(delivery.usage_key)
        if subscriptions is None:
            continue  # deliveries the usage does not mention are none
        deliveries = _after_free(_delivered(subscriptions, publishes), delivery.free)
        free = f" (after {delivery.free:,} free)" if delivery.free else ""
        add_where_priced(ctx, f"{delivery.label} deliveries{free}", "sns",
                         scaled(deliveries, 1 / 1e6), meter="deliveries",
                         protocol=delivery.protocol)
    deliveries = _after_free(_delivered(ctx.used("sms_subscriptions"), publishes), SMS_FREE)
    _sms(ctx, f"SMS deliveries (after {SMS_FREE} free)", deliveries)


def _fifo_topic(ctx: PricingContext) -> None:
    """FIFO topics: publishes and their payload; deliveries to the topic's subscriptions
    found in the repository, and their payload (FIFO topics deliver to SQS queues)."""
    requests = ctx.used("monthly_requests")
    payload_gb = scaled(_multiplied(requests, ctx.used("request_size_kb")), 1 / KB_PER_GB)
    ctx.add("FIFO publish requests", ctx.prices("sns", meter="fifo_publishes"),
            scaled(requests, 1 / 1e6))
    add_where_priced(ctx, "FIFO publish payload", "sns", payload_gb,
                     meter="fifo_publish_payload")
    subscriptions = len(subscriptions_of(ctx, ctx.resource))
    if subscriptions:
        add_where_priced(ctx, f"FIFO deliveries ({subscriptions} subscriptions)", "sns",
                         scaled(requests, subscriptions / 1e6), meter="fifo_deliveries")
        add_where_priced(ctx, "FIFO delivery payload", "sns", scaled(payload_gb, subscriptions),
                         meter="fifo_delivery_payload")


@prices(*kinds.types("aws.sns.subscription"))
def sns_subscription(ctx: PricingContext) -> None:
    protocol = ctx.resource.get("protocol")
    if not isinstance(protocol, str):
        raise Unpriceable("the subscription's protocol is not known statically")
    protocol = protocol.strip().lower()
    if protocol in FREE_PROTOCOLS:
        return
    deliveries = scaled(ctx.used("monthly_requests"),
                        chunks(ctx.used("request_size_kb"), BILLED_CHUNK_KB))
    if protocol == "sms":
        _sms(ctx, "SMS deliveries", deliveries)
        return
    delivery = SUBSCRIPTION_DELIVERIES.get(protocol)
    if delivery is None:
        raise Unpriceable(f"no price model for SNS deliveries over {protocol[:40]!r}")
    ctx.add(f"{delivery.label} deliveries",
            ctx.prices("sns", meter="deliveries", protocol=delivery.protocol),
            scaled(deliveries, 1 / 1e6))


def _sms(ctx: PricingContext, component: str, deliveries: Quantity | None) -> None:
    """SMS at the usage file's price per message; without it, nothing to show when no
    delivery is known, and unpriced when some are."""
    price = ctx.used(SMS_PRICE_KEY)
    if price is not None:
        ctx.add(component, [_sms_price(ctx, price)], deliveries)
    elif deliveries is not None and deliveries.value > 0:
        raise Unpriceable(f"{deliveries.value:,.0f} SMS deliveries a month: AWS prices SMS by "
                          f"destination country; give {SMS_PRICE_KEY} (USD per message) in "
                          "the usage file")


def _sms_price(ctx: PricingContext, price: Quantity) -> Price:
    return Price(key=f"aws.sns.{ctx.region}.{SMS_PRICE_KEY}", provider="aws", service="sns",
                 region=ctx.region, attributes={"meter": "sms"}, unit="SMS messages",
                 usd=price.value, source=f"{SMS_PRICE_KEY} in the {price.origin}",
                 date="as given")


def _delivered(subscriptions: Quantity | None, publishes: Quantity | None) -> Quantity | None:
    """Deliveries = subscriptions × publishes; zero when either is known to be zero."""
    for known in (subscriptions, publishes):
        if known is not None and known.value == 0:
            return known
    return _multiplied(subscriptions, publishes)


def _multiplied(a: Quantity | None, b: Quantity | None) -> Quantity | None:
    if a is None or b is None:
        return None
    origin = a.origin if a.origin == b.origin else f"{a.origin} + {b.origin}"
    return Quantity(a.value * b.value, origin)


def _after_free(quantity: Quantity | None, free: float) -> Quantity | None:
    return None if quantity is None else Quantity(max(0.0, quantity.value - free),
                                                  quantity.origin)


def subscriptions_of(ctx: PricingContext, topic: Resource) -> list[Resource]:
    """The repository's subscriptions to `topic`, by reference or by the topic's ARN."""
    by_topic = ctx.index.memo("sns subscriptions by topic", _subscriptions_by_topic)
    found = list(by_topic.get(topic.address, []))
    name = topic.get("name")
    if isinstance(name, str) and name:
        found += by_topic.get(f"arn-name:{name}", [])
    return found


def _subscriptions_by_topic(index: ResourceIndex) -> dict[str, list[Resource]]:
    table: dict[str, list[Resource]] = {}
    types = set(kinds.types("aws.sns.subscription"))
    for resource in index.by_address.values():
        if resource.type not in types:
            continue
        target = resource.get("topic_arn")
        if isinstance(target, Ref):
            table.setdefault(target.address, []).append(resource)
        elif isinstance(target, str) and target.startswith("arn:"):
            table.setdefault(f"arn-name:{target.rsplit(':', 1)[-1]}", []).append(resource)
    return table


@prices(*kinds.types("aws.events.bus"))
def event_bus(ctx: PricingContext) -> None:
    """Custom events; partner events, archive processing and storage, schema discovery
    and replayed events (`monthly_replayed_events`, a purser key, priced as custom events)
    when the usage gives them."""
    custom = ctx.prices("eventbridge", meter="custom_events")
    ctx.add("Custom events", custom, scaled(ctx.used("monthly_custom_events"), 1 / 1e6))
    for key, component, meter, per in EVENT_BUS_EXTRAS:
        used = ctx.used(key)
        if used is not None:
            add_where_priced(ctx, component, "eventbridge", scaled(used, 1 / per), meter=meter)
    replayed = ctx.used("monthly_replayed_events")
    if replayed is not None:
        ctx.add("Replayed events", custom, scaled(replayed, 1 / 1e6))
