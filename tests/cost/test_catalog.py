import re
from pathlib import Path

import pytest

from purser.cost.catalog import CatalogError, PriceNotFound, load_catalog, split_into_tiers

REGIONS = ("us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-1")

# (service, attributes) that every region must price.
REQUIRED = [
    ("lambda", {"meter": "requests"}),
    ("lambda", {"meter": "duration", "architecture": "x86_64"}),
    ("lambda", {"meter": "duration", "architecture": "arm64"}),
    ("lambda", {"meter": "ephemeral_storage"}),
    ("lambda", {"meter": "provisioned_concurrency", "architecture": "arm64"}),
    ("lambda", {"meter": "provisioned_duration", "architecture": "x86_64"}),
    ("apigateway", {"meter": "requests", "api": "http"}),
    ("apigateway", {"meter": "requests", "api": "rest"}),
    ("apigateway", {"meter": "messages", "api": "websocket"}),
    ("apigateway", {"meter": "connection_minutes", "api": "websocket"}),
    ("dynamodb", {"meter": "write_request_units"}),
    ("dynamodb", {"meter": "read_capacity"}),
    ("dynamodb", {"meter": "pitr_storage"}),
    ("dynamodb", {"meter": "streams_read_request_units"}),
    *[("s3", {"meter": "storage", "storage_class": c}) for c in
      ("STANDARD", "STANDARD_IA", "ONEZONE_IA", "GLACIER_IR", "GLACIER", "DEEP_ARCHIVE")],
    ("s3", {"meter": "storage", "storage_class": "INTELLIGENT_TIERING", "tier": "frequent"}),
    ("s3", {"meter": "put_requests", "storage_class": "STANDARD"}),
    ("s3", {"meter": "get_requests", "storage_class": "STANDARD"}),
    ("sqs", {"meter": "requests", "queue": "fifo"}),
    ("sns", {"meter": "publishes"}),
    ("eventbridge", {"meter": "custom_events"}),
    ("stepfunctions", {"meter": "state_transitions", "workflow": "standard"}),
    ("stepfunctions", {"meter": "duration", "workflow": "express"}),
    ("cloudwatch", {"meter": "log_ingestion"}),
    ("cloudwatch", {"meter": "custom_metrics"}),
    ("nat", {"meter": "hours"}),
    ("vpc_endpoint", {"meter": "hours", "endpoint": "interface"}),
    ("data_transfer", {"meter": "internet_egress"}),
    ("data_transfer", {"meter": "cross_az"}),
    ("fargate", {"meter": "vcpu", "architecture": "arm64"}),
    ("eks", {"meter": "cluster"}),
    ("elb", {"meter": "lcu", "load_balancer": "application"}),
    *[("ec2", {"meter": "instance", "instance_type": t, "os": "linux"}) for t in
      ("t3.micro", "t3a.xlarge", "t4g.medium", "m5.large", "m6i.2xlarge", "m6g.xlarge",
       "m7g.large", "c6i.large", "c7g.large", "r6i.large")],
    ("kms", {"meter": "requests"}),
    ("secretsmanager", {"meter": "secrets"}),
    *[("ebs", {"meter": "storage", "volume_type": t}) for t in
      ("gp3", "gp2", "io1", "io2", "st1", "sc1", "standard")],
    *[("ebs", {"meter": "iops", "volume_type": t}) for t in ("gp3", "io1", "io2")],
    ("ebs", {"meter": "throughput", "volume_type": "gp3"}),
]


def test_builtin_catalog_prices_every_required_service_in_every_region():
    catalog = load_catalog()
    for service, attributes in REQUIRED:
        for region in REGIONS:
            assert catalog.price("aws", service, region, **attributes).usd > 0


def test_every_price_names_its_public_source_page_and_date():
    for price in load_catalog():
        assert price.source.startswith("https://aws.amazon.com/"), price.key
        assert re.fullmatch(r"20\d\d-\d\d-\d\d", price.date), price.key
        assert price.ref.sku == price.key and price.ref.source == price.source


def test_regional_prices_differ_where_aws_charges_differently():
    catalog = load_catalog()
    nat = {r: catalog.price("aws", "nat", r, meter="hours").usd for r in REGIONS}
    assert nat["us-east-1"] == 0.045 and nat["eu-central-1"] == 0.052
    assert nat["ap-southeast-1"] == 0.059
    lambda_gbs = {r: catalog.price("aws", "lambda", r, meter="duration",
                                   architecture="x86_64").usd for r in REGIONS}
    assert set(lambda_gbs.values()) == {0.0000166667}


