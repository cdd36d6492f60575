"""Price models, one per resource type, looked up by type in the `pricers` registry.

A pricer is a function that reads one resource through a `PricingContext` and adds its
cost lines. Adding none means the resource is free (an IAM role, a subnet); raising
`Unpriceable` puts it in the estimate's unpriced list with the reason. A type without a
pricer is unpriced with "no price model for <type>". One module per service family; a new
priced type is one decorated function in any module of this folder (every module here is
imported), and outside packages add theirs under the `purser.pricers` entry-point group.
"""

from __future__ import annotations

from collections.abc import Callable

from purser.cost.pricers.context import PricingContext, Unpriceable
from purser.registry import Registry

Pricer = Callable[[PricingContext], None]

pricers: Registry[Pricer] = Registry("pricer", "purser.pricers", package=__name__)


def prices(*resource_types: str) -> Callable[[Pricer], Pricer]:
    """Register one pricer for several types (a Terraform type and its CloudFormation twins)."""

    def add(pricer: Pricer) -> Pricer:
        for resource_type in resource_types:
            pricers.register(resource_type)(pricer)
        return pricer

    return add


def load_builtin_pricers() -> dict[str, Pricer]:
    """Every registered pricer, built-in and installed: type → pricer."""
    return dict(pricers.items())


__all__ = [
    "Pricer",
    "PricingContext",
    "Unpriceable",
    "load_builtin_pricers",
    "pricers",
    "prices",
]
