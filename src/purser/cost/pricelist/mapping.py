"""Which AWS Price List products are which catalog prices: data, one table per offer.

The table lives in `mapping.yaml` beside this module; a new priced meter is a new row
there, not new code. A row matches product attributes with shell-style patterns and names
the catalog entry (key, service, attributes, unit) the matching price dimensions become.
"""

from __future__ import annotations

import re
from fnmatch import fnmatchcase
from functools import lru_cache
from importlib import resources
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from purser.cost.pricelist.offer import attribute_name
from purser.safeyaml import YamlError, load_documents

MAPPING_FILE = "mapping.yaml"
_TEMPLATE = re.compile(r"\{([a-z0-9]+)\}")
#: What a value taken from a product may look like inside a key or an attribute.
SAFE_VALUE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")


class MappingError(ValueError):
    """The mapping table itself is wrong (a bug in purser's data, or in a user's table)."""


class Rule(BaseModel):
    """One catalog price and the products it is read from."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    offer: str = ""  # filled from the block the row sits in
    family: str = ""
    key: str = Field(min_length=1)
    service: str = Field(min_length=1)
    attributes: dict[str, str]
    unit: str = Field(min_length=1)
    aws_unit: str = Field(min_length=1)
    per: float = Field(default=1, gt=0)
    drop_free_tier: bool = False
    match: dict[str, str] = Field(min_length=1)
    exclude: dict[str, str] = Field(default_factory=dict)

    @field_validator("match", "exclude")
    @classmethod
    def _one_spelling(cls, value: dict[str, str]) -> dict[str, str]:
        return {attribute_name(name): str(pattern) for name, pattern in value.items()}

    def matches(self, attributes: dict[str, str] | Any) -> bool:
        if not all(fnmatchcase(attributes.get(name, ""), pattern)
                   for name, pattern in self.match.items()):
            return False
        return not any(fnmatchcase(attributes.get(name, ""), pattern)
                       for name, pattern in self.exclude.items())

    def fill(self, template: str, attributes: dict[str, str] | Any) -> str | None:
        """`template` with `{name}` replaced by the product's attribute; None when the
        product lacks it or its value is not a plain name (a key must stay a key)."""
        values: dict[str, str] = {}
        for name in _TEMPLATE.findall(template):
            value = attributes.get(name, "")
            if not SAFE_VALUE.fullmatch(value):
                return None
            values[name] = value
        return _TEMPLATE.sub(lambda m: values[m.group(1)], template)


class _Offer(BaseModel):
    model_config = ConfigDict(extra="forbid")

    family: str = Field(pattern=r"^[a-z0-9_]+$")
    prices: list[dict[str, Any]] = Field(min_length=1)


def read_mapping(text: str, name: str = MAPPING_FILE) -> list[Rule]:
    """The rules of a mapping table; `MappingError` naming the offer and row when wrong."""
    try:
        documents = load_documents(text)
    except YamlError as exc:
        raise MappingError(f"{name}:{exc.line}: {exc.message}") from None
    offers = documents[0].data.get("offers") if len(documents) == 1 and isinstance(
        documents[0].data, dict) else None
    if not isinstance(offers, dict):
        raise MappingError(f"{name}: expected one mapping with 'offers'")
    rules: list[Rule] = []
    for code, raw in offers.items():
        try:
            block = _Offer.model_validate(raw)
            rules.extend(Rule.model_validate({**row, "offer": str(code), "family": block.family})
                         for row in block.prices)
        except ValidationError as exc:
            error = exc.errors()[0]
            where = ".".join(str(part) for part in error["loc"])
            raise MappingError(f"{name}: offer {code}: {where}: {error['msg']}") from None
    return rules


@lru_cache(maxsize=1)
def builtin_rules() -> tuple[Rule, ...]:
    text = resources.files("purser.cost.pricelist").joinpath(MAPPING_FILE).read_text("utf-8")
    return tuple(read_mapping(text))
