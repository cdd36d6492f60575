"""What a pricer works with: the resource, its region's prices, its usage, and a line builder.

A pricer reads the resource's attributes and its usage (numbers with `used`, words with
`text`), asks for catalog prices, and adds cost lines:
`fixed` for quantities the configuration decides (730 hours of a NAT gateway) and `add`
for usage-based ones, whose quantity may be unknown (then the line keeps the unit price
and its monthly quantity and cost stay None, never zero).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast

from purser.config import Config
from purser.cost.catalog import Catalog, Price, PriceNotFound, split_into_tiers
from purser.cost.usage import Quantity, UsageSource, resolve, resolve_texts
from purser.model import CostLine, Ref, Resource

T = TypeVar("T")

HOURS_PER_MONTH = 730
SECONDS_PER_HOUR = 3600

FIXED = "fixed"  # the quantity follows from the configuration alone
DEFAULT = "default"  # an assumption purser made (e.g. the midpoint of an HPA range)
UNKNOWN = "unknown"


class Unpriceable(Exception):
    """The resource has a price model but cannot be priced (e.g. an unknown instance type)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class ResourceIndex:
    """Lookups across the whole estimate: a pricer may need another resource's settings."""

    def __init__(self, resources: Iterable[Resource]) -> None:
        self.by_address: dict[str, Resource] = {r.address: r for r in resources}
        self._tables: dict[tuple[str, str], dict[str, Resource]] = {}
        self._memo: dict[str, Any] = {}

    def memo(self, name: str, build: Callable[[ResourceIndex], T]) -> T:
        """A lookup table a pricer builds once per estimate (e.g. HPAs by their target)."""
        if name not in self._memo:
            self._memo[name] = build(self)
        return cast(T, self._memo[name])

    def get(self, address: str) -> Resource | None:
        return self.by_address.get(address)

    def referenced(self, value: Any) -> Resource | None:
        """The resource a `Ref` (or an address string) points at."""
        if isinstance(value, Ref):
            return self.by_address.get(value.address)
        if isinstance(value, str):
            return self.by_address.get(value)
        return None

    def find(self, type_: str, name_attribute: str, value: Any) -> Resource | None:
        """A resource of `type_` whose `name_attribute` equals `value` (e.g. a function name)."""
        table = self._tables.get((type_, name_attribute))
        if table is None:
            table = {}
            for resource in self.by_address.values():
                if resource.type == type_:
                    name = resource.get(name_attribute)
                    if isinstance(name, str):
                        table.setdefault(name, resource)
            self._tables[(type_, name_attribute)] = table
        return table.get(value) if isinstance(value, str) else None


