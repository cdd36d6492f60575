import pytest

GROUP = "aws_globalaccelerator_endpoint_group"


def test_accelerator_pays_the_fixed_hourly_fee(resource, priced):
    accelerator = resource("aws_globalaccelerator_accelerator.web",
                           "aws_globalaccelerator_accelerator", {"name": "web"})
    assert priced(accelerator).monthly_cost == pytest.approx(730 * 0.025)


def test_endpoint_group_bills_the_dominant_direction_by_client_area(resource, priced, lines):
    group = resource("aws_globalaccelerator_endpoint_group.eu", GROUP,
                     {"endpoint_group_region": "eu-west-1"})
    cost = priced(group, {"monthly_inbound_data_transfer_gb.us": 1000,
                          "monthly_inbound_data_transfer_gb.australia": 2000,
                          "monthly_outbound_data_transfer_gb.us": 500})
    # inbound 3,000 GB > outbound 500 GB: inbound billed; Europe endpoints: US clients
    # $0.015, Australia clients $0.105 per GB
    assert cost.monthly_cost == pytest.approx(1000 * 0.015 + 2000 * 0.105)
    assert set(lines(cost)) == {"Inbound DT-Premium (US, Mexico, Canada)",
                                "Inbound DT-Premium (Australia, New Zealand)"}


def test_endpoint_group_region_defaults_to_the_provider_region(resource, priced):
    group = resource("aws_globalaccelerator_endpoint_group.us", GROUP, {}, region="us-west-1")
    cost = priced(group, {"monthly_inbound_data_transfer_gb.europe": 2000,
                          "monthly_outbound_data_transfer_gb.europe": 5000,
                          "monthly_outbound_data_transfer_gb.asia_pacific": 1000})
    # outbound 6,000 GB dominant; US endpoints: Europe $0.015, Asia Pacific $0.035 per GB
    assert cost.monthly_cost == pytest.approx(5000 * 0.015 + 1000 * 0.035)


def test_without_usage_the_premium_stays_unknown(resource, priced):
    cost = priced(resource("aws_globalaccelerator_endpoint_group.x", GROUP,
                           {"endpoint_group_region": "ap-south-1"}))
    (line,) = cost.components
    assert line.monthly_cost is None and line.unit_price == 0.023  # India to India


def test_cloudformation_accelerator_and_group_are_priced_through_their_kinds(resource, priced):
    accelerator = resource("cfn:ga.yaml#Acc", "AWS::GlobalAccelerator::Accelerator",
                           {"Name": "web", "Enabled": True})
    assert priced(accelerator).monthly_cost == pytest.approx(730 * 0.025)
    group = resource("cfn:ga.yaml#Group", "AWS::GlobalAccelerator::EndpointGroup",
                     {"ListenerArn": "arn", "EndpointGroupRegion": "sa-east-1"})
    cost = priced(group, {"monthly_inbound_data_transfer_gb.europe": 100})
    assert cost.monthly_cost == pytest.approx(100 * 0.035)  # South America to Europe
