import pytest

from purser.config import Config
from purser.cost import estimate
from purser.cost.usage import load_usage_file
from purser.model import Ref


def test_dedicated_connection_pays_its_port_hours(resource, priced, lines):
    connection = resource("aws_dx_connection.dc", "aws_dx_connection",
                          {"bandwidth": "1Gbps", "location": "EqDC2", "name": "dc"})
    cost = priced(connection)
    assert cost.monthly_cost == pytest.approx(730 * 0.30)  # $0.30 per 1 Gbps port-hour
    assert set(lines(cost)) == {"DX connection (dedicated, 1Gbps)"}


def test_hosted_connection_is_priced_at_the_hosted_rate(tmp_path, resource):
    path = tmp_path / "usage.yml"
    path.write_text("version: 0.1\nresource_usage:\n"
                    "  aws_dx_connection.h: {dx_connection_type: hosted}\n")
    connection = resource("aws_dx_connection.h", "aws_dx_connection", {"bandwidth": "500Mbps"})
    [cost] = estimate([connection], Config(), usage=load_usage_file(path)).resources
    assert cost.monthly_cost == pytest.approx(730 * 0.20)  # $0.20 per 500 Mbps hosted port-hour


def test_tokyo_ports_cost_their_region_rate(resource, priced):
    connection = resource("aws_dx_connection.t", "aws_dx_connection", {"bandwidth": "10Gbps"},
                          region="ap-northeast-1")
    assert priced(connection).monthly_cost == pytest.approx(730 * 2.142)


def test_transfer_to_the_location_is_unpriced_rather_than_left_out(resource, estimate_of):
    connection = resource("aws_dx_connection.dc", "aws_dx_connection", {"bandwidth": "1Gbps"})
    result = estimate_of([connection], {connection.address: {
        "monthly_outbound_region_to_dx_location_gb": 200}})
    assert [u.address for u in result.unpriced] == [connection.address]
    assert "country" in result.unpriced[0].reason


def test_unknown_bandwidth_is_unpriced(resource, estimate_of):
    connection = resource("aws_dx_connection.dc", "aws_dx_connection", {})
    connection.unknown = ["bandwidth"]
    assert estimate_of([connection]).unpriced


def test_gateway_association_with_a_transit_gateway_pays_an_attachment(resource, priced):
    association = resource("aws_dx_gateway_association.tgw", "aws_dx_gateway_association",
                           {"dx_gateway_id": "dx-1", "associated_gateway_id": "tgw-123"})
    cost = priced(association, {"monthly_data_processed_gb": 100})
    # Direct Connect attachment $0.05/h x 730 h; $0.02 per GB processed
    assert cost.monthly_cost == pytest.approx(730 * 0.05 + 100 * 0.02)


def test_gateway_association_follows_a_reference_to_its_gateway(resource, priced,
                                                              estimate_of):
    vgw = resource("aws_vpn_gateway.main", "aws_vpn_gateway", {})
    tgw = resource("aws_ec2_transit_gateway.hub", "aws_ec2_transit_gateway", {})
    to_vgw = resource("aws_dx_gateway_association.v", "aws_dx_gateway_association",
                      {"associated_gateway_id": Ref(address=vgw.address, attribute="id")})
    to_tgw = resource("aws_dx_gateway_association.t", "aws_dx_gateway_association",
                      {"associated_gateway_id": Ref(address=tgw.address, attribute="id")})
    with_vgw = estimate_of([to_vgw, vgw])
    assert to_vgw.address in with_vgw.free
    assert priced(to_tgw, others=[tgw]).monthly_cost == pytest.approx(730 * 0.05)
