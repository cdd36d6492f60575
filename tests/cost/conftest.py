"""Shared builders for the cost tests: IR resources, a usage source, one-resource estimates."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import pytest

from purser import kinds
from purser.config import Config
from purser.cost import estimate
from purser.cost.estimate import Estimate, ResourceCost
from purser.model import Resource, SourceRef


class DictUsage:
    """A usage source backed by a dict: address → {usage key: quantity}."""

    def __init__(self, by_address: dict[str, dict[str, float]], origin: str = "usage file"):
        self.by_address = by_address
        self.origin = origin

    def quantities(self, resource: Resource) -> dict[str, float]:
        return dict(self.by_address.get(resource.address, {}))


class TextUsage:
    """A usage file's values for one resource: numbers and words."""

    origin = "usage file"

    def __init__(self, address: str, values: dict[str, Any]):
        self.address, self.values = address, values

    def quantities(self, resource: Resource) -> dict[str, float]:
        if resource.address != self.address:
            return {}
        return {k: float(v) for k, v in self.values.items() if not isinstance(v, str)}

    def texts(self, resource: Resource) -> dict[str, str]:
        if resource.address != self.address:
            return {}
        return {k: v for k, v in self.values.items() if isinstance(v, str)}


def make_resource(address: str, type_: str, attrs: dict[str, Any] | None = None, *,
                  region: str | None = "us-east-1", file: str = "main.tf",
                  tags: dict[str, str] | None = None) -> Resource:
    if type_.startswith("AWS::"):
        provider, fmt = "aws", "cloudformation"
    elif "/" in type_:
        provider, fmt, region = "kubernetes", "kubernetes", None
    else:
        provider, fmt = type_.split("_", 1)[0].replace("azurerm", "azure").replace(
            "google", "gcp"), "terraform"
    resource = Resource(address=address, type=type_, provider=provider,
                        name=address.rsplit(".", 1)[-1].rsplit("/", 1)[-1], format=fmt,
                        region=region, attrs=attrs or {}, tags=tags or {},
                        source=SourceRef(file=file, line=1))
    return kinds.canonicalize(resource)  # as the loader does


@pytest.fixture
def resource() -> Callable[..., Resource]:
    return make_resource


@pytest.fixture
def estimate_of() -> Callable[..., Estimate]:
    def run(resources: Iterable[Resource], usage: dict[str, dict[str, float]] | None = None,
            config: Config | None = None) -> Estimate:
        source = DictUsage(usage) if usage is not None else None
        return estimate(list(resources), config or Config(), usage=source)

    return run


@pytest.fixture
def priced(estimate_of: Callable[..., Estimate]) -> Callable[..., ResourceCost]:
    """Price one resource (others may be given for lookups); fail if it was not priced."""

    def run(target: Resource, usage: dict[str, float] | None = None, *,
            others: Iterable[Resource] = (), config: Config | None = None) -> ResourceCost:
        result = estimate_of([target, *others],
                             {target.address: usage} if usage is not None else None, config)
        assert not [u for u in result.unpriced if u.address == target.address], result.unpriced
        return next(r for r in result.resources if r.address == target.address)

    return run


def by_name(cost: ResourceCost) -> dict[str, Any]:
    return {line.component: line for line in cost.components}


@pytest.fixture
def lines() -> Callable[[ResourceCost], dict[str, Any]]:
    return by_name
