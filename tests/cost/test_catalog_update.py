"""`purser catalog update` on small excerpts of AWS's Price List (tests/cost/pricelist/),
written by hand in AWS's published JSON and CSV layouts; no network."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from purser.cli import app
from purser.cost.catalog import CatalogError, load_catalog, split_into_tiers
from purser.cost.pricelist import (
    MappingError,
    PriceListSource,
    SourceError,
    builtin_rules,
    read_mapping,
    read_offer,
    update_catalog,
    write_catalog_files,
)
from purser.cost.pricelist.offer import OfferError

EXCERPTS = Path(__file__).parent / "pricelist"
AWS = "https://pricing.us-east-1.amazonaws.com"
LAMBDA_OHIO = "/offers/v1.0/aws/AWSLambda/20250617165738/us-east-2/index.json"
DDB = "/offers/v1.0/aws/AmazonDynamoDB/20250613203017"
runner = CliRunner()


def _update(folder: Path = EXCERPTS, **options):  # type: ignore[no-untyped-def]
    return update_catalog(PriceListSource(str(folder)), builtin_rules(), **options)


def _by_key(result) -> dict:  # type: ignore[no-untyped-def]
    return {price.key: price for price in result.prices}


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    """A writable copy of the excerpts, for tests that spoil one file."""
    target = tmp_path / "pricelist"
    shutil.copytree(EXCERPTS, target)
    return target


def test_lambda_offer_becomes_catalog_entries_in_catalog_units_with_its_tiers():
    prices = _by_key(_update(services=["lambda"]))
    requests = prices["aws.lambda.us-east-2.requests"]
    # AWS: $0.0000002000 per Request → 0.0000002 × 1,000,000 = $0.20 per 1M requests.
    assert (requests.unit, requests.usd) == ("1M requests", 0.2)
    assert (requests.tier_start, requests.tier_end) == (0, None)
    assert requests.source == AWS + LAMBDA_OHIO
    assert requests.date == "2025-06-17"
    tiers = [prices[f"aws.lambda.us-east-2.duration.x86_64.tier{n}"] for n in (1, 2, 3)]
    assert [(t.tier_start, t.tier_end, t.usd) for t in tiers] == [
        (0, 6e9, 0.0000166667), (6e9, 15e9, 0.000015), (15e9, None, 0.0000133334)]
    arm = prices["aws.lambda.us-east-2.duration.arm64.tier2"]
    assert (arm.tier_start, arm.tier_end, arm.usd) == (7.5e9, 18.75e9, 0.0000120001)
    assert prices["aws.lambda.us-east-2.ephemeral_storage"].usd == 0.0000000309


def test_products_of_other_groups_regions_and_free_tiers_are_not_read_as_prices():
    result = _update(services=["lambda"])
    # Lambda@Edge has its own group; the free tier ("Global-Request", location "Any") and
    # GovCloud (us-gov-west-1 in the region index) are no commercial region's list price.
    assert len(result.prices) == 8
    assert {price.region for price in result.prices} == {"us-east-2"}
    assert all(price.usd != 0.00005001 for price in result.prices)
    assert result.errors == [] and result.problems == []


def test_json_and_csv_offers_give_the_same_entries():
    from_json = _update(services=["dynamodb"])
    from_csv = _update(services=["dynamodb"], csv=True)
    assert len(from_json.prices) == 14  # 7 prices in us-east-2 and af-south-1
    assert [(p.key, p.usd, p.tier_start, p.unit) for p in from_json.prices] == \
        [(p.key, p.usd, p.tier_start, p.unit) for p in from_csv.prices]
    assert from_csv.prices[0].source.endswith("/af-south-1/index.csv")
    assert from_csv.errors == [] and from_csv.problems == []  # the Reserved row is not read


def test_a_free_tier_written_as_a_zero_first_tier_is_dropped_not_deducted():
    prices = _by_key(_update(services=["dynamodb"]))
    # AWS: 0–18,600 WCU-hours at $0, then $0.00065; the catalog never deducts free tiers.
    wcu = prices["aws.dynamodb.us-east-2.write_capacity"]
    assert (wcu.usd, wcu.tier_start, wcu.tier_end) == (0.00065, 0, None)
    assert prices["aws.dynamodb.af-south-1.storage"].usd == 0.33677
    # The Standard-IA storage product is a different price, excluded by its usage type.
    assert prices["aws.dynamodb.us-east-2.storage"].usd == 0.25


def test_service_and_region_options_choose_what_is_read():
    result = _update(services=["AmazonDynamoDB"], regions=["af-south-1"])
    assert {(p.service, p.region) for p in result.prices} == {("dynamodb", "af-south-1")}
    assert result.regions_read == {"AmazonDynamoDB": ["af-south-1"]}


def test_written_files_load_as_a_catalog_and_price_by_their_tiers(tmp_path: Path):
    result = _update()
    files = write_catalog_files(result.prices, result.families, tmp_path, version="2025-06-17")
    assert sorted(f.name for f in files) == ["dynamodb.yaml", "lambda.yaml"]
    catalog = load_catalog(files)
    tiers = catalog.tiers("aws", "lambda", "us-east-2", meter="duration", architecture="x86_64")
    # 7 B GB-seconds: 6 B × $0.0000166667 + 1 B × $0.000015 = $100,000.20 + $15,000.
    assert sum(use.cost for use in split_into_tiers(7e9, tiers)) == pytest.approx(115_000.2)
    assert catalog.price("aws", "dynamodb", "af-south-1",
                         meter="write_request_units").usd == 0.84
    assert catalog.by_key("aws.dynamodb.us-east-2.read_capacity").date == "2025-06-13"


def test_cli_update_writes_the_files_and_says_what_it_read(tmp_path: Path):
    done = runner.invoke(app, ["catalog", "update", "--from", str(EXCERPTS),
                               "--out", str(tmp_path), "--service", "lambda"])
    assert done.exit_code == 0, done.output
    assert "8 prices in 1 regions from 1 offers" in done.output
    text = (tmp_path / "lambda.yaml").read_text()
    assert "key: aws.lambda.us-east-2.duration.arm64.tier3" in text
    assert 'date: "2025-06-17"' in text
    done = runner.invoke(app, ["catalog", "update", "--from", str(EXCERPTS), "--json",
                               "--out", str(tmp_path), "--service", "dynamodb", "--csv"])
    assert done.exit_code == 0, done.output
    assert len(load_catalog([tmp_path / "dynamodb.json"])) == 14


def test_cli_update_refuses_an_unknown_service_and_a_plain_http_address(tmp_path: Path):
    done = runner.invoke(app, ["catalog", "update", "--from", str(EXCERPTS),
                               "--out", str(tmp_path), "--service", "mainframe"])
    assert done.exit_code == 2 and "no mapping for mainframe" in done.output
    done = runner.invoke(app, ["catalog", "update", "--from", "http://example.com",
                               "--out", str(tmp_path)])
    assert done.exit_code == 2 and "only https://" in done.output


def test_cli_show_lists_priced_and_unpriced_regions():
    done = runner.invoke(app, ["catalog", "show", "--service", "lambda", "--json"])
    assert done.exit_code == 0, done.output
    coverage = json.loads(done.output)["lambda"]
    assert "us-east-1" in coverage["priced"]
    assert not set(coverage["priced"]) & set(coverage["unpriced"])
    done = runner.invoke(app, ["catalog", "show", "--service", "lambda", "--region",
                               "us-east-1", "--json"])
    assert any(row["key"] == "aws.lambda.us-east-1.requests" for row in json.loads(done.output))


# Hostile input: every file of a Price List copy may have been tampered with.

def _write(folder: Path, path: str, text: str) -> None:
    target = folder / path.lstrip("/")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text)


def _index(folder: Path, offer: str, url: str) -> None:
    _write(folder, f"/offers/v1.0/aws/{offer}/current/region_index.json", json.dumps(
        {"regions": {"us-east-2": {"regionCode": "us-east-2", "currentVersionUrl": url}}}))


@pytest.mark.parametrize("url", ["/offers/v1.0/aws/AWSLambda/../../../../etc/passwd.json",
                                 "../../etc/passwd", "https://evil.example/x.json",
                                 "/offers/v1.0/aws/AWSLambda/x/index.exe"])
def test_a_region_index_cannot_point_outside_the_price_list(copy: Path, url: str):
    _index(copy, "AWSLambda", url)
    result = _update(copy)
    assert any("not a Price List path" in error for error in result.errors)
    assert {p.service for p in result.prices} == {"dynamodb"}  # the other offer still read


def test_a_symlink_out_of_the_copy_is_refused(copy: Path, tmp_path: Path):
    secret = tmp_path / "secret.json"
    secret.write_text("{}")
    target = copy / LAMBDA_OHIO.lstrip("/")
    target.unlink()
    target.symlink_to(secret)
    assert any(LAMBDA_OHIO in error for error in _update(copy).errors)


def test_a_file_that_is_not_an_offer_is_an_error_naming_it(copy: Path):
    _write(copy, LAMBDA_OHIO, '{"products": {"A": {}}, "products": {}}')
    errors = _update(copy, services=["lambda"]).errors
    assert len(errors) == 1 and errors[0].startswith(LAMBDA_OHIO)
    assert "duplicate key 'products'" in errors[0]
    for data, message in [(b"[1, 2]", "expected a JSON object"),
                          (b'{"products": []}', "expected 'products' and 'terms'"),
                          (b"\xff\xfe\x00", "not UTF-8"), (b"SKU,Unit\n1,2\n", "metadata lines"),
                          (b'"FormatVersion","v1.0"\n' * 5 + b"SKU\n", "metadata lines")]:
        with pytest.raises(OfferError, match=message):
            read_offer(data, "x.json")


def test_an_oversized_file_is_not_read(copy: Path):
    source = PriceListSource(str(copy), max_bytes=1000)
    with pytest.raises(SourceError, match="above the 1000 byte limit"):
        source.read(LAMBDA_OHIO)


def _spoil(copy: Path, old: str, new: str, path: str = LAMBDA_OHIO) -> None:
    file = copy / path.lstrip("/")
    text = file.read_text()
    assert old in text
    file.write_text(text.replace(old, new, 1))


@pytest.mark.parametrize("bad", ['"abc"', '"-0.5"', '"NaN"', '"1e400"', "null", "[]"])
def test_a_bad_price_skips_that_price_and_says_which(copy: Path, bad: str):
    _spoil(copy, '"USD" : "0.0000002000"', f'"USD" : {bad}')
    result = _update(copy, services=["lambda"])
    assert "aws.lambda.us-east-2.requests" not in _by_key(result)
    assert "aws.lambda.us-east-2.duration.x86_64.tier1" in _by_key(result)
    assert any("R1AAAAAAAAAAAAAA" in p and "not a USD amount" in p for p in result.problems)


def test_a_range_that_ends_before_it_starts_is_skipped(copy: Path):
    _spoil(copy, '"endRange" : "15000000000"', '"endRange" : "100"')
    result = _update(copy, services=["lambda"])
    assert any("ends where it starts" in problem for problem in result.problems)
    # Without its middle tier the others would price 6–15 B GB-seconds at nothing.
    assert any("without a gap" in problem for problem in result.problems)
    assert not any(".duration.x86_64" in key for key in _by_key(result))
    assert "aws.lambda.us-east-2.duration.arm64.tier2" in _by_key(result)


def test_an_unexpected_unit_leaves_the_entry_unpriced(copy: Path):
    _spoil(copy, '"unit" : "Request"', '"unit" : "Lambda-GB-Second"')
    result = _update(copy, services=["lambda"])
    assert "aws.lambda.us-east-2.requests" not in _by_key(result)
    assert any("expected 'Request'" in problem for problem in result.problems)


def test_two_skus_with_different_prices_for_one_entry_leave_it_unpriced(copy: Path):
    path = copy / LAMBDA_OHIO.lstrip("/")
    offer = json.loads(path.read_text())
    offer["products"]["R2AAAAAAAAAAAAAA"] = {**offer["products"]["R1AAAAAAAAAAAAAA"],
                                             "sku": "R2AAAAAAAAAAAAAA"}
    term = json.loads(json.dumps(offer["terms"]["OnDemand"]["R1AAAAAAAAAAAAAA"]))
    next(iter(next(iter(term.values()))["priceDimensions"].values()))["pricePerUnit"] = \
        {"USD": "0.0000009"}
    offer["terms"]["OnDemand"]["R2AAAAAAAAAAAAAA"] = term
    path.write_text(json.dumps(offer))
    result = _update(copy, services=["lambda"])
    assert "aws.lambda.us-east-2.requests" not in _by_key(result)
    assert any("different prices for one tier" in problem for problem in result.problems)


def test_a_value_copied_into_a_key_must_be_a_plain_name(tmp_path: Path):
    offer = {"offerCode": "AmazonEC2", "publicationDate": "2025-06-18T00:00:00Z",
             "products": {}, "terms": {"OnDemand": {}}}
    for sku, instance in [("GOODSKU", "m5.large"), ("BADSKU", "m5.large: {x}\nusd: 0")]:
        offer["products"][sku] = {"sku": sku, "productFamily": "Compute Instance",
                                  "attributes": {"regionCode": "us-east-2",
                                                 "instanceType": instance,
                                                 "operatingSystem": "Linux",
                                                 "tenancy": "Shared", "preInstalledSw": "NA",
                                                 "licenseModel": "No License required",
                                                 "capacitystatus": "Used"}}
        offer["terms"]["OnDemand"][sku] = {f"{sku}.T": {"priceDimensions": {f"{sku}.T.R": {
            "unit": "Hrs", "beginRange": "0", "endRange": "Inf",
            "pricePerUnit": {"USD": "0.096"}}}}}
    _index(tmp_path, "AmazonEC2", "/offers/v1.0/aws/AmazonEC2/1/us-east-2/index.json")
    _write(tmp_path, "/offers/v1.0/aws/AmazonEC2/1/us-east-2/index.json", json.dumps(offer))
    result = _update(tmp_path, services=["ec2"])
    assert [p.key for p in result.prices] == ["aws.ec2.us-east-2.instance.m5.large.linux"]
    assert result.prices[0].attributes == {"meter": "instance", "instance_type": "m5.large",
                                           "os": "linux"}
    assert any("BADSKU" in problem and "not a plain name" in problem
               for problem in result.problems)


def test_an_offer_file_of_another_offer_is_refused(copy: Path):
    _spoil(copy, '"offerCode" : "AWSLambda"', '"offerCode" : "AmazonEC2"')
    assert any("expected AWSLambda" in error for error in _update(copy).errors)


def test_an_unreachable_https_address_is_an_error_not_a_traceback():
    source = PriceListSource("https://127.0.0.1:9", timeout=5)
    with pytest.raises(SourceError, match="cannot download"):
        source.read("/offers/v1.0/aws/AWSLambda/current/region_index.json")


def test_a_wrong_mapping_row_names_its_offer():
    with pytest.raises(MappingError, match=r"offer AWSLambda: .*unit"):
        read_mapping("offers:\n  AWSLambda:\n    family: lambda\n    prices:\n"
                     "      - {key: x, service: lambda, attributes: {}, aws_unit: Hrs,"
                     " match: {group: g}}\n")


def test_a_region_file_repeating_a_key_of_another_catalog_file_is_an_error(tmp_path: Path):
    first, second = tmp_path / "lambda.yaml", tmp_path / "lambda.regions.yaml"
    entry = ("  - {key: aws.lambda.us-east-2.requests, provider: aws, service: lambda, "
             "region: us-east-2, attributes: {meter: requests}, unit: 1M requests, usd: 0.2, "
             "source: https://aws.amazon.com/lambda/pricing/, date: '2025-06-17'}\n")
    for file in (first, second):
        file.write_text(f"version: '1'\ncurrency: USD\nprices:\n{entry}")
    with pytest.raises(CatalogError, match=r"duplicate key \(first defined in lambda.yaml"):
        load_catalog([first, second])


def test_a_json_catalog_file_loads_like_a_yaml_one(tmp_path: Path):
    result = _update(services=["lambda"])
    files = write_catalog_files(result.prices, result.families, tmp_path, version="1",
                                header="about\nthese", as_json=True)
    assert [f.name for f in files] == ["lambda.json"]
    from_json = load_catalog(files)
    yaml_files = write_catalog_files(result.prices, result.families, tmp_path / "y",
                                     version="1")
    assert list(from_json) == list(load_catalog(yaml_files))
    (tmp_path / "bad.json").write_text('{"version": "1", "currency": "USD", "prices": [{}]}')
    with pytest.raises(CatalogError, match=r"bad.json: entry 1: .*missing field"):
        load_catalog([tmp_path / "bad.json"])


# The built-in catalog's generated region files (scripts/pricewatcher_regions.py).

SERVERLESS_CORE = [("lambda", {"meter": "requests"}),
                   ("lambda", {"meter": "duration", "architecture": "arm64"}),
                   ("dynamodb", {"meter": "write_request_units"}),
                   ("dynamodb", {"meter": "write_capacity"}),
                   ("sqs", {"meter": "requests", "queue": "standard"}),
                   ("sns", {"meter": "publishes"}),
                   ("stepfunctions", {"meter": "state_transitions", "workflow": "standard"}),
                   ("cloudwatch", {"meter": "log_ingestion"}),
                   ("s3", {"meter": "storage", "storage_class": "STANDARD"}),
                   ("apigateway", {"meter": "requests", "api": "rest"}),
                   ("fargate", {"meter": "vcpu", "architecture": "x86_64"}),
                   ("data_transfer", {"meter": "internet_egress"})]


@pytest.mark.parametrize(("service", "attributes"), SERVERLESS_CORE)
def test_the_serverless_core_is_priced_in_every_commercial_region_but_the_newest(
        service: str, attributes: dict[str, str]):
    from purser.cost.regions import COMMERCIAL_REGIONS

    catalog = load_catalog()
    unpriced = {region for region in COMMERCIAL_REGIONS
                if not any(p.service == service and p.region == region
                           and p.attributes == attributes for p in catalog)}
    # Auckland (ap-southeast-6) opened after the June 2025 data the region files hold.
    assert unpriced == {"ap-southeast-6"}


def test_region_files_agree_with_infracost_fixtures_outside_the_hand_entered_regions():
    catalog = load_catalog()
    # dynamodb_table_test (us-east-2): 3,000,000 WRUs → $1.88 (3 × $0.625 = $1.875);
    # 20 WCU → $9.49 (20 × 730 h × $0.00065 = $9.49); 230 GB → $57.50 (230 × $0.25).
    ohio = {m: catalog.price("aws", "dynamodb", "us-east-2", meter=m).usd
            for m in ("write_request_units", "write_capacity", "storage")}
    assert ohio == {"write_request_units": 0.625, "write_capacity": 0.00065, "storage": 0.25}
    assert round(20 * 730 * ohio["write_capacity"], 2) == 9.49
    # Every generated entry cites an AWS pricing page and the date AWS published the data.
    generated = [p for p in catalog if p.source.startswith("https://aws.amazon.com/")
                 and p.date.startswith("2025-06")]
    assert len(generated) > 2500


def test_region_files_keep_the_units_and_tiers_of_the_hand_entered_us_east_1_entries():
    from collections import defaultdict

    from purser.cost.catalog import _builtin_paths

    paths = _builtin_paths()
    hand = load_catalog([path for path in paths if ".regions." not in path.name])
    generated = load_catalog([path for path in paths if ".regions." in path.name])
    lookups: dict[tuple, list] = defaultdict(list)
    for price in generated:
        lookups[(price.service, price.region, tuple(sorted(price.attributes.items())))].append(
            price)
    # AWS's interface endpoint data tiers end at 1,048,576 and 5,242,880 GB; the hand-entered
    # keep 1 M and 5 M, where Infracost's vpc_endpoint fixture splits. Left until settled.
    corrected = {("vpc_endpoint", (("endpoint", "interface"), ("meter", "data_processed")))}
    for (service, region, attributes), prices in lookups.items():
        if (service, attributes) in corrected:
            continue
        reference = hand.tiers("aws", service, "us-east-1", **dict(attributes))
        layout = sorted((p.unit, p.tier_start, p.tier_end) for p in prices)
        assert layout == [(p.unit, p.tier_start, p.tier_end) for p in reference], (
            f"{service} {dict(attributes)} in {region}: the region files differ from the "
            "hand-entered us-east-1 entry; regenerate them with scripts/pricewatcher_regions.py")