def test_tiered_price_lists_its_tiers_in_order():
    tiers = load_catalog().tiers("aws", "lambda", "us-east-1", meter="duration",
                                 architecture="x86_64")
    assert [(t.tier_start, t.tier_end, t.usd) for t in tiers] == [
        (0, 6e9, 0.0000166667), (6e9, 15e9, 0.000015), (15e9, None, 0.0000133334)]


def test_lambda_duration_tiers_apply_tier_by_tier():
    tiers = load_catalog().tiers("aws", "lambda", "us-east-1", meter="duration",
                                 architecture="x86_64")
    uses = split_into_tiers(20e9, tiers)
    assert [u.quantity for u in uses] == [6e9, 9e9, 5e9]
    expected = 6e9 * 0.0000166667 + 9e9 * 0.000015 + 5e9 * 0.0000133334
    assert sum(u.cost for u in uses) == pytest.approx(expected)
    below = split_into_tiers(1e9, tiers)
    assert [u.quantity for u in below] == [1e9]


def test_zero_quantity_still_names_the_first_tier():
    tiers = load_catalog().tiers("aws", "s3", "us-east-1", meter="storage",
                                 storage_class="STANDARD")
    uses = split_into_tiers(0, tiers)
    assert len(uses) == 1 and uses[0].price.tier_start == 0 and uses[0].cost == 0


def test_unknown_price_lookup_raises_price_not_found():
    with pytest.raises(PriceNotFound, match="no aws ec2 price in us-east-1"):
        load_catalog().price("aws", "ec2", "us-east-1", meter="instance",
                             instance_type="x9.huge", os="linux")


ENTRY = """\
  - key: {key}
    provider: aws
    service: widget
    region: us-east-1
    attributes: {{meter: hours}}
    unit: hours
    usd: {usd}
    source: https://aws.amazon.com/widget/pricing/
    date: "2026-11-24"
"""


def write_catalog(path: Path, *entries: str) -> Path:
    path.write_text('version: "1"\ncurrency: USD\nprices:\n' + "".join(entries))
    return path


def test_catalog_file_with_a_missing_field_is_refused_naming_file_and_entry(tmp_path):
    entry = ENTRY.format(key="widget.hours", usd=1).replace("    unit: hours\n", "")
    path = write_catalog(tmp_path / "widgets.yaml", entry)
    with pytest.raises(CatalogError) as caught:
        load_catalog([path])
    assert caught.value.file == "widgets.yaml" and caught.value.entry == "widget.hours"
    assert "unit: missing field" in str(caught.value)
    assert caught.value.line == 4


def test_catalog_file_with_a_duplicate_key_is_refused(tmp_path):
    first = write_catalog(tmp_path / "a.yaml", ENTRY.format(key="widget.hours", usd=1))
    second = write_catalog(tmp_path / "b.yaml", ENTRY.format(key="widget.hours", usd=2))
    with pytest.raises(CatalogError) as caught:
        load_catalog([first, second])
    assert caught.value.file == "b.yaml" and caught.value.entry == "widget.hours"
    assert "duplicate key (first defined in a.yaml)" in str(caught.value)


def test_catalog_file_with_a_negative_price_is_refused(tmp_path):
    path = write_catalog(tmp_path / "widgets.yaml", ENTRY.format(key="widget.hours", usd=-0.1))
    with pytest.raises(CatalogError) as caught:
        load_catalog([path])
    assert caught.value.entry == "widget.hours"
    assert "usd" in caught.value.message and "greater than or equal to 0" in caught.value.message


def test_catalog_refuses_two_entries_for_the_same_price(tmp_path):
    path = write_catalog(tmp_path / "widgets.yaml", ENTRY.format(key="widget.a", usd=1),
                         ENTRY.format(key="widget.b", usd=2))
    with pytest.raises(CatalogError, match=r"widget\.b: same price as widget\.a"):
        load_catalog([path])


def test_catalog_file_with_invalid_yaml_names_the_file_and_line(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("version: 1\nprices: [\n")
    with pytest.raises(CatalogError) as caught:
        load_catalog([path])
    assert caught.value.file == "broken.yaml" and caught.value.line > 0


def test_catalog_file_in_another_currency_is_refused(tmp_path):
    path = tmp_path / "eur.yaml"
    path.write_text('version: "1"\ncurrency: EUR\nprices: []\n')
    with pytest.raises(CatalogError, match="only USD"):
        load_catalog([path])


def test_a_valid_custom_catalog_is_loaded_with_its_version(tmp_path):
    path = write_catalog(tmp_path / "widgets.yaml", ENTRY.format(key="widget.hours", usd=0.5))
    catalog = load_catalog([path])
    assert catalog.price("aws", "widget", "us-east-1", meter="hours").usd == 0.5
    assert catalog.versions == {"widgets.yaml": "1"} and len(catalog) == 1