@dataclass
class PricingContext:
    resource: Resource
    region: str
    catalog: Catalog
    usage: dict[str, Quantity]
    config: Config
    index: ResourceIndex
    provider: str = "aws"
    lines: list[CostLine] = field(default_factory=list)
    # For resources whose size is a range (an HPA's min and max replicas): monthly cost at each end.
    cost_range: tuple[float, float] | None = None
    range_label: str | None = None  # set by the estimate for an observed (telemetry) range
    usage_note: str | None = None
    texts: dict[str, str] = field(default_factory=dict)  # usage values that are words
    # Usage keys whose value was of the wrong kind (a word where a number is priced):
    # key → why; the estimate reports each with the file and line it came from.
    misused: dict[str, str] = field(default_factory=dict)
    # Where `usage` came from: asked again for the usage of a resource that decides this
    # one's size (an Auto Scaling target's `capacity`).
    usage_source: UsageSource | None = None

    # -- prices -------------------------------------------------------------------------
    def prices(self, service: str, **attributes: str) -> list[Price]:
        """The tiers of a catalog price in this resource's region."""
        try:
            return self.catalog.tiers(self.provider, service, self.region, **attributes)
        except PriceNotFound as exc:
            raise Unpriceable(str(exc)) from None

    # -- usage --------------------------------------------------------------------------
    def used(self, key: str) -> Quantity | None:
        """The monthly quantity of usage key `key`; None when unknown (a word given for it is
        reported, never read as a number)."""
        found = self.usage.get(key)
        if found is None and key in self.texts:
            self.misused[key] = f"expected a number, got {self.texts[key]!r}"
        return found

    def text(self, key: str, *, allowed: Sequence[str] = ()) -> str | None:
        """The word usage key `key` holds (`architecture: arm64`), spelt as in `allowed`
        (matched ignoring case) when given; None when not given. A number given for it, or
        a word not allowed, is reported and never read."""
        found = self.texts.get(key)
        if found is None:
            if key in self.usage:
                self.misused[key] = f"expected a word, got {self.usage[key].value:g}"
            return None
        if not allowed:
            return found
        match = next((a for a in allowed if a.lower() == found.lower()), None)
        if match is None:
            self.misused[key] = f"expected {' or '.join(allowed)}, got {found!r}"
        return match

    def used_on(self, other: Resource, key: str, relation: str) -> Quantity | None:
        """The quantity usage key `key` of `other` gives (e.g. the `capacity` of the
        resource's scaling target), its origin naming `other` as `relation`; None when
        unknown (a word given for it is reported, never read as a number)."""
        found = resolve(self.usage_source, other).get(key)
        if found is None:
            word = resolve_texts(self.usage_source, other).get(key)
            if word is not None:
                self.misused[f"{key} of {other.address}"] = \
                    f"expected a number, got {word!r}"
            return None
        return Quantity(found.value, f"{found.origin}, on {relation} {other.address}")

    def has_usage(self, prefix: str) -> bool:
        return any(key.startswith(prefix) for key in self.usage)

    # -- lines --------------------------------------------------------------------------
    def fixed(self, component: str, prices: list[Price], quantity: float) -> None:
        self.add(component, prices, Quantity(quantity, FIXED))

    def add(self, component: str, prices: list[Price], quantity: Quantity | None) -> None:
        """One line per tier the quantity reaches; one unknown line when it is None."""
        first = prices[0]
        if quantity is None:
            self.lines.append(self._line(_tiered_name(component, first, prices), first,
                                         None, UNKNOWN))
            return
        if len(prices) == 1 and first.tier_start == 0 and first.tier_end is None:
            # A flat price, as most are: the one line split_into_tiers would give, sooner.
            self.lines.append(self._line(component, first, max(0.0, quantity.value),
                                         quantity.origin))
            return
        for use in split_into_tiers(quantity.value, prices):
            self.lines.append(self._line(_tiered_name(component, use.price, prices), use.price,
                                         use.quantity, quantity.origin))

    def _line(self, component: str, price: Price, quantity: float | None,
              origin: str) -> CostLine:
        return CostLine(
            resource=self.resource.address, component=component, unit=price.unit,
            monthly_quantity=quantity, unit_price=price.usd,
            monthly_cost=None if quantity is None else quantity * price.usd,
            price=price.ref, usage_origin=origin)


def scaled(quantity: Quantity | None, factor: float) -> Quantity | None:
    return None if quantity is None else Quantity(quantity.value * factor, quantity.origin)


def combined(*quantities: Quantity | None,
             formula: Callable[..., float]) -> Quantity | None:
    """A quantity derived from several usage values; unknown if any of them is."""
    known = [q for q in quantities if q is not None]
    if len(known) != len(quantities):
        return None
    origins = " + ".join(dict.fromkeys(q.origin for q in known))
    return Quantity(formula(*(q.value for q in known)), origins)


def chunks(size_kb: Quantity | None, chunk_kb: float) -> float:
    """How many billed requests one request of `size_kb` counts as (SQS bills per 64 KB)."""
    if size_kb is None or size_kb.value <= chunk_kb:
        return 1.0
    return float(math.ceil(size_kb.value / chunk_kb))


def _tiered_name(component: str, price: Price, tiers: list[Price]) -> str:
    if len(tiers) == 1:
        return component
    if component.endswith(")"):  # "Duration (arm64, 512 MB; first 6B GB-seconds)"
        return f"{component[:-1]}; {_tier_label(price)})"
    return f"{component} ({_tier_label(price)})"


def _tier_label(price: Price) -> str:
    unit = price.unit
    scale = 1.0
    for prefix, factor in (("1M ", 1e6), ("1k ", 1e3), ("10k ", 1e4)):
        if unit.startswith(prefix):
            unit, scale = unit[len(prefix):], factor
            break
    start = price.tier_start * scale
    if price.tier_end is None:
        return f"over {_amount(start, unit)}"
    end = price.tier_end * scale
    if price.tier_start == 0:
        return f"first {_amount(end, unit)}"
    return f"next {_amount(end - start, unit)}"


def _amount(value: float, unit: str) -> str:
    """Tier bounds as AWS's pages write them: binary TB (10 TB = 10,240 GB) where a bound
    is one, else decimal PB (PrivateLink's 1 PB = 1,000,000 GB)."""
    if unit in ("GB", "GB-months") and value >= 1024 and value % 1024 == 0:
        return f"{value / 1024:g} TB"
    if unit in ("GB", "GB-months") and value >= 1e6 and value % 1e6 == 0:
        return f"{value / 1e6:g} PB"
    if unit in ("GB", "GB-months") and value >= 1024:
        return f"{value / 1024:g} TB"
    for limit, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if value >= limit:
            return f"{value / limit:g}{suffix} {unit}"
    return f"{value:g} {unit}"
