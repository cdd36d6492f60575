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

from functools import lru_cache
from typing import TYPE_CHECKING

from purser.reconcile.ownership import ADDRESS_TAG, APP_TAG, address_from_tag
from purser.warehouse.bounds import Refused
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

# FOCUS 1.3 defines a second dataset beside cost and usage, Contract Commitment: one row per
# commitment of a contract, no charges. Its columns that cost and usage never carries:
CONTRACT_COMMITMENT = frozenset({
    "ContractCommitmentId", "ContractCommitmentCategory", "ContractCommitmentCost",
    "ContractCommitmentQuantity", "ContractCommitmentUnit", "ContractCommitmentType",
    "ContractCommitmentPeriodStart", "ContractCommitmentPeriodEnd",
    "ContractCommitmentDescription", "ContractPeriodStart", "ContractPeriodEnd",
})


def refuse_other_datasets(header: list[str]) -> None:
    """A FOCUS 1.3 Contract Commitment file is refused as what it is, not as a cost and
    usage file with most of its columns missing."""
    if "ContractCommitmentId" in header and "ChargeCategory" not in header:
        shown = sorted(CONTRACT_COMMITMENT.intersection(header))
        raise Refused(f"a FOCUS 1.3 Contract Commitment dataset ({', '.join(shown[:3])}, ...), "
                      "not a cost and usage dataset: it lists contract commitments, not charges, "
                      "and `purser ingest focus` stores cost and usage only; nothing stored")


def derive(con: DuckDBPyConnection, rows: str) -> str:
    """A query of `rows` (a query of FOCUS's stored columns) with the join columns added.
    The Tags JSON is parsed once per row for all its keys; the ownership address is decoded
    by purser's own function, once per distinct value."""
    paths = ", ".join(f"'$.\"{key}\"'" for key in (APP_TAG, ADDRESS_TAG, *TAG_COLUMNS))
    con.create_function("purser_address", _address, ["VARCHAR"], "VARCHAR",
                        side_effects=False)
    tags = ", ".join(f"purser_tags[{i}] AS {column}"
                     for i, column in enumerate(TAG_COLUMNS.values(), start=3))
    return (f"SELECT * EXCLUDE (purser_tags), purser_tags[1] AS purser_application, "
            f"purser_address(purser_tags[2]) AS purser_address, {tags} "
            f"FROM (SELECT *, json_extract_string(Tags, [{paths}]) AS purser_tags "
            f"FROM ({rows}))")


@lru_cache(maxsize=65536)
def _address(tag: str) -> str:
    return address_from_tag(tag)
