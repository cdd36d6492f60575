"""Cost: a versioned price catalog, usage profiles, per-type pricers and the monthly estimate.

    from purser.cost import estimate, load_usage_file
    result = estimate(resources, config, usage=load_usage_file(Path("usage.yml")))
    result.total_monthly_cost, result.resources[0].components, result.unpriced
"""

from purser.cost.catalog import Catalog, CatalogError, Price, load_catalog
from purser.cost.estimate import Estimate, ResourceCost, Unpriced, estimate
from purser.cost.usage import LayeredUsage, UsageError, UsageFile, UsageSource, load_usage_file

__all__ = [
    "Catalog",
    "CatalogError",
    "Estimate",
    "LayeredUsage",
    "Price",
    "ResourceCost",
    "Unpriced",
    "UsageError",
    "UsageFile",
    "UsageSource",
    "estimate",
    "load_catalog",
    "load_usage_file",
]
