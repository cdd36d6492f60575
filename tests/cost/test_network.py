import pytest

from purser.config import Config
from purser.cost import estimate, load_usage_file


def test_nat_gateway_costs_730_hours_plus_data_processed(resource, priced, lines):
    nat = resource("module.network.aws_nat_gateway.main", "aws_nat_gateway")
    cost = priced(nat, {"monthly_data_processed_gb": 850})
    assert cost.monthly_cost == pytest.approx(730 * 0.045 + 850 * 0.045)
    hours = lines(cost)["NAT gateway"]
    assert (hours.monthly_quantity, hours.usage_origin) == (730, "fixed")


def test_nat_gateway_costs_more_in_eu_central_1(resource, priced):
    nat = resource("aws_nat_gateway.main", "aws_nat_gateway", region="eu-central-1")
    cost = priced(nat, {"monthly_data_processed_gb": 850})
    assert cost.monthly_cost == pytest.approx(730 * 0.052 + 850 * 0.052)


def test_nat_gateway_without_usage_still_costs_its_hours(resource, priced, lines):
    cost = priced(resource("aws_nat_gateway.main", "aws_nat_gateway"))
    assert cost.monthly_cost == pytest.approx(730 * 0.045)
    processed = lines(cost)["Data processed"]
    assert processed.monthly_cost is None and processed.monthly_quantity is None
    assert processed.unit_price == 0.045 and processed.usage_origin == "unknown"


def test_interface_endpoint_costs_per_az_hour_and_gb(resource, priced):
    endpoint = resource("aws_vpc_endpoint.ecr", "aws_vpc_endpoint",
                        {"vpc_endpoint_type": "Interface", "subnet_ids": ["a", "b", "c"]})
    cost = priced(endpoint, {"monthly_data_processed_gb": 100})
    assert cost.monthly_cost == pytest.approx(3 * 730 * 0.01 + 100 * 0.01)


def test_gateway_endpoint_is_free(resource, estimate_of):
    endpoint = resource("aws_vpc_endpoint.s3", "aws_vpc_endpoint",
                        {"vpc_endpoint_type": "Gateway"})
    result = estimate_of([endpoint])
    assert result.free == ["aws_vpc_endpoint.s3"] and not result.resources


def test_internet_egress_above_10_tb_uses_the_next_tier(resource, priced, lines):
    transfer = resource("aws_data_transfer.us", "aws_data_transfer")
    cost = priced(transfer, {"monthly_outbound_internet_gb": 12_288,
                             "monthly_outbound_other_regions_gb": 100,
                             "monthly_intra_region_gb": 50})
    expected = 10_240 * 0.09 + 2_048 * 0.085 + 100 * 0.02 + 50 * 2 * 0.01
    assert cost.monthly_cost == pytest.approx(expected)
    by = lines(cost)
    assert by["Internet egress (first 10 TB)"].monthly_quantity == 10_240
    assert by["Internet egress (next 40 TB)"].monthly_quantity == 2_048


def test_elastic_ip_costs_its_public_ipv4_hours(resource, priced):
    eip = resource("module.network.aws_eip.nat", "aws_eip", {"domain": "vpc"})
    assert priced(eip).monthly_cost == pytest.approx(730 * 0.005)


TRANSFER_USAGE = """\
version: 0.1
resource_type_default_usage:
  aws_data_transfer: {monthly_intra_region_gb: 7}
resource_usage:
  aws_data_transfer.singapore:
    region: ap-southeast-1
    monthly_outbound_internet_gb: 100
    monthly_outbound_other_regions_gb: 10
    monthly_intra_region_gb: 50
  aws_data_transfer.home:
    monthly_outbound_internet_gb: 20
  'aws_data_transfer.many[*]': {monthly_outbound_internet_gb: 1}
"""


def test_a_data_transfer_usage_entry_is_a_resource_priced_in_its_region(tmp_path):
    path = tmp_path / "usage.yml"
    path.write_text(TRANSFER_USAGE)
    result = estimate([], Config(), usage=load_usage_file(path))
    costs = {r.address: r for r in result.resources}
    # A wildcard entry declares nothing: only the two plain addresses are resources.
    assert sorted(costs) == ["aws_data_transfer.home", "aws_data_transfer.singapore"]
    singapore = costs["aws_data_transfer.singapore"]
    # ap-southeast-1: 100 GB × $0.12 internet + 10 GB × $0.09 to other regions
    # + 50 GB × 2 (billed in and out) × $0.01 across zones = 12.00 + 0.90 + 1.00
    assert singapore.monthly_cost == pytest.approx(13.90)
    assert {line.price.region for line in singapore.components} == {"ap-southeast-1"}
    # No region key: the default region (us-east-1); the type default gives its cross-AZ
    # 7 GB: 20 × $0.09 + 7 × 2 × $0.01 = 1.80 + 0.14
    assert costs["aws_data_transfer.home"].monthly_cost == pytest.approx(1.94)


def test_a_data_transfer_resource_in_the_repository_is_not_declared_twice(tmp_path, resource):
    path = tmp_path / "usage.yml"
    path.write_text(TRANSFER_USAGE)
    written = resource("aws_data_transfer.home", "aws_data_transfer")
    result = estimate([written], Config(), usage=load_usage_file(path))
    assert [r.address for r in result.resources].count("aws_data_transfer.home") == 1
