import pytest

ACTIVATION = "aws_ssm_activation"


def usage_file(tmp_path, text):
    from purser.cost.usage import load_usage_file

    path = tmp_path / "usage.yml"
    path.write_text("version: 0.1\nresource_usage:\n" + text)
    return load_usage_file(path)


def test_advanced_instances_pay_per_instance_hour(tmp_path, resource):
    from purser.config import Config
    from purser.cost import estimate

    activation = resource("aws_ssm_activation.dc", ACTIVATION, {"name": "dc"})
    usage = usage_file(tmp_path, "  aws_ssm_activation.dc: {instance_tier: advanced, "
                                 "instances: 100}\n")
    [cost] = estimate([activation], Config(), usage=usage).resources
    assert cost.monthly_cost == pytest.approx(100 * 730 * 0.00695)  # $0.00695 an hour


def test_standard_tier_is_free(tmp_path, resource):
    from purser.config import Config
    from purser.cost import estimate

    activation = resource("aws_ssm_activation.dc", ACTIVATION, {"name": "dc"})
    usage = usage_file(tmp_path, "  aws_ssm_activation.dc: {instance_tier: standard, "
                                 "instances: 100}\n")
    assert activation.address in estimate([activation], Config(), usage=usage).free


def test_more_than_1000_registrations_is_advanced_and_unknown_instances_stay_unknown(
        resource, priced, lines):
    activation = resource("aws_ssm_activation.big", ACTIVATION,
                          {"name": "big", "registration_limit": 1001})
    line = lines(priced(activation))["On-prem managed instances (advanced)"]
    assert line.monthly_cost is None and line.unit_price == 0.00695


def test_an_unknown_tier_shows_the_advanced_rate_as_conditional(resource, priced, lines):
    activation = resource("aws_ssm_activation.small", ACTIVATION, {"name": "small"})
    cost = priced(activation, {"instances": 10})
    line = lines(cost)["On-prem managed instances (advanced), if advanced"]
    assert line.monthly_cost == pytest.approx(10 * 730 * 0.00695)
