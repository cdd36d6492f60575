import pytest


def test_vpn_connection_to_a_virtual_private_gateway_pays_its_hours_only(resource, priced, lines):
    vpn = resource("aws_vpn_connection.office", "aws_vpn_connection",
                   {"customer_gateway_id": "cgw-1", "type": "ipsec.1", "vpn_gateway_id": "vgw-1"})
    cost = priced(vpn)
    assert set(lines(cost)) == {"VPN connection"}
    assert cost.monthly_cost == pytest.approx(730 * 0.05)  # $0.05 per connection-hour


def test_vpn_connection_to_a_transit_gateway_adds_its_attachment_and_data(resource, priced,
                                                                          lines):
    vpn = resource("aws_vpn_connection.tgw", "aws_vpn_connection",
                   {"customer_gateway_id": "cgw-1", "type": "ipsec.1",
                    "transit_gateway_id": "tgw-1"})
    cost = priced(vpn, {"monthly_data_processed_gb": 100})
    # connection $0.05/h + VPN attachment $0.05/h, 730 h each; $0.02 per GB processed
    assert cost.monthly_cost == pytest.approx(730 * 0.05 + 730 * 0.05 + 100 * 0.02)
    assert lines(cost)["Data processed"].unit_price == 0.02


def test_unknown_data_processed_stays_unknown_with_its_unit_price(resource, priced, lines):
    vpn = resource("aws_vpn_connection.tgw", "aws_vpn_connection", {"transit_gateway_id": "tgw"})
    data = lines(priced(vpn))["Data processed"]
    assert data.monthly_cost is None and data.unit_price == 0.02


def test_cloudformation_vpn_connection_is_priced_through_its_kind(resource, priced, lines):
    vpn = resource("cfn:net.yaml#Vpn", "AWS::EC2::VPNConnection",
                   {"CustomerGatewayId": "cgw-1", "Type": "ipsec.1", "TransitGatewayId": "tgw-1"})
    cost = priced(vpn, {"monthly_data_processed_gb": 50})
    assert cost.monthly_cost == pytest.approx(730 * 0.05 * 2 + 50 * 0.02)


def test_client_vpn_assumes_one_client_and_bills_each_subnet_association(resource, priced,
                                                                          lines):
    endpoint = priced(resource("aws_ec2_client_vpn_endpoint.staff",
                               "aws_ec2_client_vpn_endpoint", {"client_cidr_block": "10.0.0.0/16"}))
    line = next(iter(lines(endpoint).values()))
    assert "assumed" in line.component and line.usage_origin == "default"
    assert endpoint.monthly_cost == pytest.approx(730 * 0.05)  # $0.05 per connection-hour
    association = priced(resource("aws_ec2_client_vpn_network_association.a",
                                  "aws_ec2_client_vpn_network_association",
                                  {"client_vpn_endpoint_id": "cvpn-1", "subnet_id": "subnet-1"}))
    assert association.monthly_cost == pytest.approx(730 * 0.10)  # $0.10 per association-hour


def test_cloudformation_client_vpn_is_priced_through_its_kinds(resource, priced):
    endpoint = resource("cfn:vpn.yaml#Endpoint", "AWS::EC2::ClientVpnEndpoint",
                        {"ClientCidrBlock": "10.0.0.0/16"})
    association = resource("cfn:vpn.yaml#Assoc", "AWS::EC2::ClientVpnTargetNetworkAssociation",
                           {"ClientVpnEndpointId": "cvpn-1", "SubnetId": "subnet-1"})
    assert priced(endpoint).monthly_cost == pytest.approx(730 * 0.05)
    assert priced(association).monthly_cost == pytest.approx(730 * 0.10)


def test_vpn_prices_follow_the_region(resource, priced):
    vpn = resource("aws_vpn_connection.tokyo", "aws_vpn_connection", {"vpn_gateway_id": "vgw"},
                   region="ap-northeast-1")
    assert priced(vpn).monthly_cost == pytest.approx(730 * 0.048)  # Tokyo: $0.048 per hour
