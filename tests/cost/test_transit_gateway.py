import pytest


def test_vpc_attachment_pays_hours_and_data_processed(resource, priced, lines):
    attachment = resource("aws_ec2_transit_gateway_vpc_attachment.app",
                          "aws_ec2_transit_gateway_vpc_attachment",
                          {"transit_gateway_id": "tgw-1", "vpc_id": "vpc-1",
                           "subnet_ids": ["subnet-1", "subnet-2"]})
    cost = priced(attachment, {"monthly_data_processed_gb": 1000})
    # $0.05 per attachment-hour, 730 h; $0.02 per GB processed
    assert cost.monthly_cost == pytest.approx(730 * 0.05 + 1000 * 0.02)
    assert set(lines(cost)) == {"Transit gateway attachment", "Data processed"}


def test_vpc_attachment_without_usage_shows_the_data_price_unknown(resource, priced, lines):
    attachment = resource("aws_ec2_transit_gateway_vpc_attachment.app",
                          "aws_ec2_transit_gateway_vpc_attachment", {"vpc_id": "vpc-1"})
    cost = priced(attachment)
    assert cost.monthly_cost == pytest.approx(730 * 0.05)
    assert lines(cost)["Data processed"].monthly_cost is None


def test_peering_attachment_is_billed_by_the_hour_only(resource, priced, lines):
    peering = resource("aws_ec2_transit_gateway_peering_attachment.eu",
                       "aws_ec2_transit_gateway_peering_attachment",
                       {"transit_gateway_id": "tgw-1", "peer_region": "eu-west-1",
                        "peer_transit_gateway_id": "tgw-2"})
    cost = priced(peering, {"monthly_data_processed_gb": 500})
    assert set(lines(cost)) == {"Transit gateway attachment"}
    assert cost.monthly_cost == pytest.approx(730 * 0.05)


def test_cloudformation_attachments_are_priced_through_their_kinds(resource, priced):
    for type_ in ("AWS::EC2::TransitGatewayVpcAttachment", "AWS::EC2::TransitGatewayAttachment"):
        vpc = resource("cfn:tgw.yaml#Attach", type_,
                       {"TransitGatewayId": "tgw-1", "VpcId": "vpc-1", "SubnetIds": ["s-1"]})
        assert priced(vpc, {"monthly_data_processed_gb": 10}).monthly_cost == \
            pytest.approx(730 * 0.05 + 10 * 0.02)
    peering = resource("cfn:tgw.yaml#Peer", "AWS::EC2::TransitGatewayPeeringAttachment",
                       {"TransitGatewayId": "tgw-1", "PeerTransitGatewayId": "tgw-2"})
    assert priced(peering).monthly_cost == pytest.approx(730 * 0.05)


def test_the_gateways_themselves_are_free(resource, estimate_of):
    gateways = [resource("aws_ec2_transit_gateway.hub", "aws_ec2_transit_gateway"),
                resource("aws_vpn_gateway.vgw", "aws_vpn_gateway", {"vpc_id": "vpc-1"}),
                resource("Hub", "AWS::EC2::TransitGateway"),
                resource("Vgw", "AWS::EC2::VPNGateway", {"Type": "ipsec.1"})]
    result = estimate_of(gateways)
    assert result.free == [gateway.address for gateway in gateways]
    assert not result.unpriced and not result.resources
