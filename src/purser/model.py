"""The intermediate representation every layer reads: resources, findings, cost lines.

Every source format is parsed into `Resource`; policies, cost, reconcile and the
dashboard read only these types, never a parser's own shapes.
"""

from __future__ import annotations

import math
from enum import StrEnum
from functools import lru_cache
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from purser.identity import ResourceId, parse_address
from purser.provenance import Origins, Spans


class Severity(StrEnum):
    info = "info"
    low = "low"
    medium = "medium"
    high = "high"
    critical = "critical"

    @property
    def rank(self) -> int:
        return _SEVERITY_RANK[self]

    def at_least(self, other: Severity) -> bool:
        return self.rank >= other.rank


_SEVERITY_RANK = {severity: rank for rank, severity in enumerate(Severity)}


class Category(StrEnum):
    security = "security"
    finops = "finops"
    compliance = "compliance"
    responsible_ai = "responsible-ai"
    supply_chain = "supply-chain"
    reliability = "reliability"


class SourceRef(BaseModel):
    """Where something was written: a repository-relative POSIX path and a 1-based line."""

    model_config = ConfigDict(frozen=True)

    file: str
    line: int = 0
    end_line: int = 0  # last line of the block, when the format tells it

    def __str__(self) -> str:
        return f"{self.file}:{self.line}" if self.line else self.file


class Ref(BaseModel):
    """A reference to another resource's attribute, resolved by the reconciler at apply time."""

    model_config = ConfigDict(frozen=True)

    address: str
    attribute: str = ""

    def __str__(self) -> str:
        return f"${{{self.address}.{self.attribute}}}" if self.attribute else f"${{{self.address}}}"


class Resource(BaseModel):
    """One desired resource, whatever format it was written in.

    `attrs` holds evaluated values. Terraform nested blocks are lists of dicts (as in
    `terraform show -json`); Kubernetes resources keep the whole manifest; CloudFormation
    resources keep `Properties`. `unknown` lists dotted attribute paths whose value cannot
    be known statically: they are absent from `attrs`, and rules must not treat them as
    missing (use `missing()`).

    `id` is the resource's structured identity and `address` the string derived from it
    (see `purser.identity`: a public contract). Sources give the id; a resource built by
    hand may give the address alone, and its id is read back from it.

    A resource's values (`attrs`, `tags`, `unknown`, ...) are read-only: the sources hand
    out copies of remembered resources that share them (a re-check after one edit builds
    nothing again), so code that needs different values sets a field to new ones instead
    of writing into the old.
    """

    id: ResourceId | None = None
    address: str = ""
    type: str
    provider: str
    name: str
    format: str = ""
    kind: str = ""  # canonical kind from the type table (purser.kinds); "" when it has none
    region: str | None = None
    attrs: dict[str, Any] = Field(default_factory=dict)
    depends_on: list[str] = Field(default_factory=list)
    tags: dict[str, str] = Field(default_factory=dict)
    annotations: dict[str, str] = Field(default_factory=dict)
    source: SourceRef
    unknown: list[str] = Field(default_factory=list)
    spans: Spans = Field(default_factory=dict)  # per attribute path: see purser.provenance
    origins: Origins = Field(default_factory=dict)

    def model_post_init(self, context: Any, /) -> None:
        """The address from the id, or the id read back from a written address. (Not a
        model validator, and written through __dict__: both would cost a large load.)"""
        fields = self.__dict__
        if fields["id"] is not None:
            address = fields["id"].address
            if fields["address"] and fields["address"] != address:
                raise ValueError(f"address {fields['address']!r} is not the id's {address!r}")
            fields["address"] = address
        elif fields["address"]:
            fields["id"] = parse_address(fields["address"])
        else:
            raise ValueError("a resource needs an id or an address")

    @property
    def caller(self) -> str:
        """`apps/a → module.lambda` for a resource of a shared module; "" otherwise."""
        return self.id.caller if self.id is not None else ""

    def get(self, path: str, default: Any = None) -> Any:
        """Read a dotted path; single-element lists (Terraform blocks) are stepped through."""
        return dig(self.attrs, path, default)

    def is_unknown(self, path: str) -> bool:
        """True when `path` or one of its parents could not be evaluated statically."""
        if not self.unknown:
            return False
        return any(path == u or path.startswith(u + ".") or u.startswith(path + ".")
                   for u in self.unknown)

    def missing(self, path: str) -> bool:
        """True only when `path` is absent or empty and was not merely unknown."""
        value = self.get(path)
        return value in (None, "", [], {}) and not self.is_unknown(path)


_MISSING = object()


@lru_cache(maxsize=4096)
def _steps(path: str) -> tuple[str, ...]:
    return tuple(path.split(".")) if path else ()


def dig(value: Any, path: str, default: Any = None) -> Any:
    """Walk `a.b.0.c` through dicts and lists; a one-element list is stepped through."""
    for key in _steps(path):  # rules read the same few paths millions of times
        if isinstance(value, dict):
            value = value.get(key, _MISSING)
        elif isinstance(value, list):
            if key.isdigit():
                index = int(key)
                value = value[index] if index < len(value) else _MISSING
            elif len(value) == 1 and isinstance(value[0], dict):
                value = value[0].get(key, _MISSING)
            else:
                return default
        else:
            return default
        if value is _MISSING:
            return default
    return value


def number(value: Any, default: float | None = None) -> float | None:
    """An attribute as a number: ints, floats and numeric strings such as "512" count;
    booleans, references, words and non-finite values do not."""
    if isinstance(value, bool):
        return default
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            parsed = float(value)
        except ValueError:
            return default
        return parsed if math.isfinite(parsed) else default
    return default


class SourceError(BaseModel):
    """A file that could not be read: reported once, with file and line, while the rest goes on."""

    file: str
    line: int = 0
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.message}"


class Finding(BaseModel):
    rule_id: str
    title: str = ""
    severity: Severity
    category: Category
    resource: str
    message: str
    remediation: str = ""
    source: SourceRef
    evidence: dict[str, Any] = Field(default_factory=dict)
    frameworks: list[str] = Field(default_factory=list)
    origin: str = "purser"  # purser | rego | checkov

    @property
    def caller(self) -> str:
        """The root and module calls through which a shared module's resource was reached
        (`apps/a → module.lambda`), read from the resource's address; "" when there are none."""
        found = parse_address(self.resource)
        return found.caller if found is not None else ""

    @property
    def where(self) -> str:
        """`file:line`, then `via CALLER` for a resource of a shared module: one place in
        the module's file is as many findings as the module has callers."""
        caller = self.caller
        return f"{self.source} via {caller}" if caller else str(self.source)

    @property
    def key(self) -> tuple[str, str]:
        return (self.rule_id, self.resource)


class PriceRef(BaseModel):
    """Where a unit price came from."""

    sku: str
    region: str
    source: str
    date: str


class CostLine(BaseModel):
    """One cost component of one resource; `monthly_cost` is None while usage is unknown."""

    resource: str
    component: str
    unit: str
    monthly_quantity: float | None
    unit_price: float
    monthly_cost: float | None
    price: PriceRef
    usage_origin: str  # usage file | telemetry | default | fixed | unknown
