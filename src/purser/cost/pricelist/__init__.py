"""AWS's Price List bulk offer files, read into purser catalog entries.

    source = PriceListSource("https://pricing.us-east-1.amazonaws.com")  # or a local copy
    result = update_catalog(source, builtin_rules(), services={"lambda"})
    result.prices, result.problems, result.errors
"""

from purser.cost.pricelist.mapping import MappingError, Rule, builtin_rules, read_mapping
from purser.cost.pricelist.offer import Offer, OfferError, Rate, read_offer, read_region_index
from purser.cost.pricelist.source import AWS_PRICE_LIST, PriceListSource, SourceError
from purser.cost.pricelist.update import (
    UpdateResult,
    render_catalog,
    render_catalog_json,
    update_catalog,
    write_catalog_files,
)

__all__ = [
    "AWS_PRICE_LIST",
    "MappingError",
    "Offer",
    "OfferError",
    "PriceListSource",
    "Rate",
    "Rule",
    "SourceError",
    "UpdateResult",
    "builtin_rules",
    "read_mapping",
    "read_offer",
    "read_region_index",
    "render_catalog",
    "render_catalog_json",
    "update_catalog",
    "write_catalog_files",
]
