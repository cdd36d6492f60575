import pytest


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
