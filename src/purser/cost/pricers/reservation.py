"""Reserved capacity (EC2 instances and dedicated hosts, RDS and Aurora instances, ElastiCache
nodes) as Infracost's usage files describe it: `reserved_instance_type` (standard or
convertible; EC2 instances only), `reserved_instance_term` (1_year, 3_year) and
`reserved_instance_payment_option` (no_upfront, partial_upfront, all_upfront).

A reservation's month is its recurring hourly fee × hours plus its upfront fee spread over
the term's months, each shown on its own line ("Reservation upfront fee, amortised over 36
months"). Infracost shows the recurring fee only (an all-upfront reservation costs $0.00
there); purser never drops the upfront part silently: when the catalog lacks either fee
the caller prices on-demand, an upper bound, and says which fee is missing.
"""

from __future__ import annotations

from dataclasses import dataclass

from purser.cost.catalog import Price
from purser.cost.pricers.context import FIXED, HOURS_PER_MONTH, PricingContext
from purser.cost.pricers.regional import regional_prices
from purser.cost.usage import Quantity

OFFERING_CLASSES = ("standard", "convertible")
TERM_MONTHS = {"1_year": 12, "3_year": 36}
NO_UPFRONT = "no_upfront"
PAYMENT_OPTIONS = (NO_UPFRONT, "partial_upfront", "all_upfront")
LEGACY_PAYMENT_OPTIONS = ("heavy_utilization",)  # ElastiCache's older offerings: not priced
UPFRONT_COMPONENT = "Reservation upfront fee, amortised over"  # how the benchmark finds it


@dataclass(frozen=True)
class Reservation:
    """The terms a usage file gives; a word it leaves out is ''."""

    term: str
    payment: str
    offering_class: str = ""

    @property
    def words(self) -> str:
        return " ".join(w for w in (self.offering_class, self.term, self.payment) if w)

    def attributes(self) -> dict[str, str]:
        """The catalog attributes of its recurring fee (beside the resource's own)."""
        found = {"purchase": "reserved", "term": self.term, "payment": self.payment}
        if self.offering_class:
            found["offering_class"] = self.offering_class
        return found


def reservation(ctx: PricingContext, *, offering_class: bool = False,
                legacy: bool = False) -> Reservation | None:
    """The reservation the usage file names, None when it names none. A word outside the
    allowed ones is reported by `ctx.text` and left out."""
    payments = PAYMENT_OPTIONS + (LEGACY_PAYMENT_OPTIONS if legacy else ())
    term = ctx.text("reserved_instance_term", allowed=tuple(TERM_MONTHS)) or ""
    payment = ctx.text("reserved_instance_payment_option", allowed=payments) or ""
    offering = ctx.text("reserved_instance_type", allowed=OFFERING_CLASSES) or "" \
        if offering_class else ""
    if not (term or payment or offering):
        return None
    return Reservation(term, payment, offering)


def bill_reservation(ctx: PricingContext, component: str, service: str,
                     attributes: dict[str, str], terms: Reservation,
                     units: float = 1) -> str | None:
    """Add the recurring and amortised upfront lines of `units` reservations; return None
    when added, else why the catalog cannot price them. A reservation bills every hour of
    its term, used or not: 730 hours a month each, whatever the resource runs."""
    if terms.term not in TERM_MONTHS or terms.payment not in PAYMENT_OPTIONS:
        return f"reservation {terms.words or 'terms'} incomplete or not priced"
    recurring = regional_prices(ctx, service, **attributes, **terms.attributes())
    upfront = None
    if terms.payment != NO_UPFRONT:
        upfront = regional_prices(ctx, service, **attributes, **terms.attributes(),
                                  fee="upfront")
    missing = ([] if recurring else ["hourly"]) + (
        ["upfront"] if terms.payment != NO_UPFRONT and upfront is None else [])
    if recurring is None or missing:
        return f"reservation {terms.words}: {' and '.join(missing)} fee not in the catalog"
    ctx.fixed(f"{component} (reserved {terms.words}): recurring fee", recurring,
              units * HOURS_PER_MONTH)
    if upfront is not None:
        _amortise(ctx, upfront, terms, units)
    return None


def _amortise(ctx: PricingContext, upfront: list[Price], terms: Reservation,
              units: float) -> None:
    months = TERM_MONTHS[terms.term]
    each = "" if units == 1 else f", {units:g} reservations"
    ctx.add(f"{UPFRONT_COMPONENT} {months} months{each}", upfront,
            Quantity(units / months, FIXED))


def on_demand_note(why: str | None) -> str:
    """What an on-demand line says when a reservation could not be priced."""
    return f"; {why}: on-demand, an upper bound" if why else ""
