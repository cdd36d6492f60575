import pytest


def test_rule_evaluations_are_tiered(resource, priced):
    rule = resource("aws_config_config_rule.s3", "aws_config_config_rule",
                    {"name": "s3-encrypted"})
    cost = priced(rule, {"monthly_rule_evaluations": 1_000_000})
    # the first 100k at $0.001, the next 400k at $0.0008, the remaining 500k at $0.0005
    assert cost.monthly_cost == pytest.approx(100_000 * 0.001 + 400_000 * 0.0008
                                              + 500_000 * 0.0005)


@pytest.mark.parametrize("type_", ["aws_config_organization_managed_rule",
                                   "aws_config_organization_custom_rule",
                                   "AWS::Config::OrganizationConfigRule",
                                   "AWS::Config::ConfigRule"])
def test_organization_and_cloudformation_rules_are_priced_alike(resource, priced, type_):
    address = f"cfn:config.yaml#{type_[-8:]}" if type_.startswith("AWS::") else f"{type_}.r"
    cost = priced(resource(address, type_, {}), {"monthly_rule_evaluations": 600_000})
    assert cost.monthly_cost == pytest.approx(100_000 * 0.001 + 400_000 * 0.0008
                                              + 100_000 * 0.0005)


def test_recorder_pays_per_configuration_item(resource, priced):
    recorder = resource("aws_config_configuration_recorder.main",
                        "aws_config_configuration_recorder", {"name": "main"})
    cost = priced(recorder, {"monthly_config_items": 1_000, "monthly_custom_config_items": 2_000})
    assert cost.monthly_cost == pytest.approx(1_000 * 0.003 + 2_000 * 0.003)


def test_periodic_recording_costs_more_per_item(resource, priced, lines):
    daily = resource("cfn:config.yaml#Recorder", "AWS::Config::ConfigurationRecorder",
                     {"RecordingMode": {"RecordingFrequency": "DAILY"}})
    cost = priced(daily, {"monthly_config_items": 1_000})
    assert lines(cost)["Configuration items (periodic recording)"].monthly_cost == \
        pytest.approx(1_000 * 0.012)
