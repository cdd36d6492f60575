import pytest

SERVER = "aws_transfer_server"


def test_each_enabled_protocol_pays_its_hours_and_data_is_per_gb(resource, priced, lines):
    server = resource("aws_transfer_server.partners", SERVER,
                      {"protocols": ["SFTP", "FTPS", "FTP"]})
    cost = priced(server, {"monthly_data_downloaded_gb": 50, "monthly_data_uploaded_gb": 10})
    # $0.30 per protocol-hour, 3 protocols x 730 h; $0.04 per GB either way
    assert cost.monthly_cost == pytest.approx(3 * 730 * 0.30 + 50 * 0.04 + 10 * 0.04)
    assert {"SFTP protocol enabled", "FTPS protocol enabled", "FTP protocol enabled"} \
        <= set(lines(cost))


def test_a_server_naming_no_protocol_serves_sftp(resource, priced, lines):
    cost = priced(resource("aws_transfer_server.default", SERVER, {}))
    assert cost.monthly_cost == pytest.approx(730 * 0.30)
    assert lines(cost)["Data uploaded"].monthly_cost is None  # unit price only: $0.04


def test_unknown_or_unreadable_protocols_are_unpriced(resource, estimate_of):
    unknown = resource("aws_transfer_server.a", SERVER, {})
    unknown.unknown = ["protocols"]
    strange = resource("aws_transfer_server.b", SERVER, {"protocols": ["GOPHER"]})
    assert len(estimate_of([unknown, strange]).unpriced) == 2


def test_cloudformation_server_is_priced_through_its_kind(resource, priced):
    server = resource("cfn:sftp.yaml#Server", "AWS::Transfer::Server",
                      {"Protocols": ["SFTP", "AS2"], "EndpointType": "PUBLIC"})
    assert priced(server).monthly_cost == pytest.approx(2 * 730 * 0.30)
