import pytest


def test_mirror_session_pays_by_the_hour(resource, priced):
    session = resource("aws_ec2_traffic_mirror_session.s", "aws_ec2_traffic_mirror_session",
                       {"network_interface_id": "eni-1", "session_number": 1})
    assert priced(session).monthly_cost == pytest.approx(730 * 0.015)  # $0.015 an hour


def test_cloudformation_session_is_priced_through_its_kind(resource, priced):
    session = resource("cfn:m.yaml#Session", "AWS::EC2::TrafficMirrorSession",
                       {"NetworkInterfaceId": "eni-1", "SessionNumber": 1,
                        "TrafficMirrorTargetId": "t", "TrafficMirrorFilterId": "f"})
    assert priced(session).monthly_cost == pytest.approx(730 * 0.015)
