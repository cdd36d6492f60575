"""FOCUS billing (FinOps Open Cost and Usage Specification), versions 1.0 to 1.3.

Rows are stored under the FOCUS 1.3 column names, one name per concept: a 1.0–1.2
`ProviderName` becomes `ServiceProviderName` (its 1.3 replacement); when a 1.3 file still
carries the deprecated column beside the new one, the new one is read. `PublisherName`,
deprecated in 1.3 without a one-to-one replacement, is kept as it is written;
`InvoiceIssuerName` is unchanged in 1.3. Columns outside this set (provider `x_` columns,
1.3's split-cost-allocation set) are not stored.

Beside them, columns derived for joins: `purser_application` and `purser_address` from the
ownership tags the reconciler writes, and `team`, `env` and `cost_center` from the tags of
those names (purser.yaml's usual `required_tags`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from purser.reconcile.ownership import ADDRESS_TAG, APP_TAG, address_from_tag
from purser.warehouse.dataset import Dataset

if TYPE_CHECKING:
    from duckdb import DuckDBPyConnection

COSTS = ("BilledCost", "EffectiveCost", "ListCost", "ContractedCost")
PERIODS = ("BillingPeriodStart", "BillingPeriodEnd", "ChargePeriodStart", "ChargePeriodEnd")
NUMBERS = ("ListUnitPrice", "ContractedUnitPrice", "PricingQuantity", "ConsumedQuantity",
           "CommitmentDiscountQuantity")
TEXT = (
    "BillingAccountId", "BillingAccountName", "BillingAccountType", "SubAccountId",
    "SubAccountName", "SubAccountType", "BillingCurrency", "ChargeCategory", "ChargeClass",
    "ChargeDescription", "ChargeFrequency", "PricingCategory", "PricingUnit", "PricingCurrency",
    "ConsumedUnit", "ServiceProviderName", "HostProviderName", "PublisherName",
    "InvoiceIssuerName", "InvoiceId", "ServiceName", "ServiceCategory", "ServiceSubcategory",
    "SkuId", "SkuMeter", "SkuPriceId", "SkuPriceDetails", "ResourceId", "ResourceName",
    "ResourceType", "RegionId", "RegionName", "AvailabilityZone", "CommitmentDiscountId",
    "CommitmentDiscountName", "CommitmentDiscountCategory", "CommitmentDiscountType",
    "CommitmentDiscountStatus", "CommitmentDiscountUnit", "CapacityReservationId",
    "CapacityReservationStatus",
)

FOCUS = Dataset(
    name="billing",
    columns={
        **dict.fromkeys(COSTS + NUMBERS, "DOUBLE"),
        **dict.fromkeys(PERIODS, "TIMESTAMP"),
        **dict.fromkeys(TEXT, "VARCHAR"),
        "Tags": "JSON",  # a JSON object of key -> value
    },
    stored_as={"Tags": "VARCHAR"},
    # Mandatory in every version from 1.0 to 1.3 and needed to allocate spend.
    required=frozenset({*COSTS, *PERIODS, "BillingAccountId", "BillingCurrency",
                        "ChargeCategory", "ServiceName", "ServiceProviderName"}),
    # Costs summed as spend, and the periods rows are placed by; real exports leave
    # ListCost and ContractedCost empty at times (7 rows of the FOCUS 1.0 sample).
    not_null=frozenset({"BilledCost", "EffectiveCost", *PERIODS}),
    aliases={"ProviderName": "ServiceProviderName"},
    month_of="BillingPeriodStart",
)

# Tag keys whose values get a column of their own: key -> column.
TAG_COLUMNS = {"team": "team", "env": "env", "cost-center": "cost_center"}
DERIVED = ("purser_application", "purser_address", *TAG_COLUMNS.values())


def derive(con: DuckDBPyConnection, staged: str) -> str:
    """A view of the staged rows with the join columns added; its name. A view, so that the
    rows are read once more only, by the Parquet writer."""
    def tag(key: str) -> str:
        return f"json_extract_string(Tags, '$.\"{key}\"')"

    # Few distinct resources: decode each written address once, in Python, then join.
    written = [row[0] for row in con.execute(
        f"SELECT DISTINCT {tag(ADDRESS_TAG)} FROM {staged} WHERE Tags IS NOT NULL").fetchall()
        if row[0] is not None]
    con.execute("CREATE TEMP TABLE addresses (address_tag VARCHAR, purser_address VARCHAR)")
    if written:
        con.executemany("INSERT INTO addresses VALUES (?, ?)",
                        [[value, address_from_tag(value)] for value in written])
    keep = ", ".join(f's."{c}"' for c in FOCUS.columns)
    tags = ", ".join(f"{tag(key)} AS {column}" for key, column in TAG_COLUMNS.items())
    address = "a.purser_address" if written else "CAST(NULL AS VARCHAR)"
    join = f" LEFT JOIN addresses a ON a.address_tag = {tag(ADDRESS_TAG)}" if written else ""
    con.execute(f"CREATE TEMP VIEW derived AS SELECT {keep}, {tag(APP_TAG)} AS "
                f"purser_application, {address} AS purser_address, {tags} "
                f"FROM {staged} s{join}")
    return "derived"
