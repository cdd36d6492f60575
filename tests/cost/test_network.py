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


def unknown(resource_, *paths: str):
    """The resource with `paths` not known statically (a variable without a value)."""
    return resource_.model_copy(update={"unknown": list(paths)})


# Infracost's lb fixture usage: LCU-hours are the largest of new_connections / 100,
# active_connections / 3,000, processed_bytes_gb / 1 and (ALB) rule_evaluations / 1,000.
LB_USAGE = {"new_connections": 10_000, "active_connections": 1_000,
            "processed_bytes_gb": 1_000, "rule_evaluations": 300}


def test_application_load_balancer_pays_the_largest_dimension_in_lcu_hours(
        resource, priced, lines):
    alb = resource("aws_lb.alb1_usage", "aws_lb", {"load_balancer_type": "application"})
    cost = priced(alb, LB_USAGE)
    # max(10,000/100, 1,000/3,000, 1,000/1, 300/1,000) = 1,000 LCU-hours × $0.008 = $8.00
    capacity = lines(cost)["Load balancer capacity units"]
    assert capacity.monthly_quantity == pytest.approx(1_000)
    assert capacity.monthly_cost == pytest.approx(8.00)
    # + 730 h × $0.0225 = $16.425: Infracost's $24.43
    assert cost.monthly_cost == pytest.approx(16.425 + 8.00)


def test_new_connections_can_be_the_largest_dimension(resource, priced, lines):
    alb = resource("aws_alb.web", "aws_alb")  # no type: an application load balancer
    cost = priced(alb, {"new_connections": 250_000, "processed_bytes_gb": 10})
    # max(250,000/100, 10/1) = 2,500 LCU-hours × $0.008 = $20.00
    assert lines(cost)["Load balancer capacity units"].monthly_cost == pytest.approx(20.00)


def test_network_load_balancer_pays_nlcu_hours_without_rule_evaluations(
        resource, priced, lines):
    nlb = resource("aws_lb.nlb1_usage", "aws_lb", {"load_balancer_type": "network"})
    cost = priced(nlb, LB_USAGE)
    by = lines(cost)
    # 730 h × $0.0225 = $16.425; max(100, 0.33, 1,000) = 1,000 NLCU-hours × $0.006 = $6.00
    assert by["Network load balancer"].monthly_cost == pytest.approx(16.425)
    assert by["Load balancer capacity units"].unit == "NLCU-hours"
    assert cost.monthly_cost == pytest.approx(16.425 + 6.00)
    only_rules = priced(nlb, {"rule_evaluations": 5_000_000})
    assert lines(only_rules)["Load balancer capacity units"].monthly_quantity is None


def test_gateway_load_balancer_pays_hours_and_glcu_hours(resource, priced):
    gwlb = resource("aws_lb.inspection", "aws_lb", {"load_balancer_type": "gateway"})
    # 730 h × $0.0125 = $9.125; 100 GB / 1 = 100 GLCU-hours × $0.004 = $0.40
    assert priced(gwlb, {"processed_bytes_gb": 100}).monthly_cost == pytest.approx(9.125 + 0.40)


def test_cloudformation_network_load_balancer_is_priced_from_its_type(resource, priced):
    nlb = resource("cfn:stack.yaml#Nlb", "AWS::ElasticLoadBalancingV2::LoadBalancer",
                   {"Type": "network"})
    assert priced(nlb).monthly_cost == pytest.approx(730 * 0.0225)


def test_a_load_balancer_of_unknown_type_is_unpriced_not_guessed(resource, estimate_of):
    lb = unknown(resource("aws_lb.x", "aws_lb"), "load_balancer_type")
    assert [u.reason for u in estimate_of([lb]).unpriced] == [
        "load balancer type not known statically"]


