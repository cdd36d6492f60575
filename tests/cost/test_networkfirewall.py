import pytest

FIREWALL = "aws_networkfirewall_firewall"


def test_firewall_pays_one_endpoint_per_subnet_mapping_and_data_processed(resource, priced):
    firewall = resource("aws_networkfirewall_firewall.edge", FIREWALL,
                        {"name": "edge", "subnet_mapping": [{"subnet_id": "a"},
                                                            {"subnet_id": "b"}]})
    cost = priced(firewall, {"monthly_data_processed_gb": 100})
    # $0.395 per endpoint-hour, 2 AZs x 730 h; $0.065 per GB processed
    assert cost.monthly_cost == pytest.approx(2 * 730 * 0.395 + 100 * 0.065)


def test_without_usage_the_data_processed_stays_unknown(resource, priced, lines):
    cost = priced(resource("aws_networkfirewall_firewall.edge", FIREWALL,
                           {"subnet_mapping": [{"subnet_id": "a"}]}))
    assert cost.monthly_cost == pytest.approx(730 * 0.395)
    data = lines(cost)["Data processed"]
    assert data.monthly_cost is None and data.unit_price == 0.065


def test_unknown_subnet_mappings_leave_the_endpoint_hours_unknown(resource, priced, lines):
    firewall = resource("aws_networkfirewall_firewall.edge", FIREWALL, {})
    firewall.unknown = ["subnet_mapping"]
    endpoint = lines(priced(firewall))["Firewall endpoint"]
    assert endpoint.monthly_cost is None and endpoint.unit_price == 0.395


def test_cloudformation_firewall_is_priced_through_its_kind(resource, priced):
    firewall = resource("cfn:fw.yaml#Firewall", "AWS::NetworkFirewall::Firewall",
                        {"FirewallName": "edge", "VpcId": "vpc-1",
                         "SubnetMappings": [{"SubnetId": "a"}, {"SubnetId": "b"},
                                            {"SubnetId": "c"}]})
    assert priced(firewall).monthly_cost == pytest.approx(3 * 730 * 0.395)