def test_a_region_without_network_load_balancer_prices_says_so(resource, estimate_of):
    # Every other commercial region prices network load balancers now; Auckland opened
    # after the AWS data the catalog's region files hold.
    nlb = resource("aws_lb.n", "aws_lb", {"load_balancer_type": "network"},
                   region="ap-southeast-6")
    [unpriced] = estimate_of([nlb]).unpriced
    assert "ap-southeast-6" in unpriced.reason


def test_classic_load_balancer_pays_hours_and_data_processed(resource, priced, lines):
    elb = resource("aws_elb.my_elb", "aws_elb")
    cost = priced(elb, {"monthly_data_processed_gb": 10_000})
    # 730 h × $0.025 = $18.25; 10,000 GB × $0.008 = $80.00 (Infracost's elb fixture)
    assert lines(cost)["Classic load balancer"].monthly_cost == pytest.approx(18.25)
    assert cost.monthly_cost == pytest.approx(18.25 + 80.00)
    without = priced(resource("aws_elb.elb1", "aws_elb"))
    assert lines(without)["Data processed"].unit_price == 0.008
    assert without.monthly_cost == pytest.approx(18.25)


def test_interface_endpoint_data_follows_the_volume_tiers(resource, priced, lines):
    endpoint = resource("aws_vpc_endpoint.big", "aws_vpc_endpoint",
                        {"vpc_endpoint_type": "Interface"})
    cost = priced(endpoint, {"monthly_data_processed_gb": 7_000_000})
    by = lines(cost)
    # 1,000,000 GB × $0.01 + 4,000,000 GB × $0.006 + 2,000,000 GB × $0.004
    assert by["Data processed (first 1 PB)"].monthly_cost == pytest.approx(10_000)
    assert by["Data processed (next 4 PB)"].monthly_cost == pytest.approx(24_000)
    assert by["Data processed (over 5 PB)"].monthly_cost == pytest.approx(8_000)
    # + one AZ: 730 h × $0.01 = $7.30 (Infracost's $42,007.30)
    assert cost.monthly_cost == pytest.approx(42_007.30)


def test_gateway_load_balancer_endpoint_pays_hours_and_gb(resource, priced, lines):
    endpoint = resource("aws_vpc_endpoint.gwlb", "aws_vpc_endpoint",
                        {"vpc_endpoint_type": "GatewayLoadBalancer"})
    cost = priced(endpoint, {"monthly_data_processed_gb": 100})
    # 730 h × $0.01 = $7.30; 100 GB × $0.0035 = $0.35
    assert lines(cost)["Endpoint (GatewayLoadBalancer)"].monthly_cost == pytest.approx(7.30)
    assert cost.monthly_cost == pytest.approx(7.30 + 0.35)


def test_interface_endpoint_with_unknown_subnets_keeps_its_hours_unknown(
        resource, priced, lines):
    endpoint = unknown(resource("aws_vpc_endpoint.e", "aws_vpc_endpoint",
                                {"vpc_endpoint_type": "Interface"}), "subnet_ids")
    hours = lines(priced(endpoint))["Endpoint (Interface)"]
    assert (hours.monthly_quantity, hours.monthly_cost, hours.unit_price) == (None, None, 0.01)


def test_an_endpoint_of_unknown_type_is_unpriced_not_called_free(resource, estimate_of):
    endpoint = unknown(resource("aws_vpc_endpoint.e", "aws_vpc_endpoint"), "vpc_endpoint_type")
    assert [u.reason for u in estimate_of([endpoint]).unpriced] == [
        "endpoint type not known statically"]


def test_cross_zone_transfer_costs_a_cent_per_gb_each_way_in_cape_town(resource, priced, lines):
    transfer = resource("aws_data_transfer.af-south-1", "aws_data_transfer", region="af-south-1")
    cost = priced(transfer, {"monthly_intra_region_gb": 1_000})
    # 1,000 GB × 2 (billed in and out) × $0.01 = $20.00 (Infracost's data_transfer fixture)
    line = lines(cost)["Cross-AZ transfer (billed in and out)"]
    assert (line.monthly_quantity, line.monthly_cost) == (2_000, pytest.approx(20.00))
